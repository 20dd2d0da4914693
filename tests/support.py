"""Helpers shared by the tests (kept out of conftest.py so tests can import them)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from helpflow._machine import follow
from helpflow.engine import CompiledFlow
from helpflow.paths import FlowPath
from helpflow.session import Session

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "flows" / "account-login.yaml"

WriteFlow = Callable[..., Path]


def walk(flow: CompiledFlow, *choices: str) -> Session:
    """The session after making `choices` in order from the start."""
    session = flow.start()
    for choice in choices:
        session = flow.choose(session, choice)
    return session


def covering_paths(flow: CompiledFlow) -> list[FlowPath]:
    """Few paths that together give every answer and reach every end (greedy, in the flow's
    path order): the paths whose steps are kept as golden files. The rest differ only in
    which of those steps they combine; every path is still checked against the schema."""
    paths = flow.paths()

    def reaches(path: FlowPath) -> set[tuple[str, str]]:
        return {(a.node, a.choice) for a in path.answers} | {(path.end, "")}

    wanted = set().union(*map(reaches, paths))
    chosen: list[FlowPath] = []
    covered: set[tuple[str, str]] = set()
    while covered != wanted:
        best = max(paths, key=lambda p: len(reaches(p) - covered))  # the first of the best
        chosen.append(best)
        covered |= reaches(best)
    return [p for p in paths if p in chosen]


MINI = """
helpflow: 1
id: mini
title: Mini
start: where
vars:
  support_url:
    default: https://example.com/support
nodes:
  where:
    kind: question
    prompt: Where did you buy it?
    choices:
      - {id: shop, label: In a shop, to: what}
      - {id: web, label: Online, to: what}
  what:
    kind: question
    prompt: What is wrong?
    choices:
      - {id: login, label: Cannot log in, to: reset}
      - {id: other, label: Something else, to: help}
      - id: shop_only
        label: Shop voucher
        when: {where: shop}
        to: help
  reset:
    kind: fix
    title: Reset your password
    steps: [Open the page., Follow the email.]
    solved: done
    not_solved:
      - when: {where: shop}
        to: shop_help
      - to: help
  done:
    kind: outcome
    resolution: solved
    title: Done
    body: Great.
  help:
    kind: outcome
    resolution: escalate
    title: Contact us
    body: We can help.
    contacts:
      - name: Support
        url: "{support_url}"
  shop_help:
    kind: outcome
    resolution: escalate
    title: Contact the shop
    body: The shop can help.
    contacts:
      - name: The shop
        note: Ask at the desk.
"""


def assert_table_agrees_with_machine(flow: CompiledFlow) -> int:
    """Walk every path; at every step, every choice of the node (offered or not) must lead the
    same way through the machine and through the derived table. Returns the checks made."""
    checks = 0
    for path in flow.paths():
        session = flow.start()
        for answer in (*path.answers, None):
            latest = session.latest()
            for choice in flow.core.options[session.node]:
                by_machine = flow.core.machine.advance(session.node, latest, choice)
                assert follow(flow.core.table, session.node, latest, choice) == by_machine
                checks += 1
            for choice in flow.available(session):
                assert flow.advance(session, choice) == flow.choose(session, choice)
            if answer is not None:
                session = flow.choose(session, answer.choice)
    return checks
