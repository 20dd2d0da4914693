"""Where the links of a step page go: decided by whoever publishes the page (the static site,
the server's query-string pages, token links), rendered the same way by `page.html`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PageLinks:
    choices: Mapping[str, str]  # choice id → href
    home: str
    css: str  # the stylesheet; copy.js and _assets/ sit beside it
    back: str | None = None
    change: Mapping[str, str] = field(default_factory=dict)  # node id → href
    csp_nonce: str = ""  # server pages allow scripts by nonce only
    feedback: str | None = None  # where "Was this helpful?" posts; None: not asked
    feedback_thanks: bool = False  # the reader just answered it
