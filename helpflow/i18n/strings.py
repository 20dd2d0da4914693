"""The translatable text of a flow, found by walking its model, each under a stable id path.

One walk serves extraction (collect every string) and translation (replace every string), so
the two can never disagree about which fields are text. Fields that are structure (ids,
targets, conditions), addresses (urls, phones, emails) or notes to authors (`todo`) are left
alone; every other text field of every model is translatable, so a field added to the format
later is translated without a change here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from helpflow.model import FixStep, Flow

#: (path through the merged flow, as `SourceMap.locate` takes it)
Loc = tuple[str | int, ...]
#: Called for every non-blank text: (context, text, loc) → the text to put in its place.
Visit = Callable[[str, str, Loc], str]

#: Not text for readers: structure, addresses, or notes to authors.
SKIP = frozenset(
    {
        "helpflow",
        "id",
        "lang",
        "start",
        "include",
        "kind",
        "resolution",
        "to",
        "when",
        "next",
        "solved",
        "not_solved",
        "url",
        "phone",
        "email",
        "todo",
        "overridable",
        "default",
    }
)

#: Lists whose items have ids: keyed by id (`choice.cant_access`), so reordering the choices
#: keeps their translations.
KEYED = {"choices": "choice"}

#: A var's value has this context suffix; translating it is optional (a URL or a product name
#: usually stays the same in every language).
VALUE = "value"


@dataclass(frozen=True, slots=True)
class Text:
    context: str
    text: str
    loc: Loc


def is_optional(context: str) -> bool:
    """Whether a string may stay untranslated (a var's value): `check` does not ask for it."""
    return context.startswith("var.") and context.endswith("." + VALUE)


def texts(flow: Flow) -> list[Text]:
    """Every translatable string of the flow, in the flow's order."""
    found: list[Text] = []

    def collect(context: str, text: str, loc: Loc) -> str:
        found.append(Text(context, text, loc))
        return text

    map_text(flow, collect)
    return found


def map_text(flow: Flow, visit: Visit) -> Flow:
    """The flow with every translatable string replaced by what `visit` returns for it."""
    update = _fields(flow, "flow", (), visit, also_skip=frozenset({"nodes", "vars", "ui"}))
    # A flow's own wording of interface strings, keyed by msgid (`ui.Start again`).
    update["ui"] = {
        msgid: visit(f"ui.{msgid}", text, ("ui", msgid)) if text.strip() else text
        for msgid, text in flow.ui.items()
    }
    update["vars"] = {name: _var(name, var, visit) for name, var in flow.vars.items()}
    update["nodes"] = {
        node_id: _model(node, f"node.{node_id}", ("nodes", node_id), visit)
        for node_id, node in flow.nodes.items()
    }
    return flow.model_copy(update=update)


def _var(name: str, var: Any, visit: Visit) -> Any:
    context, loc = f"var.{name}", ("vars", name)
    update = _fields(var, context, loc, visit)
    if var.default.strip():
        value = visit(f"{context}.{VALUE}", var.default, (*loc, "default"))
        if value is not var.default:
            update["default"] = value
    return var.model_copy(update=update) if update else var


def _model(model: BaseModel, context: str, loc: Loc, visit: Visit) -> Any:
    update = _fields(model, context, loc, visit)
    return model.model_copy(update=update) if update else model


def _fields(
    model: BaseModel, context: str, loc: Loc, visit: Visit, also_skip: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The changed fields of `model`, by name (`also_skip`: fields the caller walks itself)."""
    update: dict[str, Any] = {}
    for name in type(model).model_fields:
        if name in SKIP or name in also_skip:
            continue
        value = getattr(model, name)
        if isinstance(value, tuple):
            new: Any = tuple(
                _value(item, _item_context(context, name, i, item), (*loc, name, i), visit)
                for i, item in enumerate(value)
            )
            changed = any(a is not b for a, b in zip(new, value, strict=True))
        else:
            new = _value(value, f"{context}.{name}", (*loc, name), visit)
            changed = new is not value
        if changed:
            update[name] = new
    return update


def _item_context(context: str, name: str, index: int, item: Any) -> str:
    if name in KEYED and isinstance(getattr(item, "id", None), str):
        return f"{context}.{KEYED[name]}.{item.id}"
    return f"{context}.{name}.{index}"


def _value(value: Any, context: str, loc: Loc, visit: Visit) -> Any:
    if isinstance(value, str):
        return visit(context, value, loc) if value.strip() else value
    if isinstance(value, FixStep):
        # A step keeps its id path whether or not it has a `when`: making a step conditional
        # does not lose its translation.
        text = visit(context, value.text, (*loc, "text"))
        return value if text is value.text else value.model_copy(update={"text": text})
    if isinstance(value, BaseModel):
        return _model(value, context, loc, visit)
    return value
