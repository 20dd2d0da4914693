"""helpflow: turn troubleshooting help articles into guided wizards.

>>> import helpflow
>>> flow = helpflow.load("flows/account-login.yaml")
>>> session = flow.choose(flow.start(), "retail")
>>> flow.step(session).title
"What's going wrong?"
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from helpflow import loader
from helpflow.engine import CompiledFlow
from helpflow.errors import HelpflowError
from helpflow.renderers import Renderer, get_renderer
from helpflow.session import Answer, Session
from helpflow.step import Step

__version__ = "0.1.0"


def load(
    path: str | os.PathLike[str],
    lang: str | None = None,
    *,
    vars: Mapping[str, str] | None = None,
    secret: bytes | None = None,
    strict: bool = False,
) -> CompiledFlow:
    """Load, check and compile a flow file (`helpflow.loader.load`). With `lang`, its text in
    that language from the flow's gettext catalog, with the same version and tokens (see
    `helpflow.i18n.load`)."""
    if lang is None:
        return loader.load(path, vars=vars, secret=secret, strict=strict)
    # Imported here: Babel is needed only to translate.
    from helpflow.i18n.loading import load as load_translated

    return load_translated(path, lang, vars=vars, secret=secret, strict=strict)


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
