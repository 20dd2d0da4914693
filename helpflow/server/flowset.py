"""The flows a server serves, loaded once at start-up, each in every language it has (its
source and each catalog next to it), and their per-site variants."""

from __future__ import annotations

import logging
import os
import re
import stat
from collections import OrderedDict
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from threading import Lock

from helpflow.assets import Asset
from helpflow.diagnostics import Diagnostic
from helpflow.engine import CompiledFlow, load
from helpflow.errors import FlowFileError, HelpflowError
from helpflow.i18n.catalogs import catalog_languages
from helpflow.i18n.loading import translated
from helpflow.i18n.negotiate import accepted, negotiate
from helpflow.loader import DEFAULT_MAX_BYTES

log = logging.getLogger("helpflow.server")

_VARIANTS = 64
_TOP_LEVEL_ID = re.compile(r"^id\s*:", re.MULTILINE)


class UnknownFlowError(HelpflowError):
    pass


def flow_files(path: Path) -> list[Path]:
    """A flow file, or the flow files directly inside a folder: YAML files with a top-level
    `id` (files without one are fragments that flows include)."""
    if path.is_dir():
        return _flows_in(path)
    if path.is_file():
        return [path]
    if path.exists():
        raise HelpflowError(f"{path}: not a regular file or a folder")
    raise HelpflowError(f"{path}: no such file or folder")


def _flows_in(folder: Path) -> list[Path]:
    # A top-level `id:` line marks a flow; looked for in the text rather than by parsing, so
    # start-up parses each file once (in the loader, which refuses alias bombs) not twice.
    found = []
    for candidate in sorted(folder.glob("*.y*ml")):
        text = _head(candidate)
        if text is not None and _TOP_LEVEL_ID.search(text):
            found.append(candidate)
    if not found:
        raise HelpflowError(f"{folder}: no flow files (YAML with an 'id') in this folder")
    return found


def _head(file: Path) -> str | None:
    """The first `DEFAULT_MAX_BYTES` of a regular file, else None with a warning. Opened
    without blocking and checked after opening, so a FIFO, a device or a directory named
    `*.yaml` (or a symlink to one) is skipped rather than read forever."""
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        log.warning("%s: cannot read (%s); skipped", file, exc.strerror)
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            log.warning("%s: not a regular file; skipped", file)
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read(DEFAULT_MAX_BYTES).decode("utf-8", errors="replace")
    finally:
        os.close(fd)


@lru_cache(maxsize=1024)
def _negotiated(available: tuple[str, ...], header: str) -> str:
    # Browsers send few distinct headers: each is parsed once (bounded: a client varying its
    # header only evicts older entries).
    return negotiate(available, accepted(header)) or available[0]


class FlowSet:
    def __init__(
        self, path: Path, *, secret: bytes | None, vars: Mapping[str, str] | None = None
    ) -> None:
        #: Each flow in its source language.
        self.flows: dict[str, CompiledFlow] = {}
        #: flow id → language tag → the flow in that language (its source language included).
        self.languages: dict[str, dict[str, CompiledFlow]] = {}
        #: flow id → its languages, source first (made on first use, once all are loaded).
        self._order: dict[str, tuple[str, ...]] = {}
        problems: list[Diagnostic] = []
        for file in flow_files(path):
            try:
                source = load(file, secret=secret)
            except FlowFileError as exc:
                problems.extend(exc.diagnostics)
                continue
            others = [x for x in catalog_languages(file, source.id) if x != source.lang]
            for flow in (source, *(translated(source, file, lang) for lang in others)):
                if vars:
                    known = {k: v for k, v in vars.items() if k in flow.vars}
                    flow = flow.with_options(vars=known)
                self._add(file, flow)
        if problems:
            raise FlowFileError(problems)
        self._variants: OrderedDict[tuple[str, str, tuple[tuple[str, str], ...]], CompiledFlow] = (
            OrderedDict()
        )
        #: Content-hashed name → local image, over every flow served (see `helpflow.assets`).
        self.assets: dict[str, Asset] = {
            asset.name: asset for flow in self.flows.values() for asset in flow.assets.values()
        }
        self._lock = Lock()

    def _add(self, file: Path, flow: CompiledFlow) -> None:
        """Serve `flow` in its language. A second file with the same flow id is served as
        another language of that flow (declared with `lang:`); the same language twice is
        refused."""
        langs = self.languages.setdefault(flow.id, {})
        if flow.lang in langs:
            raise HelpflowError(
                f"{file}: flow id {flow.id!r} is served twice in language {flow.lang!r} "
                "(give a translated copy its own `lang:`, or better, a catalog: "
                "see docs/translating.md)"
            )
        langs[flow.lang] = flow
        first = self.flows.get(flow.id)
        # The source is the file that declares no `lang:` (files load in name order, and
        # `x-de.yaml` sorts before `x.yaml`).
        if first is None or (first.flow.lang and not flow.flow.lang):
            self.flows[flow.id] = flow
        flow.prerender(tokens=True)

    def available(self, flow_id: str) -> list[str]:
        """The languages `flow_id` is served in: its source language first, then the others."""
        return list(self._available(flow_id))

    def _available(self, flow_id: str) -> tuple[str, ...]:
        found = self._order.get(flow_id)
        if found is None:
            source = self._source(flow_id)  # an unknown flow: UnknownFlowError
            others = sorted(x for x in self.languages[flow_id] if x != source.lang)
            found = self._order[flow_id] = (source.lang, *others)
        return found

    def negotiate(self, flow_id: str, accept_language: str | None) -> str:
        """The language of `flow_id` that best fits an `Accept-Language` header; the source
        language when none does."""
        available = self._available(flow_id)
        if len(available) == 1 or not accept_language:
            return available[0]  # the hot path of a server with one language: no parsing
        return _negotiated(available, accept_language)

    def _source(self, flow_id: str) -> CompiledFlow:
        flow = self.flows.get(flow_id)
        if flow is None:
            raise UnknownFlowError(f"no flow {flow_id!r}; this server has: {', '.join(self.flows)}")
        return flow

    def get(
        self,
        flow_id: str,
        overrides: Mapping[str, str] | None = None,
        lang: str | None = None,
    ) -> CompiledFlow:
        """`flow_id` in `lang` (None: its source language; a language it is not served in is
        an `UnknownFlowError`), with `overrides` of its vars."""
        flow = self._source(flow_id)
        if lang is not None and lang != flow.lang:
            found = self.languages[flow_id].get(lang)
            if found is None:
                raise UnknownFlowError(
                    f"flow {flow_id!r} is not served in {lang!r}; "
                    f"it is in: {', '.join(self.available(flow_id))}"
                )
            flow = found
        if not overrides:
            return flow
        key = (flow_id, flow.lang, tuple(sorted(overrides.items())))
        with self._lock:
            variant = self._variants.get(key)
            if variant is not None:
                self._variants.move_to_end(key)
                return variant
        # Built outside the lock; a rare duplicate build is cheaper than serialising requests.
        variant = flow.with_options(vars=overrides)
        with self._lock:
            self._variants[key] = variant
            while len(self._variants) > _VARIANTS:
                self._variants.popitem(last=False)
        return variant
