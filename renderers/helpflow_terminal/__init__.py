"""The terminal face of helpflow: an interactive wizard and a plain-text step renderer."""

from __future__ import annotations

import sys
from typing import ClassVar, TextIO

from helpflow.engine import CompiledFlow
from helpflow.renderer import Renderer
from helpflow.session import Session
from helpflow.step import Step
from helpflow_terminal.layout import plain_text, step_lines


class TerminalRenderer(Renderer):
    name: ClassVar[str] = "terminal"

    def render(self, step: Step) -> str:
        return plain_text(step_lines(step))

    def run(
        self,
        flow: CompiledFlow,
        session: Session | None = None,
        *,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        resume_hint: str = "",
        transcript: bool = False,
    ) -> int:
        """Run the wizard: rich on a terminal, plain text when piped. With `transcript`, the
        whole walk is printed as plain text at the end (and, when piped, only that)."""
        from helpflow_terminal.screen import NullScreen, PlainScreen, Recorder, Screen
        from helpflow_terminal.wizard import Wizard

        stdin = stdin or sys.stdin
        stdout = stdout or sys.stdout
        tty = stdin.isatty() and stdout.isatty()
        screen: Screen
        if tty:
            from helpflow_terminal.richscreen import RichScreen

            screen = RichScreen(stdin, stdout)
        elif transcript:
            screen = NullScreen(stdin)
        else:
            screen = PlainScreen(stdin, stdout)
        recorder = Recorder(screen) if transcript else None
        code = Wizard(flow, recorder or screen, resume_hint=resume_hint).run(session)
        if recorder is not None:
            stdout.write(("\n" if tty else "") + recorder.transcript())
            stdout.flush()
        return code


__all__ = ["TerminalRenderer"]
