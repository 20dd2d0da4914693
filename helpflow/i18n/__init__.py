"""Flow text in other languages, from gettext catalogs keyed by stable id paths.

>>> from helpflow import i18n
>>> i18n.languages("flows/account-login.yaml")
['ar', 'fr']
>>> flow = i18n.load("flows/account-login.yaml", "fr")
>>> flow.lang, flow.version == i18n.load("flows/account-login.yaml").version
('fr', True)
"""

from __future__ import annotations

from helpflow.i18n.catalogs import catalog_path, tag
from helpflow.i18n.loading import (
    DEFAULT_LANGUAGE,
    languages,
    load,
    source_language,
    translate_flow,
    translated,
)
from helpflow.i18n.pseudo import pseudo, pseudo_catalog
from helpflow.i18n.strings import Text, texts

__all__ = [
    "DEFAULT_LANGUAGE",
    "Text",
    "catalog_path",
    "languages",
    "load",
    "pseudo",
    "pseudo_catalog",
    "source_language",
    "tag",
    "texts",
    "translate_flow",
    "translated",
]
