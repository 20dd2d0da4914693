"""The flow as typed, immutable data.

These models are the single source of truth for the flow format: the loader validates YAML
against them, the JSON Schema in `flows/helpflow.schema.json` is generated from them, and the
engine compiles them. Strings are strict so that YAML's `yes`/`no`/`on`/`off` booleans are
caught instead of silently becoming "True".
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    StringConstraints,
    Tag,
    model_validator,
)

#: Ids appear in URLs, tokens, analytics and translation keys, so they stay URL-safe.
#: An id as a regex fragment (for patterns that find ids inside text), and anchored.
ID_CHARS = r"[A-Za-z0-9][A-Za-z0-9_-]*"
ID_PATTERN = f"^{ID_CHARS}$"
ID_MAX_LENGTH = 64

Text = Annotated[str, Strict()]
Id = Annotated[str, Strict(), StringConstraints(pattern=ID_PATTERN, max_length=ID_MAX_LENGTH)]
Url = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=2048)]
#: A language tag (`en`, `fr`, `pt-BR`, `zh_Hant`): it names catalog folders, so it stays short
#: and path-safe.
LANG_PATTERN = r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8}){0,3}$"


def normalize_lang(value: str) -> str:
    """One spelling per language: `pt_br` and `PT-BR` are `pt-BR` (BCP 47 case)."""
    first, *rest = value.replace("_", "-").split("-")
    return "-".join([first.lower(), *(p.upper() if len(p) == 2 else p for p in rest)])


Lang = Annotated[
    str, Strict(), StringConstraints(pattern=LANG_PATTERN), AfterValidator(normalize_lang)
]

#: Words of the `when` grammar; a node may not be called this.
CONDITION_WORDS = frozenset({"all", "any", "not"})

#: `info`: an answer or diagnosis with nothing to fix ("the update was superseded"): neither
#: solved nor an escalation.
Resolution = Literal["solved", "escalate", "external", "info"]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- conditions: a tiny data grammar over earlier answers, never eval ------------------------


class AllOf(_Data):
    """Holds when every condition holds."""

    all: tuple[When, ...] = Field(min_length=1)


class AnyOf(_Data):
    """Holds when at least one condition holds."""

    any: tuple[When, ...] = Field(min_length=1)


class NotOf(_Data):
    """Holds when the condition does not."""

    model_config = ConfigDict(populate_by_name=True)
    not_: When = Field(alias="not")


#: `{node_id: choice_id}` or `{node_id: [choice_id, ...]}`; several keys must all hold.
AnswerIs = Annotated[
    dict[Id, Union[Id, Annotated[tuple[Id, ...], Field(min_length=1)]]],
    Field(min_length=1),
]


def _condition_kind(value: Any) -> str:
    if isinstance(value, dict) and len(value) == 1:
        (key,) = value
        if key in CONDITION_WORDS:
            return str(key)
    if isinstance(value, (AllOf, AnyOf, NotOf)):
        return {AllOf: "all", AnyOf: "any", NotOf: "not"}[type(value)]
    return "answer"


When = Annotated[
    Union[
        Annotated[AllOf, Tag("all")],
        Annotated[AnyOf, Tag("any")],
        Annotated[NotOf, Tag("not")],
        Annotated[AnswerIs, Tag("answer")],
    ],
    Discriminator(_condition_kind),
]


# --- targets --------------------------------------------------------------------------------


class Rule(_Data):
    """One branch of a conditional target; the last rule of a list has no `when`."""

    when: When | None = None
    to: Id


def _rules_end_with_default(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    if rules[-1].when is not None:
        raise ValueError("the last rule must have no 'when': it is the default")
    if any(rule.when is None for rule in rules[:-1]):
        raise ValueError("only the last rule may omit 'when'")
    return rules


Rules = Annotated[tuple[Rule, ...], Field(min_length=1), AfterValidator(_rules_end_with_default)]


def _target_kind(value: Any) -> str:
    return "rules" if isinstance(value, (list, tuple)) else "node"


#: Where a choice leads: a node id, or `{when, to}` rules ending with a default.
Target = Annotated[
    Union[Annotated[Id, Tag("node")], Annotated[Rules, Tag("rules")]],
    Discriminator(_target_kind),
]


# --- the pieces of a node -------------------------------------------------------------------


class Link(_Data):
    label: Text
    url: Url


class Contact(_Data):
    """Someone to escalate to: a way to reach them, or a note that says how to find one."""

    name: Text
    url: Url | None = None
    phone: Text | None = None
    email: Text | None = None
    hours: Text | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if not (self.url or self.phone or self.email or self.note):
            raise ValueError("a contact needs at least one of 'url', 'phone', 'email' or 'note'")
        return self


class Choice(_Data):
    id: Id
    label: Text
    to: Target
    when: When | None = None


class _Node(_Data):
    #: An authoring gap the flow declares on purpose; lint reports it without failing --strict.
    todo: Text | None = None


class QuestionNode(_Node):
    kind: Literal["question"]
    prompt: Text
    help: Text = ""
    choices: tuple[Choice, ...] = Field(min_length=1)


class FixStep(_Data):
    """A step shown only when `when` holds: per-variant steps ("Windows 11 only")."""

    text: Text
    when: When


def _step_kind(value: Any) -> str:
    return "text" if isinstance(value, str) else "variant"


#: A step: Markdown (several lines allowed: sub-lists, code), or `{text, when}`.
StepItem = Annotated[
    Union[Annotated[Text, Tag("text")], Annotated[FixStep, Tag("variant")]],
    Discriminator(_step_kind),
]


class FixNode(_Node):
    """Instructions, then either `next`, or "did this solve it?" with `solved`/`not_solved`."""

    kind: Literal["fix"]
    title: Text
    body: Text = ""
    steps: tuple[StepItem, ...] = ()
    #: Markdown shown after the steps (a note that belongs below them).
    after: Text = ""
    #: Replaces "Did this solve it?" ("Is the light green now?").
    ask: Text | None = None
    solved_label: Text | None = None
    not_solved_label: Text | None = None
    links: tuple[Link, ...] = ()
    links_title: Text | None = None
    next: Target | None = None
    solved: Target | None = None
    not_solved: Target | None = None

    @model_validator(mode="after")
    def _one_way_on(self) -> FixNode:
        asks = self.solved is not None or self.not_solved is not None
        if self.next is not None and asks:
            raise ValueError("a fix has either 'next' or 'solved'/'not_solved', not both")
        if self.next is None and (self.solved is None or self.not_solved is None):
            raise ValueError("a fix needs 'next', or both 'solved' and 'not_solved'")
        return self


class OutcomeNode(_Node):
    kind: Literal["outcome"]
    resolution: Resolution
    title: Text
    body: Text = ""
    contacts: tuple[Contact, ...] = ()
    links: tuple[Link, ...] = ()
    links_title: Text | None = None


Node = Annotated[Union[QuestionNode, FixNode, OutcomeNode], Field(discriminator="kind")]


class Var(_Data):
    """A value the embedding site may override (support URL, portal URL, product name)."""

    default: Text
    description: Text = ""
    todo: Text | None = None
    #: Only vars marked so may be set per request by HTTP clients (a site's own settings,
    #: `--var` and `vars=` in Python may set any var).
    overridable: Annotated[bool, Strict()] = False


class Flow(_Data):
    """A whole troubleshooting flow, after its includes are merged in."""

    helpflow: Literal[1] = Field(description="Flow format version.")
    id: Id
    #: The language the flow is written in (default `en`); translations live in
    #: `locales/<lang>/LC_MESSAGES/<id>.po` next to the flow file.
    lang: Lang | None = None
    title: Text
    intro: Text = ""
    applies_to: tuple[Text, ...] = ()
    start: Id
    vars: dict[Id, Var] = Field(default_factory=dict)
    include: tuple[Text, ...] = ()
    nodes: dict[Id, Node] = Field(min_length=1)
    ui: dict[Text, Text] = Field(
        default_factory=dict,
        description=(
            "This flow's own wording of interface strings, keyed by the English msgid of "
            "helpflow's interface catalog (`Start again: Begin anew`); translated with the "
            "flow's catalogs like any flow text."
        ),
    )


class FlowFragment(_Data):
    """A file pulled in by `include`: shared nodes (contacts, outcomes) and vars."""

    helpflow: Literal[1]
    vars: dict[Id, Var] = Field(default_factory=dict)
    include: tuple[Text, ...] = ()
    nodes: dict[Id, Node] = Field(default_factory=dict)


AnyNode = Union[QuestionNode, FixNode, OutcomeNode]

#: Every key the format knows, for "did you mean" on unknown keys.
KNOWN_KEYS: frozenset[str] = (
    frozenset(
        name
        for model in (
            Flow,
            QuestionNode,
            FixNode,
            FixStep,
            OutcomeNode,
            Choice,
            Rule,
            Link,
            Contact,
            Var,
        )
        for name in model.model_fields
    )
    | CONDITION_WORDS
)
