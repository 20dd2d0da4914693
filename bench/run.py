"""helpflow core benchmarks. Each figure is printed with its target beside it.

Times are ratios against a baseline measured in the same process, interleaved and best-of-N,
because these machines are noisy: absolute seconds are shown for context only.

    python bench/run.py            # 1,000 and 10,000 nodes
    python bench/run.py --quick    # 1,000 nodes only
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))

import helpflow
from helpflow.engine import CompiledFlow
from helpflow.session import Session

from generate import generate_yaml


def best_of(runs: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        # Settle the collector first, so that one run's garbage is never charged to the next.
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def line(name: str, value: str, target: str, ok: bool | None = None) -> None:
    mark = "" if ok is None else ("  ok" if ok else "  MISSED")
    print(f"  {name:<52} {value:>16}   target {target}{mark}")


def bench_load(nodes: int, folder: Path, runs: int) -> CompiledFlow:
    path = folder / f"generated-{nodes}.yaml"
    path.write_text(generate_yaml(nodes), encoding="utf-8")
    text = path.read_text(encoding="utf-8")

    def bare() -> None:
        yaml.load(text, Loader=yaml.CSafeLoader)

    def bare_paused() -> None:
        gc.disable()
        try:
            yaml.load(text, Loader=yaml.CSafeLoader)
        finally:
            gc.enable()

    def ours() -> None:
        helpflow.load(path)

    # Interleave so that drift on a noisy machine hits all three alike.
    times: dict[str, float] = {"bare": float("inf"), "paused": float("inf"), "ours": float("inf")}
    for _ in range(runs):
        for key, fn in (("bare", bare), ("paused", bare_paused), ("ours", ours)):
            times[key] = min(times[key], best_of(1, fn))
    print(f"\n{nodes:,} nodes ({path.stat().st_size / 1e6:.1f} MB of YAML), best of {runs}:")
    line("bare CSafeLoader yaml.load", f"{times['bare']:.3f} s", "(baseline)")
    line("bare CSafeLoader yaml.load, collector paused", f"{times['paused']:.3f} s", "(baseline)")
    line("helpflow.load (read+validate+lint+compile)", f"{times['ours']:.3f} s", "")
    ratio = times["ours"] / times["bare"]
    line("  ratio to bare yaml.load", f"{ratio:.2f}x", "<= 1.5x", ratio <= 1.5)
    strict = times["ours"] / times["paused"]
    line(
        "  ratio to bare yaml.load with collector paused",
        f"{strict:.2f}x",
        "<= 1.5x",
        strict <= 1.5,
    )
    return helpflow.load(path)


def walks(flow: CompiledFlow, count: int, rng: random.Random) -> list[list[str]]:
    found = []
    for _ in range(count):
        session, choices = flow.start(), []
        while not flow.is_finished(session) and len(choices) < 12:
            choice = rng.choice(flow.available(session))
            choices.append(choice)
            session = flow.choose(session, choice)
        found.append(choices)
    return found


def bench_steps(flow: CompiledFlow, rng: random.Random) -> None:
    paths = walks(flow, 200, rng)
    # The floor: the least any engine must do per step, a dict look-up of the next node.
    hops: list[tuple[str, str]] = []
    table: dict[str, dict[str, str]] = {}
    for choices in paths:
        session = flow.start()
        for choice in choices:
            node = session.node
            session = flow.choose(session, choice)
            table.setdefault(node, {})[choice] = session.node
            hops.append((node, choice))

    def floor() -> None:
        for node, choice in hops:
            _ = table[node][choice]

    def engine() -> None:
        for choices in paths:
            session = flow.start()
            for choice in choices:
                session = flow.choose(session, choice)

    steps = sum(len(p) for p in paths)
    floor_t = best_of(5, floor) / steps
    engine_t = best_of(5, engine) / steps
    line("choose(): time per step", f"{engine_t * 1e6:.1f} µs", "~12-17 µs (design notes)")
    line("  dict look-up floor per step", f"{floor_t * 1e6:.3f} µs", "(baseline)")
    line("  ratio to the floor", f"{engine_t / floor_t:.0f}x", "(reported)")

    sessions = []
    for choices in paths:
        session = flow.start()
        for choice in choices:
            session = flow.choose(session, choice)
            sessions.append(session)
    flow.step(sessions[0])
    for s in sessions:  # warm the Markdown cache: it is rendered once per node, not per step
        flow.step(s)
    warm = best_of(5, lambda: [flow.step(s) for s in sessions]) / len(sessions)
    line("step(): full Step view model, warm", f"{warm * 1e6:.1f} µs", "(reported)")


def bench_session_memory(flow: CompiledFlow, rng: random.Random) -> None:
    paths = walks(flow, 2000, rng)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    live: list[Session] = []
    for choices in paths:
        session = flow.start()
        for choice in choices[:5]:
            session = flow.choose(session, choice)
        live.append(session)
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    answers = sum(len(s.answers) for s in live) / len(live)
    per = grown / len(live)
    line(f"bytes per live session ({answers:.1f} answers)", f"{per:.0f} B", "<= 1 KB", per <= 1024)


def bench_tokens(flow: CompiledFlow, rng: random.Random) -> None:
    for choices in walks(flow, 500, rng):
        if len(choices) >= 10:
            break
    else:
        raise SystemExit("no walk of 10 answers found")
    session = flow.start()
    for choice in choices[:10]:
        session = flow.choose(session, choice)
    plain = len(flow.token(session).encode())
    signed = len(flow.with_options(secret=b"bench-secret").token(session).encode())
    line("token length, 10 answers, unsigned", f"{plain} B", "<= 200 B", plain <= 200)
    line("token length, 10 answers, signed (HMAC)", f"{signed} B", "<= 200 B", signed <= 200)


def bench_markdown(flow: CompiledFlow) -> None:
    fresh = flow.with_options()
    start = time.perf_counter()
    for node in fresh.flow.nodes:
        fresh.content(node)
    total = time.perf_counter() - start
    line("Markdown for every node, once (cached after)", f"{total:.2f} s", "(reported)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 nodes only")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(11)
    sizes = [1_000] if args.quick else [1_000, 10_000]
    with tempfile.TemporaryDirectory() as folder:
        for nodes in sizes:
            flow = bench_load(nodes, Path(folder), args.runs)
            bench_steps(flow, rng)
            bench_session_memory(flow, rng)
            bench_tokens(flow, rng)
            bench_markdown(flow)


if __name__ == "__main__":
    main()
