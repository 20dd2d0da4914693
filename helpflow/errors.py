"""Every error a flow author or an end user can cause.

One base class, so the CLI (and any embedding application) can catch a single type and show a
message instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from helpflow.diagnostics import Diagnostic


class HelpflowError(Exception):
    """Base of every error helpflow raises on purpose."""


class FlowFileError(HelpflowError):
    """A flow file (or one it includes) could not be loaded.

    Carries every problem found in the pass, so an author fixes them all at once.
    """

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


class AnswerError(HelpflowError):
    """A choice that cannot be applied to the session as it stands."""


class UnknownChoiceError(AnswerError):
    """The current node has no choice with that id."""


class UnavailableChoiceError(AnswerError):
    """The choice exists but its `when` condition does not hold for this session."""


class NotAnsweredError(AnswerError):
    """An operation needs an answer the session does not have (back at the start, change of a
    node never answered)."""


class FinishedError(AnswerError):
    """The session is at an outcome; there is nothing left to choose."""


class TokenError(HelpflowError):
    """A session token is malformed, for another flow, or fails its signature check."""


class TokenSignatureError(TokenError):
    """A token that is unsigned where signatures are required, or whose signature fails."""


class VarError(HelpflowError):
    """A `--var` override names a variable the flow does not define, or is malformed."""


class RendererError(HelpflowError):
    """A renderer could not be found, loaded, or does not implement the protocol."""


class TranslationError(HelpflowError):
    """A language the flow has no catalog for, or a catalog (`.po` file) that cannot be read."""
