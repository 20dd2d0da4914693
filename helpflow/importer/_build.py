"""The article's outline → the data of a draft flow, with a `todo` on every guess.

The first question offers the article's issue sections; a section with sub-sections becomes a
further question. A section with a list becomes a fix (its list the steps); one that only
sends the reader to someone becomes an escalate outcome, one that only points elsewhere an
external outcome. "Did that work?" leads to a shared `solved` outcome and to the contact the
section (or else the article) names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from helpflow.importer import _words as w
from helpflow.importer._structure import Article, Block, Section

Data = dict[str, Any]
_CLOSING = re.compile(r"^(?:still need help|need more help|contact us|get (?:more )?help)", re.I)


@dataclass
class Draft:
    """A flow's data, and a comment for each node saying which part of the article it is."""

    data: Data
    comments: dict[str, str] = field(default_factory=dict)

    @property
    def todos(self) -> int:
        return sum(1 for node in self.data["nodes"].values() if "todo" in node)


class _Builder:
    def __init__(self, article: Article, source_name: str) -> None:
        self.article = article
        self.source = source_name
        self.ids: set[str] = {"start", "solved", "contact_support"}
        self.nodes: dict[str, Data] = {}
        self.comments: dict[str, str] = {}
        self.used: set[str] = set()
        self.escalation: Data | None = None

    def build(self) -> Draft:
        article = self.article
        closing = [s for s in article.sections if _CLOSING.match(s.heading)]
        issues = [s for s in article.sections if s not in closing]
        contact_blocks = [b for s in closing for b in s.blocks]
        contact_blocks += [b for b in article.intro if w.CONTACT.search(b.text)]
        self.escalation = self._contact_outcome(
            "Contact support", contact_blocks, "the article's closing words"
        )
        intro = [b for b in article.intro if not w.CONTACT.search(b.text)]
        todos = []
        title = article.title
        if not title:
            title = self.source.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("-", " ")
            title = title.replace("_", " ").strip().capitalize() or "Imported article"
            todos.append("the article has no title: the flow's title was made from its name")
        start = self._question(
            "start", "What is the problem?", issues, "", "the article's sections", todos
        )
        data: Data = {"helpflow": 1, "id": w.make_id(title, set(), fallback="imported")}
        data["title"] = title
        if intro:
            data["intro"] = _markdown(intro)
        data["start"] = start
        data["nodes"] = self._ordered()
        return Draft(_literal_braces(data), self.comments)

    def _ordered(self) -> dict[str, Data]:
        nodes = dict(self.nodes)
        if "solved" in self.used:
            nodes["solved"] = {
                "kind": "outcome",
                "resolution": "solved",
                "title": "Glad that sorted it",
                "body": "You can close this guide.",
            }
            self.comments["solved"] = "Shared by every fix whose steps worked."
        if "contact_support" in self.used and self.escalation is not None:
            nodes["contact_support"] = self.escalation
            self.comments["contact_support"] = "Where fixes that did not help lead."
        return nodes

    def _question(
        self,
        node_id: str,
        prompt: str,
        sections: list[Section],
        help_text: str,
        where: str,
        todos: list[str],
    ) -> str:
        self.ids.add(node_id)
        node: Data = {"kind": "question", "prompt": prompt}
        if help_text:
            node["help"] = help_text
        self.nodes[node_id] = node
        self.comments[node_id] = f"From {where}."
        choices = []
        for section in sections:
            target = self._section(section)
            choices.append({"id": target, "label": section.heading, "to": target})
        if not choices:
            choices = [{"id": "contact", "label": "Get help", "to": "contact_support"}]
            self.used.add("contact_support")
            todos.append("no sections found here to offer as choices")
        node["choices"] = choices
        todos.append(f"check the question's wording ({len(choices)} choices from {where})")
        node["todo"] = "; ".join(todos)
        return node_id

    def _section(self, section: Section) -> str:
        node_id = w.make_id(section.heading, self.ids, fallback="section")
        where = f"the section {section.heading!r} (line {section.line})"
        if section.children:
            todos = []
            if any(b.kind == "list" for b in section.blocks):
                todos.append("this section's own list is in the help text: make it a fix?")
            prompt = f"{section.heading}: which one?"
            help_text = _markdown(section.blocks)
            self._question(node_id, prompt, section.children, help_text, where, todos)
            return node_id
        self.nodes[node_id] = {}  # keeps the node's place before the outcomes it adds
        self.nodes[node_id] = self._leaf(node_id, section)
        self.comments[node_id] = f"From {where}."
        return node_id

    def _leaf(self, node_id: str, section: Section) -> Data:
        steps, body, follow = _split(section.blocks)
        todos = _gaps(section.blocks, steps)
        if sum(1 for b in section.blocks if b.kind == "list") > 1:
            todos.append("several lists were joined into one set of steps")
        if not steps and not body and follow:
            # The section only says who to ask or where to go.
            return self._after(section.heading, follow, todos, "this section")
        if not steps and not (follow and body):
            return self._no_steps(section, body, todos)
        node: Data = {"kind": "fix", "title": section.heading}
        if body:
            node["body"] = _markdown(body)
        if steps:
            node["steps"] = steps
        else:
            todos.append("the instructions are in the body: split them into steps")
        node["solved"] = "solved"
        self.used.add("solved")
        node["not_solved"] = self._not_solved(node_id, section, follow, todos)
        if todos:
            node["todo"] = "; ".join(todos)
        return node

    def _no_steps(self, section: Section, body: list[Block], todos: list[str]) -> Data:
        text = _markdown(body)
        found = w.links(text)
        if found or (w.VISIT.search(text) and w.PAGE.search(text)):
            node = self._external(section.heading, text, found, todos)
            todos.append("check that this section only sends the reader elsewhere")
            node["todo"] = "; ".join(todos)
            return node
        if section.heading.rstrip().endswith("?"):
            todos.append("an answer without steps became an outcome: check it answers fully")
            return {
                "kind": "outcome",
                "resolution": "solved",
                "title": section.heading,
                "body": text or section.heading,
                "todo": "; ".join(todos),
            }
        node = {"kind": "fix", "title": section.heading, "body": text or section.heading}
        node["solved"] = "solved"
        node["not_solved"] = "contact_support"
        self.used |= {"solved", "contact_support"}
        todos.append("no steps found in this section: write them, or make it an outcome")
        node["todo"] = "; ".join(todos)
        return node

    def _external(
        self, title: str, text: str, found: list[tuple[str, str]], todos: list[str]
    ) -> Data:
        node: Data = {"kind": "outcome", "resolution": "external", "title": title, "body": text}
        if found:
            node["links"] = [{"label": label, "url": url} for label, url in found]
        else:
            todos.append("the article points to a page here without its address: add links")
        return node

    def _after(self, title: str, follow: list[Block], todos: list[str], where: str) -> Data:
        """An outcome from "still not working?" wording: a contact, or a page to go to."""
        text = _markdown(follow)
        if any(w.CONTACT.search(b.text) for b in follow):
            node = self._contact_outcome(title, follow, where)
            node["todo"] = "; ".join([*todos, node["todo"]])
            return node
        node = self._external(title, text, w.links(text), todos)
        node["todo"] = "; ".join([*todos, "check where readers go when this did not help"])
        return node

    def _not_solved(
        self, node_id: str, section: Section, follow: list[Block], todos: list[str]
    ) -> str:
        text = _markdown(follow)
        if not (any(w.CONTACT.search(b.text) for b in follow) or w.links(text)):
            self.used.add("contact_support")
            todos.append("the article does not say what to do if this fails: check not_solved")
            return "contact_support"
        outcome_id = w.make_id(node_id, self.ids, suffix="_help")
        self.nodes[outcome_id] = self._after(
            f"Get help: {section.heading}", follow, [], "this section"
        )
        self.comments[outcome_id] = f"Where readers go when {node_id!r} did not help."
        return outcome_id

    def _contact_outcome(self, title: str, blocks: list[Block], where: str) -> Data:
        text = _markdown(blocks)
        found = w.find_contacts(text)
        names = found.names or ["Support"]
        todos = []
        contacts: list[Data] = [{"name": name} for name in dict.fromkeys(names)]
        first = contacts[0]
        if found.urls:
            first["url"] = found.urls[0][1]
        if found.phones:
            first["phone"] = found.phones[0]
        if found.emails:
            first["email"] = found.emails[0]
        if found.hours:
            first["hours"] = found.hours
        if len(contacts) > 1 and (found.urls or found.phones or found.emails):
            todos.append("check which contact each address, phone and email belongs to")
        for contact in contacts:
            if not any(k in contact for k in ("url", "phone", "email")):
                contact["note"] = w.plain_text(text).strip() or "Ask your support team."
                todos.append(f"the article gives no way to reach {contact['name']!r}: add one")
        if not found.names:
            todos.append(f"no one to contact is named in {where}: check the contact")
        node: Data = {"kind": "outcome", "resolution": "escalate", "title": title}
        if text:
            node["body"] = text
        node["contacts"] = contacts
        node["todo"] = "; ".join(todos) if todos else "check the contact details"
        return node


#: Keys whose values are ids or keywords, not text a reader sees.
_NOT_TEXT = {"helpflow", "id", "start", "kind", "resolution", "to", "solved", "not_solved"}


def _literal_braces(value: Any, key: str = "") -> Any:
    """Braces in the article are text, not `{var}` placeholders: write them doubled."""
    if isinstance(value, dict):
        return {k: _literal_braces(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_literal_braces(item, key) for item in value]
    if isinstance(value, str) and key not in _NOT_TEXT:
        return value.replace("{", "{{").replace("}", "}}")
    return value


def _split(blocks: list[Block]) -> tuple[list[str], list[Block], list[Block]]:
    """A section's steps (list items), body, and "still not working?" follow-up."""
    steps: list[str] = []
    body: list[Block] = []
    follow: list[Block] = []
    for block in blocks:
        if block.kind == "list":
            for item in block.items:
                if w.CONTACT.search(item) or w.FOLLOW_UP.search(item):
                    follow.append(Block("para", item))
                else:
                    steps.append(item)
            continue
        if block.kind != "para":
            body.append(block)
            continue
        match = w.FOLLOW_UP.search(block.text) or w.CONTACT.search(block.text)
        if match is None and steps and block.text.startswith("If ") and w.links(block.text):
            follow.append(block)  # "If that is slow too, see …" after the steps
            continue
        if match is None:
            body.append(block)
            continue
        # The follow-up starts at the sentence the wording is in.
        cut = max(block.text.rfind(mark, 0, match.start()) for mark in (". ", "? ", "! "))
        before, after = block.text[: cut + 1].strip(), block.text[cut + 1 :].strip()
        if before and not w.FOLLOW_UP.fullmatch(before.rstrip("?")):
            body.append(Block("para", before))
        follow.append(Block("para", after))
    return steps, body, follow


def _gaps(blocks: list[Block], steps: list[str]) -> list[str]:
    todos = [
        f"step {n} ({step!r}) looks cut off: a link or name may be missing"
        for n, step in enumerate(steps, 1)
        if len(step.split()) <= 1
    ]
    if any(w.IMAGE_NOTE in b.text for b in blocks):
        todos.append(
            "an image of the article was left out: copy it into the flow's folder and put "
            "`![alt](path)` back where the note says"
        )
    trailing = [b for b in blocks if b.kind == "para" and b.text.rstrip().endswith(":")]
    for block in trailing:
        after = blocks[blocks.index(block) + 1 :]
        if not any(b.kind in ("list", "code", "table") for b in after):
            todos.append(
                f"the article announces more here ({_short(block.text)!r}) that is not in its "
                "text (behind an 'Expand All'?)"
            )
    return todos


def _short(text: str) -> str:
    words = w.plain_text(text).split()
    return " ".join(words[:8]) + (" …" if len(words) > 8 else "")


def _markdown(blocks: list[Block]) -> str:
    return "\n\n".join(b.text.strip() for b in blocks).strip()


def build(article: Article, source_name: str) -> Draft:
    return _Builder(article, source_name).build()
