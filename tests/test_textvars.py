"""Vars are text (issue 9, item 1): a value is put in after Markdown, escaped, and a new value
never renders Markdown again."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from helpflow import content, load
from helpflow.errors import VarError
from helpflow.overrides import MAX_LENGTH, request_overrides
from helpflow.textvars import fill, mark

FLOW = Path(__file__).parent.parent / "flows" / "account-login.yaml"


def test_a_value_is_never_markdown_or_html() -> None:
    flow = load(FLOW, vars={"product": "**Acme** <b>x</b> [y](javascript:alert(1))"})
    step = flow.step(flow.start())
    html = flow.info.intro.html + step.body.html
    assert "Acme" in step.title
    assert "<strong>Acme" not in html
    assert "javascript" not in html.replace("javascript:", "")
    # Where the value lands in Markdown text it shows as written, escaped.
    body = flow.content("purchase_channel").choice_labels["online"]
    assert body == "I bought it online from **Acme** <b>x</b> [y](javascript:alert(1))"


def test_a_value_in_markdown_prose_is_escaped_in_html_and_plain_in_text() -> None:
    marked = mark("Visit **{site}** today, {site}.", {"site"})
    template = content.render_template(marked)
    prose = content.fill(template, ["<img src=x onerror=alert(1)> & [a](b) \x1b[31m"])
    assert "<img" not in prose.html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp;" in prose.html
    assert prose.html.startswith("<p>Visit <strong>&lt;img")
    value = "<img src=x onerror=alert(1)> & [a](b)"
    assert prose.text == f"Visit {value} today, {value}."


def test_a_value_in_a_link_address_cannot_make_it_unsafe() -> None:
    template = content.render_template(mark("[help]({url})", {"url"}))
    assert template.in_tag
    assert (
        'href="https://ok.example/?a=1&amp;b=2"'
        in content.fill(template, ["https://ok.example/?a=1&b=2"]).html
    )
    assert "javascript" not in content.fill(template, ["javascript:alert(1)"]).html


def test_braces_and_unknown_names() -> None:
    assert fill("{{x}} {y} {answers.q}", {"y": "Y"}) == "{x} Y {answers.q}"
    assert fill("{answers.q}", {}, {"q": "Windows"}) == "Windows"
    assert mark("{{x}} {nope}", {"y"}).text == "{x} {nope}"


def test_many_brackets_cost_linear_time() -> None:
    flow = load(FLOW)

    def cost(n: int) -> float:
        started = time.perf_counter()
        variant = flow.with_options(vars={"product": "[" * n})
        variant.prerender()
        return time.perf_counter() - started

    cost(10)  # warm the shared templates
    small, large = cost(1_500), cost(15_000)
    # Quadratic would be ~100x; linear ~10x. Generous bound for a noisy machine.
    assert large < small * 40 + 0.05


def test_new_values_render_no_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    flow = load(FLOW)
    flow.prerender()
    calls: list[str] = []
    real = content.markdown_html

    def markdown_html(source: str) -> str:
        calls.append(source)
        return real(source)

    monkeypatch.setattr(content, "markdown_html", markdown_html)
    for n in range(20):
        variant = flow.with_options(vars={"product": f"Brand {n}"})
        variant.prerender()
        assert f"Brand {n}" in variant.info.title
    assert calls == []


def test_request_overrides_only_for_overridable_vars() -> None:
    flow = load(FLOW).flow
    assert request_overrides(flow, {"product": "Acme"}) == {"product": "Acme"}
    with pytest.raises(VarError, match="cannot be set by a request"):
        request_overrides(flow, {"retailer_name": "x"})
    with pytest.raises(VarError, match="longer than"):
        request_overrides(flow, {"product": "x" * (MAX_LENGTH + 1)})


def test_api_applies_only_overridable_vars_as_text() -> None:
    from starlette.testclient import TestClient

    from helpflow.server import create_app

    app = create_app(FLOW.parent.parent / "examples" / "content", secret=b"s" * 32)
    with TestClient(app) as client:
        url = "/api/v1/flows/software-update-failing/sessions"
        ok = client.post(url, json={"vars": {"app": "**Pad** <i>x</i>"}})
        assert ok.status_code == 201, ok.text
        assert ok.json()["step"]["flow"]["title"] == "**Pad** <i>x</i> won't update"
        body = client.post(url, json={"vars": {"app": "[" * 150}})
        assert body.status_code == 201
        refused = client.post(url, json={"vars": {"support_email": "x@evil.example"}})
        assert refused.status_code == 400
        assert "cannot be set by a request" in refused.json()["error"]["message"]
        long = client.post(url, json={"vars": {"app": "x" * (MAX_LENGTH + 1)}})
        assert long.status_code == 400
