"""The `when` grammar, in one place: every reading of a condition goes through `fold`.

The grammar is data (node id → choice id(s); all/any/not), so a flow can never run code. Here
it is compiled to small predicates over the answers so far (the engine: a few dict look-ups per
step), written in its normal form (the transition table the widget reads, whose JavaScript
evaluator is this module's tested twin), partially evaluated on that form (the static site,
which decides at build time what it can), described in words (the article) and searched for
the questions it looks at (lint, content).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from helpflow.model import AllOf, AnyOf, NotOf, When

#: Latest answer per node id.
Answers = Mapping[str, str]
Predicate = Callable[[Answers], bool]
T = TypeVar("T")


#: The leaf of the grammar: node id → the choices one of which it must have been answered
#: with; every node of the mapping must match.
Leaf = dict[str, tuple[str, ...]]


def fold(
    condition: When,
    *,
    answered: Callable[[Leaf], T],
    all_of: Callable[[list[T]], T],
    any_of: Callable[[list[T]], T],
    not_of: Callable[[T], T],
) -> T:
    """`condition` read bottom-up: `answered(leaf)` for each mapping of node → choices,
    combined with `all_of`, `any_of` and `not_of` as written."""

    def read(part: When) -> T:
        if isinstance(part, AllOf):
            return all_of([read(c) for c in part.all])
        if isinstance(part, AnyOf):
            return any_of([read(c) for c in part.any])
        if isinstance(part, NotOf):
            return not_of(read(part.not_))
        return answered(
            {
                node: (wanted,) if isinstance(wanted, str) else tuple(wanted)
                for node, wanted in part.items()
            }
        )

    return read(condition)


def always(_answers: Answers) -> bool:
    return True


def _answered(leaf: Leaf) -> Predicate:
    wanted = {node: frozenset(choices) for node, choices in leaf.items()}
    return lambda answers: all(answers.get(node) in ok for node, ok in wanted.items())


def _all(parts: list[Predicate]) -> Predicate:
    return lambda answers: all(p(answers) for p in parts)


def _any(parts: list[Predicate]) -> Predicate:
    return lambda answers: any(p(answers) for p in parts)


def _not(inner: Predicate) -> Predicate:
    return lambda answers: not inner(answers)


def compile_when(condition: When | None) -> Predicate:
    """A predicate over the latest answers; `always` for no condition."""
    if condition is None:
        return always
    return fold(condition, answered=_answered, all_of=_all, any_of=_any, not_of=_not)


def referenced_answers(condition: When | None) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Every (node id, choice ids) a condition looks at, in reading order."""
    if condition is None:
        return iter(())
    found: list[tuple[str, tuple[str, ...]]] = fold(
        condition,
        answered=lambda leaf: list(leaf.items()),
        all_of=_concat,
        any_of=_concat,
        not_of=lambda inner: inner,
    )
    return iter(found)


def _concat(parts: list[list[T]]) -> list[T]:
    return [item for part in parts for item in part]


# --- the normal form ------------------------------------------------------------------------

#: A condition in normal form (`{"all": [...]}`, `{"any": [...]}`, `{"not": c}`,
#: `{"answer": {node: [choice, ...]}}`), or a settled truth value.
Cond = Any


def normal_form(condition: When | None) -> Cond:
    """A condition as JSON data for clients that evaluate it themselves (the widget's table),
    None for no condition."""
    if condition is None:
        return None
    return fold(
        condition, answered=_leaf_data, all_of=_all_data, any_of=_any_data, not_of=_not_data
    )


def _leaf_data(leaf: Leaf) -> dict[str, Any]:
    return {"answer": {node: list(choices) for node, choices in leaf.items()}}


def _all_data(parts: list[dict[str, Any]]) -> dict[str, Any]:
    return {"all": parts}


def _any_data(parts: list[dict[str, Any]]) -> dict[str, Any]:
    return {"any": parts}


def _not_data(inner: dict[str, Any]) -> dict[str, Any]:
    return {"not": inner}


#: node id → its latest choice, or None for "never answered"; absent nodes are undecided.
Decided = Mapping[str, "str | None"]


def settle(cond: Cond, decided: Decided) -> Cond:
    """`cond` (normal form) with the decided nodes filled in: True, False, or what is left to
    decide. With every node decided (see `Answered`) this is full evaluation."""
    if cond is None or cond is True or cond is False:
        return True if cond is None else cond
    if "all" in cond:
        return _join(cond["all"], decided, "all", stop=False)
    if "any" in cond:
        return _join(cond["any"], decided, "any", stop=True)
    if "not" in cond:
        inner = settle(cond["not"], decided)
        return (not inner) if isinstance(inner, bool) else {"not": inner}
    left = {}
    for node, wanted in cond["answer"].items():
        if node in decided:
            if decided[node] not in wanted:
                return False
        else:
            left[node] = wanted
    return {"answer": left} if left else True


def _join(parts: Sequence[Cond], decided: Decided, key: str, *, stop: bool) -> Cond:
    left = []
    for part in parts:
        value = settle(part, decided)
        if value is stop:
            return stop
        if value is not (not stop):
            left.append(value)
    if not left:
        return not stop
    return left[0] if len(left) == 1 else {key: left}


def nodes_in(cond: Cond) -> Iterator[str]:
    """The nodes a normal-form condition looks at, in reading order."""
    if cond is None or isinstance(cond, bool):
        return
    for key in ("all", "any"):
        if key in cond:
            for part in cond[key]:
                yield from nodes_in(part)
            return
    if "not" in cond:
        yield from nodes_in(cond["not"])
        return
    yield from cond["answer"]


class Answered(dict[str, "str | None"]):
    """Answers where every other node counts as never answered: full evaluation."""

    def __contains__(self, key: object) -> bool:
        return True

    def __missing__(self, key: str) -> None:
        return None


def freeze(cond: Cond) -> Any:
    """A hashable spelling of a normal-form condition, so equal leftovers can be shared."""
    if isinstance(cond, dict):
        return tuple((k, freeze(v)) for k, v in cond.items())
    if isinstance(cond, (list, tuple)):
        return tuple(freeze(v) for v in cond)
    return cond
