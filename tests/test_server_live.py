"""Servers as processes on loopback: scale-out across processes, pages and the widget in
Chromium under the real Content-Security-Policy, a property-based API test, and a bounded
load run with zero errors."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from browser import axe_violations
from servers import helpflow_server
from support import BUNDLED

SECRET = "shared-secret-for-every-process"
API = "/api/v1/flows/account-login"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with helpflow_server(BUNDLED.parent, secret=SECRET) as url:
        yield url


def test_a_session_moves_between_two_server_processes(server: str) -> None:
    with helpflow_server(BUNDLED.parent, secret=SECRET) as other:
        body = httpx2.post(f"{server}{API}/sessions", json={}).json()
        body = httpx2.post(
            f"{other}{API}/choose", json={"token": body["token"], "choice": "retail"}
        ).json()
        body = httpx2.post(
            f"{server}{API}/choose", json={"token": body["token"], "choice": "cant_access"}
        ).json()
        body = httpx2.post(
            f"{other}{API}/choose", json={"token": body["token"], "choice": "not_solved"}
        ).json()
        assert body["step"]["node_id"] == "contact_retailer"
        # A server with another secret refuses the same token.
        with helpflow_server(BUNDLED.parent, secret="another") as stranger:
            response = httpx2.get(f"{stranger}{API}/step", params={"token": body["token"]})
            assert response.status_code == 403


def test_server_pages_walk_with_javascript_off(page_nojs: Any, server: str) -> None:
    page_nojs.goto(f"{server}/flows/account-login/")
    for choice in ["isp", "forgot_details", "password", "not_solved"]:
        page_nojs.click(f'[data-choice="{choice}"]')
    assert page_nojs.get_attribute("h1", "data-node") == "contact_isp"
    page_nojs.click(".hf-change a >> nth=0")
    page_nojs.click('[data-choice="retail"]')
    assert page_nojs.get_attribute("h1", "data-node") == "contact_retailer"
    page_nojs.click("a.hf-back")
    assert page_nojs.get_attribute("h1", "data-node") == "forgot_password"


@pytest.mark.parametrize(
    "where",
    [
        "/",
        "/flows/account-login/",
        "/flows/account-login/?purchase_channel=retail&problem=cant_access",
    ],
)
def test_server_pages_have_no_axe_violations(chromium: Any, server: str, where: str) -> None:
    # The server's CSP rightly refuses injected scripts; axe is injected by the test itself.
    context = chromium.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(server + where)
    assert axe_violations(page) == []
    context.close()


def test_widget_runs_under_the_servers_csp(page: Any, server: str) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/flows/account-login/widget")
    page.click('.hf-app [data-choice="online"]')
    assert page.get_attribute(".hf-app [data-node]", "data-node") == "problem"
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_bounded_load_has_no_errors(server: str) -> None:
    token = httpx2.post(f"{server}{API}/sessions", json={}).json()["token"]

    def one(i: int) -> int:
        with httpx2.Client(base_url=server, timeout=10) as client:
            codes = []
            for _ in range(25):
                r = client.post(f"{API}/choose", json={"token": token, "choice": "retail"})
                codes.append(r.status_code)
            return sum(1 for c in codes if c != 200)

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        failures = sum(pool.map(one, range(8)))
    assert failures == 0  # 200 requests from 8 concurrent clients
