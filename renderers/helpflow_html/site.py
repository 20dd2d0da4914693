"""The static help site: one page per planned state, plain links, no JavaScript needed.

Pages come from `helpflow_html.plan.plan_pages`. Links are relative and point at files
(`x/index.html`), so the site works from any folder of any host and opened from disk. What a
page shows of its node is rendered once per node and reused on every page of that node.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from helpflow import uitext
from helpflow._gcpause import collector_paused
from helpflow.assets import ASSET_DIR
from helpflow.engine import CompiledFlow
from helpflow.errors import RendererError
from helpflow.routes import asks_if_solved
from helpflow.session import Answer, Session
from helpflow.step import AnswerView, Step
from helpflow_html._reask import NOT_ASKED
from helpflow_html.languages import Alternate, SiteLanguages
from helpflow_html.links import PageLinks
from helpflow_html.plan import (
    Known,
    PageKey,
    PagePlan,
    page_path,
    plan_pages,
    transition_table,
)
from helpflow_html.templating import environment, render, static_text

#: Separates the page's own title from the flow's in <title>.
TITLE_DASH = "\N{EN DASH}"

#: Files every site has besides its pages; each name has a `.`, which no page folder has.
ASSETS = ("helpflow.css", "back.js", "copy.js")
#: Sends "Was this helpful?"; written where pages ask it (built with an events URL).
FEEDBACK_JS = "feedback.js"
#: Pages that ask "Was this helpful?".
ASKS_FEEDBACK = frozenset({"fix", "outcome"})


def checked_events_url(url: str) -> str:
    """`url` if it can be where the static site sends feedback: an absolute http(s) URL or a
    path on the site's own host. Anything else (a typo, `javascript:`) is refused here, at
    build time, rather than failing silently in every reader's browser."""
    parts = urlsplit(url)
    absolute = parts.scheme in ("http", "https") and bool(parts.netloc)
    on_host = not parts.scheme and not parts.netloc and url.startswith("/")
    if not (absolute or on_host) or any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise RendererError(
            f"--events-url {url!r}: give the full address of the events endpoint, e.g. "
            "https://help.example.com/api/v1/events (or a path such as /api/v1/events)"
        )
    return url


@dataclass(frozen=True)
class ChoiceLink:
    id: str
    label: str
    href: str


@dataclass(frozen=True)
class SummaryItem:
    answer: object
    href: str | None


def node_head(step: Step, *, asks_solved: bool, template: Any = None) -> Markup:
    """The part of a step page its node decides: heading, text, steps, contacts (rendered
    by the autoescaping environment, so Markup is what it is)."""
    template = template or environment().get_template("_node.html")
    # Shared only by nodes without local images, whose paths depend on the page's folder.
    return Markup(template.render(step=step, asks_solved=asks_solved, assets_href=""))


def page_context(
    step: Step,
    links: PageLinks,
    *,
    canonical: str = "",
    history_back_js: str = "",
    head: Markup | None = None,
) -> dict[str, object]:
    """What page.html is given for one step, wherever its links point (static site, server
    query strings, token links)."""
    choices = [ChoiceLink(c.id, c.label, links.choices[c.id]) for c in step.choices]
    asks_solved = asks_if_solved(c.id for c in choices)
    return {
        "flow": step.flow,
        "step": step,
        "choices": choices,
        "asks_solved": asks_solved,
        "node_head": head or "",  # empty: the page template renders the node part inline
        "asked_again": False,
        "not_asked_href": "",
        "back_href": links.back,
        "history_back_js": history_back_js,
        "summary": [SummaryItem(a, links.change.get(a.node_id)) for a in step.answers],
        "home_href": links.home,
        "css_href": links.css,
        # copy.js and _assets/ sit beside the stylesheet, wherever a face serves it.
        "copy_js": links.css.removesuffix("helpflow.css") + "copy.js",
        "assets_href": links.css.removesuffix("helpflow.css"),
        # Server pages allow scripts by nonce only; static pages have none (and need none).
        "nonce": links.csp_nonce,
        "page_title": f"{step.title} {TITLE_DASH} {step.flow.title}",
        "canonical": canonical,
        "feedback": links.feedback if step.kind != "question" else None,
        "feedback_thanks": links.feedback_thanks,
    }


def public_url(path: str) -> str:
    """How a page is addressed when served: its folder for `index.html`."""
    return path[: -len("index.html")] if path.endswith("index.html") else path


class _Nodes:
    """Each node's fixed parts, made once per build."""

    def __init__(self, flow: CompiledFlow) -> None:
        self.flow = flow
        self._template = environment().get_template("_node.html")
        self.shared: set[str] = set()
        self._steps: dict[tuple[str, Known], Step] = {}
        self._heads: dict[tuple[str, bool], Markup] = {}
        self._answers: dict[tuple[str, str], AnswerView] = {}

    def step(self, node: str, known: Known = ()) -> Step:
        """What a page shows of its node; choices, answers and links are the page's own, and
        no static page uses a token. A node whose text depends on earlier answers (variant
        steps, recalled answers) is shown as the answers the page carries make it."""
        flow = self.flow
        content = flow.content(node)
        key = (node, known if content.personal else ())
        step = self._steps.get(key)
        if step is None:
            if content.personal:
                answers = tuple(Answer(n, c) for n, c in known)
                content = flow.content_for(Session(flow.id, flow.version, node, answers))
            step = Step(
                flow=flow.info,
                node_id=node,
                kind=flow.flow.nodes[node].kind,
                title=content.title,
                body=content.body,
                steps=content.steps,
                links=content.links,
                contacts=content.contacts,
                choices=(),
                answers=(),
                can_go_back=False,
                outcome=flow.outcome(Session(flow.id, flow.version, node)),
                after=content.after,
                ask=content.ask,
                links_title=content.links_title,
            )
            self._steps[key] = step
        return step

    def personal(self, node: str) -> bool:
        """Whether the node's part differs between its pages: text that depends on earlier
        answers, or local images (linked relative to each page's folder)."""
        content = self.flow.content(node)
        html = "".join(p.html for p in (content.body, content.after, *content.steps))
        return content.personal or f'src="{ASSET_DIR}/' in html

    def head(self, node: str, asks_solved: bool) -> Markup:
        head = self._heads.get((node, asks_solved))
        if head is None:
            head = node_head(self.step(node), asks_solved=asks_solved, template=self._template)
            self._heads[node, asks_solved] = head
        return head

    def label(self, node: str, choice: str) -> str:
        return self.flow.content(node).choice_labels[choice]

    def answer(self, node: str, choice: str) -> AnswerView:
        view = self._answers.get((node, choice))
        if view is None:
            view = AnswerView(node, self.step(node).title, choice, self.label(node, choice))
            self._answers[node, choice] = view
        return view


def site_pages(
    flow: CompiledFlow,
    plan: PagePlan,
    *,
    base_url: str = "",
    assets: str = "",
    events_url: str = "",
) -> Iterator[tuple[str, str, dict[str, object]]]:
    """(file path, template, context) for every page: what the templates are given.
    `assets`: where the shared files are, relative to the flow's folder ('' or '../');
    `events_url`: where fix and outcome pages send "Was this helpful?" ('' : not asked)."""
    base = base_url.rstrip("/") + "/" if base_url else ""
    nodes = _Nodes(flow)
    paths = {key: page_path(key) for key in plan.pages}
    # A node's part is rendered once for all its pages only where it has several: rendering
    # it apart costs more than inline for a page of its own.
    shown = Counter(key.shown for key in plan.pages)
    nodes.shared = {node for node, count in shown.items() if count > 1 and not nodes.personal(node)}
    for key in plan.pages:
        path = paths[key]
        context = _page(nodes, plan, key, path, paths, base=base, assets=assets)
        if events_url and context["step"].kind in ASKS_FEEDBACK:
            context["feedback_beacon"] = events_url
            context["feedback_js"] = f"{'../' * path.count('/')}{assets}{FEEDBACK_JS}"
        yield path, "page.html", context
    info = flow.info
    yield (
        "index.html",
        "index.html",
        {
            "flow": info,
            "start_href": paths[plan.start],
            "article_href": "article.html",
            "home_href": "index.html",
            "css_href": assets + "helpflow.css",
            "page_title": info.title,
            "canonical": base,
        },
    )


def _page(
    nodes: _Nodes,
    plan: PagePlan,
    key: PageKey,
    path: str,
    paths: dict[PageKey, str],
    *,
    base: str,
    assets: str,
) -> dict[str, Any]:
    # Every link goes up to the flow's folder and down again: relative, and no per-link
    # common-prefix work.
    root = "../" * path.count("/")
    shown = key.shown
    step = nodes.step(shown, key.known)
    choices = []
    not_asked = ""
    for cid, to in plan.links[key]:
        if cid == NOT_ASKED:
            not_asked = root + paths[to]
        else:
            choices.append(ChoiceLink(cid, nodes.label(shown, cid), root + paths[to]))
    sources = plan.predecessors[key]
    back = (
        root + paths[next(iter(sources))]
        if len(sources) == 1
        else (root + "index.html" if key == plan.start else None)
    )
    asks_solved = asks_if_solved(c.id for c in choices)
    return {
        "flow": step.flow,
        "step": step,
        "choices": choices,
        "asks_solved": asks_solved,
        "node_head": nodes.head(shown, asks_solved) if shown in nodes.shared else "",
        "asked_again": bool(key.shows),
        "not_asked_href": not_asked,
        "back_href": back,
        "history_back_js": root + assets + "back.js" if back is None else "",
        "summary": _summary(nodes, plan, key, root, paths) if key.known else [],
        "home_href": root + "index.html",
        "css_href": root + assets + "helpflow.css",
        "copy_js": root + assets + "copy.js",
        # Images sit in the flow's own folder (`_assets/`), shared files where `assets` says.
        "assets_href": root,
        "nonce": "",
        "feedback": None,
        "feedback_thanks": False,
        "page_title": f"{step.title} {TITLE_DASH} {step.flow.title}",
        "canonical": base + public_url(path) if base else "",
    }


def _summary(
    nodes: _Nodes, plan: PagePlan, key: PageKey, root: str, paths: dict[PageKey, str]
) -> list[SummaryItem]:
    """The answers the page carries, each with a link to change it where that page exists."""
    items = []
    for asked, choice in key.known:
        relevant = plan.relevant[asked]
        keep = tuple((n, c) for n, c in key.known if n != asked and n in relevant)
        target = PageKey(asked, keep)
        link = root + paths[target] if target in paths else None
        items.append(SummaryItem(nodes.answer(asked, choice), link))
    return items


def render_pages(
    flow: CompiledFlow,
    *,
    base_url: str = "",
    assets: str = "",
    events_url: str = "",
    languages: SiteLanguages | None = None,
) -> tuple[dict[str, str], PagePlan]:
    """Plan and render every page: the build's own work, what bench/render_bench.py times.
    The collector is paused: a build allocates many objects and frees none until the end.
    Pages are in the flow's language; `languages` links each to its twins in the others."""
    with collector_paused(), uitext.using(flow.ui):
        plan = plan_pages(transition_table(flow))
        env = environment()
        page = env.get_template("page.html")
        files = {}
        pages = site_pages(flow, plan, base_url=base_url, assets=assets, events_url=events_url)
        for path, template, context in pages:
            if languages is not None:
                context["languages"] = languages.alternates(path)
            files[path] = (page if template == "page.html" else env.get_template(template)).render(
                context
            )
    return files, plan


def site_files(
    flow: CompiledFlow,
    *,
    base_url: str = "",
    assets: str = "",
    with_assets: bool = True,
    events_url: str = "",
    languages: SiteLanguages | None = None,
) -> tuple[dict[str, str], PagePlan]:
    """Every file of the site, path → text, in a stable order. With `events_url`, fix and
    outcome pages ask "Was this helpful?" and send the answer there (`POST /api/v1/events`)."""
    events_url = checked_events_url(events_url) if events_url else ""
    files, plan = render_pages(
        flow, base_url=base_url, assets=assets, events_url=events_url, languages=languages
    )
    prefix = base_url.rstrip("/") + "/" if base_url else "/"
    pages = [prefix + public_url(p) for p in files if p != "index.html"]
    files["sitemap.xml"] = render("sitemap.xml", urls=[prefix, *pages])
    files["article.html"] = article_page(
        flow,
        css_href=assets + "helpflow.css",
        home_href="index.html",
        languages=languages.alternates("article.html") if languages else None,
    )
    if with_assets:
        files.update({name: static_text(name) for name in ASSETS})
        if events_url:
            files[FEEDBACK_JS] = static_text(FEEDBACK_JS)
    return dict(sorted(files.items())), plan


def article_page(
    flow: CompiledFlow,
    *,
    css_href: str,
    home_href: str,
    inline_css: bool = False,
    languages: list[Alternate] | None = None,
) -> str:
    with uitext.using(flow.ui):
        return _article_page(flow, css_href, home_href, inline_css, languages or [])


def _article_page(
    flow: CompiledFlow,
    css_href: str,
    home_href: str,
    inline_css: bool,
    languages: list[Alternate],
) -> str:
    from helpflow_html.article import build_article

    every = uitext.gettext("every answer")
    return render(
        "article.html",
        languages=languages,
        inline_css=static_text("helpflow.css") if inline_css else "",
        flow=flow.info,
        trees=build_article(flow),
        todos=sum(1 for node in flow.flow.nodes.values() if node.todo),
        assets_href=css_href.removesuffix("helpflow.css"),
        home_href=home_href,
        css_href=css_href,
        page_title=f"{flow.info.title} {TITLE_DASH} {every}",
        canonical="",
    )
