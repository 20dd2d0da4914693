"""The flows a server serves, loaded once at start-up, and their per-site variants."""

from __future__ import annotations

import logging
import os
import re
import stat
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from threading import Lock

from helpflow.assets import Asset
from helpflow.diagnostics import Diagnostic
from helpflow.engine import CompiledFlow
from helpflow.errors import FlowFileError, HelpflowError
from helpflow.loader import DEFAULT_MAX_BYTES, load

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


class FlowSet:
    def __init__(
        self, path: Path, *, secret: bytes | None, vars: Mapping[str, str] | None = None
    ) -> None:
        self.flows: dict[str, CompiledFlow] = {}
        problems: list[Diagnostic] = []
        for file in flow_files(path):
            try:
                flow = load(file, secret=secret)
            except FlowFileError as exc:
                problems.extend(exc.diagnostics)
                continue
            if vars:
                known = {k: v for k, v in vars.items() if k in flow.vars}
                flow = flow.with_options(vars=known)
            if flow.id in self.flows:
                raise HelpflowError(f"{file}: flow id {flow.id!r} is served twice")
            self.flows[flow.id] = flow
            flow.prerender(tokens=True)
        if problems:
            raise FlowFileError(problems)
        self._variants: OrderedDict[tuple[str, tuple[tuple[str, str], ...]], CompiledFlow]
        self._variants = OrderedDict()
        #: Content-hashed name → local image, over every flow served (see `helpflow.assets`).
        self.assets: dict[str, Asset] = {
            asset.name: asset for flow in self.flows.values() for asset in flow.assets.values()
        }
        self._lock = Lock()

    def get(self, flow_id: str, overrides: Mapping[str, str] | None = None) -> CompiledFlow:
        flow = self.flows.get(flow_id)
        if flow is None:
            raise UnknownFlowError(f"no flow {flow_id!r}; this server has: {', '.join(self.flows)}")
        if not overrides:
            return flow
        key = (flow_id, tuple(sorted(overrides.items())))
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
