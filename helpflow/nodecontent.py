"""A node's text, with vars filled in and Markdown rendered: done once per node and vars.

Markdown is the slow part of showing a step, so it is rendered the first time a node is shown
for a given set of vars and kept; steps after that only assemble cached pieces.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from helpflow import content, textvars
from helpflow.content import Prose
from helpflow.lint import url_is_safe
from helpflow.model import AnyNode, Contact, FixNode, Link, OutcomeNode, QuestionNode
from helpflow.step import ContactView, LinkView


@dataclass(frozen=True, slots=True)
class NodeContent:
    title: str
    body: Prose
    steps: tuple[Prose, ...]
    links: tuple[LinkView, ...]
    contacts: tuple[ContactView, ...]
    choice_labels: Mapping[str, str]


class Texts:
    """Fills vars into flow text and renders it; the one door flow text passes through."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = dict(values)

    def plain(self, text: str) -> str:
        return content.plain(textvars.fill(text, self.values))

    def prose(self, text: str) -> Prose:
        return content.render(textvars.fill(text, self.values))

    def inline(self, text: str) -> Prose:
        return content.render_inline(textvars.fill(text, self.values))

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

        return ContactView(
            name=self.plain(contact.name),
            url=self.url(contact.url) if contact.url else None,
            phone=opt(contact.phone),
            email=opt(contact.email),
            hours=opt(contact.hours),
            note=opt(contact.note),
        )

    def node(self, node: AnyNode, labels: Mapping[str, str]) -> NodeContent:
        choice_labels = {cid: self.plain(label) for cid, label in labels.items()}
        if isinstance(node, QuestionNode):
            return NodeContent(
                self.plain(node.prompt), self.prose(node.help), (), (), (), choice_labels
            )
        steps = tuple(self.inline(s) for s in node.steps) if isinstance(node, FixNode) else ()
        contacts = (
            tuple(self.contact(c) for c in node.contacts) if isinstance(node, OutcomeNode) else ()
        )
        return NodeContent(
            self.plain(node.title),
            self.prose(node.body),
            steps,
            self.links(node.links),
            contacts,
            choice_labels,
        )
