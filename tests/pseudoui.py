"""A pseudo-locale for the whole product: helpflow's interface catalog and the bundled flow's
catalog, every string accented and lengthened (helpflow.i18n.pseudo). Any plain ASCII word
left on a face is a string that escaped translation.

The tag is `en-XA`, the usual pseudo-locale; Babel has no data for it, so the interface
catalog names its plural rule in its header and no language.
"""

from __future__ import annotations

import html.parser
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from helpflow import i18n, uicatalog, uitext

from support import BUNDLED

PSEUDO = "en-XA"
_PLACEHOLDER = re.compile(r"(%\([a-z_]+\)[sd])")
#: Addresses, tokens and answer references: shown, but not words to translate.
_NOT_WORDS = re.compile(
    r"https?://\S+|mailto:\S+|tel:\S+|\S+@\S+|--[a-z-]+"  # (and command-line options)
    r"|\b[\w-]+\.[A-Za-z0-9_-]{8,}\b"  # a session token (flow.XXXX)
    r"|\S*[A-Za-z0-9_-]+:[A-Za-z0-9_-]+\S*"  # an answers reference (node:choice,…)
)
ENGLISH = re.compile(r"(?<![^\W\d_])[A-Za-z]{3,}(?![^\W\d_])")


def pseudo_ui(text: str) -> str:
    """`text` in the pseudo-locale, its `%(name)s` placeholders kept."""
    return "".join(
        part if _PLACEHOLDER.fullmatch(part) else i18n.pseudo(part)
        for part in _PLACEHOLDER.split(text)
    )


def write_ui_catalog(root: Path) -> None:
    template = uicatalog.read_catalog(uitext.LOCALE_DIR / "helpflow.pot")
    catalog = Catalog(domain=uitext.DOMAIN, fuzzy=False)
    # No locale data to take the plural rule from: set it as the header will say it.
    catalog._num_plurals = 2  # type: ignore[assignment]
    catalog._plural_expr = "(n != 1)"  # type: ignore[assignment]
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, str):
            translation: str | tuple[str, ...] = pseudo_ui(message.id)
        else:
            translation = tuple(pseudo_ui(form) for form in message.id)
        catalog.add(message.id, translation, flags=message.flags)
    folder = root / PSEUDO.replace("-", "_") / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "helpflow.po").open("wb") as handle:
        write_po(handle, catalog)


def write_flow_catalog(folder: Path) -> Path:
    """A copy of the bundled flow with a pseudo catalog; returns the flow file."""
    shutil.copytree(BUNDLED.parent, folder)
    flow = folder / BUNDLED.name
    i18n.pseudo_catalog(flow, PSEUDO)
    return flow


@contextmanager
def pseudo_locale(root: Path) -> Iterator[Path]:
    """The pseudo interface catalog in effect (HELPFLOW_UI_LOCALES) and the pseudo flow;
    yields the flow file."""
    write_ui_catalog(root / "ui")
    flow = write_flow_catalog(root / "flows")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(uitext.ENV_PATH, str(root / "ui"))
        yield flow


def english_words(text: str) -> list[str]:
    return ENGLISH.findall(_NOT_WORDS.sub(" ", text))


class VisibleText(html.parser.HTMLParser):
    """The text a reader sees or hears on a page: text nodes outside scripts and styles,
    titles, aria-labels and alt texts. Code is shown as written (never translated), and a
    part in another language (`lang` differs from the page's, e.g. a language switcher)
    is that language's own."""

    SKIP = frozenset({"script", "style", "code", "pre"})
    VOID = frozenset({"br", "img", "input", "link", "meta", "hr", "source", "wbr"})

    def __init__(self, page_lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_lang = page_lang
        self.stack: list[bool] = []  # per open element: is its text skipped?
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        skipped = bool(self.stack and self.stack[-1]) or tag in self.SKIP
        lang = values.get("lang")
        if lang and tag != "html" and lang != self.page_lang:
            skipped = True
        if not skipped:
            self.found.extend(v for k, v in attrs if k in ("aria-label", "alt", "title") and v)
        if tag not in self.VOID:
            self.stack.append(skipped)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]) and data.strip():
            self.found.append(data.strip())


def visible_text(page: str, lang: str = PSEUDO) -> list[str]:
    parser = VisibleText(lang)
    parser.feed(page)
    return parser.found
