"""Property tests: random valid flows behave, random broken input only ever raises
`HelpflowError`."""

from __future__ import annotations

import contextlib
from collections import deque
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpflow.engine import CompiledFlow, compile_flow
from helpflow.errors import FlowFileError, TokenError
from helpflow.lint import lint
from helpflow.loader import load_text
from helpflow.session import Session

from support import assert_table_agrees_with_machine

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def valid_flows(draw: st.DrawFn) -> dict[str, Any]:
    """Random flows with no lint errors: nodes only point forward (so every node can finish)
    and `when` looks only at earlier questions (so it is answered or simply false)."""
    size = draw(st.integers(min_value=2, max_value=12))
    ids = [f"n{i}" for i in range(size)]
    nodes: dict[str, Any] = {}
    choice_ids: dict[str, list[str]] = {}
    for i, node_id in enumerate(ids):
        later = ids[i + 1 :]
        if not later or (i > 0 and draw(st.booleans()) and draw(st.booleans())):
            nodes[node_id] = {
                "kind": "outcome",
                "resolution": draw(st.sampled_from(["solved", "escalate", "external"])),
                "title": f"End {i}",
                "body": "Done.",
            }
            continue
        earlier = [n for n in ids[:i] if n in choice_ids]

        def condition(earlier: list[str] = earlier) -> dict[str, Any]:
            asked = draw(st.sampled_from(earlier))
            return {asked: draw(st.sampled_from(choice_ids[asked]))}

        def target(later: list[str] = later, earlier: list[str] = earlier) -> Any:
            plain = draw(st.sampled_from(later))
            if not earlier or draw(st.booleans()):
                return plain
            return [{"when": condition(), "to": draw(st.sampled_from(later))}, {"to": plain}]

        if draw(st.booleans()):
            count = draw(st.integers(min_value=1, max_value=4))
            choices = []
            for c in range(count):
                choice: dict[str, Any] = {"id": f"c{c}", "label": f"Choice {c}", "to": target()}
                if c > 0 and earlier and draw(st.booleans()):
                    choice["when"] = condition()
                choices.append(choice)
            nodes[node_id] = {"kind": "question", "prompt": f"Question {i}?", "choices": choices}
            choice_ids[node_id] = [c["id"] for c in choices]
        else:
            nodes[node_id] = {
                "kind": "fix",
                "title": f"Fix {i}",
                "steps": ["Do it."],
                "solved": target(),
                "not_solved": target(),
            }
            choice_ids[node_id] = ["solved", "not_solved"]
    return {"helpflow": 1, "id": "random", "title": "Random", "start": "n0", "nodes": nodes}


def compiled(data: dict[str, Any]) -> CompiledFlow:
    loaded = load_text(yaml.safe_dump(data, sort_keys=False))
    assert not [d.format() for d in lint(loaded) if d.severity == "error"]
    return compile_flow(loaded.flow)


def reachable_sessions(flow: CompiledFlow) -> list[Session]:
    found, queue = [], deque([flow.start()])
    while queue:
        session = queue.popleft()
        found.append(session)
        for choice in flow.available(session) if not flow.is_finished(session) else ():
            queue.append(flow.choose(session, choice))
    return found


@SETTINGS
@given(valid_flows())
def test_every_reachable_node_is_on_some_path(data: dict[str, Any]) -> None:
    flow = compiled(data)
    reachable = {s.node for s in reachable_sessions(flow)}
    on_paths = {flow.flow.start}
    for path in flow.paths():
        on_paths.update(a.node for a in path.answers)
        on_paths.add(path.end)
    assert on_paths == reachable


@SETTINGS
@given(valid_flows())
def test_the_derived_table_agrees_with_the_machine(data: dict[str, Any]) -> None:
    assert_table_agrees_with_machine(compiled(data))


@SETTINGS
@given(valid_flows(), st.data())
def test_tokens_round_trip_and_back_undoes_choose(
    data: dict[str, Any], pick: st.DataObject
) -> None:
    flow = compiled(data)
    session = flow.start()
    while not flow.is_finished(session):
        available = flow.available(session)
        if not available:
            break
        nxt = flow.choose(session, pick.draw(st.sampled_from(available)))
        assert flow.back(nxt) == session
        assert flow.resume(flow.token(nxt)).session == nxt
        signed = flow.with_options(secret=b"k")
        assert signed.resume(signed.token(nxt)).session == nxt
        session = nxt


@SETTINGS
@given(valid_flows(), st.data())
def test_changing_an_answer_to_itself_keeps_everything(
    data: dict[str, Any], pick: st.DataObject
) -> None:
    flow = compiled(data)
    sessions = reachable_sessions(flow)
    session = pick.draw(st.sampled_from(sessions))
    if not session.answers:
        return
    answer = pick.draw(st.sampled_from(session.answers))
    result = flow.change(session, answer.node, answer.choice)
    assert result.session == session
    assert result.dropped == ()


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=25,
)


def only_helpflow_errors(text: str) -> None:
    refused: FlowFileError | None
    try:
        loaded = load_text(text)
    except FlowFileError as exc:
        refused = exc
    else:
        refused = None
    if refused is not None:
        assert refused.diagnostics
        assert all(d.line >= 1 and d.col >= 1 for d in refused.diagnostics)
        return
    findings = lint(loaded)
    if any(d.severity == "error" for d in findings):
        return
    flow = compile_flow(loaded.flow)
    for session in reachable_sessions(flow)[:50]:
        flow.step(session)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_random_text_only_raises_helpflow_errors(text: str) -> None:
    only_helpflow_errors(text)


@pytest.mark.slow  # a long property run (the full suite has it)
@settings(max_examples=200, deadline=None)
@given(json_like)
def test_random_structures_only_raise_helpflow_errors(data: Any) -> None:
    only_helpflow_errors(yaml.safe_dump(data))


def _mutate(data: Any, path: list[Any], value: Any) -> Any:
    if not path:
        return value
    head, *rest = path
    if isinstance(data, dict) and data:
        key = sorted(data)[head % len(data)]
        return {**data, key: _mutate(data[key], rest, value)}
    if isinstance(data, list) and data:
        index = head % len(data)
        return [*data[:index], _mutate(data[index], rest, value), *data[index + 1 :]]
    return value


@pytest.mark.slow  # a long property run (the full suite has it)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_flows(), st.lists(st.integers(min_value=0, max_value=50), max_size=6), json_like)
def test_broken_variants_of_valid_flows_only_raise_helpflow_errors(
    data: dict[str, Any], path: list[int], value: Any
) -> None:
    only_helpflow_errors(yaml.safe_dump(_mutate(data, path, value), sort_keys=False))


@pytest.mark.slow  # a long property run (the full suite has it)
@settings(max_examples=100, deadline=None)
@given(valid_flows(), st.text(max_size=80))
def test_garbage_tokens_only_raise_token_errors(data: dict[str, Any], token: str) -> None:
    flow = compiled(data)
    for bound in (flow, flow.with_options(secret=b"k")):
        with contextlib.suppress(TokenError):
            bound.resume(token)


@pytest.mark.slow  # a long property run (the full suite has it)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_flows(), st.integers(min_value=0), st.text(max_size=5))
def test_corrupted_yaml_text_only_raises_helpflow_errors(
    data: dict[str, Any], where: int, junk: str
) -> None:
    text = yaml.safe_dump(data, sort_keys=False)
    at = where % (len(text) + 1)
    only_helpflow_errors(text[:at] + junk + text[at + len(junk) :])
