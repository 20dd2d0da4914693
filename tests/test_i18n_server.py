"""The server in several languages: one flow id served in each language it has a catalog for,
Accept-Language negotiation with `?lang=` as override, Content-Language and Vary, and a reader
who switches language half-way and keeps their answers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import jsonschema
import pytest
from starlette.testclient import TestClient

from helpflow.errors import HelpflowError
from helpflow.server import create_app

from servers import helpflow_server
from support import BUNDLED

API = "/api/v1/flows/account-login"
PAGE = "/flows/account-login/"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(BUNDLED.parent, secret=b"s")) as client:
        yield client


def assert_language(response: Any, lang: str) -> None:
    assert response.status_code in (200, 201), response.text
    assert response.headers["content-language"] == lang
    assert "Accept-Language" in response.headers["vary"]


def test_flows_list_their_languages(client: TestClient) -> None:
    (flow,) = client.get("/api/v1/flows").json()["flows"]
    assert flow["languages"] == ["en", "ar", "fr"]
    described = client.get(API, headers={"accept-language": "fr-CA, en;q=0.5"})
    assert_language(described, "fr")
    body = described.json()
    assert body["lang"] == "fr"
    assert body["title"] == "Problème de connexion à votre compte Trend Micro"


@pytest.mark.parametrize(
    ("accept", "query", "lang", "prompt"),
    [
        (None, "", "en", "How did you get your Trend Micro product?"),
        ("de-DE, fr;q=0.7", "", "fr", "Comment avez-vous obtenu votre produit Trend Micro\u00a0?"),
        ("ar-EG", "", "ar", "كيف حصلت على منتج Trend Micro؟"),
        ("de, ja", "", "en", "How did you get your Trend Micro product?"),
        ("fr", "?lang=ar", "ar", "كيف حصلت على منتج Trend Micro؟"),
        ("ar", "?lang=en", "en", "How did you get your Trend Micro product?"),
    ],
)
def test_the_api_negotiates_with_lang_as_override(
    client: TestClient, accept: str | None, query: str, lang: str, prompt: str
) -> None:
    headers = {"accept-language": accept} if accept else {}
    response = client.post(f"{API}/sessions{query}", json={}, headers=headers)
    assert_language(response, lang)
    step = response.json()["step"]
    assert step["lang"] == lang
    assert step["title"] == prompt


def test_an_unknown_lang_is_a_400_with_the_error_body(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    schema = {**document["components"]["schemas"]["Error"], "components": document["components"]}
    for query in ("?lang=de", "?lang=../../etc", "?lang=" + "x" * 5000):
        response = client.post(f"{API}/sessions{query}", json={})
        assert response.status_code == 400
        jsonschema.Draft202012Validator(schema).validate(response.json())
        error = response.json()["error"]
        assert error["code"] == "unknown_language"
        assert error["message"].endswith("it has: en, ar, fr")
        assert len(error["message"]) < 200
    assert "lang" in {
        p["name"]
        for p in document["paths"][f"{API}/sessions".replace("account-login", "{flow_id}")]["post"][
            "parameters"
        ]
    }


def test_switching_language_mid_path_keeps_the_answers(client: TestClient) -> None:
    """Start in French, answer twice, go on in Arabic with the same token, back in English."""
    body = client.post(f"{API}/sessions?lang=fr", json={}).json()
    for choice in ("retail", "cant_access"):
        body = client.post(
            f"{API}/choose?lang=fr", json={"token": body["token"], "choice": choice}
        ).json()
    assert body["step"]["title"] == "Vérifiez vos identifiants de connexion"
    french_token = body["token"]

    response = client.get(f"{API}/step", params={"token": french_token, "lang": "ar"})
    assert_language(response, "ar")
    arabic = response.json()
    assert arabic["replayed"] is None  # the same version: nothing replayed
    assert arabic["step"]["title"] == "تحقّق من البيانات التي تسجّل الدخول بها"
    assert [a["choice_id"] for a in arabic["step"]["answers"]] == ["retail", "cant_access"]
    assert arabic["step"]["answers"][1]["label"] == "لا أستطيع الدخول إلى حسابي"

    response = client.post(
        f"{API}/choose",
        json={"token": arabic["token"], "choice": "not_solved"},
        headers={"accept-language": "en-GB"},
    )
    assert_language(response, "en")
    english = response.json()["step"]
    assert english["node_id"] == "contact_retailer"
    assert english["title"] == "Contact Best Buy Geek Squad"
    assert [a["choice_id"] for a in english["answers"]] == ["retail", "cant_access", "not_solved"]
    # The same walk in English alone makes the same token.
    plain = client.post(f"{API}/sessions", json={}).json()
    for choice in ("retail", "cant_access", "not_solved"):
        plain = client.post(
            f"{API}/choose", json={"token": plain["token"], "choice": choice}
        ).json()
    assert plain["token"] == english["token"]


def test_pages_negotiate_and_keep_an_explicit_lang_on_links(client: TestClient) -> None:
    page = client.get(PAGE + "?lang=fr&purchase_channel=retail")
    assert_language(page, "fr")
    assert "Quel est le problème" in page.text
    assert f'href="{PAGE}?lang=fr&amp;purchase_channel=retail&amp;problem=cant_access"' in page.text
    assert f'href="{PAGE}?lang=fr"' in page.text  # back to the first question, still French

    page = client.get(PAGE + "?purchase_channel=retail", headers={"accept-language": "ar"})
    assert_language(page, "ar")
    assert "ما المشكلة؟" in page.text
    assert "?lang=" not in page.text  # negotiated: the next request negotiates the same
    assert f'href="{PAGE}?purchase_channel=retail&amp;problem=cant_access"' in page.text

    # An unknown ?lang= on a page is ignored: the reader gets a page, negotiated as without it.
    page = client.get(PAGE + "?lang=xx&purchase_channel=retail", headers={"accept-language": "fr"})
    assert_language(page, "fr")
    assert "Quel est le problème" in page.text
    assert "lang=xx" not in page.text


def test_a_change_page_keeps_the_language(client: TestClient) -> None:
    page = client.get(PAGE + "?lang=ar&purchase_channel=retail&problem=cant_access&change=problem")
    assert_language(page, "ar")
    assert "ما المشكلة؟" in page.text
    assert f'href="{PAGE}?lang=ar&amp;purchase_channel=retail&amp;problem=new_email"' in page.text


def copy_flow(folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(BUNDLED, folder / "account-login.yaml")
    shutil.copytree(BUNDLED.parent / "shared", folder / "shared")
    return folder / "account-login.yaml"


def test_a_second_copy_is_served_as_another_language_not_twice(tmp_path: Path) -> None:
    flow = copy_flow(tmp_path / "flows")
    text = flow.read_text(encoding="utf-8")
    copy = tmp_path / "flows" / "account-login-de.yaml"
    copy.write_text(text.replace("id: account-login\n", "id: account-login\nlang: de\n"))
    with TestClient(create_app(flow.parent, secret=b"s")) as client:
        assert client.get("/api/v1/flows").json()["flows"][0]["languages"] == ["en", "de"]
        response = client.post(f"{API}/sessions", json={}, headers={"accept-language": "de"})
        assert_language(response, "de")

    copy.write_text(text)  # the same language twice is still refused, with the reason
    with pytest.raises(HelpflowError, match="served twice in language 'en'"):
        create_app(flow.parent, secret=b"s")


def test_a_broken_catalog_stops_the_server_with_its_position(tmp_path: Path) -> None:
    flow = copy_flow(tmp_path / "flows")
    catalog = flow.parent / "locales" / "fr" / "LC_MESSAGES" / "account-login.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text('msgid ""\nmsgstr ""\n\nbogus line\n', encoding="utf-8")
    with pytest.raises(HelpflowError, match=r"account-login\.po:4: not a valid \.po file"):
        create_app(flow.parent, secret=b"s")


@pytest.mark.slow
def test_over_real_http_two_processes_switch_language_mid_path() -> None:
    """`helpflow serve` as processes on loopback: a reader starts in French on one, goes on in
    Arabic on the other with the same token, and finishes with every answer kept."""
    with (
        helpflow_server(BUNDLED.parent, secret="shared") as one,
        helpflow_server(BUNDLED.parent, secret="shared") as two,
    ):
        response = httpx2.post(f"{one}{API}/sessions", json={}, headers={"accept-language": "fr"})
        assert response.headers["content-language"] == "fr"
        assert "Accept-Language" in response.headers["vary"]
        token = response.json()["token"]
        response = httpx2.post(
            f"{one}{API}/choose",
            json={"token": token, "choice": "isp"},
            headers={"accept-language": "fr"},
        )
        assert response.json()["step"]["title"] == "Quel est le problème\u00a0?"
        response = httpx2.post(
            f"{two}{API}/choose?lang=ar",
            json={"token": response.json()["token"], "choice": "cant_access"},
        )
        assert response.headers["content-language"] == "ar"
        step = response.json()["step"]
        assert step["title"] == "تحقّق من البيانات التي تسجّل الدخول بها"
        assert [a["label"] for a in step["answers"]] == [
            "حصلت عليه مع خدمة الإنترنت الخاصة بي",
            "لا أستطيع الدخول إلى حسابي",
        ]
        page = httpx2.get(f"{two}{PAGE}?purchase_channel=isp", headers={"accept-language": "ar"})
        assert page.headers["content-language"] == "ar"
        assert "ما المشكلة؟" in page.text
