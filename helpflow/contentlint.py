"""Lint for content: what the renderers would drop or change, and answers recalled before
they are given. Part of `helpflow.lint`; kept apart because it reads text, not the graph.

"Strict-valid means nothing lost": anything the sanitizer would remove (an element, an
attribute, a link with an unsafe scheme), an image without alt text, or Markdown that renders
as an empty paragraph is reported at its field, naming what goes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from helpflow import assets, content, routes, textvars
from helpflow.fields import markdown_fields
from helpflow.model import AnyNode, FixNode, Flow, OutcomeNode, QuestionNode
from helpflow.overrides import is_url_var
from helpflow.routes import Edge, Loc
from helpflow.sanitize import dropped


@dataclass(frozen=True, slots=True)
class Finding:
    loc: Loc
    code: str
    message: str
    severity: str = "warning"
    node: str | None = None
    witness: tuple[str, ...] = ()


#: What Markdown needs in its source to make anything the sanitizer removes: raw HTML (`<`),
#: links, images and alerts (`[`), headings other than h3/h4 (`#`, or a setext underline),
#: table attributes (`|`). Text with none of these renders only allowed elements, so it is not
#: rendered here: rendering every field made this check most of a load's time.
_MAY_DROP = re.compile(r"[<\[#|]|^[ \t]*(?:=+|-+)[ \t]*$", re.M)


def dropped_content(flow: Flow) -> Iterator[Finding]:
    known = frozenset(flow.vars)
    for loc, text in markdown_fields(flow):
        if not text.strip() or not _MAY_DROP.search(text):
            continue
        node = str(loc[1]) if loc[0] == "nodes" else None
        where = f"node {node!r}: " if node else ""
        if content.markup_cost(text) > content.MARKUP_BUDGET:
            unmatched = len(content.unmatched_brackets(text))
            message = (
                f"{where}{unmatched:,} '[' without a matching ']' in {len(text):,} characters "
                "would take Markdown minutes to render; write \\[ for a literal bracket"
            )
            yield Finding(loc, "markup-too-costly", message, severity="error", node=node)
            continue
        raw = content.markdown_html(textvars.mark(text, known).text)
        for what in dropped(raw):
            if what.startswith("image without"):  # alt text is required, not just advised
                yield Finding(loc, "image-alt", f"{where}{what}", severity="error", node=node)
            else:
                yield Finding(loc, "dropped-content", f"{where}{what}", node=node)


def images(flow: Flow, base_dir: Path) -> Iterator[Finding]:
    """Local images must be publishable: inside the flow's folder, existing, an image type."""
    for loc, text in markdown_fields(flow):
        for match in assets.IMAGE_SOURCE.finditer(text):
            src = match.group(1)
            if not assets.is_local(src):
                continue
            try:
                assets.resolve(base_dir, src)
            except assets.AssetError as exc:
                node = str(loc[1]) if loc[0] == "nodes" else None
                yield Finding(loc, "bad-image", str(exc), severity="error", node=node)


def outcomes(flow: Flow) -> Iterator[Finding]:
    for node_id, node in flow.nodes.items():
        if (
            isinstance(node, OutcomeNode)
            and node.resolution == "escalate"
            and not (node.contacts or node.body.strip())
        ):
            yield Finding(
                ("nodes", node_id),
                "escalate-without-contact",
                f"node {node_id!r}: an escalation with no contacts and no body does not "
                "say whom to ask",
                node=node_id,
            )


def overridable_urls(flow: Flow) -> Iterator[Finding]:
    for name, var in flow.vars.items():
        if var.overridable and is_url_var(name, var) and not var.default.startswith("https://"):
            yield Finding(
                ("vars", name, "default"),
                "overridable-url",
                f"var {name!r} may be overridden by requests, so its address must be https://",
                severity="error",
            )


def recalled_answers(
    flow: Flow, texts: Iterator[tuple[Loc, str]], adjacency: dict[str, list[Edge]]
) -> Iterator[Finding]:
    """`{answers.NODE}` must name a question that every path answers before this text."""
    searches: dict[str, routes.Parents] = {}
    for loc, text in texts:
        for asked in textvars.answers_in(text):
            user = str(loc[1]) if loc[0] == "nodes" else None
            target = flow.nodes.get(asked)
            if not isinstance(target, QuestionNode):
                yield Finding(
                    loc,
                    "unknown-recall",
                    f"{{answers.{asked}}}: {asked!r} is not a question of this flow",
                    severity="error",
                    node=user,
                )
                continue
            if user is None:
                continue
            if asked not in searches:
                searches[asked] = routes.search(flow.start, adjacency, avoid=asked)
            parents = searches[asked]
            if user == asked or user in parents:
                yield Finding(
                    loc,
                    "recall-maybe-missing",
                    f"node {user!r}: {{answers.{asked}}} recalls {asked!r}, but a reader can get "
                    "here without answering it",
                    severity="error",
                    node=user,
                    witness=routes.witness(parents, user) if user in parents else (user,),
                )


def node_texts_extra(node_id: str, node: AnyNode) -> Iterator[tuple[Loc, str]]:
    """The texts the content additions bring (for var and recall checks)."""
    base: Loc = ("nodes", node_id)
    if isinstance(node, FixNode):
        yield (*base, "after"), node.after
        for field in ("ask", "solved_label", "not_solved_label"):
            value = getattr(node, field)
            if value:
                yield (*base, field), value
    if not isinstance(node, QuestionNode) and node.links_title:
        yield (*base, "links_title"), node.links_title
