from __future__ import annotations

from pathlib import Path

import pytest

from helpflow import _yamlsrc
from helpflow.errors import FlowFileError
from helpflow.lint import lint
from helpflow.loader import load_file, load_text
from helpflow.model import FixNode, OutcomeNode

from support import BUNDLED, WriteFlow

VALID = """
helpflow: 1
id: tiny
title: Tiny
start: fix
nodes:
  fix:
    kind: fix
    title: Turn it off and on
    next: end
  end:
    kind: outcome
    resolution: solved
    title: Done
    body: Good.
"""


def test_uses_libyaml_when_present() -> None:
    assert _yamlsrc.HAVE_LIBYAML


def test_valid_flow_loads_into_typed_models(write_flow: WriteFlow) -> None:
    loaded = load_file(write_flow(VALID))
    assert isinstance(loaded.flow.nodes["fix"], FixNode)
    assert isinstance(loaded.flow.nodes["end"], OutcomeNode)
    assert loaded.flow.nodes["fix"].next == "end"


def test_models_are_immutable(write_flow: WriteFlow) -> None:
    loaded = load_file(write_flow(VALID))
    with pytest.raises(Exception, match="frozen"):
        loaded.flow.nodes["fix"].title = "changed"  # type: ignore[misc]


def test_files_over_the_size_limit_are_refused_before_parsing(write_flow: WriteFlow) -> None:
    path = write_flow(VALID + "#" * 2000)
    with pytest.raises(
        FlowFileError, match=r"flow.yaml:1:1: error: file is [\d,]+ bytes; the limit is 1,000"
    ):
        load_file(path, max_bytes=1000)


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for i in range(1, 12):
        bomb += (
            f"{'b' * i}: &{'b' * i} ["
            + ",".join([f"*{'b' * (i - 1) if i > 1 else 'a'}"] * 9)
            + "]\n"
        )
    with pytest.raises(FlowFileError, match="aliases are not allowed"):
        load_text(bomb)


def test_missing_file_is_a_flow_error(tmp_path: Path) -> None:
    with pytest.raises(FlowFileError, match="cannot read file"):
        load_file(tmp_path / "nope.yaml")


def test_every_problem_of_a_file_is_reported_at_once(write_flow: WriteFlow) -> None:
    text = VALID.replace("title: Turn it off and on", "titel: x").replace("body: Good.", "bodyy: x")
    with pytest.raises(FlowFileError) as info:
        load_file(write_flow(text))
    messages = [d.message for d in info.value.diagnostics]
    assert len(messages) == 3, messages  # missing title, unknown titel, unknown bodyy


def test_includes_merge_nodes_and_vars_and_keep_their_positions(write_flow: WriteFlow) -> None:
    write_flow(
        """
        helpflow: 1
        vars:
          url: {default: "https://example.com"}
        nodes:
          end:
            kind: outcome
            resolution: escalate
            title: Call us
            contacts:
              - name: Support
                url: "{url}"
        """,
        name="parts/end.yaml",
    )
    main = write_flow(
        VALID.split("  end:")[0].replace("nodes:", "include: [parts/end.yaml]\nnodes:")
    )
    loaded = load_file(main)
    assert set(loaded.flow.nodes) == {"fix", "end"}
    assert "url" in loaded.flow.vars
    path, line, col = loaded.sources.locate(("nodes", "end", "contacts", 0, "url"))
    assert path.endswith("parts/end.yaml")
    assert (line, col) == (11, 14)


def test_lint_findings_in_included_files_point_into_them(write_flow: WriteFlow) -> None:
    write_flow(
        """
        helpflow: 1
        nodes:
          end:
            kind: fix
            title: Oops
            body: Goes nowhere.
            next: edn
        """,
        name="more.yaml",
    )
    main = write_flow(VALID.split("  end:")[0].replace("nodes:", "include: [more.yaml]\nnodes:"))
    findings = [d for d in lint(load_file(main)) if d.code == "unknown-target"]
    assert len(findings) == 1
    assert findings[0].path.endswith("more.yaml")
    assert findings[0].line == 7


def test_load_text_reports_string_path() -> None:
    with pytest.raises(FlowFileError, match="<string>:2:1: error: YAML syntax"):
        load_text("[1, 2")


def test_bundled_flow_loads_with_its_include() -> None:
    loaded = load_file(BUNDLED)
    assert loaded.sources.nodes["contact_isp"].path.endswith("contacts.yaml")
