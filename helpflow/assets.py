"""A flow's local images: found in its Markdown, confined to its folder, content-hashed.

`![Router lights](img/lights.png)` is relative to the flow file. The renderers never read the
disk: content shows each local image as `_assets/<hash>.<ext>`, and whatever publishes the
flow (the static build, `helpflow serve`) copies or serves exactly the files listed here.
A path that leaves the flow's folder (`..`, absolute, a symlink out) is refused.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from helpflow.errors import HelpflowError
from helpflow.fields import markdown_fields
from helpflow.model import Flow

ASSET_DIR = "_assets"
#: Image types a browser shows and that cannot carry script (no SVG).
IMAGE_TYPES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"})
MAX_BYTES = 5 * 1024 * 1024
IMAGE_SOURCE = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^)\s>]+)")


class AssetError(HelpflowError):
    """A local image that cannot be published: missing, outside the flow's folder, too big."""


@dataclass(frozen=True, slots=True)
class Asset:
    src: str  # as written in the flow
    path: Path
    name: str  # content-hashed file name under `_assets/`

    @property
    def href(self) -> str:
        return f"{ASSET_DIR}/{self.name}"


def image_sources(flow: Flow) -> Iterator[str]:
    """Every image address written in the flow's Markdown."""
    for _, text in markdown_fields(flow):
        if "![" in text:
            yield from (m.group(1) for m in IMAGE_SOURCE.finditer(text))


def is_local(src: str) -> bool:
    parts = urlsplit(src)
    return not parts.scheme and not parts.netloc and not src.startswith(("/", "\\", "#"))


def resolve(base_dir: Path, src: str) -> Path:
    """The file `src` names inside `base_dir`; raises `AssetError` if it is not a publishable
    image inside that folder."""
    root = base_dir.resolve()
    path = (root / unquote(urlsplit(src).path)).resolve()
    if not path.is_relative_to(root):
        raise AssetError(f"image {src!r} is outside the flow's folder")
    if path.suffix.lower() not in IMAGE_TYPES:
        raise AssetError(f"image {src!r}: use one of {', '.join(sorted(IMAGE_TYPES))}")
    if not path.is_file():
        raise AssetError(f"image {src!r} does not exist (looked for {path.name} in {root})")
    if path.stat().st_size > MAX_BYTES:
        raise AssetError(f"image {src!r} is larger than {MAX_BYTES // 1024 // 1024} MiB")
    return path


def flow_assets(flow: Flow, base_dir: Path) -> dict[str, Asset]:
    """src as written → Asset, for every local image of the flow."""
    found: dict[str, Asset] = {}
    for src in image_sources(flow):
        if src in found or not is_local(src):
            continue
        path = resolve(base_dir, src)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        found[src] = Asset(src, path, f"{digest}{path.suffix.lower()}")
    return found


def asset_files(assets: dict[str, Asset]) -> dict[str, bytes]:
    """`_assets/<name>` → bytes: what a static build writes."""
    return {a.href: a.path.read_bytes() for a in assets.values()}
