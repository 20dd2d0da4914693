"""The interactive wizard: one step at a time, with back, restart, review and quit.

Every action goes through the engine, so the terminal can never disagree with the JSON or
HTML faces of the same flow. Bad input changes nothing and says what would work.
"""

from __future__ import annotations

from helpflow import uitext
from helpflow.engine import CompiledFlow
from helpflow.errors import HelpflowError
from helpflow.session import Session
from helpflow.uitext import N_
from helpflow_terminal.layout import Line, step_lines
from helpflow_terminal.screen import Screen

# The command letters stay b, r, a, q in every language (typed, not read); what they do is
# translated.
KEYS = N_("number = choose · b = back · r = restart · a = review answers · q = quit · ? = help")
AT_THE_END = N_("This is the end of the guide: b = back, r = start again, q = quit.")
EXIT_INTERRUPTED = 130


class Wizard:
    def __init__(self, flow: CompiledFlow, screen: Screen, *, resume_hint: str = "") -> None:
        self.flow = flow
        self.screen = screen
        self.resume_hint = resume_hint
        self.ui = uitext.for_flow(flow)
        self._ = self.ui.gettext

    def run(self, session: Session | None = None) -> int:
        session = session or self.flow.start()
        if not session.answers:
            self._intro()
        self._show(session)
        while True:
            # Ctrl-D (EOFError) and Ctrl-C can come at any prompt, the review's included; the
            # session kept is the last one fully reached.
            try:
                session = self._handle(session, self.screen.ask("> ").strip().lower())
            except (EOFError, _Quit):
                self._leave(session)
                return 0
            except KeyboardInterrupt:
                self._leave(session)
                return EXIT_INTERRUPTED

    def _intro(self) -> None:
        info = self.flow.info
        lines = [Line(info.title, "bold underline")]
        if info.intro.text:
            lines.extend(Line(p) for p in info.intro.text.split("\n"))
        lines.extend(Line(f"• {note}", "dim", indent=2) for note in info.applies_to)
        lines.append(Line(self._(KEYS), "dim"))
        self.screen.show(lines)

    def _show(self, session: Session) -> None:
        self.screen.show(step_lines(self.flow.step(session), self.ui))
        if self.flow.is_finished(session):
            self.screen.say(self._(AT_THE_END))

    def _handle(self, session: Session, command: str) -> Session:
        if command == "q":
            raise _Quit
        if command == "?":
            self.screen.say(self._(KEYS))
            return session
        if command == "b":
            if not session.answers:
                self.screen.say(
                    self._("This is the first question; there is nothing to go back to.")
                )
                return session
            session = self.flow.back(session)
        elif command == "r":
            session = self.flow.restart(session)
        elif command == "a":
            return self._review(session)
        else:
            choice = self._choice(session, command)
            if choice is None:
                self._explain(session)
                return session
            session = self.flow.choose(session, choice)
        self._show(session)
        return session

    def _choice(self, session: Session, command: str) -> str | None:
        """The choice id a typed number stands for, or None."""
        if not command.isdigit() or self.flow.is_finished(session):
            return None
        available = self.flow.available(session)
        number = int(command)
        return available[number - 1] if 1 <= number <= len(available) else None

    def _explain(self, session: Session) -> None:
        count = 0 if self.flow.is_finished(session) else len(self.flow.available(session))
        if count:
            hint = self._("Please type a number from 1 to %(count)d, or ? for help.")
            self.screen.say(hint % {"count": count})
        else:
            self.screen.say(self._(AT_THE_END))

    def _review(self, session: Session) -> Session:
        answers = self.flow.review(session)
        if not answers:
            self.screen.say(self._("No answers yet."))
            return session
        lines = [Line(self._("Your answers so far"), "bold")]
        lines.extend(
            Line(f"{n}) {a.question} — {a.label}", indent=2) for n, a in enumerate(answers, 1)
        )
        lines.append(
            Line(self._("Type the number of an answer to change it, or Enter to go on."), "dim")
        )
        self.screen.show(lines)
        raw = self.screen.ask(self._("change> ")).strip()
        if not raw:
            self._show(session)
            return session
        if not raw.isdigit() or not 1 <= int(raw) <= len(answers):
            self.screen.say(
                self._("No answer number %(number)s; nothing was changed.") % {"number": repr(raw)}
            )
            return session
        target = answers[int(raw) - 1]
        step = self.flow.step(self.flow.rewound_to(session, target.node_id))
        self.screen.show(step_lines(step, self.ui))
        pick = self.screen.ask(self._("new answer> ")).strip()
        if not pick.isdigit() or not 1 <= int(pick) <= len(step.choices):
            self.screen.say(self._("Nothing was changed."))
            self._show(session)
            return session
        try:
            result = self.flow.change(session, target.node_id, step.choices[int(pick) - 1].id)
        except HelpflowError as exc:
            self.screen.say(self._("Nothing was changed: %(reason)s") % {"reason": exc})
            return session
        if result.dropped:
            removed = ", ".join(self.flow.content(a.node).title for a in result.dropped)
            self.screen.say(
                self.ui.ngettext(
                    "This answer no longer applies and was removed: %(removed)s",
                    "These answers no longer apply and were removed: %(removed)s",
                    len(result.dropped),
                )
                % {"removed": removed}
            )
        self._show(result.session)
        return result.session

    def _leave(self, session: Session) -> None:
        token = self.flow.token(session)
        self.screen.say("")
        self.screen.say(
            self._("To pick up where you left off: %(command)s")
            % {"command": f"{self.resume_hint}--token {token}"}
        )


class _Quit(Exception):
    pass
