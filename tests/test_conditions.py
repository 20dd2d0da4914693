"""The `when` grammar: its one Python home (`helpflow.conditions`) against an independent
reading of the written form, against itself in normal form (full and partial evaluation), and
against its JavaScript twin (`engine.js`) in Chromium, on generated conditions that nest
`all`, `any` and `not`; and a flow that uses `any:` and `not:` everywhere a `when` may stand.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

import helpflow
from helpflow.conditions import (
    Answered,
    compile_when,
    nodes_in,
    normal_form,
    referenced_answers,
    settle,
)
from helpflow.model import When

ROOT = Path(__file__).resolve().parent.parent
ENGINE_JS = ROOT / "renderers" / "helpflow_html" / "static" / "engine.js"
ANY_NOT = Path(__file__).parent / "flows" / "any-not.yaml"
WHEN = TypeAdapter(When)

NODES = ("a", "b", "c")
CHOICES = ("x", "y", "z")


# --- generated conditions, in the form an author writes them ------------------------------------


def _leaf(draw_node: Any, draw_choices: Any) -> dict[str, Any]:
    return {node: draw_choices() for node in draw_node()}


@st.composite
def written(draw: st.DrawFn, depth: int = 3) -> Any:
    """A condition as YAML would give it: mappings, `all`, `any`, `not`, nested."""
    kinds = ["answer"] + (["all", "any", "not"] if depth > 0 else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "answer":
        nodes = draw(st.lists(st.sampled_from(NODES), min_size=1, max_size=2, unique=True))
        one_or_many = st.one_of(
            st.sampled_from(CHOICES),
            st.lists(st.sampled_from(CHOICES), min_size=1, max_size=2, unique=True),
        )
        return {node: draw(one_or_many) for node in nodes}
    if kind == "not":
        return {"not": draw(written(depth - 1))}
    return {kind: draw(st.lists(written(depth - 1), min_size=1, max_size=3))}


answers_st = st.dictionaries(st.sampled_from(NODES), st.sampled_from(CHOICES))


def oracle(cond: Any, answers: dict[str, str]) -> bool:
    """The grammar as the flow format documents it, read straight from the written form."""
    if "all" in cond and len(cond) == 1 and isinstance(cond["all"], list):
        return all(oracle(c, answers) for c in cond["all"])
    if "any" in cond and len(cond) == 1 and isinstance(cond["any"], list):
        return any(oracle(c, answers) for c in cond["any"])
    if "not" in cond and len(cond) == 1 and isinstance(cond["not"], dict):
        return not oracle(cond["not"], answers)
    return all(
        answers.get(node) in ([wanted] if isinstance(wanted, str) else wanted)
        for node, wanted in cond.items()
    )


@settings(max_examples=300, deadline=None)
@given(written(), answers_st)
def test_every_reading_agrees_with_the_written_grammar(cond: Any, answers: dict[str, str]) -> None:
    parsed = WHEN.validate_python(cond)
    expected = oracle(cond, answers)
    assert compile_when(parsed)(answers) is expected
    assert settle(normal_form(parsed), Answered(answers)) is expected


@settings(max_examples=300, deadline=None)
@given(written(), answers_st, st.sets(st.sampled_from(NODES)))
def test_partial_evaluation_then_the_rest_is_full_evaluation(
    cond: Any, answers: dict[str, str], first: set[str]
) -> None:
    """What the static site does: decide some nodes at build time, the rest later."""
    data = normal_form(WHEN.validate_python(cond))
    full = Answered(answers)
    early = {node: full[node] for node in first}
    left = settle(data, early)
    assert settle(left, full) is oracle(cond, answers)
    if not isinstance(left, bool):
        assert set(nodes_in(left)) <= set(NODES) - first


@settings(max_examples=200, deadline=None)
@given(written())
def test_references_name_every_node_the_condition_reads(cond: Any) -> None:
    parsed = WHEN.validate_python(cond)
    referenced = {node for node, _ in referenced_answers(parsed)}
    assert referenced == set(nodes_in(normal_form(parsed)))
    assert referenced == set(_written_nodes(cond))


def _written_nodes(cond: Any) -> list[str]:
    if set(cond) in ({"all"}, {"any"}) and isinstance(next(iter(cond.values())), list):
        return [n for part in next(iter(cond.values())) for n in _written_nodes(part)]
    if set(cond) == {"not"} and isinstance(cond["not"], dict):
        return _written_nodes(cond["not"])
    return list(cond)


# --- the JavaScript twin ---------------------------------------------------------------------


def _seeded_cases(count: int, seed: int) -> list[tuple[Any, dict[str, str]]]:
    """Conditions and answers from a fixed seed (hypothesis cannot drive a browser page)."""
    rng = random.Random(seed)

    def condition(depth: int) -> Any:
        kind = rng.choice(["answer"] + (["all", "any", "not"] if depth else []))
        if kind == "answer":
            return _leaf(
                lambda: rng.sample(NODES, rng.randint(1, 2)),
                lambda: (
                    rng.choice(CHOICES)
                    if rng.random() < 0.5
                    else rng.sample(CHOICES, rng.randint(1, 2))
                ),
            )
        if kind == "not":
            return {"not": condition(depth - 1)}
        return {kind: [condition(depth - 1) for _ in range(rng.randint(1, 3))]}

    cases = []
    for _ in range(count):
        answered = rng.sample(NODES, rng.randint(0, len(NODES)))
        cases.append((condition(3), {node: rng.choice(CHOICES) for node in answered}))
    return cases


def test_the_seeded_cases_cover_all_any_and_not() -> None:
    text = json.dumps([c for c, _ in _seeded_cases(400, seed=11)])
    assert all(f'"{word}"' in text for word in ("all", "any", "not"))


def test_the_javascript_evaluator_agrees_on_generated_conditions(page: Any) -> None:
    cases = _seeded_cases(400, seed=11)
    data = [[normal_form(WHEN.validate_python(c)), list(a.items())] for c, a in cases]
    results = page.evaluate(
        """([source, cases]) => {
             const engine = new Function(source + "; return hfEngine;")()({nodes: {}});
             return cases.map(([cond, given]) => engine.holds(cond, new Map(given)));
           }""",
        [ENGINE_JS.read_text(encoding="utf-8"), data],
    )
    expected = [compile_when(WHEN.validate_python(c))(a) for c, a in cases]
    assert sum(expected) not in (0, len(expected))  # both outcomes are exercised
    mismatches = [
        (c, a) for (c, a), js, py in zip(cases, results, expected, strict=True) if js is not py
    ]
    assert not mismatches, f"engine.js disagrees on {len(mismatches)} cases, e.g. {mismatches[0]}"


# --- a flow that uses any: and not: ----------------------------------------------------------


@pytest.fixture(scope="module")
def any_not() -> helpflow.CompiledFlow:
    return helpflow.load(ANY_NOT, strict=True)


def _walk(flow: helpflow.CompiledFlow, *choices: str) -> helpflow.Session:
    session = flow.start(record=False)
    for choice in choices:
        session = flow.choose(session, choice, record=False)
    return session


@pytest.mark.parametrize(
    ("answers", "offered"),
    [
        (("phone", "free"), ("stuck", "missing")),  # slow: any(paid, not phone/tablet) fails
        (("phone", "paid"), ("stuck", "missing", "slow")),
        (("laptop", "free"), ("stuck", "slow")),  # missing: not (laptop and free)
        (("laptop", "paid"), ("stuck", "missing", "slow")),
        (("tablet", "free"), ("stuck", "missing")),
    ],
)
def test_choices_offered_under_any_and_not(
    any_not: helpflow.CompiledFlow, answers: tuple[str, ...], offered: tuple[str, ...]
) -> None:
    step = any_not.step(_walk(any_not, *answers))
    assert tuple(c.id for c in step.choices) == offered


@pytest.mark.parametrize(
    ("answers", "end"),
    [
        (("phone", "free", "stuck"), "restart"),  # any: the first branch
        (("tablet", "paid", "stuck"), "restart"),  # any: the all() branch
        (("tablet", "free", "stuck"), "reinstall"),  # neither
        (("phone", "paid", "slow"), "priority"),  # not(any(free, laptop))
        (("laptop", "paid", "slow"), "reinstall"),
        (("phone", "paid", "missing", "not_solved"), "priority"),  # not free
        (("phone", "free", "missing", "not_solved"), "forum"),
    ],
)
def test_targets_under_any_and_not(
    any_not: helpflow.CompiledFlow, answers: tuple[str, ...], end: str
) -> None:
    assert _walk(any_not, *answers).node == end
    # The table the server and the widget read agrees with the machine.
    session = any_not.start(record=False)
    for choice in answers:
        session = any_not.advance(session, choice)
    assert session.node == end


def test_steps_under_any_and_not(any_not: helpflow.CompiledFlow) -> None:
    def steps(*answers: str) -> list[str]:
        return [s.text for s in any_not.step(_walk(any_not, *answers)).steps]

    phone = ["Close the app.", "Hold the power button until the phone restarts."]
    assert steps("phone", "free", "stuck") == phone
    assert steps("tablet", "paid", "stuck") == phone
    assert steps("laptop", "paid", "missing") == [
        "Close the app.",
        "Restart the laptop from the menu.",
    ]
