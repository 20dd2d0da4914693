from __future__ import annotations

from collections.abc import Callable

import pytest

from helpflow.engine import CompiledFlow
from helpflow.errors import TokenError

from support import MINI, walk


def test_token_round_trips(mini: CompiledFlow) -> None:
    session = walk(mini, "shop", "login", "not_solved")
    resumed = mini.resume(mini.token(session))
    assert resumed.session == session
    assert not resumed.version_changed
    assert resumed.dropped == 0


def test_token_is_url_safe(mini: CompiledFlow) -> None:
    token = mini.token(walk(mini, "shop", "login"))
    assert all(c.isalnum() or c in "-_." for c in token)


def test_signed_token_round_trips_and_refuses_tampering(mini: CompiledFlow) -> None:
    signed = mini.with_options(secret=b"s3cret")
    session = walk(signed, "web", "login")
    token = signed.token(session)
    assert signed.resume(token).session == session
    body, payload, mac = token.split(".")
    tampered = f"{body}.{payload[:-1]}{'A' if payload[-1] != 'A' else 'B'}.{mac}"
    with pytest.raises(TokenError, match="signature"):
        signed.resume(tampered)
    with pytest.raises(TokenError, match="not signed"):
        signed.resume(mini.token(session))
    with pytest.raises(TokenError, match="signature"):
        signed.with_options(secret=b"other").resume(token)


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "x",
        "mini",
        "mini.",
        "mini.!!!",
        "mini.AAAA",
        "../../etc.AAAAAAAAAAA",
        "a.b.c.d",
        "mini.AQ",
    ],
)
def test_garbage_tokens_give_a_clear_error(mini: CompiledFlow, garbage: str) -> None:
    with pytest.raises(TokenError, match="session token"):
        mini.resume(garbage)


def test_token_for_another_flow_is_refused(mini: CompiledFlow) -> None:
    token = mini.token(mini.start()).replace("mini.", "other.", 1)
    with pytest.raises(TokenError, match="for flow 'other'"):
        mini.resume(token)


def test_forged_answers_for_the_same_version_are_refused(mini: CompiledFlow) -> None:
    import base64

    token = mini.token(walk(mini, "web"))
    flow_id, payload = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    raw[-1] ^= 0xFF
    forged = f"{flow_id}.{base64.urlsafe_b64encode(bytes(raw)).rstrip(b'=').decode()}"
    with pytest.raises(TokenError, match="does not fit"):
        mini.resume(forged)


def test_old_version_token_replays_and_reports_divergence(
    mini: CompiledFlow, compile_text: Callable[[str], CompiledFlow]
) -> None:
    token = mini.token(walk(mini, "web", "login", "not_solved"))
    # Version 2 renames the `login` choice: answers after it no longer fit.
    changed = compile_text(MINI.replace("id: login", "id: sign_in"))
    resumed = changed.resume(token)
    assert resumed.version_changed
    assert resumed.diverged_at == "what"
    assert resumed.dropped == 2
    assert resumed.session.node == "what"
    assert [a.choice for a in resumed.session.answers] == ["web"]


def test_old_version_token_that_still_fits_replays_fully(
    mini: CompiledFlow, compile_text: Callable[[str], CompiledFlow]
) -> None:
    token = mini.token(walk(mini, "web", "login"))
    reworded = compile_text(MINI.replace("Reset your password", "Reset the password"))
    assert reworded.version != mini.version
    resumed = reworded.resume(token)
    assert resumed.version_changed
    assert resumed.diverged_at is None
    assert resumed.session.node == "reset"


def test_ten_answers_fit_in_200_bytes(compile_text: Callable[[str], CompiledFlow]) -> None:
    def question(i: int) -> str:
        target = f"question_number_{i + 1}" if i < 9 else "the_end"
        return (
            f"  question_number_{i}:\n    kind: question\n    prompt: Q{i}\n    choices:\n"
            f"      - {{id: a_fairly_long_choice_id_{i}, label: A, to: {target}}}"
        )

    nodes = "\n".join(question(i) for i in range(10))
    text = f"""
helpflow: 1
id: a-rather-long-flow-identifier
title: Long
start: question_number_0
nodes:
{nodes}
  the_end:
    kind: outcome
    resolution: solved
    title: End
    body: Done.
"""
    flow = compile_text(text).with_options(secret=b"k")
    session = flow.start()
    for i in range(10):
        session = flow.choose(session, f"a_fairly_long_choice_id_{i}")
    assert len(session.answers) == 10
    token = flow.token(session)
    assert len(token.encode()) <= 200, token
    assert flow.resume(token).session == session
