"""A help centre: every flow in a folder built into one static site, incrementally.

    SITE/index.html          the home page: every flow's title, intro and link, in the
                             flows' common language (English when they differ)
    SITE/<lang>/index.html   the home page in each other language a flow is in
                             (`helpflow_html.centrehome`)
    SITE/sitemap.xml         one sitemap for all flows
    SITE/helpflow.css …      shared assets, once
    SITE/<flow id>/…         each flow's own site (its pages, index.html, article.html),
                             each translation under `<lang>/`
    SITE/.helpflow-centre.json  per flow: the content hash of what it was built from

A flow's hash covers every file its build read (the flow, its includes, its catalogs), the
vars, and the version of helpflow and of its templates. A rebuild loads and renders only flows
whose hash changed; the others' files are hard-linked from the previous build into the new
one, which then replaces the old whole (`_atomic`), so pages that no longer exist are gone and
a reader never sees half a site. Flow ids have no `.`, every file at the top has one: no
collisions (and a flow id that is also a language's home folder is refused).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import helpflow
from helpflow import i18n, uitext
from helpflow.assets import asset_files
from helpflow.diagnostics import Diagnostic
from helpflow.engine import compile_flow
from helpflow.errors import FlowFileError, HelpflowError, VarError
from helpflow.i18n.catalogs import catalog_languages, catalog_path
from helpflow.lint import lint
from helpflow.loader import load_file
from helpflow_html._atomic import staged_tree, write_files
from helpflow_html.centrehome import home_languages, home_pages
from helpflow_html.multilingual import multilingual_site
from helpflow_html.site import ASSETS, FEEDBACK_JS, checked_events_url, public_url, site_files
from helpflow_html.templating import HERE, render, static_text

MANIFEST = ".helpflow-centre.json"

#: Files at the top of a help centre that every flow shares. feedback.js is always among
#: them (it does nothing on pages that ask no question), so the shared files are the same
#: with or without an events URL.
SHARED_ASSETS = (*ASSETS, FEEDBACK_JS)
_FLOW_ID_LINE = re.compile(r"^id\s*:", re.MULTILINE)
#: Fewer flows than this to build are built in this process: a pool costs more to start.
POOL_FROM = 4

Progress = Callable[[str], None]


@dataclass(frozen=True)
class CentreReport:
    flows: int
    built: int
    kept: int
    removed: int
    pages: int
    dest: Path


def centre_flows(folder: Path) -> list[Path]:
    """The flow files directly inside `folder`: YAML with a top-level `id` (files without one
    are fragments that flows include)."""
    files = [
        path
        for path in sorted(folder.glob("*.y*ml"))
        if path.is_file() and _FLOW_ID_LINE.search(path.read_text("utf-8", errors="replace"))
    ]
    if not files:
        raise HelpflowError(f"{folder}: no flow files (YAML with an 'id') in this folder")
    return files


def _tool_version() -> str:
    """helpflow's version and a digest of the templates and assets the pages are made of."""
    digest = hashlib.sha256(helpflow.__version__.encode())
    for path in sorted([*(HERE / "templates").iterdir(), *(HERE / "static").iterdir()]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def inputs_hash(files: Iterable[str], extra: str) -> str | None:
    """The content hash of a flow's inputs, or None when one of them is gone."""
    digest = hashlib.sha256(extra.encode())
    for name in sorted(files):
        try:
            digest.update(name.encode() + b"\0" + Path(name).read_bytes())
        except OSError:
            return None
    return digest.hexdigest()


#: (flow file, vars, base URL, events URL, staging folder, inputs hash extra)
Job = tuple[str, dict[str, str], str, str, str, str]


def _build_flow(job: Job) -> dict[str, Any]:
    """Load and render one flow into `staging/<id>/`; what the manifest keeps of it.
    Top level, so a process pool can run it."""
    path, vars, base_url, events_url, staging, extra = job
    loaded = load_file(path)
    errors = [d for d in lint(loaded) if d.severity == "error"]
    if errors:
        raise FlowFileError(errors)
    inputs = {str(s.path) for s in [loaded.sources.main, *loaded.sources.nodes.values()]}
    inputs.update(str(s.path) for s in loaded.sources.vars.values())
    flow = compile_flow(loaded.flow, base_dir=Path(path).parent)
    # Local images are inputs too: a changed picture rebuilds its flow.
    inputs.update(str(asset.path) for asset in flow.assets.values())
    own_vars = {k: v for k, v in vars.items() if k in flow.vars}
    flow = flow.with_options(vars=own_vars)
    flow_url = f"{base_url.rstrip('/')}/{flow.id}/" if base_url else ""
    # Every language the flow has a catalog for, under `<flow id>/<lang>/` (its catalogs are
    # inputs: a changed translation rebuilds the flow).
    langs = [lang for lang in catalog_languages(path, flow.id) if lang != uitext.tag(flow.lang)]
    inputs.update(str(catalog_path(path, flow.id, lang)) for lang in langs)
    translations = {lang: i18n.translated(flow, path, lang, vars=own_vars) for lang in langs}
    files: dict[str, str | bytes]
    if translations:
        files, pages = multilingual_site(
            flow,
            translations,
            base_url=flow_url,
            events_url=events_url,
            assets="../",
            with_assets=False,
        )
    else:  # one language: no switcher, no alternates, the pages a site always had
        built, plan = site_files(
            flow, base_url=flow_url, assets="../", with_assets=False, events_url=events_url
        )
        files, pages = dict(built), len(plan.pages) + 2
    for name in [n for n in files if n.endswith("sitemap.xml")]:
        del files[name]  # one sitemap for the whole centre
    write_files(Path(staging) / flow.id, {**files, **asset_files(flow.assets)})
    return {
        "id": flow.id,
        "source": path,
        "hash": inputs_hash(inputs, extra),
        "inputs": sorted(inputs),
        "title": flow.info.title,
        "lang": uitext.tag(flow.lang),
        "intro": str(flow.info.intro.html),
        "files": sorted(files),
        "pages": pages,
        # Per translation, what its home page shows.
        "translations": {
            lang: {"title": other.info.title, "intro": str(other.info.intro.html)}
            for lang, other in translations.items()
        },
        "vars": sorted(flow.vars),
    }


def _previous(dest: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads((dest / MANIFEST).read_text(encoding="utf-8"))
        return {entry["source"]: entry for entry in data["flows"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}  # no usable previous build: build everything


def build_centre(
    folder: Path,
    dest: Path,
    *,
    vars: Mapping[str, str] | None = None,
    base_url: str = "",
    title: str | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    events_url: str = "",
) -> CentreReport:
    """`events_url`: where fix and outcome pages send "Was this helpful?" (see site_files).
    `title`: the home page's; "Help centre" in the home page's language by default."""
    vars = dict(vars or {})
    urls = (base_url, checked_events_url(events_url) if events_url else "")
    sources = [str(p.resolve()) for p in centre_flows(folder)]
    dest = dest.resolve()
    # A different events URL changes every page: part of what decides a flow is unchanged.
    extra = json.dumps([_tool_version(), sorted(vars.items()), *urls])
    previous = _previous(dest)
    kept = {
        path: entry
        for path, entry in previous.items()
        if path in sources and entry["hash"] == inputs_hash(entry["inputs"], extra)
    }
    todo = [path for path in sources if path not in kept]
    if not previous:  # a cold build: the whole site at once
        with staged_tree(dest) as staging:
            entries = _build_into(staging, todo, [], vars, urls, extra, progress, workers)
            _write_shared(staging, entries, base_url=base_url, title=title)
    else:
        entries = _rebuild(dest, todo, kept, vars, urls, extra, title, progress, workers)
    removed = len(set(previous) - set(sources))
    pages = sum(e["pages"] for e in entries) + len(home_languages(entries).langs)
    return CentreReport(len(entries), len(todo), len(kept), removed, pages, dest)


def _build_into(
    staging: Path,
    todo: list[str],
    kept: list[dict[str, Any]],
    vars: dict[str, str],
    urls: tuple[str, str],
    extra: str,
    progress: Progress | None,
    workers: int | None,
) -> list[dict[str, Any]]:
    """`urls`: the base URL and the events URL."""
    jobs: list[Job] = [(path, vars, *urls, str(staging), extra) for path in todo]
    built = list(_run(jobs, progress, workers))
    entries = sorted([*kept, *built], key=lambda e: e["id"])
    _check_ids(entries)
    declared = {name for entry in entries for name in entry.get("vars", ())}
    unknown = sorted(set(vars) - declared)
    if unknown:
        raise VarError(f"no flow in this help centre has a var {unknown[0]!r}")
    return entries


def _rebuild(
    dest: Path,
    todo: list[str],
    kept: dict[str, dict[str, Any]],
    vars: dict[str, str],
    urls: tuple[str, str],
    extra: str,
    title: str | None,
    progress: Progress | None,
    workers: int | None,
) -> list[dict[str, Any]]:
    """Build the changed flows beside the site, then swap them in one rename per flow
    folder and per shared file: work in proportion to what changed, and a reader never sees
    half a flow or a home page linking to a flow not yet there."""
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    trash = staging / ".old"
    try:
        entries = _build_into(
            staging, todo, list(kept.values()), vars, urls, extra, progress, workers
        )
        homes = _write_shared(staging, entries, base_url=urls[0], title=title)
        trash.mkdir()
        ids = {e["id"] for e in entries}
        for flow_id in sorted({e["id"] for e in entries if e["source"] in todo}):
            if (dest / flow_id).exists():
                os.rename(dest / flow_id, trash / flow_id)
            os.rename(staging / flow_id, dest / flow_id)
        for name in ["sitemap.xml", *SHARED_ASSETS, "index.html"]:
            os.replace(staging / name, dest / name)
        for home in homes:  # the other languages' home pages, a folder each
            if (dest / home).exists():
                os.rename(dest / home, trash / home)
            os.rename(staging / home, dest / home)
        for gone in dest.iterdir():  # flows (and languages) no longer there, now unlinked
            if gone.is_dir() and "." not in gone.name and gone.name not in {*ids, *homes}:
                os.rename(gone, trash / gone.name)
        os.replace(staging / MANIFEST, dest / MANIFEST)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return entries


def _run(
    jobs: list[Job],
    progress: Progress | None,
    workers: int | None,
) -> Iterable[dict[str, Any]]:
    problems: list[Diagnostic] = []
    results = []
    if len(jobs) < POOL_FROM or workers == 1:
        outcomes: Iterable[Any] = (_attempt(job) for job in jobs)
        pool = None
    else:
        pool = ProcessPoolExecutor(max_workers=workers)
        outcomes = pool.map(_attempt, jobs, chunksize=max(1, len(jobs) // 32))
    try:
        for result in outcomes:
            if isinstance(result, FlowFileError):
                problems.extend(result.diagnostics)
            elif isinstance(result, HelpflowError):
                raise result
            else:
                results.append(result)
                if progress is not None:
                    progress(result["id"])
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    if problems:
        raise FlowFileError(problems)
    return results


def _attempt(job: Job) -> dict[str, Any] | HelpflowError:
    """Errors come back as values, so one broken flow reports instead of killing the pool
    (and every broken flow is reported in one go)."""
    try:
        return _build_flow(job)
    except HelpflowError as exc:
        return exc


def _check_ids(entries: list[dict[str, Any]]) -> None:
    seen: dict[str, str] = {}
    for entry in entries:
        other = seen.setdefault(entry["id"].lower(), entry["source"])
        if other != entry["source"]:
            raise HelpflowError(
                f"{entry['source']}: flow id {entry['id']!r} is also used by {other}; "
                "each flow in a help centre needs its own id"
            )


def _write_shared(
    staging: Path, entries: list[dict[str, Any]], *, base_url: str, title: str | None
) -> list[str]:
    """Writes the home pages, sitemap, manifest and shared assets; returns the folders of
    the home pages in other languages (`fr`, `ar`)."""
    prefix = base_url.rstrip("/") + "/" if base_url else "/"
    homes = home_pages(entries, base_url=base_url, title=title)
    urls = [prefix + public_url(name) for name in homes]
    for entry in entries:
        urls.extend(
            f"{prefix}{entry['id']}/{public_url(name)}"
            for name in entry["files"]
            if name.endswith(".html")
        )
    shared = {
        **homes,
        "sitemap.xml": render("sitemap.xml", urls=urls),
        MANIFEST: json.dumps({"flows": entries}, indent=1, sort_keys=True) + "\n",
        **{name: static_text(name) for name in SHARED_ASSETS},
    }
    write_files(staging, shared)
    return sorted({name.split("/")[0] for name in homes if "/" in name})
