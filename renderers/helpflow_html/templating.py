"""The jinja2 environment shared by every HTML output: autoescaping on, undefined names fail."""

from __future__ import annotations

from functools import cache
from pathlib import Path

try:
    import jinja2
except ImportError as exc:  # pragma: no cover - jinja2 is a dependency of helpflow
    raise ImportError("helpflow's HTML renderers need jinja2: pip install 'jinja2>=3.1'") from exc

HERE = Path(__file__).parent
STATIC = HERE / "static"


@cache
def environment() -> jinja2.Environment:
    from helpflow_html.prosehtml import copyable

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates ship inside the package: checking their files for changes on every
        # render (and every `{% import %}`) was a fifth of a static build.
        auto_reload=False,
    )
    env.filters["copyable"] = copyable
    return env


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)


@cache
def static_text(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")
