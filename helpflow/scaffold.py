"""`helpflow new ID`: a small working flow that teaches the format, and its scenario file."""

from __future__ import annotations

import re
from pathlib import Path

from helpflow.errors import HelpflowError
from helpflow.model import ID_MAX_LENGTH, ID_PATTERN

FLOW = """\
# yaml-language-server: $schema={schema}
#
# A new helpflow flow. Check it with `helpflow validate --strict {name}.yaml`, walk it with
# `helpflow run {name}.yaml`, see it in a browser with `helpflow preview {name}.yaml`.
# The format is described in docs/flow-format.md.

# The format version; always 1 for now.
helpflow: 1
# The id appears in URLs and tokens: letters, digits, '-' and '_'.
id: {id}
# Text is Markdown. A var's name in braces, like the product in this title, is filled in
# from `vars` below.
title: Fix the problem with your {{product}}
intro: |
  A sentence or two that tells the reader what this guide helps with.
# The first node the reader sees.
start: what_happens

vars:                # values a site embedding the flow may override
  product:
    default: device
    description: What the reader is fixing, as it reads in a sentence.
  support_url:
    default: https://example.com/support
    description: Where readers reach support when nothing else works.

nodes:
  # A question: the reader picks one choice; `to` names the node it leads to.
  what_happens:
    kind: question
    prompt: What happens when you turn on your {{product}}?
    choices:
      - id: nothing            # choice ids show up in `helpflow step --go` and in scenarios
        label: Nothing at all
        to: check_power
      - id: error
        label: It shows an error
        to: contact_support

  # A fix: instructions, then "did that work?": `solved` and `not_solved` say where each
  # answer leads (or `next:` for a fix without the question).
  check_power:
    kind: fix
    title: Check the power
    steps:
      - Make sure the cable is plugged in at both ends.
      - Hold the power button for **ten seconds**.
    solved: fixed
    not_solved: contact_support

  # Outcomes end the flow; `resolution` is solved, escalate or external.
  fixed:
    kind: outcome
    resolution: solved
    title: Your {{product}} is working again
    body: Glad that sorted it. You can close this guide.

  contact_support:
    kind: outcome
    resolution: escalate
    title: Contact support
    body: We'll take it from here.
    contacts:
      - name: Support team
        url: "{{support_url}}"
"""

SCENARIOS = """\
# yaml-language-server: $schema={schema}
#
# Scenario tests for {name}.yaml: answers in, where they must lead out.
# Run them with `helpflow test {name}.yaml` (or plain `pytest` in this folder).
scenarios:
  - name: a device that comes back after a power check is fixed
    answers: [nothing, solved]
    expect: {{node: fixed, resolution: solved, shows: working again}}
"""


def new_flow(flow_id: str, folder: str | Path = ".", *, schema_dir: str = "") -> list[Path]:
    """Write `ID.yaml` and `ID.tests.yaml` in `folder`; refuse to overwrite either."""
    if not re.match(ID_PATTERN, flow_id) or len(flow_id) > ID_MAX_LENGTH:
        raise HelpflowError(
            f"{flow_id!r} is not a valid flow id: use letters, digits, '-' and '_', "
            "starting with a letter or digit (at most 64)"
        )
    folder = Path(folder)
    flow_path = folder / f"{flow_id}.yaml"
    tests_path = folder / f"{flow_id}.tests.yaml"
    for path in (flow_path, tests_path):
        if path.exists():
            raise HelpflowError(f"{path} already exists; not overwriting it")
    prefix = f"{schema_dir.rstrip('/')}/" if schema_dir else ""
    texts = {
        flow_path: FLOW.format(id=flow_id, name=flow_id, schema=f"{prefix}helpflow.schema.json"),
        tests_path: SCENARIOS.format(
            name=flow_id, schema=f"{prefix}helpflow-scenarios.schema.json"
        ),
    }
    for path, text in texts.items():
        try:
            # "x": a file that appeared since the check above is still not overwritten.
            with open(path, "x", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            raise HelpflowError(f"cannot write {path}: {exc.strerror}") from None
    return list(texts)
