from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import subprocess
import sys
from collections.abc import Callable, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpflow import tokens
from helpflow.engine import CompiledFlow, compile_flow
from helpflow.errors import AnswerError, TokenError
from helpflow.loader import load_text
from helpflow.session import Answer

from support import MINI, WriteFlow, walk


def test_token_round_trips(mini: CompiledFlow) -> None:
    session = walk(mini, "shop", "login", "not_solved")
    resumed = mini.resume(mini.token(session))
    assert resumed.session == session
    assert not resumed.version_changed
    assert resumed.lost == 0


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
    # Version 2 renames the `login` choice: that answer no longer fits. The answer at `reset`
    # still names a node and choice of version 2, so it waits there for the reader.
    changed = compile_text(MINI.replace("id: login", "id: sign_in"))
    resumed = changed.resume(token)
    assert resumed.version_changed
    assert resumed.diverged_at == "what"
    assert resumed.lost == 1
    assert resumed.session.node == "what"
    assert [a.choice for a in resumed.session.answers] == ["web"]
    assert resumed.session.pending == (Answer("reset", "not_solved"),)
    assert changed.choose(resumed.session, "sign_in").node == "help"


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


# --- issue 9: every decoding error is a TokenError; one spelling per token ------------------


@pytest.mark.parametrize(
    "bad",
    [
        "mini.é." + "A" * 22,  # raised UnicodeEncodeError while checking the signature
        "mini.AQ.é",
        "mïni.AQ",
        "mini.é",
        "mini.\uff21\uff31",  # fullwidth letters
        "mini\n.AQ",
        " mini.AQ",
        "mini.AQ\n",
        "mini.AQ==",
        "mini.AQ.x\x00",
    ],
)
def test_any_text_is_a_token_error_never_a_crash(mini: CompiledFlow, bad: str) -> None:
    signed = mini.with_options(secret=b"s3cret")
    for flow in (mini, signed):
        with pytest.raises(TokenError, match="session token"):
            flow.resume(bad)


def _spellings(text: str) -> set[str]:
    """Every base64url text that decodes to the same bytes as `text`: the same text with other
    trailing bits in its last character."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

    def raw(t: str) -> bytes:
        return base64.urlsafe_b64decode(t + "=" * (-len(t) % 4))

    return {text[:-1] + c for c in alphabet if raw(text[:-1] + c) == raw(text)}


def test_a_signed_token_has_exactly_one_accepted_spelling(mini: CompiledFlow) -> None:
    signed = mini.with_options(secret=b"s3cret")
    token = signed.token(walk(signed, "web", "login"))
    flow_id, payload, mac = token.split(".")
    variants = {f"{flow_id}.{payload}.{m}" for m in _spellings(mac)}
    variants |= {f"{flow_id}.{p}.{mac}" for p in _spellings(payload)}
    variants |= {
        token + "=",
        token + "==",
        f"{flow_id}.{payload}=.{mac}",
        f" {token}",
        token + "\n",
    }
    assert len(variants) > 16  # 16 for the MAC alone (its last character carries 2 spare bits)
    accepted = set()
    for variant in variants:
        with contextlib.suppress(TokenError):
            signed.resume(variant)
            accepted.add(variant)
    assert accepted == {token}


def test_the_cli_reports_a_bad_token_in_one_line(
    write_flow: WriteFlow, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_flow(MINI)
    env = {**os.environ, "HELPFLOW_SECRET": "s3cret", "PYTHONIOENCODING": "utf-8"}
    for token in ("mini.é." + "A" * 22, "mïni.AQ", "mini.AQ=="):
        result = subprocess.run(
            [sys.executable, "-m", "helpflow", "step", str(path), "--token", token],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert result.returncode == 1, result.stderr
        assert result.stderr.startswith("helpflow: error: session token"), result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.count("\n") == 1


# --- issue 9: two answers at one node are never confused -----------------------------------


def _colliding_ids() -> tuple[str, str]:
    """Two ordinary choice ids whose format 1 (16-bit) hashes at node `pick` are equal."""
    seen: dict[bytes, str] = {}
    for number in range(100_000):
        choice = f"option_{number}"
        digest = tokens.legacy_answer_hash("pick", choice)
        if digest in seen:
            return seen[digest], choice
        seen[digest] = choice
    raise AssertionError("no collision found")  # pragma: no cover


def _pick_flow(choices: Sequence[str]) -> str:
    lines = [
        "helpflow: 1",
        "id: picks",
        "title: Picks",
        "start: pick",
        "nodes:",
        "  pick:",
        "    kind: question",
        "    prompt: Which one?",
        "    choices:",
    ]
    lines += [f'      - {{id: "{c}", label: L{i}, to: end_{i}}}' for i, c in enumerate(choices)]
    for i in range(len(choices)):
        lines += [
            f"  end_{i}:",
            "    kind: outcome",
            "    resolution: solved",
            f"    title: End {i}",
            "    body: Done.",
        ]
    return "\n".join(lines) + "\n"


def _legacy_token(flow: CompiledFlow, answers: Sequence[Answer]) -> str:
    """A format 1 token, as the previous release wrote it."""
    payload = bytes([1]) + bytes.fromhex(flow.version[:12])
    payload += b"".join(tokens.legacy_answer_hash(a.node, a.choice) for a in answers)
    return f"{flow.id}.{base64.urlsafe_b64encode(payload).rstrip(b'=').decode()}"


def test_colliding_choice_ids_resume_to_their_own_branch(
    compile_text: Callable[[str], CompiledFlow],
) -> None:
    first, second = _colliding_ids()
    flow = compile_text(_pick_flow([first, second]))
    for signed in (flow, flow.with_options(secret=b"k")):
        for choice, end in ((first, "end_0"), (second, "end_1")):
            session = signed.choose(signed.start(), choice)
            assert session.node == end
            assert signed.resume(signed.token(session)).session == session


def test_a_format_1_token_still_resumes_and_is_never_guessed(
    compile_text: Callable[[str], CompiledFlow],
) -> None:
    first, second = _colliding_ids()
    plain = compile_text(_pick_flow(["other", first]))
    session = plain.choose(plain.start(), first)
    resumed = plain.resume(_legacy_token(plain, session.answers))
    assert resumed.session == session
    assert (resumed.version_changed, resumed.lost) == (False, 0)
    # Both colliding ids at one node: the old hash cannot tell them apart, so the answer is
    # reported as not kept rather than sent down either branch.
    clash = compile_text(_pick_flow([first, second]))
    resumed = clash.resume(_legacy_token(clash, clash.choose(clash.start(), second).answers))
    assert resumed.session.node == "pick"
    assert (resumed.diverged_at, resumed.lost) == ("pick", 1)


CHOICE_IDS = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CHOICE_IDS, min_size=1, max_size=8, unique=True))
def test_every_choice_resumes_to_itself_whatever_its_id(choices: list[str]) -> None:
    flow = compile_flow(load_text(_pick_flow(choices)).flow)
    reworded = compile_flow(load_text(_pick_flow(choices).replace("Which one?", "Which?")).flow)
    assert reworded.version != flow.version
    for bound in (flow, flow.with_options(secret=b"k")):
        for i, choice in enumerate(choices):
            session = bound.choose(bound.start(), choice)
            token = bound.token(session)
            assert bound.resume(token).session == session
            assert session.node == f"end_{i}"
            # Another version finds each answer by its ids' hash, never by position.
            moved = reworded.with_options(secret=bound.secret).resume(token)
            assert moved.version_changed
            assert [a.choice for a in moved.session.answers] == [choice]
            assert moved.session.node == f"end_{i}"


# --- issue 9: replay keyed by node --------------------------------------------------------


INSERTED = MINI.replace(
    "      - {id: shop, label: In a shop, to: what}\n      - {id: web, label: Online, to: what}",
    "      - {id: shop, label: In a shop, to: what}\n      - {id: web, label: Online, to: model}",
).replace(
    "  what:\n",
    "  model:\n    kind: question\n    prompt: Which model?\n    choices:\n"
    "      - {id: m1, label: M1, to: what}\n      - {id: m2, label: M2, to: what}\n  what:\n",
)


def test_a_question_inserted_before_later_answers_keeps_them(
    mini: CompiledFlow, compile_text: Callable[[str], CompiledFlow]
) -> None:
    token = mini.token(walk(mini, "web", "login", "not_solved"))
    inserted = compile_text(INSERTED)
    for flow in (inserted, inserted.with_options(secret=b"k")):
        resumed = flow.resume(token if flow.secret is None else _resigned(token, b"k"))
        assert resumed.version_changed
        assert (resumed.diverged_at, resumed.lost) == (None, 0)
        assert resumed.session.node == "model"
        assert resumed.session.pending == (Answer("what", "login"), Answer("reset", "not_solved"))
        # The pending answers survive a round trip through this version's token...
        again = flow.resume(flow.token(resumed.session))
        assert again.session == resumed.session
        # ...and apply as soon as the reader answers the new question.
        for step in (flow.choose, flow.advance):
            done = step(again.session, "m2")
            assert done.node == "help"
            assert [a.choice for a in done.answers] == ["web", "m2", "login", "not_solved"]
            assert done.pending == ()


def _resigned(token: str, secret: bytes) -> str:
    body = token.rsplit(".", 1)[0] if token.count(".") == 2 else token
    mac = hmac.new(secret, body.encode(), hashlib.sha256).digest()[:16]
    return f"{body}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


# --- issue 9: bounded work ------------------------------------------------------------------


def test_answers_per_token_are_capped(compile_text: Callable[[str], CompiledFlow]) -> None:
    loop = compile_text(
        MINI.replace(
            "      - {id: other, label: Something else, to: help}",
            "      - {id: other, label: Something else, to: help}\n"
            "      - {id: again, label: Again, to: what}",
        )
    )
    session = walk(loop, "web")
    for _ in range(tokens.MAX_ANSWERS - 1):
        session = loop.choose(session, "again")
    assert len(session.answers) == tokens.MAX_ANSWERS
    assert loop.resume(loop.token(session)).session == session
    with pytest.raises(AnswerError, match=f"at most {tokens.MAX_ANSWERS} answers"):
        loop.choose(session, "again")
    one = tokens.entry(0, 1, tokens.answer_hash("where", "web"), loop.compiled.codes.widths)
    forged = _payload_token(loop, b"\x11\x01\x00\x01" + one * (tokens.MAX_ANSWERS + 1))
    with pytest.raises(TokenError, match="too many answers"):
        loop.resume(forged)


def _payload_token(flow: CompiledFlow, rest: bytes) -> str:
    payload = bytes([2]) + bytes.fromhex(flow.version) + rest
    return f"{flow.id}.{base64.urlsafe_b64encode(payload).rstrip(b'=').decode()}"


def test_an_answer_is_written_one_way(mini: CompiledFlow) -> None:
    assert mini.compiled.codes.widths == (1, 1)
    web = tokens.answer_hash("where", "web")
    good = _payload_token(mini, b"\x11\x01\x00\x01" + tokens.entry(0, 1, web, (1, 1)))
    assert mini.resume(good).session == walk(mini, "web")
    # The same answer with wider numbers, or another choice's position: refused.
    for rest in (
        b"\x21\x00\x01\x00\x01" + tokens.entry(0, 1, web, (2, 1)),
        b"\x11\x01\x00\x01" + tokens.entry(0, 0, web, (1, 1)),
    ):
        with pytest.raises(TokenError, match="does not fit"):
            mini.resume(_payload_token(mini, rest))


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0), st.characters(), st.booleans())
def test_a_changed_character_is_refused_or_harmless(where: int, char: str, sign: bool) -> None:
    flow = compile_flow(load_text(MINI).flow).with_options(secret=b"k" if sign else None)
    session = walk(flow, "shop", "login", "not_solved")
    token = flow.token(session)
    at = where % len(token)
    changed = token[:at] + char + token[at + 1 :]
    try:
        resumed = flow.resume(changed)
    except TokenError:
        return
    if sign:  # one spelling: only the token itself is accepted
        assert changed == token
        assert resumed.session == session
    else:  # unsigned tokens are replayed: whatever is accepted is a session the engine allows
        flow.step(resumed.session)
