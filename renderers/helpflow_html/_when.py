"""Partial evaluation of `when` conditions in the transition table's normal form.

The static site decides at build time what it can (answers a page carries, questions that
cannot have been asked yet) and leaves the rest to questions asked again in the page chain.
So it needs a condition with some answers filled in: still a condition, or already True/False.
Full evaluation is the special case where every node it looks at is decided.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

#: A condition in `helpflow_html.table.condition_data` form, or a settled truth value.
Cond = Any

#: node id → its latest choice, or None for "never answered"; absent nodes are undecided.
Decided = Mapping[str, "str | None"]


def settle(cond: Cond, decided: Decided) -> Cond:
    """`cond` with the decided nodes filled in: True, False, or what is left to decide."""
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


def _join(parts: list[Cond], decided: Decided, key: str, *, stop: bool) -> Cond:
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
    """The nodes a condition looks at, in reading order (the order they are asked again)."""
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


def freeze(cond: Cond) -> Any:
    """A hashable spelling of a condition, so equal leftovers share one page."""
    if isinstance(cond, dict):
        return tuple((k, freeze(v)) for k, v in cond.items())
    if isinstance(cond, (list, tuple)):
        return tuple(freeze(v) for v in cond)
    return cond


class Answered(dict[str, "str | None"]):
    """Answers where every other node counts as never answered: full evaluation."""

    def __contains__(self, key: object) -> bool:
        return True

    def __missing__(self, key: str) -> None:
        return None
