"""MkDocs plugin `helpflow`: a fenced block in any page embeds a flow as `<help-flow>`.

    ```helpflow
    flow: ../flows/account-login.yaml
    ```

`flow` is relative to the page's Markdown file; `lang` (optional) is the fallback's language.
The block becomes the component with its no-JavaScript fallback (the flow's first question,
linking to the whole article); the script, the flow's table and the article are written to
`helpflow/` in the built site. An invalid flow fails the build with `file:line:col`, and under
`mkdocs serve` a change to a flow rebuilds the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:
    from mkdocs.config import config_options
    from mkdocs.config.base import Config
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import PluginError
    from mkdocs.plugins import BasePlugin
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page
    from mkdocs.utils import get_relative_url
except ImportError as exc:  # pragma: no cover - only without the extra
    message = "the helpflow MkDocs plugin needs mkdocs: pip install 'helpflow[mkdocs]'"
    raise ImportError(message) from exc

import helpflow
from helpflow.engine import CompiledFlow
from helpflow.errors import HelpflowError
from helpflow_html._atomic import write_tree
from helpflow_html.embed import embed_files, snippet

# A fence of three or more backticks or tildes, info string `helpflow`, closed by the same.
_FENCE = re.compile(
    r"^(?P<indent>[ ]{0,3})(?P<fence>`{3,}|~{3,})[ \t]*helpflow[ \t]*\n"
    r"(?P<body>.*?)"
    r"^(?P=indent)(?P=fence)[ \t]*$",
    re.M | re.S,
)
_OPTION = re.compile(r"^\s*(?P<key>[a-z_]+)\s*:\s*(?P<value>.*?)\s*$")
OPTIONS = ("flow", "lang")


# mkdocs' Config and BasePlugin declare an untyped __init_subclass__.
class HelpflowConfig(Config):  # type: ignore[no-untyped-call]
    #: Folder of the built site the script, tables and articles go to.
    assets = config_options.Type(str, default="helpflow")


@dataclass(frozen=True)
class Block:
    options: dict[str, str]
    line: int  # 1-based line of the fence in the page


def _where(page: Page, line: int, col: int = 1) -> str:
    return f"{page.file.abs_src_path or page.file.src_path}:{line}:{col}"


def parse_block(body: str, page: Page, line: int) -> dict[str, str]:
    """`key: value` lines; anything else fails with the line it is on."""
    options: dict[str, str] = {}
    for offset, text in enumerate(body.splitlines(), start=1):
        if not text.strip():
            continue
        match = _OPTION.match(text)
        if not match or match["key"] not in OPTIONS:
            raise PluginError(
                f"{_where(page, line + offset)}: error: helpflow block: expected "
                f"'flow: PATH' or 'lang: CODE', got {text.strip()!r}"
            )
        options[match["key"]] = match["value"].strip("\"'")
    if "flow" not in options:
        raise PluginError(f"{_where(page, line)}: error: helpflow block has no 'flow: PATH'")
    return options


class HelpflowPlugin(BasePlugin[HelpflowConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.flows: dict[str, CompiledFlow] = {}
        self.sources: set[Path] = set()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.flows = {}
        return config

    def load(self, source: Path, page: Page, line: int) -> CompiledFlow:
        if not source.is_file():
            raise PluginError(f"{_where(page, line)}: error: flow file {str(source)!r} not found")
        self.sources.add(source)
        try:
            flow = helpflow.load(source)
        except HelpflowError as error:  # the message carries the flow's file:line:col
            raise PluginError(f"{error}\n  (embedded at {_where(page, line)})") from None
        self.flows[flow.id] = flow
        return flow

    def embed(self, block: Block, page: Page, markdown_file: Path) -> str:
        flow = self.load((markdown_file.parent / block.options["flow"]).resolve(), page, block.line)
        assets = get_relative_url(self.config.assets + "/", page.url)
        html = snippet(flow, asset_url=assets, lang=block.options.get("lang", "en"))
        # A block-level element keeps Python-Markdown's hands off the custom element.
        return f'<div class="helpflow-embed">\n{html.strip()}\n</div>'

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        markdown_file = Path(page.file.abs_src_path or config.docs_dir)

        def replace(match: re.Match[str]) -> str:
            line = markdown.count("\n", 0, match.start()) + 1
            options = parse_block(match["body"], page, line)
            return self.embed(Block(options, line), page, markdown_file)

        return _FENCE.sub(replace, markdown)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        files: dict[str, str] = {}
        for flow in self.flows.values():
            files.update(embed_files(flow))
        files.pop("snippet.html", None)
        if files:
            write_tree(Path(config.site_dir) / self.config.assets, files)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        # Flows live outside docs_dir: watch their folders (includes sit beside them).
        for folder in sorted({source.parent for source in self.sources}):
            server.watch(str(folder), recursive=False)
        return server
