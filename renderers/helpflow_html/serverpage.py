"""The pages of `helpflow serve`: which links a page has, given how the server addresses
states (`PageRequest.address`; the query-string scheme is the server's own).

A page links each answer's "Change" only where the answer's node was answered once. Those
links repeat the whole state, so one per answer made a page quadratic in a path that loops
("try again" 200 times: 3.8 MB); a node answered more than once is gone back to instead.
"""

from __future__ import annotations

from collections import Counter

from helpflow.engine import CompiledFlow
from helpflow.renderer import PageRequest
from helpflow.session import Answer, Session
from helpflow.step import Step
from helpflow_html.links import PageLinks

#: The stylesheet's file name among the page assets (the others sit beside it).
STYLESHEET = "helpflow.css"


def page_parts(
    flow: CompiledFlow, session: Session, request: PageRequest
) -> tuple[Step, PageLinks]:
    """The step a server page shows and where its links go: the step reached, or, when the
    reader asked to change an answer they gave once, that question asked again."""
    if request.change and request.change in {a.node for a in session.answers}:
        return _change_parts(flow, session, request.change, request)
    step = flow.step(session)
    address = request.address
    links = PageLinks(
        choices={
            c.id: address((*session.answers, Answer(session.node, c.id))) for c in step.choices
        },
        home=address(()),
        css=request.assets + STYLESHEET,
        back=address(session.answers[:-1]) if session.answers else None,
        change=_change_links(session, request),
        csp_nonce=request.csp_nonce,
        **request.extras,  # e.g. the feedback form
    )
    return step, links


def _change_links(session: Session, request: PageRequest) -> dict[str, str]:
    times = Counter(a.node for a in session.answers)
    return {
        a.node: request.address(session.answers, a.node)
        for a in session.answers
        if times[a.node] == 1
    }


def _change_parts(
    flow: CompiledFlow, session: Session, node: str, request: PageRequest
) -> tuple[Step, PageLinks]:
    step = flow.step(flow.asked(session, node))
    choices = {
        c.id: request.address(flow.change(session, node, c.id).session.answers)
        for c in step.choices
    }
    links = PageLinks(
        choices=choices,
        home=request.address(()),
        css=request.assets + STYLESHEET,
        back=request.address(session.answers),
        csp_nonce=request.csp_nonce,  # its scripts (Copy buttons) run under the page's CSP too
    )
    return step, links
