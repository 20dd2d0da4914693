"""helpflow: turn troubleshooting help articles into guided wizards.

>>> import helpflow
>>> flow = helpflow.load("flows/account-login.yaml")
>>> session = flow.choose(flow.start(), "retail")
>>> flow.step(session).title
"What's going wrong?"
"""

from __future__ import annotations

import logging

from helpflow.engine import CompiledFlow
from helpflow.errors import HelpflowError
from helpflow.i18n.loading import load
from helpflow.renderers import Renderer, get_renderer
from helpflow.session import Answer, Session
from helpflow.step import Step

__version__ = "0.1.0"

__all__ = [
    "Answer",
    "CompiledFlow",
    "HelpflowError",
    "Renderer",
    "Session",
    "Step",
    "__version__",
    "get_renderer",
    "load",
]

# Libraries never configure logging; the application (or our CLI) does.
logging.getLogger(__name__).addHandler(logging.NullHandler())
