"""Where the wizard writes: plainly (pipes, scripts, transcripts) or with rich (terminals)."""

from __future__ import annotations

from typing import Protocol, TextIO

from helpflow.content import strip_control
from helpflow_terminal.layout import Line


class Screen(Protocol):
    def show(self, lines: list[Line]) -> None: ...

    def say(self, text: str, style: str = "") -> None: ...

    def ask(self, prompt: str) -> str: ...


class PlainScreen:
    """No colours, no escape codes: safe to pipe, diff and read back.

    Every screen strips what it writes: messages carry ids, paths and `--var` values from
    flow files and the command line, not only the engine's already-clean text.
    """

    def __init__(self, stdin: TextIO, stdout: TextIO, *, prompts: bool = True) -> None:
        self.stdin, self.stdout, self.prompts = stdin, stdout, prompts

    def show(self, lines: list[Line]) -> None:
        self.stdout.write("\n")
        for line in lines:
            self.stdout.write(" " * line.indent + strip_control(line.text) + "\n")
        self.stdout.flush()

    def say(self, text: str, style: str = "") -> None:
        self.stdout.write(strip_control(text) + "\n")
        self.stdout.flush()

    def ask(self, prompt: str) -> str:
        if self.prompts:
            self.stdout.write(prompt)
            self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")


class Recorder:
    """Passes everything to another screen and keeps a plain-text record of the walk."""

    def __init__(self, inner: Screen) -> None:
        self.inner = inner
        self.lines: list[str] = []

    def show(self, lines: list[Line]) -> None:
        self.lines.append("")
        self.lines.extend(" " * line.indent + strip_control(line.text) for line in lines)
        self.inner.show(lines)

    def say(self, text: str, style: str = "") -> None:
        self.lines.append(strip_control(text))
        self.inner.say(text, style)

    def ask(self, prompt: str) -> str:
        answer = self.inner.ask(prompt)
        # What the reader typed is echoed into the record, so it too loses control codes.
        self.lines.append(prompt + strip_control(answer))
        return answer

    def transcript(self) -> str:
        return "\n".join(self.lines).strip("\n") + "\n"


class NullScreen:
    """Shows nothing and reads from stdin: the live side of a piped `--transcript` run."""

    def __init__(self, stdin: TextIO) -> None:
        self.stdin = stdin

    def show(self, lines: list[Line]) -> None:
        pass

    def say(self, text: str, style: str = "") -> None:
        pass

    def ask(self, prompt: str) -> str:
        line = self.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")
