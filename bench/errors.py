"""Error reporting on a huge broken flow: a ~4.5 MB file with 60,000 small errors.

Reading and reporting it must cost about what parsing it costs, not grow with the square of
the errors (it used to run > 120 s and 600 MB). Time is a ratio against a bare
`yaml.load(CSafeLoader)` of the same text in the same process; peak memory of each is measured
in its own child process.

    python bench/errors.py             # 60,000 errors
    python bench/errors.py --errors N
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from helpflow.errors import FlowFileError
from helpflow.loader import load_file

RATIO_TARGET = 1.5


def broken_flow(errors: int) -> str:
    """`errors` problems of four common kinds, spread over the file."""
    lines = ["helpflow: 1", "id: big", "title: Big", "start: n0", "nodes:"]
    for i in range(errors // 4):
        lines += [
            f"  n{i}:",
            "    kind: question",
            "    prompt: yes",  # a boolean where text is expected
            f"    bogus{i}: 1",  # an unknown key
            "    choices: []",  # empty
            "    help: a",
            "    help: b",  # a duplicate key
            "    title: Some words to make the file as long as a real flow of this size",
            "    body: A paragraph of help text, written the way help articles are written,",
            "      running on to a second line as paragraphs of help usually do.",
        ]
    return "\n".join(lines) + "\n"


def peak_rss_mb(code: str, path: Path) -> float:
    """Peak resident memory of a child process running `code` on `path`."""
    probe = (
        f"{code}\nimport resource, sys\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True
    )
    return int(out.stdout.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", type=int, default=60_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "broken.yaml"
        path.write_text(broken_flow(args.errors), encoding="utf-8")
        text = path.read_text(encoding="utf-8")
        start = time.perf_counter()
        yaml.load(text, Loader=yaml.CSafeLoader)
        bare = time.perf_counter() - start
        start = time.perf_counter()
        shown = 0
        try:
            load_file(path)
        except FlowFileError as exc:
            shown = len(exc.diagnostics)
        ours = time.perf_counter() - start
        bare_mb = peak_rss_mb(
            "import sys, yaml\nyaml.load(open(sys.argv[1]).read(), Loader=yaml.CSafeLoader)", path
        )
        ours_mb = peak_rss_mb(
            "import sys\nfrom helpflow.cli import main\nmain(['validate', sys.argv[1]])", path
        )
    ratio = ours / bare
    print(f"{len(text.encode()):,} bytes, {args.errors:,} errors")
    print(f"  bare yaml.load          {bare:8.2f} s   {bare_mb:8.0f} MB peak")
    print(f"  load + report ({shown} lines) {ours:8.2f} s   {ours_mb:8.0f} MB peak")
    mark = "ok" if ratio <= RATIO_TARGET else "MISSED"
    print(f"  time ratio {ratio:.2f}x   target <= {RATIO_TARGET}x   {mark}")
    print(f"  memory ratio {ours_mb / bare_mb:.2f}x (validate process vs bare yaml.load process)")


if __name__ == "__main__":
    main()
