"""The static help site: one page per distinct state, plain links, no JavaScript needed.

Pages come from `helpflow.pages.plan_pages`: a node once per combination of the earlier
answers it depends on. Links are relative, so the site works from any folder of any host.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from helpflow.engine import CompiledFlow
from helpflow.pages import PageKey, PagePlan, plan_pages, relevant_answers, session_for
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


def page_dir(key: PageKey) -> str:
    return key.slug


def href(from_dir: str, to_dir: str) -> str:
    """A relative link from one page folder to another ('' is the site root)."""
    rel = posixpath.relpath(to_dir or ".", from_dir or ".")
    return "./" if rel == "." else rel + "/"


def site_files(flow: CompiledFlow, *, base_url: str = "") -> tuple[dict[str, str], PagePlan]:
    """Every file of the site, path → text, in a stable order."""
    flow.prerender()
    plan = plan_pages(flow)
    planned = set(plan.pages)
    relevant = relevant_answers(flow)
    base = base_url.rstrip("/") + "/" if base_url else ""
    files: dict[str, str] = {}
    info = flow.info
    for key in plan.pages:
        here = page_dir(key)
        step = flow.step(session_for(flow, key))
        labels = flow.content(key.node).choice_labels
        choices = [
            ChoiceLink(choice, labels[choice], href(here, page_dir(to)))
            for choice, to in plan.links[key]
        ]
        sources = plan.predecessors[key]
        back = (
            href(here, page_dir(next(iter(sources))))
            if len(sources) == 1
            else (href(here, "") if key == plan.start else None)
        )
        known = dict(key.known)
        summary = []
        for answer in step.answers:
            asked = answer.node_id
            keep = {n: c for n, c in known.items() if n != asked and n in relevant[asked]}
            target = PageKey(asked, tuple(sorted(keep.items())))
            summary.append(
                SummaryItem(answer, href(here, page_dir(target)) if target in planned else None)
            )
        files[f"{here}/index.html"] = render(
            "page.html",
            flow=info,
            step=step,
            choices=choices,
            asks_solved={c.id for c in choices} == {"solved", "not_solved"},
            back_href=back,
            summary=summary,
            home_href=href(here, ""),
            css_href=href(here, "") + "helpflow.css",
            page_title=f"{step.title} {TITLE_DASH} {info.title}",
            canonical=f"{base}{here}/" if base else "",
        )
    files["index.html"] = render(
        "index.html",
        flow=info,
        start_href=href("", page_dir(plan.start)),
        article_href="article/",
        home_href="./",
        css_href="helpflow.css",
        page_title=info.title,
        canonical=base,
    )
    files["article/index.html"] = article_page(flow, css_href="../helpflow.css", home_href="../")
    files["helpflow.css"] = static_text("helpflow.css")
    urls = [base or "/", *(f"{base or '/'}{page_dir(k)}/" for k in plan.pages)]
    files["sitemap.xml"] = render("sitemap.xml", urls=urls)
    return dict(sorted(files.items())), plan


def article_page(
    flow: CompiledFlow, *, css_href: str, home_href: str, inline_css: bool = False
) -> str:
    from helpflow_html.article import build_tree

    return render(
        "article.html",
        inline_css=static_text("helpflow.css") if inline_css else "",
        flow=flow.info,
        tree=build_tree(flow),
        home_href=home_href,
        css_href=css_href,
        page_title=f"{flow.info.title} {TITLE_DASH} every answer",
        canonical="",
    )
