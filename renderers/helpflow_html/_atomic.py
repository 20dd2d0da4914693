"""Write a whole folder at once: build beside it, then swap, so readers never see half a site."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from helpflow.errors import RendererError

MARKER = ".helpflow-build"


@contextmanager
def staged_tree(dest: Path) -> Iterator[Path]:
    """A fresh folder beside `dest` to fill; it replaces `dest` whole when the block ends
    without an error, and is removed (leaving `dest` as it was) when it raises."""
    dest = dest.resolve()
    if dest.exists() and (
        not dest.is_dir() or (any(dest.iterdir()) and not (dest / MARKER).exists())
    ):
        raise RendererError(
            f"refusing to replace {dest}: it is not empty and was not made by helpflow build"
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        yield staging
        (staging / MARKER).write_text("made by helpflow build; replaced whole on every build\n")
        os.chmod(staging, 0o755)
        old = None
        if dest.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old.", dir=dest.parent))
            os.rename(dest, old / "site")
        os.rename(staging, dest)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_tree(dest: Path, files: Mapping[str, str | bytes]) -> None:
    with staged_tree(dest) as staging:
        write_files(staging, files)


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Write `files` (path → text, or bytes for images) below `root`."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", newline="\n")
