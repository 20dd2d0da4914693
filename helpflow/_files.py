"""Reading a flow's files without trusting them: regular files only, never more than a limit.

A path named `*.yaml` can be a FIFO (opening it blocks until a writer comes), a device such as
/dev/zero (reading it never ends), a directory, or a symlink to any of those. Each is refused
from its `stat` before it is opened, and a file is read to at most its limit plus one byte, so
a file that grows while being read cannot exhaust memory either.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: Opening never waits (a FIFO swapped in after the `stat` check) and is not inherited.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class FileProblem(Exception):
    """Why a file was not read: a diagnostic code and a message without the file's content."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _kind(mode: int) -> str | None:
    """What a non-regular file is, for a message; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"  # pragma: no cover - no other kinds on the platforms we run


def _check(mode: int) -> None:
    kind = _kind(mode)
    if kind is not None:
        prefix = "" if kind.startswith("not ") else "is "
        raise FileProblem("not-a-file", f"{prefix}{kind}, not a flow file")


def _too_large(size: int, limit: int) -> FileProblem:
    return FileProblem("file-too-large", f"file is {size:,} bytes; the limit is {limit:,}")


def regular_size(path: Path) -> int:
    """The size of the regular file at `path` (symlinks followed), or `FileProblem`."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _unreadable(exc) from None
    _check(info.st_mode)
    return info.st_size


def read_text(path: Path, limit: int) -> str:
    """The UTF-8 text of the regular file at `path`, at most `limit` bytes, or `FileProblem`."""
    size = regular_size(path)
    if size > limit:
        raise _too_large(size, limit)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _unreadable(exc) from None
    try:
        _check(os.fstat(fd).st_mode)  # the file may have been replaced since the stat
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except OSError as exc:
        raise _unreadable(exc) from None
    finally:
        os.close(fd)
    if got > limit:
        raise FileProblem("file-too-large", f"file is over the limit of {limit:,} bytes")
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileProblem("encoding", f"not UTF-8 text ({exc.reason})") from None


def _unreadable(exc: OSError) -> FileProblem:
    code = "not-found" if isinstance(exc, FileNotFoundError) else "unreadable"
    return FileProblem(code, f"cannot read file: {exc.strerror or exc}")
