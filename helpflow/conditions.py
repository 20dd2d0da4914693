"""`when` conditions compiled to small predicates over the answers so far.

The grammar is data (node id → choice id(s); all/any/not), so a flow can never run code.
Compiling once per flow keeps evaluation to a few dict look-ups per step.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from helpflow.model import AllOf, AnyOf, NotOf, When

#: Latest answer per node id.
Answers = Mapping[str, str]
Predicate = Callable[[Answers], bool]


def always(_answers: Answers) -> bool:
    return True


def compile_when(condition: When | None) -> Predicate:
    if condition is None:
        return always
    if isinstance(condition, AllOf):
        parts = [compile_when(c) for c in condition.all]
        return lambda answers: all(p(answers) for p in parts)
    if isinstance(condition, AnyOf):
        parts = [compile_when(c) for c in condition.any]
        return lambda answers: any(p(answers) for p in parts)
    if isinstance(condition, NotOf):
        inner = compile_when(condition.not_)
        return lambda answers: not inner(answers)
    wanted = {
        node: frozenset((choice,) if isinstance(choice, str) else choice)
        for node, choice in condition.items()
    }
    return lambda answers: all(answers.get(node) in ok for node, ok in wanted.items())
