"""What the importer reads in an article's words: ids, contacts, links, follow-up wording."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from helpflow.model import CONDITION_WORDS

CONTACT = re.compile(
    r"\b(?:contact(?:ing)?|call(?:ing)?|phone (?:us|the|our)|e-?mail us|reach(?:ing)? out|"
    r"get in touch|chat with|support team|technical support|customer (?:service|support)|"
    r"help ?desk)\b"
    r"|[\w.+-]+@[\w-]+\.\w",
    re.IGNORECASE,
)
FOLLOW_UP = re.compile(
    r"\b(?:did (?:that|this|it) (?:work|help|fix)|still (?:not working|doesn'?t work|having|"
    r"can'?t|stuck|need help|no luck)|if (?:these|the above|this|that|none of (?:these|the above))"
    r"(?: \w+)?(?: steps| tips| solutions)? (?:do(?:es)?n'?t|did ?n'?t|do not|does not|didn'?t) "
    r"(?:help|work|fix)|if all else fails|if (?:the|your) (?:problem|issue) (?:persists|continues)|"
    r"if nothing (?:else )?(?:works|helps)|"
    r"if none of (?:these|the above|this)(?: \w+)? (?:help|work)s?|"
    r"if (?:it|the \w+) (?:keeps|still|continues|persists))",
    re.IGNORECASE,
)
VISIT = re.compile(r"\b(?:visit|go to|see|head to|open|through|check out)\b", re.IGNORECASE)
PAGE = re.compile(r"\b(?:page|site|website|portal|link)\b", re.IGNORECASE)
LINK = re.compile(r"(?<!!)\[(?P<label>[^\]]+)\]\((?P<url>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
BARE_URL = re.compile(r"(?<![(<\[])\bhttps?://[^\s)<>\]]+[^\s)<>\].,;:!?'\"]")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PHONE = re.compile(r"(?<![\w/.-])\+?\d[\d ()./-]{6,}\d(?![\w/])")
HOURS = re.compile(
    r"\b(?:(?:between|from|open) )?"
    r"(?:mon(?:day)?|24/7|weekdays|[0-9]{1,2}(?::[0-9]{2})? ?(?:am|pm))\b[^.()]*",
    re.I,
)
_WHO = re.compile(
    r"\b(?:contact(?:ing)?|reach(?:ing)? out to|call(?:ing)?|phone|get in touch with|chat with)\s+"
    r"(?P<who>[^.;:!?()]+?)(?=\s+(?:for|to|at|on|by|via|if|about|so|and ask)\b|[.;:!?(]|$)",
    re.IGNORECASE,
)
_OWNER = re.compile(r"^(?:our|your|the|a|an)\s+", re.IGNORECASE)
_STOP = {"a", "an", "the", "my", "your", "our", "i", "to", "of", "for", "with", "via", "and"}


def make_id(
    words: str, taken: set[str], *, fallback: str = "node", suffix: str = "", limit: int = 40
) -> str:
    """A readable id from `words`, within the id rules and unique among `taken` (which it
    joins): "I Can't Access My Account" → "cant_access_account"."""
    ascii_text = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    parts = [p for p in re.split(r"[^a-z0-9]+", ascii_text.lower().replace("'", "")) if p]
    kept = [p for p in parts if p not in _STOP] or parts
    base = ""
    limit -= len(suffix)
    for part in kept:
        if base and len(base) + 1 + len(part) > limit:
            break
        base = f"{base}_{part}" if base else part[:limit]
    base = (base or fallback) + suffix
    if base in CONDITION_WORDS:
        base += "_"
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}_{number}"
        number += 1
    taken.add(candidate)
    return candidate


@dataclass
class Found:
    """Ways to reach someone found in a piece of text."""

    names: list[str] = field(default_factory=list)
    urls: list[tuple[str, str]] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    hours: str | None = None


def find_contacts(text: str) -> Found:
    found = Found()
    for match in _WHO.finditer(plain_text(text)):
        for name in re.split(r",\s*|\s+or\s+|\s+and\s+", match.group("who")):
            name = _OWNER.sub("", name.strip())
            # "call 0800 …" names a number, not someone.
            is_address = PHONE.fullmatch(name) or EMAIL.fullmatch(name) or "://" in name
            pronoun = name.lower() in ("them", "us", "it", "him", "her")
            if name and not is_address and not pronoun and len(name) < 60:
                found.names.append(name[0].upper() + name[1:])
    found.urls = links(text)
    found.emails = list(dict.fromkeys(EMAIL.findall(text)))
    cleaned = EMAIL.sub(" ", LINK.sub(" ", BARE_URL.sub(" ", text)))
    found.phones = [p.strip() for p in PHONE.findall(cleaned) if sum(c.isdigit() for c in p) >= 7]
    hours = HOURS.search(cleaned)
    found.hours = hours.group(0).strip() if hours else None
    return found


def links(text: str) -> list[tuple[str, str]]:
    """(label, url) of every Markdown link and bare http(s) address in `text`."""
    found = [(m.group("label"), m.group("url")) for m in LINK.finditer(text)]
    found += [(url, url) for url in BARE_URL.findall(LINK.sub(" ", text))]
    return [(label, url) for label, url in found if url.startswith(("http", "mailto:", "tel:"))]


def plain_text(markdown: str) -> str:
    """Markdown reduced to its words, for matching wording."""
    text = LINK.sub(lambda m: m.group("label"), markdown)
    return re.sub(r"[*_`>#]|\\(?=\S)", "", text)


#: A local image of the article (`![alt](img/x.png)`): the draft lives elsewhere, so the file is
#: not where the flow would look for it and the draft could not validate.
LOCAL_IMAGE = re.compile(r"!\[([^\]\n]*)\]\((?![a-zA-Z][a-zA-Z0-9+.-]*:|//)([^)\s]+)[^)\n]*\)")
IMAGE_NOTE = "image left out by the import"


def park_local_images(markdown: str) -> str:
    """Write each local image as a visible note (alt text and path) that a todo points at."""

    def note(match: re.Match[str]) -> str:
        alt, src = match.group(1).strip() or "no alt text", match.group(2)
        return f"*[{IMAGE_NOTE}: {alt} ({src})]*"

    return LOCAL_IMAGE.sub(note, markdown)
