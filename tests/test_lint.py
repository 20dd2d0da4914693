from __future__ import annotations

from helpflow.lint import lint, url_is_safe
from helpflow.loader import load_file

from support import BUNDLED, MINI, WriteFlow


def codes(write_flow: WriteFlow, text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for d in lint(load_file(write_flow(text))):
        found.setdefault(d.code, []).append(d.format())
    return found


def test_bundled_flow_is_clean_but_for_declared_gaps() -> None:
    findings = lint(load_file(BUNDLED))
    assert {d.severity for d in findings} == {"todo"}
    gaps = {d.node or d.message.split("'")[1] for d in findings}
    assert gaps == {"email_lookup_url", "password_reset_url", "email_from_app", "phone_changed"}


def test_mini_flow_is_clean(write_flow: WriteFlow) -> None:
    assert lint(load_file(write_flow(MINI))) == []


def test_witness_path_shows_how_to_reach_the_problem(write_flow: WriteFlow) -> None:
    text = MINI.replace(
        "- {id: other, label: Something else, to: help}",
        "- {id: other, label: Something else, to: loop}",
    )
    text += """
  loop:
    kind: fix
    title: Try again
    body: Again.
    next: loop
"""
    (finding,) = codes(write_flow, text)["no-outcome"]
    assert "node 'loop': no path from here reaches an outcome" in finding
    assert finding.endswith("path: where[shop] → what[other] → loop")


def test_when_on_an_answer_not_always_given(write_flow: WriteFlow) -> None:
    text = MINI.replace("start: where", "start: what")
    found = codes(write_flow, text)
    assert any(
        "without answering it" in f and "path: what[login] → reset" in f
        for f in found["answer-maybe-missing"]
    ), found


def test_todo_is_reported_without_being_a_warning(write_flow: WriteFlow) -> None:
    text = MINI.replace(
        "    title: Contact us\n", "    title: Contact us\n    todo: Real phone number missing.\n"
    )
    findings = lint(load_file(write_flow(text)))
    assert [(d.severity, d.message) for d in findings] == [
        ("todo", "node 'help': Real phone number missing.")
    ]


def test_unsafe_urls() -> None:
    for url in [
        "javascript:alert(1)",
        " javascript:x",
        "JAVASCRIPT:x",
        "java\tscript:x",
        "data:text/html,x",
        "vbscript:x",
        "file:///etc/passwd",
        "//evil.example/x",
    ]:
        assert not url_is_safe(url), url
    for url in [
        "https://x.y",
        "http://x.y/a?b",
        "mailto:a@b.c",
        "tel:+123",
        "/relative",
        "page.html",
    ]:
        assert url_is_safe(url), url
