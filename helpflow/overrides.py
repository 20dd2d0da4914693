"""Which var values a request from the web may set: only what the flow author allowed.

A site's own settings (`serve --var`, `vars=` in Python) may set any var; an HTTP client may
set only vars marked `overridable: true`, each at most `MAX_LENGTH` characters, and a var
whose value is an address only to an `https://` one. Values are text either way (see
`helpflow.textvars`), so this guards what a page *says*, not whether it is safe to show.
"""

from __future__ import annotations

from collections.abc import Mapping

from helpflow.diagnostics import did_you_mean
from helpflow.errors import VarError
from helpflow.model import Flow, Var

MAX_LENGTH = 200


def is_url_var(name: str, var: Var) -> bool:
    """A var that holds an address: named `*_url`, or with an address as its default."""
    return name.endswith("_url") or var.default.startswith(("http://", "https://"))


def request_overrides(flow: Flow, overrides: Mapping[str, object]) -> dict[str, str]:
    """`overrides` checked against what the flow allows; raises `VarError` otherwise."""
    allowed = [name for name, var in flow.vars.items() if var.overridable]
    checked: dict[str, str] = {}
    for name, value in overrides.items():
        var = flow.vars.get(name)
        if var is None or not var.overridable:
            raise VarError(
                f"var {name!r} of flow {flow.id!r} cannot be set by a request"
                f"{did_you_mean(name, allowed)}; it allows: {', '.join(allowed) or 'none'}"
            )
        if not isinstance(value, str):
            raise VarError(f"var {name!r} must be text")
        if len(value) > MAX_LENGTH:
            raise VarError(f"var {name!r} is longer than {MAX_LENGTH} characters")
        if is_url_var(name, var) and not value.startswith("https://"):
            raise VarError(f"var {name!r} must be an https:// address")
        checked[name] = value
    return checked
