"""Help centres: `helpflow build FOLDER` makes one site of every flow, and rebuilds only what
changed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from sitegen import intake_flow

from helpflow.cli import main
from helpflow.errors import FlowFileError, HelpflowError
from helpflow_html.centre import MANIFEST, build_centre

from support import BUNDLED


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    flows = tmp_path / "flows"
    shutil.copytree(BUNDLED.parent, flows)
    (flows / "intake.yaml").write_text(intake_flow(4).replace("title: Intake", "title: Intake"))
    return flows


def test_one_site_for_every_flow(folder: Path, tmp_path: Path) -> None:
    report = build_centre(folder, tmp_path / "site", base_url="https://help.example.com")
    site = tmp_path / "site"
    assert (report.flows, report.built, report.kept) == (2, 2, 0)
    home = (site / "index.html").read_text()
    assert re.findall(r'<li data-flow="([^"]+)">', home) == ["account-login", "intake"]
    assert 'href="account-login/index.html">Trouble signing in' in home
    assert "Every fix below works the same way" not in home  # the intro, not the pages
    assert (site / "account-login" / "problem" / "purchase_channel=retail" / "index.html").is_file()
    assert (site / "intake" / "q0" / "index.html").is_file()
    # Shared assets once, at the top; pages link up to them.
    assert sorted(p.name for p in site.rglob("helpflow.css")) == ["helpflow.css"]
    page = (site / "intake" / "q0" / "index.html").read_text()
    assert 'href="../../helpflow.css"' in page
    urls = re.findall(r"<loc>(.*?)</loc>", (site / "sitemap.xml").read_text())
    assert "https://help.example.com/intake/q0/" in urls
    assert "https://help.example.com/account-login/problem/purchase_channel=retail/" in urls
    assert not list(site.glob("*/sitemap.xml"))


def test_rebuild_renders_only_changed_flows(folder: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_centre(folder, site)
    untouched = site / "account-login" / "solved" / "index.html"
    before = untouched.stat().st_ino
    again = build_centre(folder, site)
    assert (again.built, again.kept) == (0, 2)
    (folder / "intake.yaml").write_text(intake_flow(3))  # q3 is gone
    changed = build_centre(folder, site)
    assert (changed.built, changed.kept) == (1, 1)
    assert untouched.stat().st_ino == before  # not written again
    assert not (site / "intake" / "q3").exists()  # pages that no longer exist are removed
    assert (site / "intake" / "q2" / "index.html").is_file()


def test_an_include_change_rebuilds_the_flow(folder: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_centre(folder, site)
    contacts = folder / "shared" / "contacts.yaml"
    contacts.write_text(contacts.read_text().replace("Glad that sorted it.", "Glad that worked."))
    report = build_centre(folder, site)
    assert (report.built, report.kept) == (1, 1)


def test_a_removed_flow_disappears(folder: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_centre(folder, site)
    (folder / "intake.yaml").unlink()
    report = build_centre(folder, site)
    assert (report.flows, report.removed) == (1, 1)
    assert not (site / "intake").exists()
    assert "intake" not in (site / "index.html").read_text()
    assert [e["id"] for e in json.loads((site / MANIFEST).read_text())["flows"]] == [
        "account-login"
    ]


def test_a_broken_flow_changes_nothing(folder: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_centre(folder, site)
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (folder / "intake.yaml").write_text(intake_flow(3).replace("to: q1", "to: nowhere"))
    with pytest.raises(FlowFileError, match="nowhere"):
        build_centre(folder, site)
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["flows", "site"]  # no staging left


def test_two_flows_with_one_id_are_refused(folder: Path, tmp_path: Path) -> None:
    shutil.copy(folder / "intake.yaml", folder / "intake-copy.yaml")
    with pytest.raises(HelpflowError, match="flow id 'intake' is also used by"):
        build_centre(folder, tmp_path / "site")


def test_build_command_on_a_folder(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", str(folder), "--out", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(
        r"built 2 flows \(\d+ pages\) in \d+\.\d s: 2 rendered, 0 unchanged, 0 removed; "
        rf"wrote {re.escape(str(tmp_path / 's'))}\n",
        out,
    )
    assert main(["build", str(tmp_path / "empty"), "--out", str(tmp_path / "t")]) == 1
    (tmp_path / "empty").mkdir()
    assert main(["build", str(tmp_path / "empty"), "--out", str(tmp_path / "t")]) == 1
    assert "no flow files" in capsys.readouterr().err


def test_a_var_no_flow_has_is_refused(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(HelpflowError, match="no flow in this help centre has a var 'nope'"):
        build_centre(folder, tmp_path / "site", vars={"nope": "x"})
    report = build_centre(folder, tmp_path / "site", vars={"product": "Maximum Security"})
    assert "Maximum Security" in (tmp_path / "site" / "account-login" / "index.html").read_text()
    assert report.built == 2
