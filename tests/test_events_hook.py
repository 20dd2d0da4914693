"""`flow.on_event(callback)`: the engine tells Python UIs what readers do, as events."""

from __future__ import annotations

from helpflow.engine import CompiledFlow
from helpflow.events import Event
from helpflow.events.hook import VISIT


def test_every_operation_is_an_event(mini: CompiledFlow) -> None:
    seen: list[Event] = []
    mini.on_event(seen.append)
    token = VISIT.set("python-visit1")
    try:
        session = mini.start()
        mini.step(session)
        session = mini.choose(session, "web")
        session = mini.choose(session, "login")
        session = mini.choose(session, "not_solved")
        mini.step(session)
        session = mini.back(session)
        mini.change(session, "where", "shop")
        mini.restart(session)
    finally:
        VISIT.reset(token)
    assert [(e.type, e.node, e.choice, e.resolution) for e in seen] == [
        ("started", None, None, None),
        ("reached", "where", None, None),
        ("answered", "where", "web", None),
        ("answered", "what", "login", None),
        ("answered", "reset", "not_solved", None),
        ("reached", "help", None, "escalate"),
        ("back", None, None, None),
        ("changed", "where", "shop", None),
        ("restart", None, None, None),
    ]
    assert {(e.flow, e.version, e.visit) for e in seen} == {("mini", mini.version, "python-visit1")}
    assert all(e.at > 0 for e in seen)


def test_replaying_and_resuming_emit_nothing(mini: CompiledFlow) -> None:
    session = mini.choose(mini.start(), "web")
    token = mini.token(session)
    seen: list[Event] = []
    mini.on_event(seen.append)
    mini.resume(token)
    mini.replay(session.answers)
    assert seen == []  # rebuilding a session is not something a reader did


def test_variants_share_listeners(mini: CompiledFlow) -> None:
    seen: list[Event] = []
    mini.on_event(seen.append)
    mini.with_options(vars={"support_url": "https://example.org"}).start()
    assert [e.type for e in seen] == ["started"]
