"""The static help site: one page per distinct state, plain links, no JavaScript needed.

Pages come from `helpflow.pages.plan_pages`: a node once per combination of the earlier
answers it depends on. Links are relative, so the site works from any folder of any host.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from helpflow.engine import CompiledFlow
from helpflow.pages import PageKey, PagePlan, plan_pages, session_for
from helpflow.renderers import PageLinks
from helpflow.step import Step
from helpflow_html.templating import render, static_text

#: Separates the page's own title from the flow's in <title>.
TITLE_DASH = "\N{EN DASH}"


@dataclass(frozen=True)
class ChoiceLink:
    id: str
    label: str
    href: str


@dataclass(frozen=True)
class SummaryItem:
    answer: object
    href: str | None


def page_context(
    step: Step, links: PageLinks, *, canonical: str = "", history_back_js: str = ""
) -> dict[str, object]:
    """What page.html is given for one step, wherever its links point (static site, server
    query strings, token links)."""
    choices = [ChoiceLink(c.id, c.label, links.choices[c.id]) for c in step.choices]
    return {
        "flow": step.flow,
        "step": step,
        "choices": choices,
        "asks_solved": {c.id for c in choices} == {"solved", "not_solved"},
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


def page_dir(key: PageKey) -> str:
    return _slug(key)


@lru_cache(maxsize=65536)
def _slug(key: PageKey) -> str:
    return key.slug


def href(from_dir: str, to_dir: str) -> str:
    """A relative link from one page folder to another ('' is the site root).

    Page folders are plain relative paths, so this needs none of posixpath.relpath's
    filesystem look-ups (which were a third of the build's own time)."""
    here = from_dir.split("/") if from_dir else []
    there = to_dir.split("/") if to_dir else []
    common = 0
    for a, b in zip(here, there, strict=False):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(here) - common) + there[common:]
    return "/".join(parts) + "/" if parts else "./"


def site_pages(
    flow: CompiledFlow, plan: PagePlan, *, base_url: str = ""
) -> Iterator[tuple[str, str, dict[str, object]]]:
    """(file path, template, context) for every page: what the templates are given."""
    planned = set(plan.pages)
    relevant = plan.relevant
    base = base_url.rstrip("/") + "/" if base_url else ""
    info = flow.info
    for key in plan.pages:
        here = page_dir(key)
        root = href(here, "")
        step = flow.step(session_for(flow, key))
        sources = plan.predecessors[key]
        back = (
            href(here, page_dir(next(iter(sources))))
            if len(sources) == 1
            else (root if key == plan.start else None)
        )
        known = dict(key.known)
        change = {}
        for answer in step.answers:
            asked = answer.node_id
            keep = {n: c for n, c in known.items() if n != asked and n in relevant[asked]}
            target = PageKey(asked, tuple(sorted(keep.items())))
            if target in planned:
                change[asked] = href(here, page_dir(target))
        links = PageLinks(
            choices={choice: href(here, page_dir(to)) for choice, to in plan.links[key]},
            home=root,
            css=root + "helpflow.css",
            back=back,
            change=change,
        )
        context = page_context(
            step,
            links,
            canonical=f"{base}{here}/" if base else "",
            history_back_js=root + "back.js" if back is None else "",
        )
        yield f"{here}/index.html", "page.html", context
    yield (
        "index.html",
        "index.html",
        {
            "flow": info,
            "start_href": href("", page_dir(plan.start)),
            "article_href": "article/",
            "home_href": "./",
            "css_href": "helpflow.css",
            "page_title": info.title,
            "canonical": base,
        },
    )
    urls = [base or "/", *(f"{base or '/'}{page_dir(k)}/" for k in plan.pages)]
    yield "sitemap.xml", "sitemap.xml", {"urls": urls}


def site_files(flow: CompiledFlow, *, base_url: str = "") -> tuple[dict[str, str], PagePlan]:
    """Every file of the site, path → text, in a stable order."""
    flow.prerender()
    plan = plan_pages(flow)
    files = {
        path: render(template, **context)
        for path, template, context in site_pages(flow, plan, base_url=base_url)
    }
    files["article/index.html"] = article_page(flow, css_href="../helpflow.css", home_href="../")
    files["helpflow.css"] = static_text("helpflow.css")
    files["back.js"] = static_text("back.js")
    files["copy.js"] = static_text("copy.js")
    return dict(sorted(files.items())), plan


def article_page(
    flow: CompiledFlow, *, css_href: str, home_href: str, inline_css: bool = False
) -> str:
    from helpflow_html.article import build_article

    return render(
        "article.html",
        inline_css=static_text("helpflow.css") if inline_css else "",
        flow=flow.info,
        trees=build_article(flow),
        todos=sum(1 for node in flow.flow.nodes.values() if node.todo),
        assets_href=css_href.removesuffix("helpflow.css"),
        home_href=home_href,
        css_href=css_href,
        page_title=f"{flow.info.title} {TITLE_DASH} every answer",
        canonical="",
    )
