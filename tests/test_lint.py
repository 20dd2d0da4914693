from __future__ import annotations

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from helpflow.lint import lint
from helpflow.loader import load_file
from helpflow.sanitize import url_is_safe

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


# --- issue 7: content the renderers would drop or change -----------------------------------


def with_body(body: str) -> str:
    """MINI with the 'done' outcome's body replaced (a YAML block scalar)."""
    indented = "\n".join("      " + line for line in body.splitlines())
    return MINI.replace("    body: Great.\n", f"    body: |\n{indented}\n")


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('<iframe src="https://x.example"></iframe>', "HTML element <iframe> is removed"),
        ('<a href="https://x.example" onclick="x()">a</a>', "attribute 'a onclick' is removed"),
        ('<div class="warning">Careful</div>', "attribute 'div class' is removed"),
        ("[x](javascript:alert(1))", "link with unsafe scheme 'javascript' is removed"),
        ("<p></p>", "Markdown produces an empty paragraph"),
    ],
)
def test_dropped_content_is_a_warning_naming_what_goes(
    write_flow: WriteFlow, body: str, says: str
) -> None:
    text = with_body(body)
    findings = [d for d in lint(load_file(write_flow(text))) if d.node == "done"]
    assert [d.severity for d in findings] == ["warning"], findings
    assert says in findings[0].message
    body_line = text.lstrip("\n").splitlines().index("    body: |") + 1
    assert findings[0].line == body_line  # at the field that holds it


@pytest.mark.parametrize(
    "body", ["![](https://x.example/a.png)", '<img src="https://x.example/a.png">']
)
def test_image_without_alt_is_an_error(write_flow: WriteFlow, body: str) -> None:
    (finding,) = codes(write_flow, with_body(body))["image-alt"]
    assert ": error: node 'done': image without alt text" in finding


def test_local_image_must_exist_inside_the_flow_folder(write_flow: WriteFlow) -> None:
    found = codes(write_flow, with_body("![Lights](../outside.png)"))
    assert "outside the flow's folder" in found["bad-image"][0]
    found = codes(write_flow, with_body("![Lights](img/missing.png)"))
    assert "does not exist" in found["bad-image"][0]


def test_content_the_sanitizer_keeps_is_not_reported(write_flow: WriteFlow) -> None:
    body = "```sh\nls\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> [!NOTE]\n> Fine."
    assert lint(load_file(write_flow(with_body(body)))) == []


def test_escalate_without_contacts_or_body_warns_title_only_outcome_is_fine(
    write_flow: WriteFlow,
) -> None:
    text = MINI.replace("    body: Great.\n", "")
    assert lint(load_file(write_flow(text))) == []
    bare = text.replace("    body: We can help.\n", "")
    bare = bare[: bare.index("    contacts:")]
    found = codes(write_flow, bare)
    assert "does not say whom to ask" in found["escalate-without-contact"][0]


def test_recalled_answer_must_always_be_given_before(write_flow: WriteFlow) -> None:
    ok = MINI.replace("    body: Great.\n", "    body: You chose {answers.what}.\n")
    assert lint(load_file(write_flow(ok))) == []
    late = MINI.replace("    body: We can help.\n", "    body: About {answers.what}.\n")
    late = late.replace("start: where", "start: where")
    late = late.replace(
        "- {id: web, label: Online, to: what}", "- {id: web, label: Online, to: help}"
    )
    (finding,) = codes(write_flow, late)["recall-maybe-missing"]
    assert "can get here without answering it" in finding
    assert finding.endswith("path: where[web] → help")
    (unknown,) = codes(write_flow, ok.replace("answers.what", "answers.nope"))["unknown-recall"]
    assert "'nope' is not a question" in unknown


def test_variant_step_conditions_are_checked(write_flow: WriteFlow) -> None:
    text = MINI.replace(
        "    steps: [Open the page., Follow the email.]\n",
        "    steps:\n      - Open the page.\n      - text: Shop only.\n        when: {wher: shop}\n",
    )
    assert "unknown-when-node" in codes(write_flow, text)


def test_overridable_url_var_must_be_https(write_flow: WriteFlow) -> None:
    text = MINI.replace(
        "    default: https://example.com/support\n",
        "    default: http://example.com/support\n    overridable: true\n",
    )
    assert "must be https://" in codes(write_flow, text)["overridable-url"][0]


@settings(max_examples=300, deadline=None)
@example("Title\n=====\n")  # setext headings: h1 and h2 are not allowed
@example("Title\n---\n")
@given(st.text(alphabet=st.sampled_from(list("ab1 \n\t*_`>-=~:!()/.,'\"&;{}x\\")), max_size=80))
def test_text_the_content_check_skips_drops_nothing(text: str) -> None:
    # The content check renders only text that could lose something; for the rest, rendering
    # must indeed keep everything, or the skip would hide a loss.
    from helpflow.content import markdown_html
    from helpflow.contentlint import _MAY_DROP
    from helpflow.sanitize import dropped

    assume(not _MAY_DROP.search(text))
    assert list(dropped(markdown_html(text))) == []
