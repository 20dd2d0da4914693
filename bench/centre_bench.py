"""Help-centre benchmark: 200 generated flows built cold (process pool), then rebuilt after
one flow changes. Target: rebuild <= 0.2x the cold build.

python bench/centre_bench.py               # 200 flows of 40 nodes
python bench/centre_bench.py --flows 50 --nodes 20
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))

from run import line

from helpflow_html.centre import build_centre

from generate import generate


def write_flows(folder: Path, count: int, nodes: int) -> list[Path]:
    paths = []
    for i in range(count):
        flow = generate(nodes, seed=i)
        flow["id"] = f"flow-{i:03d}"
        flow["title"] = f"Generated flow {i}"
        path = folder / f"flow-{i:03d}.yaml"
        path.write_text(yaml.safe_dump(flow, sort_keys=False, width=100), encoding="utf-8")
        paths.append(path)
    return paths


def timed(folder: Path, out: Path) -> tuple[float, int, int]:
    start = time.perf_counter()
    report = build_centre(folder, out)
    return time.perf_counter() - start, report.built, report.pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--flows", type=int, default=200)
    parser.add_argument("--nodes", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "flows"
        folder.mkdir()
        paths = write_flows(folder, args.flows, args.nodes)
        for run in range(args.runs):
            out = Path(tmp) / "site"
            shutil.rmtree(out, ignore_errors=True)
            cold, built, pages = timed(folder, out)
            assert built == args.flows
            changed = paths[run % len(paths)]
            changed.write_text(changed.read_text().replace("Generated flow", "Changed flow", 1))
            rebuild, rebuilt, _ = timed(folder, out)
            assert rebuilt == 1
            ratios.append(rebuild / cold)
            print(f"\nrun {run + 1}: {args.flows} flows, {pages:,} pages")
            line("cold build (process pool)", f"{cold:.2f} s", "(reported)")
            line("rebuild after one flow changed", f"{rebuild:.2f} s", "(reported)")
            line("  rebuild / cold", f"{ratios[-1]:.3f}x", "<= 0.2x", ratios[-1] <= 0.2)
    print(f"rebuild/cold: {min(ratios):.3f}-{max(ratios):.3f} over {len(ratios)} runs")


if __name__ == "__main__":
    main()
