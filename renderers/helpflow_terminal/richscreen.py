"""The wizard on a real terminal, drawn with rich.

Text is always passed to rich as `Text` objects, never as markup strings: flow text such as
"[bold]" or ":warning:" must show as written, not be interpreted.
"""

from __future__ import annotations

from typing import TextIO

try:
    from rich.console import Console
    from rich.text import Text
except ImportError as exc:  # pragma: no cover - rich is a dependency of helpflow
    raise ImportError("the interactive terminal wizard needs rich: pip install 'rich>=13'") from exc

from helpflow.content import strip_control
from helpflow_terminal.layout import Line


class RichScreen:
    def __init__(self, stdin: TextIO, stdout: TextIO) -> None:
        self.stdin = stdin
        self.console = Console(file=stdout, highlight=False, emoji=False, markup=False)

    def show(self, lines: list[Line]) -> None:
        self.console.print()
        for line in lines:
            style = line.style
            if line.link:
                style = f"{style} link {line.link}".strip()
            clean = strip_control(line.text)  # layout text is clean already: this is a backstop
            text = Text(" " * line.indent + clean, style=style)
            if clean == line.text:  # spans index the text as laid out
                for start, end, emphasis in line.spans:
                    text.stylize(emphasis, line.indent + start, line.indent + end)
            if line.wrap:
                self.console.print(text)
            else:  # code: one unbroken line, however narrow the terminal, so it copies whole
                self.console.print(text, no_wrap=True, overflow="ignore", crop=False)

    def say(self, text: str, style: str = "") -> None:
        self.console.print(Text(strip_control(text), style=style or "dim"))

    def ask(self, prompt: str) -> str:
        # input() gives line editing on a terminal; Ctrl-D raises EOFError, Ctrl-C
        # KeyboardInterrupt, both handled by the wizard.
        self.console.print(Text(prompt, style="bold"), end="")
        return input()
