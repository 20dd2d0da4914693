from __future__ import annotations

from typing import Any

import pytest

from helpflow._machine import StateMachine
from helpflow.content import Prose
from helpflow.engine import CompiledFlow
from helpflow.errors import (
    FinishedError,
    NotAnsweredError,
    TokenError,
    UnavailableChoiceError,
    UnknownChoiceError,
)
from helpflow.session import Answer, Session

from support import assert_table_agrees_with_machine, walk


def test_start_is_at_the_start_node_with_no_answers(mini: CompiledFlow) -> None:
    session = mini.start()
    assert session.node == "where"
    assert session.answers == ()
    assert session.flow_id == "mini"
    assert session.version == mini.version


def test_choose_follows_the_choice_and_records_the_answer(mini: CompiledFlow) -> None:
    session = walk(mini, "web", "login")
    assert session.node == "reset"
    assert session.answers == (Answer("where", "web"), Answer("what", "login"))


def test_rules_route_by_an_earlier_answer(mini: CompiledFlow) -> None:
    assert walk(mini, "shop", "login", "not_solved").node == "shop_help"
    assert walk(mini, "web", "login", "not_solved").node == "help"


def test_when_hides_a_choice_until_its_condition_holds(mini: CompiledFlow) -> None:
    assert mini.available(walk(mini, "web")) == ("login", "other")
    assert mini.available(walk(mini, "shop")) == ("login", "other", "shop_only")


def test_unknown_choice_raises_and_changes_nothing(mini: CompiledFlow) -> None:
    session = walk(mini, "web")
    with pytest.raises(UnknownChoiceError, match=r"no choice 'logn' \(did you mean 'login'\?\)"):
        mini.choose(session, "logn")
    assert session == walk(mini, "web")


def test_unavailable_choice_raises_and_changes_nothing(mini: CompiledFlow) -> None:
    session = walk(mini, "web")
    with pytest.raises(UnavailableChoiceError, match="not available"):
        mini.choose(session, "shop_only")
    assert session.node == "what"
    assert len(session.answers) == 1


def test_choosing_at_an_outcome_raises(mini: CompiledFlow) -> None:
    with pytest.raises(FinishedError):
        mini.choose(walk(mini, "web", "other"), "anything")


def test_fix_offers_solved_and_not_solved(mini: CompiledFlow) -> None:
    assert mini.available(walk(mini, "web", "login")) == ("solved", "not_solved")


def test_back_undoes_the_last_choice(mini: CompiledFlow) -> None:
    session = walk(mini, "web", "login")
    assert mini.back(session) == walk(mini, "web")
    assert mini.back(mini.back(session)) == mini.start()


def test_back_at_the_start_raises(mini: CompiledFlow) -> None:
    with pytest.raises(NotAnsweredError):
        mini.back(mini.start())


def test_restart_goes_to_the_start(mini: CompiledFlow) -> None:
    assert mini.restart(walk(mini, "web", "login")) == mini.start()


def test_change_keeps_later_answers_still_on_the_path(mini: CompiledFlow) -> None:
    session = walk(mini, "web", "login", "not_solved")
    result = mini.change(session, "where", "shop")
    assert result.dropped == ()
    assert result.session.node == "shop_help"
    assert [a.choice for a in result.session.answers] == ["shop", "login", "not_solved"]


def test_change_drops_answers_that_no_longer_fit_and_says_which(mini: CompiledFlow) -> None:
    session = walk(mini, "shop", "shop_only")
    result = mini.change(session, "where", "web")
    assert result.dropped == (Answer("what", "shop_only"),)
    assert result.diverged_at == "what"
    assert result.session.node == "what"


def test_change_of_a_node_not_answered_raises(mini: CompiledFlow) -> None:
    with pytest.raises(NotAnsweredError):
        mini.change(walk(mini, "web"), "reset", "solved")


def test_change_to_an_unknown_choice_raises(mini: CompiledFlow) -> None:
    session = walk(mini, "web", "login")
    with pytest.raises(UnknownChoiceError):
        mini.change(session, "where", "nowhere")


def test_review_lists_questions_and_labels(mini: CompiledFlow) -> None:
    review = mini.review(walk(mini, "web", "login"))
    assert [(r.node_id, r.question, r.label) for r in review] == [
        ("where", "Where did you buy it?", "Online"),
        ("what", "What is wrong?", "Cannot log in"),
    ]


def test_outcome_and_finished(mini: CompiledFlow) -> None:
    assert mini.outcome(walk(mini, "web", "login")) is None
    done = walk(mini, "web", "login", "solved")
    assert mini.is_finished(done)
    assert mini.outcome(done) == "solved"


def test_session_from_another_flow_or_version_is_refused(mini: CompiledFlow) -> None:
    with pytest.raises(TokenError, match="flow 'other'"):
        mini.step(Session("other", mini.version, "where"))
    with pytest.raises(TokenError, match="version"):
        mini.choose(Session("mini", "000000000000", "where"), "web")
    with pytest.raises(TokenError, match="not a node"):
        mini.step(Session("mini", mini.version, "nowhere"))


def test_replay_is_keyed_by_node(mini: CompiledFlow) -> None:
    # Answers in another order still land where the reader was: each applies at its node.
    replay = mini.replay([Answer("what", "login"), Answer("where", "web")])
    assert replay.session.node == "reset"
    assert replay.dropped == ()


def test_paths_cover_every_allowed_route(mini: CompiledFlow) -> None:
    routes = {(*tuple(a.choice for a in p.answers), p.end) for p in mini.paths()}
    assert routes == {
        ("shop", "login", "solved", "done"),
        ("shop", "login", "not_solved", "shop_help"),
        ("shop", "other", "help"),
        ("shop", "shop_only", "help"),
        ("web", "login", "solved", "done"),
        ("web", "login", "not_solved", "help"),
        ("web", "other", "help"),
    }


def test_the_compiled_machine_has_no_auto_transitions(mini: CompiledFlow) -> None:
    machine = mini.core.machine._machine
    assert set(machine.events) == {"choose"}


def test_markdown_is_rendered_once_per_node_not_per_step(
    mini: CompiledFlow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from helpflow import content

    calls: list[str] = []
    real = content.render

    def render(source: str) -> Prose:
        calls.append(source)
        return real(source)

    monkeypatch.setattr(content, "render", render)
    fresh = mini.with_options()
    for _ in range(3):
        fresh.step(walk(fresh, "web", "other"))
    assert calls.count("We can help.") == 1
    fresh.prerender()
    assert calls.count("Great.") == 1


# --- issue 10: the hot path reads a table derived from the machine --------------------------


def test_table_and_machine_agree_on_every_path(mini: CompiledFlow, bundled: CompiledFlow) -> None:
    for flow in (mini, bundled):
        assert assert_table_agrees_with_machine(flow) > len(flow.paths())


def test_advance_refuses_what_choose_refuses(mini: CompiledFlow) -> None:
    for step in (mini.choose, mini.advance):
        with pytest.raises(UnknownChoiceError):
            step(walk(mini, "web"), "logn")
        with pytest.raises(UnavailableChoiceError):
            step(walk(mini, "web"), "shop_only")
        with pytest.raises(FinishedError):
            step(walk(mini, "web", "other"), "x")


def _machine_forbidden(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def refuse(*args: object) -> None:
        calls.append("machine")
        raise AssertionError("the state machine ran")

    monkeypatch.setattr(StateMachine, "advance", refuse)
    return calls


def test_a_signed_token_of_this_version_is_trusted_without_replay(
    mini: CompiledFlow, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed = mini.with_options(secret=b"k")
    session = walk(signed, "shop", "login", "not_solved")
    token = signed.token(session)
    calls = _machine_forbidden(monkeypatch)
    assert signed.resume(token).session == session
    back = signed.back(session)
    assert back == Session("mini", mini.version, "reset", session.answers[:2])
    assert signed.advance(back, "not_solved") == session
    assert signed.asked(session, "what").node == "what"
    assert calls == []
    # An unsigned token could have been written by anyone: it is checked by a replay.
    with pytest.raises(AssertionError, match="state machine ran"):
        mini.resume(mini.token(session))


def test_the_step_token_is_made_only_when_read(
    mini: CompiledFlow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from helpflow import tokens

    made: list[str] = []
    real = tokens.encode

    def encode(*args: Any, **kwargs: Any) -> str:
        made.append("token")
        return real(*args, **kwargs)

    monkeypatch.setattr(tokens, "encode", encode)
    session = walk(mini, "web", "login")
    step = mini.step(session)
    assert made == []
    assert mini.resume(step.token).session == session
    assert step.token == step.token
    assert made == ["token"]


def test_sessions_share_answer_objects(mini: CompiledFlow) -> None:
    one, two = walk(mini, "web", "login"), walk(mini, "web", "login")
    assert all(a is b for a, b in zip(one.answers, two.answers, strict=True))


def test_the_widget_table_routes_are_the_machines(bundled: CompiledFlow) -> None:
    from helpflow_html.table import condition_data, flow_table

    table = flow_table(bundled)
    machine = bundled.core.machine.transition_table()
    for node_id, node in table["nodes"].items():
        for choice in node["choices"]:
            routes = machine[node_id][choice["id"]]
            assert choice["to"] == [{"when": condition_data(w), "to": d} for _, d, w in routes]
    when_rules = [c for n in table["nodes"].values() for c in n["choices"] if len(c["to"]) > 1]
    assert when_rules  # the bundled flow routes by earlier answers somewhere


def test_prerender_for_servers_builds_the_older_token_tables(mini: CompiledFlow) -> None:
    fresh = mini.with_options()
    fresh.prerender()
    assert fresh.core._by_hash is None  # a static build has no use for them
    fresh.prerender(tokens=True)
    assert fresh.core._by_hash is not None
    assert len(fresh.core._by_hash) == sum(len(o) for o in mini.core.options.values())
