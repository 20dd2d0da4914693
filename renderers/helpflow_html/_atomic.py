"""Write a whole folder at once: build beside it, then swap, so readers never see half a site."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from helpflow.errors import RendererError

MARKER = ".helpflow-build"


def write_tree(dest: Path, files: Mapping[str, str | bytes]) -> None:
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
        for name, text in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):  # images
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8", newline="\n")
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
