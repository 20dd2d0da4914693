"""helpflow core benchmarks. Each figure is printed with its target beside it.

Times are ratios against a baseline measured in the same process, interleaved and best-of-N,
because these machines are noisy: absolute seconds are shown for context only.

    python bench/run.py            # 1,000 and 10,000 nodes
    python bench/run.py --quick    # 1,000 nodes only
"""

from __future__ import annotations

import argparse
import gc
import json
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
from helpflow._gcpause import collector_paused
from helpflow.engine import CompiledFlow
from helpflow.session import Session
from helpflow_json import JsonRenderer, step_to_dict

from generate import generate_yaml


def best_of(runs: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        # Settle the collector first, so that one run's garbage is never charged to the next.
        gc.collect()
        # CPU time of this process: on a shared machine, wall time also counts the time other
        # processes hold the cores, which is noise for a ratio of two of our own runs.
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def line(name: str, value: str, target: str, ok: bool | None = None) -> None:
    mark = "" if ok is None else ("  ok" if ok else "  MISSED")
    print(f"  {name:<52} {value:>16}   target {target}{mark}")


def bench_load(nodes: int, folder: Path, runs: int) -> CompiledFlow:
    path = folder / f"generated-{nodes}.yaml"
    path.write_text(generate_yaml(nodes), encoding="utf-8")
    text = path.read_text(encoding="utf-8")

    def bare() -> None:
        with collector_paused():
            yaml.load(text, Loader=yaml.CSafeLoader)

    def ours() -> None:
        with collector_paused():  # helpflow.load pauses it too; said here so both are alike
            helpflow.load(path)

    # Interleave so that drift on a noisy machine hits both alike.
    times = {"bare": float("inf"), "ours": float("inf")}
    for _ in range(runs):
        for key, fn in (("bare", bare), ("ours", ours)):
            times[key] = min(times[key], best_of(1, fn))
    print(f"\n{nodes:,} nodes ({path.stat().st_size / 1e6:.1f} MB of YAML), best of {runs}:")
    line("bare yaml.load(CSafeLoader), collector paused", f"{times['bare']:.3f} s", "(baseline)")
    line("helpflow.load (read+validate+lint+compile)", f"{times['ours']:.3f} s", "")
    ratio = times["ours"] / times["bare"]
    line("  load/yaml", f"{ratio:.2f}x", "<= 1.3x", ratio <= 1.3)
    gc.collect()
    tracemalloc.start()
    flow = helpflow.load(path)
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    line(
        "memory per loaded node (compiled, no text rendered)", f"{held / nodes:.0f} B", "(reported)"
    )
    return flow


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


def deep_walk(flow: CompiledFlow, answers: int) -> tuple[Session, str]:
    """A session of `answers` answers on the web branch of a generated flow, at a node with a
    choice still to make, and that choice (the first way on, which always goes deeper)."""
    if answers == 0:
        return flow.start(), "web"
    session = flow.choose(flow.start(), "web")
    while True:
        offered = flow.available(session)
        choice = "c0" if "c0" in offered else "not_solved"
        if len(session.answers) == answers:
            return session, choice
        session = flow.choose(session, choice)


def bench_session_memory(flow: CompiledFlow) -> None:
    sessions = 2000
    deep_walk(flow, 20)  # make the flow's shared answer objects before measuring
    gc.collect()
    tracemalloc.start()
    live = [deep_walk(flow, 20)[0] for _ in range(sessions)]
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    per = held / len(live)
    line("bytes per live session (20 answers)", f"{per:.0f} B", "<= 1 KB", per <= 1024)


def bench_step_json(flow: CompiledFlow, runs: int) -> None:
    """Token in, JSON out (resume a signed token, choose, build the Step, render it with its
    new token) vs a bare json.dumps of the same Step's dict."""
    signed = flow.with_options(secret=b"bench-secret")
    renderer = JsonRenderer(indent=None)
    loops = 200
    ratios = []
    for answers in (1, 10, 20):
        session, choice = deep_walk(signed, answers - 1)  # the step shows `answers` answers
        token = signed.token(session)
        data = step_to_dict(signed.step(signed.advance(session, choice)))
        assert len(data["answers"]) == answers

        def ours(token: str = token, choice: str = choice) -> None:
            for _ in range(loops):
                resumed = signed.resume(token)
                renderer.render(signed.step(signed.advance(resumed.session, choice)))

        def bare(data: dict[str, object] = data) -> None:
            for _ in range(loops):
                json.dumps(data, ensure_ascii=False, separators=(",", ":"))

        times = {"bare": float("inf"), "ours": float("inf")}
        for _ in range(runs * 3):
            for key, fn in (("bare", bare), ("ours", ours)):
                times[key] = min(times[key], best_of(1, fn) / loops)
        ratio = times["ours"] / times["bare"]
        ratios.append(ratio)
        line(
            f"step, token in -> JSON out, {answers} answers",
            f"{times['ours'] * 1e6:.1f} µs",
            f"(json.dumps {times['bare'] * 1e6:.1f} µs)",
        )
        line(f"  step/json.dumps at {answers} answers", f"{ratio:.2f}x", "<= 2x", ratio <= 2)
    spread = max(ratios) / min(ratios) - 1
    line("  spread of step/json.dumps over 1-20 answers", f"{spread:.0%}", "<= 20%", spread <= 0.2)


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
            bench_step_json(flow, args.runs)
            bench_session_memory(flow)
            bench_tokens(flow, rng)
            bench_markdown(flow)


if __name__ == "__main__":
    main()
