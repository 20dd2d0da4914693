"""The jinja2 environment shared by every HTML output: autoescaping on, undefined names fail."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from markupsafe import Markup

from helpflow import uitext

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
        extensions=["jinja2.ext.i18n"],
    )
    env.filters["copyable"] = copyable
    env.filters["direction"] = uitext.direction  # "rtl" for a text in Arabic, Hebrew, …
    # The strings of the render under way (`uitext.current`): macros imported without
    # context see them too.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True
    )
    env.globals["ui"] = uitext.ACTIVE  # `ui.lang`, `ui.dir` of the strings in effect
    return env


# jinja2 marks what gettext returns as safe HTML; neither a translator's text nor a flow's own
# `ui:` wording is markup, so it is escaped here. `'` stays as written: every attribute in
# the templates is double-quoted, and English pages keep the bytes they had.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;"})


def _escaped(text: str) -> Markup:
    return Markup(text.translate(_ESCAPES))


def _gettext(message: str) -> Markup:
    return _escaped(uitext.gettext(message))


def _ngettext(singular: str, plural: str, n: int) -> Markup:
    return _escaped(uitext.ngettext(singular, plural, n))


def render(template: str, **context: object) -> str:
    """Renders in the language in effect (`uitext.using`; English by default)."""
    return environment().get_template(template).render(**context)


@cache
def static_text(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")
