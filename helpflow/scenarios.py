"""Scenario tests: `<flow>.tests.yaml` pins "these answers must lead there".

A scenario file is read through the same strict YAML reader as flows (positions kept, aliases,
merge keys and duplicate keys refused), so every failure points at `file:line` of the scenario
that failed. `helpflow test` and the pytest plugin both run scenarios through `run_scenario`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from yaml.nodes import Node

from helpflow import yamltree
from helpflow.diagnostics import Diagnostic
from helpflow.engine import CompiledFlow
from helpflow.errors import AnswerError, FlowFileError, HelpflowError
from helpflow.model import ID_MAX_LENGTH, ID_PATTERN
from helpflow.session import Session
from helpflow.step import Step

SUFFIX = ".tests.yaml"
SCHEMA_ID = "https://helpflow.dev/schema/scenarios/1.json"
_Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=ID_MAX_LENGTH)]
_Texts = Annotated[list[str], Field(min_length=1)]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Change(_Data):
    """After the answers, answer `node` again with `to`, as a reader's "change" link does."""

    node: _Id
    to: _Id


class Expect(_Data):
    """What must hold where the scenario ends; every key is optional."""

    node: _Id | None = Field(default=None, description="Id of the node the scenario ends at.")
    resolution: Literal["solved", "escalate", "external"] | None = Field(
        default=None, description="The outcome's resolution there."
    )
    shows: str | _Texts | None = Field(
        default=None, description="Text (or texts) that must appear on the final step."
    )
    offers: list[_Id] | None = Field(
        default=None, description="Exactly the choice ids offered on the final step, in order."
    )
    dropped: list[_Id] | None = Field(
        default=None, description="Choice ids of the answers a `change` dropped, in order."
    )


class Scenario(_Data):
    name: str = Field(min_length=1, description="Says what the scenario checks; names the test.")
    answers: list[_Id] = Field(
        default_factory=list, description="Choice ids, in order, as `helpflow step --go`."
    )
    vars: dict[_Id, str] = Field(default_factory=dict, description="Overrides of flow vars.")
    change: Change | None = None
    expect: Expect = Expect()


class ScenarioFileModel(_Data):
    """A flow's scenario tests."""

    flow: str | None = Field(
        default=None, description="The flow file, relative to this file (default: <stem>.yaml)."
    )
    scenarios: list[Scenario] = Field(min_length=1)


@dataclass(frozen=True)
class LoadedScenario:
    scenario: Scenario
    path: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class ScenarioFile:
    path: Path
    flow_path: Path
    scenarios: tuple[LoadedScenario, ...]


@dataclass
class Result:
    """One scenario's run: what failed (empty when it passed) and what it exercised."""

    scenario: LoadedScenario
    failures: list[str] = field(default_factory=list)
    visited: set[str] = field(default_factory=set)
    taken: set[tuple[str, str]] = field(default_factory=set)

    @property
    def passed(self) -> bool:
        return not self.failures

    def report(self) -> str:
        lines = [f"{self.scenario.where}: scenario {self.scenario.scenario.name!r} failed:"]
        return "\n".join([*lines, *(f"  {failure}" for failure in self.failures)])


def schema() -> dict[str, Any]:
    """The scenario file's JSON Schema (Draft 7, like the flow schema)."""
    body = ScenarioFileModel.model_json_schema(ref_template="#/definitions/{model}")
    definitions = body.pop("$defs", {})
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        **body,
        "title": "helpflow scenario tests",
        "definitions": definitions,
    }


def scenario_path(flow_path: str | Path) -> Path:
    """`flows/wifi.yaml` → `flows/wifi.tests.yaml`."""
    path = Path(flow_path)
    return path.with_name(path.name.rsplit(".", 1)[0] + SUFFIX)


def load(path: str | Path) -> ScenarioFile:
    """Read and check a scenario file. Raises `FlowFileError` with every problem found."""
    path = Path(path)
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HelpflowError(f"{shown}: cannot read scenario file: {exc}") from None
    doc = yamltree.compose(text)
    problems = [
        Diagnostic(shown, p.line + 1, p.col + 1, "error", p.code, p.message) for p in doc.problems
    ]
    if doc.root is None or problems:
        raise FlowFileError(problems)
    try:
        model = ScenarioFileModel.model_validate(doc.data)
    except ValidationError as exc:
        raise FlowFileError(list(_translate(exc, shown, doc.root))) from None
    items = yamltree.find(doc.root, ("scenarios",))[1].value
    loaded = tuple(
        LoadedScenario(s, shown, node.start_mark.line + 1)
        for s, node in zip(model.scenarios, items, strict=True)
    )
    default = path.with_name(path.name[: -len(SUFFIX)] + ".yaml")
    flow_path = path.parent / model.flow if model.flow else default
    return ScenarioFile(path, flow_path, loaded)


def _translate(exc: ValidationError, shown: str, root: Node) -> Iterable[Diagnostic]:
    for err in exc.errors():
        loc = tuple(err["loc"])
        key_node, node, followed = yamltree.find(root, loc)
        mark = node.start_mark
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in followed).lstrip(".")
        message = err["msg"] if not where else f"{where}: {err['msg']}"
        if err["type"] == "extra_forbidden":
            mark = (key_node or node).start_mark
            message = f"{where}: unknown key"
        elif err["type"] == "missing":
            message = f"{where or 'the file'}: missing required key {loc[-1]!r}"
        yield Diagnostic(shown, mark.line + 1, mark.column + 1, "error", err["type"], message)


def run_scenario(flow: CompiledFlow, loaded: LoadedScenario) -> Result:
    """Walk the scenario's answers and check its expectations; never raises for a mistake in
    the scenario or the flow: those are failures of the result."""
    scenario = loaded.scenario
    result = Result(loaded)
    try:
        bound = flow.with_options(vars=scenario.vars) if scenario.vars else flow
        session = bound.start()
        result.visited.add(session.node)
        for choice in scenario.answers:
            session = _take(bound, session, choice, result)
        dropped: list[str] = []
        if scenario.change is not None:
            replay = bound.change(session, scenario.change.node, scenario.change.to)
            session = replay.session
            dropped = [a.choice for a in replay.dropped]
            result.taken.add((scenario.change.node, scenario.change.to))
            result.visited.update(a.node for a in session.answers)
            result.visited.add(session.node)
        _check(bound.step(session), scenario.expect, dropped, result)
    except HelpflowError as exc:
        result.failures.append(str(exc))
    return result


def _take(flow: CompiledFlow, session: Session, choice: str, result: Result) -> Session:
    try:
        nxt = flow.choose(session, choice)
    except AnswerError as exc:
        raise AnswerError(f"at '{session.node}': {exc}") from None
    result.taken.add((session.node, choice))
    result.visited.add(nxt.node)
    return nxt


def step_text(step: Step) -> str:
    """All the text a reader sees on a step, for `expect.shows`."""
    parts = [step.title, step.body.text, *(s.text for s in step.steps)]
    parts += [f"{link.label} {link.url}" for link in step.links]
    for contact in step.contacts:
        fields = (contact.name, contact.url, contact.phone, contact.email, contact.hours)
        parts += [value for value in (*fields, contact.note) if value]
    parts += [choice.label for choice in step.choices]
    return "\n".join(parts)


def _check(step: Step, expect: Expect, dropped: list[str], result: Result) -> None:
    fail = result.failures.append
    if expect.node is not None and step.node_id != expect.node:
        fail(f"expected to end at node '{expect.node}', ended at '{step.node_id}'")
    if expect.resolution is not None and step.outcome != expect.resolution:
        got = f"resolution {step.outcome!r}" if step.outcome else f"a {step.kind}, no resolution"
        fail(f"expected resolution {expect.resolution!r} at '{step.node_id}', got {got}")
    if expect.shows is not None:
        text = step_text(step)
        wanted = [expect.shows] if isinstance(expect.shows, str) else expect.shows
        for piece in wanted:
            if piece not in text:
                fail(f"expected '{step.node_id}' to show {piece!r}; it shows:\n    {text!r}")
    offered = [choice.id for choice in step.choices]
    if expect.offers is not None and offered != expect.offers:
        fail(f"expected '{step.node_id}' to offer {expect.offers}, it offers {offered}")
    if expect.dropped is not None and dropped != expect.dropped:
        fail(f"expected the change to drop {expect.dropped}, it dropped {dropped}")


@dataclass(frozen=True)
class Coverage:
    nodes: int
    nodes_total: int
    choices: int
    choices_total: int

    @property
    def percent(self) -> float:
        total = self.nodes_total + self.choices_total
        return 100.0 * (self.nodes + self.choices) / total if total else 100.0

    def format(self) -> str:
        def pct(n: int, of: int) -> str:
            return f"{100.0 * n / of:.0f}%" if of else "100%"

        return (
            f"scenario coverage: {self.nodes}/{self.nodes_total} nodes "
            f"({pct(self.nodes, self.nodes_total)}), {self.choices}/{self.choices_total} "
            f"choices ({pct(self.choices, self.choices_total)}); {self.percent:.0f}% overall"
        )


def coverage(flow: CompiledFlow, results: Iterable[Result]) -> Coverage:
    """Nodes reached and (node, choice) pairs taken by scenarios, over all the flow has."""
    visited: set[str] = set()
    taken: set[tuple[str, str]] = set()
    for result in results:
        visited |= result.visited
        taken |= result.taken
    every = {(node, c) for node in flow.flow.nodes for c in flow.content(node).choice_labels}
    return Coverage(
        len(visited & set(flow.flow.nodes)), len(flow.flow.nodes), len(taken & every), len(every)
    )


def check_flow(flow: CompiledFlow, flow_path: str, out: Any, *, min_coverage: float) -> bool:
    """What `helpflow test` adds to its walk: run the flow's scenario file, if it has one,
    print failures and the coverage line. True when every scenario passed and coverage held."""
    path = scenario_path(flow_path)
    if not path.exists():
        if min_coverage > 0:
            print(f"no scenarios to measure --min-coverage with: {path} does not exist", file=out)
        return min_coverage <= 0
    results = [run_scenario(flow, s) for s in load(path).scenarios]
    for result in results:
        if not result.passed:
            print(result.report(), file=out)
    failed = sum(1 for r in results if not r.passed)
    print(f"{len(results) - failed} of {len(results)} scenarios passed", file=out)
    cover = coverage(flow, results)
    print(cover.format(), file=out)
    low = cover.percent < min_coverage
    if low:
        print(f"coverage {cover.percent:.0f}% is below --min-coverage {min_coverage:g}", file=out)
    return not failed and not low
