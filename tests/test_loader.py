from __future__ import annotations

import os
import sys
from pathlib import Path
from types import FrameType
from typing import Any

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
    node = load_file(write_flow(VALID)).flow.nodes["fix"]
    assert isinstance(node, FixNode)
    with pytest.raises(Exception, match="frozen"):
        node.title = "changed"


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


# --- issue 9: hostile YAML and includes ---------------------------------------------------------


def test_every_anchor_is_refused_from_the_events_even_unused() -> None:
    with pytest.raises(FlowFileError) as info:
        load_text(VALID.replace("kind: fix", "kind: &k fix"))
    [found] = info.value.diagnostics
    assert (found.line, found.col, found.code) == (8, 11, "yaml-alias")


def test_flow_style_alias_bomb_is_refused_without_expanding() -> None:
    # The anchor written right after a quoted key's colon slipped past the old text pattern.
    levels = ['"a0":&a0 ["x","x","x","x","x","x","x","x","x"]']
    levels += [f'"a{i}":&a{i} [' + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 30)]
    with pytest.raises(FlowFileError, match="aliases are not allowed") as info:
        load_text("{" + ",".join(levels) + "}")
    assert len(info.value.diagnostics) == 59  # each anchor and each alias once


def test_an_alias_of_no_anchor_is_called_an_alias() -> None:
    with pytest.raises(
        FlowFileError, match=r"1:6: error: YAML anchors and aliases are not allowed"
    ):
        load_text("a: [ *nothing ]")


def test_nul_is_reported_where_it_is() -> None:
    text = VALID.replace("title: Done", "title: Déjà\x00vu")
    with pytest.raises(FlowFileError, match=r"<string>:14:16: error: YAML syntax: U\+0000"):
        load_text(text)


def _main_with(include: str) -> str:
    return VALID.split("  end:")[0].replace("nodes:", f"include: [{include!r}]\nnodes:")


END = "helpflow: 1\nnodes:\n  end: {kind: outcome, resolution: solved, title: Done, body: x}\n"


def test_a_symlink_leaving_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text(END)
    (tmp_path / "flow").mkdir()
    (tmp_path / "flow" / "end.yaml").symlink_to(outside)
    (tmp_path / "flow" / "main.yaml").write_text(_main_with("end.yaml"))
    with pytest.raises(FlowFileError, match="links to a file outside the flow's folder"):
        load_file(tmp_path / "flow" / "main.yaml")


def test_a_symlink_inside_the_folder_is_followed(tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_text(END)
    (tmp_path / "end.yaml").symlink_to(tmp_path / "real.yaml")
    (tmp_path / "main.yaml").write_text(_main_with("end.yaml"))
    assert "end" in load_file(tmp_path / "main.yaml").flow.nodes


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_fifo_or_device_is_refused_without_reading_it(tmp_path: Path, kind: str) -> None:
    # Opening a FIFO blocks until a writer comes; /dev/zero never ends. Neither is opened.
    if kind == "fifo":
        os.mkfifo(tmp_path / "end.yaml")
    else:
        (tmp_path / "end.yaml").symlink_to("/dev/zero")  # refused before its kind is asked
    (tmp_path / "main.yaml").write_text(_main_with("end.yaml"))
    expected = "is a FIFO" if kind == "fifo" else "outside the flow's folder"
    with pytest.raises(FlowFileError, match=expected):
        load_file(tmp_path / "main.yaml")


@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
def test_a_main_file_that_is_no_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "flow.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    expected = {
        "fifo": r"is a FIFO \(named pipe\)",
        "device": "is a device",
        "directory": "is a directory",
    }[kind]
    with pytest.raises(FlowFileError, match=rf"flow.yaml:1:1: error: {expected}, not a flow file"):
        load_file(path)


def test_each_file_is_included_once(tmp_path: Path) -> None:
    (tmp_path / "end.yaml").write_text(END)
    (tmp_path / "main.yaml").write_text(
        VALID.split("  end:")[0].replace("nodes:", "include: [end.yaml, ./end.yaml]\nnodes:")
    )
    with pytest.raises(FlowFileError) as info:
        load_file(tmp_path / "main.yaml")
    [found] = info.value.diagnostics
    assert found.message == "'./end.yaml' is already part of this flow; include a file once"


def test_the_size_limit_covers_the_flow_and_its_includes_together(tmp_path: Path) -> None:
    (tmp_path / "end.yaml").write_text(END + "#" * 300 + "\n")
    main = _main_with("end.yaml")
    (tmp_path / "main.yaml").write_text(main)
    limit = len(main.encode()) + 300  # each file fits alone, both do not
    with pytest.raises(FlowFileError, match="for the flow and its includes together"):
        load_file(tmp_path / "main.yaml", max_bytes=limit)


def test_a_foreign_file_is_not_quoted(tmp_path: Path) -> None:
    (tmp_path / "notes.yaml").write_text("password: hunter2\npassword: again\n2024: token\n")
    (tmp_path / "main.yaml").write_text(_main_with("notes.yaml"))
    with pytest.raises(FlowFileError) as info:
        load_file(tmp_path / "main.yaml")
    text = str(info.value)
    assert "notes.yaml:1:1: error: an included file must be a mapping with 'helpflow: 1'" in text
    assert "hunter2" not in text
    assert "password" not in text
    assert "token" not in text


def test_keys_quoted_from_a_flow_file_are_short_and_clean(write_flow: WriteFlow) -> None:
    key = "\\x1b[31m" + "k" * 500  # a YAML escape: the file holds the ESC character
    with pytest.raises(FlowFileError) as info:
        load_file(write_flow(VALID.replace("title: Done", f'title: Done\n    "{key}": 1')))
    [found] = [d for d in info.value.diagnostics if d.code == "unknown-key"]
    assert found.message == "node 'end': unknown key '" + "k" * 39 + "…'"


# --- issue 9 item 11: error reporting in linear time -------------------------------------------


def _many_errors(n: int) -> str:
    """A flow with about 5*n small errors of the common kinds, spread over the file."""
    lines = ["helpflow: 1", "id: big", "title: Big", "start: n0"]
    lines += [f"unknown{i}: x" for i in range(n)]  # top-level unknown keys
    lines.append("nodes:")
    for i in range(n):
        lines += [
            f"  n{i}:",
            "    kind: question",
            f"    prompt: {'yes' if i % 2 else 'P'}",  # a boolean where text is expected
            f"    bogus{i}: 1",
            "    choices: []",  # empty
            "    help: a\n    help: b",  # duplicate key
        ]
    return "\n".join(lines) + "\n"


def _lines_run(text: str) -> int:
    """Python lines executed to load `text` and report its errors: a measure of work that,
    unlike time, does not depend on the machine."""
    count = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        with pytest.raises(FlowFileError) as info:
            load_text(text)
    finally:
        sys.settrace(None)
    assert len(info.value.diagnostics) == 201  # 200 shown and one saying how many more
    return count


def test_error_reporting_work_grows_linearly() -> None:
    small, big = _lines_run(_many_errors(400)), _lines_run(_many_errors(1600))
    # 4x the errors: linear work is ~4x; the old look-ups per error made it ~16x.
    assert big / small < 5, (small, big)
