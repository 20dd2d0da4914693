"""The static site's page plan: injective paths, a page count linear in the flow whatever its
`when` rules, and links that, with JavaScript off, reach the engine's outcome on every path."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitegen import intake_flow

from helpflow.engine import CompiledFlow, compile_flow
from helpflow.lint import lint
from helpflow.loader import load_text
from helpflow.paths import FlowPath
from helpflow_html.plan import page_path, plan_pages, size
from helpflow_html.site import ASSETS, site_files
from helpflow_html.table import flow_table

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RESERVED = {"index.html", "article.html", "sitemap.xml", ".helpflow-build", *ASSETS}
#: Ids that would collide with the site's own files or with each other once joined by `-`.
TRICKY = ["article", "index", "sitemap", "back", "helpflow", "b", "b-c", "c-d", "c", "d", "B"]
ids = st.one_of(st.sampled_from(TRICKY), st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_-]{0,6}\Z"))


def compile_yaml(text: str) -> CompiledFlow:
    loaded = load_text(text)
    assert [d for d in lint(loaded) if d.severity == "error"] == []
    return compile_flow(loaded.flow)


@st.composite
def conditions(draw: st.DrawFn, asked: dict[str, list[str]], depth: int = 2) -> Any:
    """A `when` over earlier questions, with `all`/`any`/`not`."""
    kind = draw(st.sampled_from(["answer", "all", "any", "not"] if depth else ["answer"]))
    if kind == "answer":
        node = draw(st.sampled_from(sorted(asked)))
        wanted = draw(st.lists(st.sampled_from(asked[node]), min_size=1, max_size=2, unique=True))
        return {node: wanted}
    if kind == "not":
        return {"not": draw(conditions(asked, depth - 1))}
    parts = draw(st.lists(conditions(asked, depth - 1), min_size=1, max_size=3))
    return {kind: parts}


@st.composite
def flows(draw: st.DrawFn) -> str:
    """Forward-only flows (so every node can finish) with random ids, some questions on only
    some paths, availability and destination rules over earlier questions."""
    count = draw(st.integers(min_value=3, max_value=9))
    names = draw(st.lists(ids, min_size=count, max_size=count, unique_by=str.lower))
    nodes: dict[str, Any] = {}
    asked: dict[str, list[str]] = {}
    for i, node in enumerate(names):
        later = names[i + 1 :]
        if not later or (i > 1 and draw(st.integers(0, 3)) == 0):
            nodes[node] = {"kind": "outcome", "resolution": "solved", "title": node, "body": "x"}
            continue
        opts = draw(st.lists(ids, min_size=1, max_size=3, unique_by=str.lower))
        choices = []
        for c, opt in enumerate(opts):
            to: Any = draw(st.sampled_from(later))
            if len(asked) > 0 and draw(st.booleans()):
                to = [
                    {"when": draw(conditions(asked)), "to": draw(st.sampled_from(later))},
                    {"to": to},
                ]
            choice: dict[str, Any] = {"id": opt, "label": f"{node} {opt}", "to": to}
            if c and asked and draw(st.integers(0, 3)) == 0:
                choice["when"] = draw(conditions(asked, 1))
            choices.append(choice)
        nodes[node] = {"kind": "question", "prompt": f"Question {node}?", "choices": choices}
        asked[node] = opts
    if names[-1] not in nodes:  # pragma: no cover - the last id is always an outcome
        raise AssertionError
    flow = {"helpflow": 1, "id": "gen", "title": "Gen", "start": names[0], "nodes": nodes}
    return yaml.safe_dump(flow, sort_keys=False)


def assert_paths_are_distinct(paths: list[str]) -> None:
    folded = [p.lower() for p in paths]
    assert len(set(folded)) == len(folded)  # case-insensitive file systems too
    assert not set(folded) & RESERVED
    for path in paths:
        assert PurePosixPath(path).parts[0].lower() not in RESERVED


@pytest.mark.slow  # a long property run (the full suite has it)
@SETTINGS
@given(flows(), st.sampled_from([0, 4, 1000]))
def test_no_two_planned_states_share_a_path(text: str, per_item: int) -> None:
    plan = plan_pages(flow_table(compile_yaml(text)), per_item=per_item)
    paths = [page_path(k) for k in plan.pages]
    assert_paths_are_distinct(paths)
    assert len(set(plan.pages)) == len(plan.pages)


def test_ids_joined_by_dashes_no_longer_collide() -> None:
    from helpflow_html.plan import PageKey

    one = PageKey("end", (("b-c", "d"),))
    other = PageKey("end", (("b", "c-d"),))
    assert page_path(one) != page_path(other)
    assert page_path(PageKey("article")) != "article.html"


# --- walking the built site with links only ---------------------------------------------------

ANCHOR = re.compile(r"<a\b([^>]*)>")


def links_of(html: str) -> dict[str, str]:
    found = {}
    for attrs in ANCHOR.findall(html):
        href = re.search(r'href="([^"]*)"', attrs)
        choice = re.search(r'data-choice="([^"]*)"', attrs)
        if href and choice:
            found[choice.group(1)] = href.group(1)
        elif href and "data-not-asked" in attrs:
            found[""] = href.group(1)
    return found


def follow(here: str, link: str) -> str:
    assert not link.endswith("/"), link  # explicit files: works opened from disk
    parts = list(PurePosixPath(here).parent.parts)
    for part in link.split("/"):
        if part == "..":
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def walk_site(files: dict[str, str], path: FlowPath) -> str:
    """Click through the site as a reader on `path`, answering a question asked again as they
    did before (or "I wasn't asked this"). Returns the node of the outcome page reached."""
    start = re.search(r'href="([^"]*)" data-start', files["index.html"])
    assert start is not None
    here = follow("index.html", start.group(1))
    given = 0
    latest: dict[str, str] = {}
    for _ in range(200):
        html = files[here]
        node = re.search(r'<h1 data-node="([^"]*)"', html)
        assert node is not None, here
        if "data-outcome=" in html:
            assert given == len(path.answers)
            return node.group(1)
        links = links_of(html)
        if "data-asked-again" in html:
            choice = latest.get(node.group(1), "")
        else:
            answer = path.answers[given]
            assert node.group(1) == answer.node, here
            choice, given = answer.choice, given + 1
            latest[answer.node] = choice
        assert choice in links, (here, choice, links)
        here = follow(here, links[choice])
    raise AssertionError("no outcome after 200 pages")


def assert_site_reaches_engine_outcomes(flow: CompiledFlow, per_item: int) -> None:
    from unittest import mock

    with mock.patch("helpflow_html.plan.PAGES_PER_ITEM", per_item):
        files, _ = site_files(flow)
    for path in flow.paths(limit=300):
        assert walk_site(files, path) == path.end


@pytest.mark.slow  # a long property run; the intake flows below check it fast
@SETTINGS
@given(flows(), st.sampled_from([0, 1000]))
def test_links_alone_reach_the_engine_outcome_on_every_path(text: str, per_item: int) -> None:
    assert_site_reaches_engine_outcomes(compile_yaml(text), per_item)


@pytest.mark.parametrize("questions", [3, 5, 7])
def test_intake_flows_reach_the_engine_outcome(questions: int) -> None:
    assert_site_reaches_engine_outcomes(compile_yaml(intake_flow(questions)), 4)


@pytest.mark.parametrize("questions", [2, 5, 7, 12, 20])
@pytest.mark.parametrize("choices", [2, 3, 5])
def test_page_count_grows_linearly_with_the_flow(questions: int, choices: int) -> None:
    table = flow_table(compile_yaml(intake_flow(questions, choices=choices)))
    assert len(plan_pages(table).pages) <= 4 * size(table)


@pytest.mark.slow  # a long property run; the intake flows below check it fast
@SETTINGS
@given(flows(), st.sampled_from([0, 4]))
def test_page_count_of_random_flows_is_linear(text: str, per_item: int) -> None:
    table = flow_table(compile_yaml(text))
    assert len(plan_pages(table, per_item=per_item).pages) <= 4 * size(table)


def test_long_chains_of_carried_answers_ask_again_instead() -> None:
    # Twelve one-option questions feeding one rule: carrying would not multiply pages, but
    # twelve answers in a page path would near the file system's limit.
    table = flow_table(compile_yaml(intake_flow(12, choices=1)))
    plan = plan_pages(table)
    assert plan.asks_again
    assert max(len(page_path(k)) for k in plan.pages) < 255
