"""A node's fields rendered into what a step shows (`NodeContent`): vars filled in, Markdown
rendered (by `helpflow.content`, one text at a time), done once per node and vars.

Markdown is the slow part of showing a step, so each text is rendered once per flow version
with placeholders where values go (`Templates`), and filled per set of vars (`NodeRenderer`):
a site with other var values, or a request that overrides one, costs a string fill.
Nodes that recall answers (`{answers.NODE}`) or hold per-variant steps are filled per step.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace

from helpflow import content, routes, textvars
from helpflow.conditions import Answers, compile_when, referenced_answers
from helpflow.content import NO_PROSE, Prose, Template
from helpflow.model import (
    AnyNode,
    Contact,
    FixNode,
    FixStep,
    Link,
    OutcomeNode,
    QuestionNode,
    When,
)
from helpflow.sanitize import url_is_safe
from helpflow.step import ContactView, LinkView
from helpflow.uitext import N_

# Defaults a Step shows where the author wrote nothing: interface strings, translated with
# the flow's `ui` strings (helpflow.uitext).
ASK_DEFAULT = N_("Did this solve it?")
LINKS_TITLE_DEFAULT = N_("Related")
#: What a recalled answer shows where there is no session (article, widget's no-JS view).
RECALL_UNKNOWN = N_("your answer")
#: The implicit answers of a fix, as the engine labels them (`routes.FIX_CHOICES`).
_FIX_LABELS = {choice: label for choice, _, label in routes.FIX_CHOICES}


@dataclass(frozen=True, slots=True)
class NodeContent:
    title: str
    body: Prose
    steps: tuple[Prose, ...]
    links: tuple[LinkView, ...]
    contacts: tuple[ContactView, ...]
    choice_labels: Mapping[str, str]
    after: Prose = NO_PROSE
    #: The "did it work?" question of a fix with solved/not_solved; "" otherwise.
    ask: str = ""
    links_title: str = LINKS_TITLE_DEFAULT
    #: The `when` of each step (None: always shown), for views that show every variant.
    step_whens: tuple[When | None, ...] = ()
    #: Depends on the session: recalls answers or has per-variant steps.
    personal: bool = False


class Templates:
    """Each Markdown text of one flow version, rendered once with placeholders."""

    def __init__(self, var_names: Collection[str], images: Mapping[str, str] | None = None) -> None:
        self.known = frozenset(var_names)
        #: Local image src as written → where it is published (`_assets/<hash>.png`).
        self.images = dict(images or {})
        self._cache: dict[tuple[str, bool], Template] = {}

    def get(self, text: str, *, inline: bool = False) -> Template:
        key = (text, inline)
        found = self._cache.get(key)
        if found is None:
            found = content.render_template(textvars.mark(text, self.known), inline=inline)
            if self.images and "<img" in found.prose.html:
                found = replace(found, prose=replace(found.prose, html=self._images(found)))
            self._cache[key] = found
        return found

    def _images(self, template: Template) -> str:
        def publish(match: re.Match[str]) -> str:
            src = html.unescape(match.group(2))
            return f'{match.group(1)}{html.escape(self.images.get(src, src))}"'

        return _SRC.sub(publish, template.prose.html)


_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]*)"')
_PHONE_JUNK = re.compile(r"[\s().\-/]")


def phone_href(phone: str) -> str | None:
    """`tel:` for a phone number: E.164 (`+` and digits) when written with a country code,
    the digits as written otherwise; None when it is not a number (e.g. "ask your ISP")."""
    number = _PHONE_JUNK.sub("", phone)
    if number.startswith("00"):
        number = "+" + number[2:]
    digits = number[1:] if number.startswith("+") else number
    if not digits.isdigit() or not 3 <= len(digits) <= 15:
        return None
    return f"tel:{number}"


def email_href(email: str) -> str | None:
    address = email.strip()
    if " " in address or address.count("@") != 1 or any(c in address for c in "<>\"'?&#"):
        return None
    return f"mailto:{address}"


class NodeRenderer:
    """Fills vars (and, per step, recalled answers) into flow text; the one door flow text
    passes through."""

    def __init__(
        self,
        values: Mapping[str, str],
        templates: Templates,
        answers: Mapping[str, str] | None = None,
        ui: Callable[[str], str] | None = None,
    ) -> None:
        self.values = dict(values)
        self.templates = templates
        self.answers = answers
        #: Interface strings in the flow's language (gettext); English when not given.
        self.ui = ui or str

    def _slot(self, slot: textvars.Slot) -> str:
        kind, name = slot
        if kind == "var":
            return self.values.get(name, "")
        return self.ui(RECALL_UNKNOWN) if self.answers is None else self.answers.get(name, "")

    def plain(self, text: str) -> str:
        recall = self.answers if self.answers is not None else _Unknown(self.ui(RECALL_UNKNOWN))
        return content.plain(textvars.fill(text, self.values, recall))

    def prose(self, text: str, *, inline: bool = False) -> Prose:
        template = self.templates.get(text, inline=inline)
        return content.fill(template, [self._slot(s) for s in template.slots])

    def inline(self, text: str) -> Prose:
        return self.prose(text, inline=True)

    def url(self, text: str) -> str | None:
        url = content.plain(textvars.fill(text, self.values))
        return url if url and url_is_safe(url) else None

    def links(self, links: tuple[Link, ...]) -> tuple[LinkView, ...]:
        views = []
        for link in links:
            url = self.url(link.url)
            if url is not None:  # an unsafe link is dropped, never shown as text to click
                views.append(LinkView(self.plain(link.label), url))
        return tuple(views)

    def contact(self, contact: Contact) -> ContactView:
        def opt(value: str | None) -> str | None:
            return self.plain(value) if value else None

        phone, email = opt(contact.phone), opt(contact.email)
        return ContactView(
            name=self.plain(contact.name),
            url=self.url(contact.url) if contact.url else None,
            phone=phone,
            email=email,
            hours=opt(contact.hours),
            note=opt(contact.note),
            phone_href=phone_href(phone) if phone else None,
            email_href=email_href(email) if email else None,
        )

    def node(
        self, node: AnyNode, labels: Mapping[str, str], latest: Answers | None = None
    ) -> NodeContent:
        """The node's content; with `latest` (the session's answers), only the steps whose
        `when` holds."""
        if isinstance(node, FixNode):  # the engine's own answer labels are interface text
            labels = {c: self.ui(t) if _FIX_LABELS.get(c) == t else t for c, t in labels.items()}
        choice_labels = {cid: self.plain(label) for cid, label in labels.items()}
        if isinstance(node, QuestionNode):
            return NodeContent(
                self.plain(node.prompt),
                self.prose(node.help),
                (),
                (),
                (),
                choice_labels,
                links_title=self.ui(LINKS_TITLE_DEFAULT),  # a question has no links; a step says
                personal=_recalls(node.prompt, node.help, *(c.label for c in node.choices)),
            )
        base = NodeContent(
            self.plain(node.title),
            self.prose(node.body),
            (),
            self.links(node.links),
            (),
            choice_labels,
            links_title=self.plain(node.links_title or self.ui(LINKS_TITLE_DEFAULT)),
        )
        if isinstance(node, OutcomeNode):
            contacts = tuple(self.contact(c) for c in node.contacts)
            return replace(base, contacts=contacts, personal=_recalls(node.title, node.body))
        return self._fix(node, base, latest)

    def _fix(self, node: FixNode, base: NodeContent, latest: Answers | None) -> NodeContent:
        items = [(s, None) if isinstance(s, str) else (s.text, s.when) for s in node.steps]
        if latest is not None:
            items = [(t, None) for t, w in items if w is None or compile_when(w)(latest)]
        texts = [t for t, _ in items]
        return replace(
            base,
            steps=tuple(self.inline(t) for t in texts),
            after=self.prose(node.after),
            ask=self.plain(node.ask or self.ui(ASK_DEFAULT)) if node.solved is not None else "",
            step_whens=tuple(w for _, w in items),
            personal=any(isinstance(s, FixStep) for s in node.steps)
            or _recalls(node.title, node.body, node.after, node.ask or "", *texts),
        )


class _Unknown(dict[str, str]):
    def __init__(self, shown: str) -> None:
        super().__init__()
        self.shown = shown

    def get(self, key: str, default: str | None = None) -> str:  # type: ignore[override]
        return self.shown


def answers_shown(node: AnyNode) -> frozenset[str]:
    """The nodes whose answers change what this node shows (per-variant steps, recalled
    answers): a static site needs one page per combination of them."""

    texts = [node.prompt, node.help] if isinstance(node, QuestionNode) else [node.title, node.body]
    found: set[str] = set()
    if isinstance(node, FixNode):
        texts.append(node.after)
        for step in node.steps:
            if isinstance(step, str):
                texts.append(step)
            else:
                texts.append(step.text)
                found.update(n for n, _ in referenced_answers(step.when))
    for text in texts:
        found.update(textvars.answers_in(text))
    return frozenset(found)


def _recalls(*texts: str) -> bool:
    return any("{answers." in text for text in texts)
