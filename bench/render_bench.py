"""Renderer benchmarks, each figure with its target.

python bench/render_bench.py            # 10,000-node flow
python bench/render_bench.py --nodes 1000
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from run import best_of, line, walks

import helpflow
from helpflow._gcpause import collector_paused
from helpflow_html import HtmlRenderer
from helpflow_html.site import render_pages, site_files, site_pages
from helpflow_html.templating import environment
from helpflow_json import JsonRenderer
from helpflow_terminal import TerminalRenderer

from generate import generate_yaml


def bench_build(flow: helpflow.CompiledFlow, folder: Path) -> float:
    cold_start = time.perf_counter()
    _, plan = site_files(flow)  # includes the first Markdown rendering of every node
    cold = time.perf_counter() - cold_start
    pages = len(plan.pages)

    # The baseline: bare jinja2 rendering the same pages from contexts collected beforehand,
    # with each node's part inline in the page template (no parts made ahead): only what
    # any jinja2 site generator must pay for these pages.
    env = environment()
    contexts = []
    for _, template, context in site_pages(flow, plan):
        if template == "page.html":
            page_html = env.get_template(template).render(context)
            context = {**context, "node_head": ""}  # the template renders it inline
            assert env.get_template(template).render(context) == page_html  # the same page
        contexts.append((env.get_template(template), context))

    def bare() -> None:
        with collector_paused():  # as the build runs
            for template, context in contexts:
                template.render(context)

    def ours() -> None:
        # Everything the build does for those pages: table, plan, node parts, links, pages.
        render_pages(flow)

    bare_t, ours_t = float("inf"), float("inf")
    for _ in range(3):
        bare_t = min(bare_t, best_of(1, bare))
        ours_t = min(ours_t, best_of(1, ours))
    print(f"\nstatic build, {len(flow.flow.nodes):,} nodes → {pages:,} pages:")
    line("first build, Markdown rendered cold", f"{cold:.2f} s", "(reported)")
    line("  pages per second, cold", f"{pages / cold:,.0f}", "(reported)")
    line("step pages again, content cached", f"{ours_t:.2f} s", "(reported)")
    line("  pages per second, cached", f"{pages / ours_t:,.0f}", "(reported)")
    line("bare jinja2, same templates and contexts", f"{bare_t:.2f} s", "(baseline)")
    ratio = ours_t / bare_t
    line("  ratio to bare jinja2 (cached content)", f"{ratio:.2f}x", "<= 1.3x", ratio <= 1.3)
    start = time.perf_counter()
    HtmlRenderer().build(flow, folder / "site")
    line("build with writing files (atomic)", f"{time.perf_counter() - start:.2f} s", "(reported)")
    return ratio


def bench_render(flow: helpflow.CompiledFlow) -> None:
    rng = random.Random(5)
    steps = []
    for choices in walks(flow, 100, rng):
        session = flow.start()
        for choice in choices:
            session = flow.choose(session, choice)
            steps.append(flow.step(session))
    renderers = {
        "json": JsonRenderer(),
        "json compact (as served)": JsonRenderer(indent=None),
        "html": HtmlRenderer(),
        "terminal": TerminalRenderer(),
    }
    times = {}
    for name, renderer in renderers.items():
        times[name] = best_of(5, lambda r=renderer: [r.render(s) for s in steps]) / len(steps)
    print(f"\nper-step rendering ({len(steps)} steps, warm):")
    for name, t in times.items():
        line(f"{name} render(step)", f"{t * 1e6:.1f} µs", "(reported)")
    for name in ("html", "terminal"):
        line(f"  {name} vs json", f"{times[name] / times['json']:.1f}x", "(reported)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "flow.yaml"
        path.write_text(generate_yaml(args.nodes), encoding="utf-8")
        flow = helpflow.load(path)
        ratio = bench_build(flow, Path(folder))
        bench_render(flow)
    print(f"build/jinja2: {ratio:.2f}")  # last line, read by scripts: target <= 1.3


if __name__ == "__main__":
    main()
