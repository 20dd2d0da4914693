"""The one place that talks to `transitions`.

One `Machine(model=None, auto_transitions=False)` per flow version, with a single `choose`
event and one conditioned transition per (choice, rule). Sessions are never added to the
machine (`add_model` keeps every model alive and costs 30-290 KB each); instead the shared
event is triggered on a throwaway cursor object, the pattern from pytransitions/transitions#269.
`Event.trigger(model, ...)` is not a typed public API, hence the pinned version in
pyproject.toml and this adapter.

`transition_table()` reads the machine back into plain dicts, once per flow version, for the
paths that run per request or per page (servers, the static build): a look-up and a predicate
instead of `trigger`'s event machinery. It is derived from the machine, never from the flow, so
the two cannot drift; tests/test_engine.py walks every path of every test flow through both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from transitions import EventData, Machine

from helpflow.conditions import Predicate
from helpflow.model import When

EVENT = "choose"


@dataclass(frozen=True)
class Arc:
    """One transition: from `source`, on `choice`, if `holds`, go to `dest`. `when` is the
    condition as data, carried for clients that evaluate it themselves (the widget)."""

    source: str
    choice: str
    dest: str
    holds: Predicate
    when: When | None = None


#: One way a choice can go: (condition, destination, the condition as data).
Route = tuple[Predicate, str, "When | None"]
#: Per state, per choice: the routes in the order the machine tries them.
Table = dict[str, dict[str, tuple[Route, ...]]]


class _Cursor:
    """What the machine moves: current state plus the answers conditions look at."""

    __slots__ = ("answers", "state")

    def __init__(self, state: str, answers: Mapping[str, str]) -> None:
        self.state = state
        self.answers = answers


class _Condition:
    """A transition's condition; it keeps its choice and predicate readable, so the table can
    be derived from the machine itself."""

    __slots__ = ("choice", "holds", "when")

    def __init__(self, choice: str, holds: Predicate, when: When | None) -> None:
        self.choice = choice
        self.holds = holds
        self.when = when

    def __call__(self, event: EventData) -> bool:
        cursor = cast(_Cursor, event.model)
        (chosen,) = cast(tuple[str], event.args)
        return chosen == self.choice and self.holds(cursor.answers)


def _condition(arc: Arc) -> Callable[[EventData], bool]:
    return _Condition(arc.choice, arc.holds, arc.when)


class StateMachine:
    def __init__(self, states: Iterable[str], initial: str, arcs: Iterable[Arc]) -> None:
        self._machine = Machine(
            model=None,
            states=list(states),
            initial=initial,
            auto_transitions=False,
            send_event=True,
        )
        arcs = iter(arcs)
        first = next(arcs, None)
        if first is not None:
            # The public call creates the event; the rest are appended to it directly, which
            # does exactly what add_transition does for a model-less machine with no
            # machine-wide callbacks, at 60% of the cost (it matters at 30,000 transitions).
            self._machine.add_transition(
                EVENT, first.source, first.dest, conditions=[_condition(first)]
            )
        self._event = self._machine.events.get(EVENT)
        make = self._machine.transition_cls
        for arc in arcs:
            assert self._event is not None
            # The bundled stubs type `conditions` as one Condition; the runtime takes a list.
            conditions: Any = [_condition(arc)]
            self._event.add_transition(make(arc.source, arc.dest, conditions=conditions))

    def __contains__(self, state: str) -> bool:
        return state in self._machine.states

    def advance(self, state: str, answers: Mapping[str, str], choice: str) -> str | None:
        """The state `choice` leads to from `state`, or None if no transition fires."""
        if self._event is None or not self._event.transitions.get(state):
            return None
        cursor = _Cursor(state, answers)
        if not self._event.trigger(cursor, choice):
            return None
        return cursor.state

    def transition_table(self) -> Table:
        """Every transition of the machine, grouped by state and choice, in trigger order."""
        table: dict[str, dict[str, list[Route]]] = {}
        if self._event is None:
            return {}
        for source, transitions in self._event.transitions.items():
            by_choice = table.setdefault(source, {})
            for transition in transitions:
                (condition,) = transition.conditions
                check = cast(_Condition, condition.func)
                dest = cast(str, transition.dest)  # every arc names its destination
                by_choice.setdefault(check.choice, []).append((check.holds, dest, check.when))
        return {
            source: {choice: tuple(routes) for choice, routes in by_choice.items()}
            for source, by_choice in table.items()
        }


def follow(table: Table, state: str, answers: Mapping[str, str], choice: str) -> str | None:
    """What `StateMachine.advance` returns, read from its `transition_table()`."""
    for holds, dest, _ in table.get(state, {}).get(choice, ()):
        if holds(answers):
            return dest
    return None
