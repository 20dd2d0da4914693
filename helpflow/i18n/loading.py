"""A flow in another language: its source, with every string its catalog translates well.

The translation is applied to the `Flow` model before it is compiled and the source's version
is passed on, so a translated flow has the same nodes, choices, version and tokens as its source:
a reader can switch language mid-way and keep every answer.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path

from babel.messages.catalog import Catalog

from helpflow import engine
from helpflow.errors import TranslationError
from helpflow.i18n.catalogs import catalog_languages, catalog_path, read_catalog, tag
from helpflow.i18n.negotiate import environment_languages, negotiate
from helpflow.i18n.strings import Loc, map_text
from helpflow.i18n.validate import problems
from helpflow.loader import load_file
from helpflow.model import Flow

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "en"


def source_language(flow: Flow | engine.CompiledFlow) -> str:
    """The language a flow is written in: its `lang` key, default "en". For a translated
    CompiledFlow: the language of its source."""
    if isinstance(flow, engine.CompiledFlow):
        return tag(flow.source_lang)
    return tag(flow.lang) if flow.lang else DEFAULT_LANGUAGE


def languages(flow_path: str | os.PathLike[str]) -> list[str]:
    """The languages the flow has a catalog for (source language excluded), sorted."""
    flow = load_file(flow_path).flow
    own = source_language(flow)
    return [lang for lang in catalog_languages(flow_path, flow.id) if lang != own]


def translate_flow(flow: Flow, catalog: Catalog, lang: str) -> Flow:
    """`flow` with every string `catalog` translates (current, not fuzzy, valid against the
    source); the rest stays in the source language."""

    def visit(context: str, text: str, loc: Loc) -> str:
        message = catalog.get(text, context)
        if message is None or message.fuzzy or not isinstance(message.string, str):
            return text
        translated = message.string
        if not translated.strip():
            return text
        if problems(text, translated):
            # `helpflow i18n check` names it; readers get the source text meanwhile.
            log.warning("%s: %s: translation not used (run helpflow i18n check)", lang, context)
            return text
        return translated

    return map_text(flow, visit).model_copy(update={"lang": tag(lang)})


def load(
    path: str | os.PathLike[str],
    lang: str | None = None,
    *,
    vars: Mapping[str, str] | None = None,
    secret: bytes | None = None,
    strict: bool = False,
) -> engine.CompiledFlow:
    """Load a flow in `lang` (None or the source language: as written). Raises
    `TranslationError` when there is no catalog for `lang` or it cannot be read."""
    source = engine.load(path, vars=vars, secret=secret, strict=strict)
    return translated(source, path, lang, vars=vars)


def translated(
    source: engine.CompiledFlow,
    path: str | os.PathLike[str],
    lang: str | None,
    *,
    vars: Mapping[str, str] | None = None,
) -> engine.CompiledFlow:
    """`source` (loaded from `path`) in `lang`: for callers that hold the source already."""
    own = source_language(source.flow)
    if lang is None or tag(lang) == own:
        return source
    file = catalog_path(path, source.id, lang)
    if not file.is_file():
        have = ", ".join([own, *(x for x in catalog_languages(path, source.id) if x != own)])
        raise TranslationError(
            f"flow {source.id!r} has no {tag(lang)!r} translation (no {file}); it has: {have}"
        )
    flow = translate_flow(source.flow, read_catalog(file), lang)
    compiled = engine.compile_flow(
        flow,
        vars=vars,
        secret=source.secret,
        base_dir=Path(path).parent,
        version=source.version,
    )
    compiled.core.source_lang = compiled.source_lang = own
    # One flow in several languages: `on_event` listeners of either hear readers of both (the
    # events carry the same flow id, version, nodes and choices).
    compiled.core.listeners = source.core.listeners
    return compiled


def for_reader(
    source: engine.CompiledFlow,
    path: str | os.PathLike[str],
    lang: str | None,
    *,
    vars: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> engine.CompiledFlow:
    """`source` in the language a command-line reader asked for with `lang`, else in their
    environment's locale (LC_ALL, LC_MESSAGES, LANG) when the flow has it, else as written.
    `vars`: the overrides `source` was loaded with."""
    if lang is None:
        available = [source_language(source.flow), *catalog_languages(path, source.id)]
        lang = negotiate(available, environment_languages(environ))
    return translated(source, path, lang, vars=vars)
