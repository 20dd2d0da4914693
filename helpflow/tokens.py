"""Sessions as compact, URL-safe tokens, so servers keep no state.

Layout: `<flow id>.<payload>[.<mac>]`, payload and MAC in base64url without padding. Each token
has exactly one spelling: the decoder re-encodes what it read and refuses anything else (other
trailing bits, padding, whitespace), so a signed token cannot be varied into 16 accepted ones.

Format 2 (written today), integers big-endian, widths fixed per flow version:

    0x02 | 6 bytes of the flow version | widths (node width << 4 | choice width)
         | current node index | number of answers (2 bytes)
         | per answer, then per pending answer: node index, choice index, 4-byte hash

The node width is the fewest bytes that hold the flow's largest node index, the choice width
the same for its largest choice count. Fixed widths let a server cut a token's answers apart
with one slice each and look each up whole in a dict, instead of parsing numbers in Python.

Why indexes *and* a hash. Format 1 carried only a 16-bit hash of (node, choice); two ordinary
choice ids at one node could share it, and the token then resumed down the other branch. Within
the version that made it, a token now names each answer by its node's and its choice's position
in that version: exact, so two choices at one node can never be confused, and a token this
server signed resolves with list look-ups, no replay. Positions mean nothing to another version,
so each answer also carries a 32-bit hash of (node id, choice id); a token from an older version
is replayed by node through those hashes, and a hash that two (node, choice) pairs of the new
version share is never guessed: such an answer is dropped and reported, never swapped for the
other. Carrying the ids themselves would rule out even a removed choice matching a new one
(odds 2**-32 per pair), but would make ten long answers overflow the 200-byte budget of a URL.

Format 1 tokens (a 16-bit hash per answer) are still read, and always replayed.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from helpflow.errors import TokenError, TokenSignatureError
from helpflow.model import ID_MAX_LENGTH, ID_PATTERN
from helpflow.session import Answer, Session

FORMAT = 2
_LEGACY_FORMAT = 1
#: Answers (given and pending) one token may hold; servers cap query strings with it too.
MAX_ANSWERS = 256
#: The longest token accepted, in characters (256 answers of a 2-million-node flow fit).
MAX_TOKEN_CHARS = 4096
_VERSION_BYTES = 6
HASH_BYTES = 4
_LEGACY_HASH_BYTES = 2
_MAC_BYTES = 16
_FLOW_ID = re.compile(ID_PATTERN)
_B64_TEXT = re.compile(r"[A-Za-z0-9_-]*")

#: One answer in a format 2 token: (node index, choice index, hash of the ids).
Entry = tuple[int, int, bytes]


@dataclass(frozen=True, slots=True)
class TokenData:
    """A decoded format 2 token. `entries[:answered]` are the answers given in order, the rest
    answers carried over from an older version for nodes not reached yet; each entry is still
    in its written form (see `entry`, `split_entry`)."""

    flow_id: str
    version_prefix: str  # hex; compare with the start of a flow's version
    widths: tuple[int, int]
    node: int
    answered: int
    entries: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class LegacyTokenData:
    """A decoded format 1 token: a 16-bit hash of (node id, choice id) per answer."""

    flow_id: str
    version_prefix: str
    answer_hashes: tuple[bytes, ...]


def answer_hash(node: str, choice: str) -> bytes:
    """The version-independent name of an answer in a format 2 token."""
    return hashlib.blake2b(f"{node}\x00{choice}".encode(), digest_size=HASH_BYTES).digest()


def legacy_answer_hash(node: str, choice: str) -> bytes:
    """The name of an answer in a format 1 token."""
    return hashlib.blake2b(f"{node}\x00{choice}".encode(), digest_size=_LEGACY_HASH_BYTES).digest()


def width(count: int) -> int:
    """The bytes an index below `count` needs (at least one)."""
    return max(1, (max(count, 1) - 1).bit_length() + 7 >> 3)


def entry(node_index: int, choice_index: int, digest: bytes, widths: tuple[int, int]) -> bytes:
    """An answer as it is written into a token; the engine builds these once per flow."""
    return node_index.to_bytes(widths[0], "big") + choice_index.to_bytes(widths[1], "big") + digest


def split_entry(data: bytes, widths: tuple[int, int]) -> Entry:
    node_width, choice_width = widths
    return (
        int.from_bytes(data[:node_width], "big"),
        int.from_bytes(data[node_width : node_width + choice_width], "big"),
        data[node_width + choice_width :],
    )


# binascii directly: base64.urlsafe_b64* wrap the same calls in several Python layers, and a
# server runs four of these per request.
_TO_URLSAFE = bytes.maketrans(b"+/", b"-_")
_FROM_URLSAFE = bytes.maketrans(b"-_", b"+/")


def _b64(data: bytes) -> str:
    encoded = binascii.b2a_base64(data, newline=False).rstrip(b"=")
    return encoded.translate(_TO_URLSAFE).decode("ascii")


def _unb64(text: str) -> bytes:
    if not _B64_TEXT.fullmatch(text) or len(text) % 4 == 1:
        raise TokenError("session token is malformed: bad encoding")
    padded = text.encode("ascii").translate(_FROM_URLSAFE) + b"=" * (-len(text) % 4)
    try:
        data = binascii.a2b_base64(padded)
    except (binascii.Error, ValueError) as exc:  # pragma: no cover - the checks above
        raise TokenError("session token is malformed: bad encoding") from exc
    if _b64(data) != text:  # other trailing bits: a second spelling of the same bytes
        raise TokenError("session token is malformed: not in canonical form")
    return data


def _mac(secret: bytes, body: str) -> bytes:
    return hmac.digest(secret, body.encode("ascii"), "sha256")[:_MAC_BYTES]


def encode(
    flow_id: str,
    version: str,
    widths: tuple[int, int],
    node_index: int,
    answers: Sequence[bytes],
    pending: Sequence[bytes] = (),
    *,
    secret: bytes | None = None,
) -> str:
    """A token from answers already written with `entry` (the engine keeps them per answer)."""
    if len(answers) + len(pending) > MAX_ANSWERS:
        raise TokenError(f"a session token holds at most {MAX_ANSWERS} answers")
    head = bytes([FORMAT]) + bytes.fromhex(version[: _VERSION_BYTES * 2])
    head += bytes([widths[0] << 4 | widths[1]]) + node_index.to_bytes(widths[0], "big")
    payload = b"".join((head, len(answers).to_bytes(2, "big"), *answers, *pending))
    body = f"{flow_id}.{_b64(payload)}"
    return f"{body}.{_b64(_mac(secret, body))}" if secret else body


def decode(token: str, *, secret: bytes | None = None) -> TokenData | LegacyTokenData:
    """Parse and, with a secret, verify a token. Raises `TokenError` for anything wrong."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS:
        raise TokenError("session token is missing or too long")
    if not token.isascii():
        raise TokenError("session token is malformed: unexpected characters")
    parts = token.split(".")
    if (
        len(parts) not in (2, 3)
        or len(parts[0]) > ID_MAX_LENGTH
        or not _FLOW_ID.fullmatch(parts[0])
    ):
        raise TokenError("session token is malformed: expected '<flow>.<data>[.<signature>]'")
    body = f"{parts[0]}.{parts[1]}"
    if secret is not None:
        if len(parts) != 3:
            raise TokenSignatureError(
                "session token is not signed; this server only accepts signed tokens"
            )
        # Compared as text with the one spelling this server writes: no other is accepted.
        if not hmac.compare_digest(parts[2], _b64(_mac(secret, body))):
            raise TokenSignatureError(
                "session token signature does not match: it was changed or made elsewhere"
            )
    elif len(parts) == 3:
        _unb64(parts[2])  # unchecked without a secret, but still one spelling
    payload = _unb64(parts[1])
    head = 1 + _VERSION_BYTES
    if len(payload) < head:
        raise TokenError("session token is malformed: bad payload")
    version = payload[1:head].hex()
    if payload[0] == _LEGACY_FORMAT:
        return LegacyTokenData(parts[0], version, _legacy_hashes(payload[head:]))
    if payload[0] != FORMAT:
        raise TokenError("session token is malformed: unknown format")
    return _format2(parts[0], version, payload, head)


def _legacy_hashes(data: bytes) -> tuple[bytes, ...]:
    size = _LEGACY_HASH_BYTES
    if len(data) % size:
        raise TokenError("session token is malformed: bad payload")
    if len(data) // size > MAX_ANSWERS:
        raise TokenError("session token holds too many answers")
    return tuple(data[i : i + size] for i in range(0, len(data), size))


def _format2(flow_id: str, version: str, payload: bytes, at: int) -> TokenData:
    if len(payload) <= at:
        raise TokenError("session token is malformed: bad payload")
    node_width, choice_width = payload[at] >> 4, payload[at] & 0xF
    if not (1 <= node_width <= 3 and 1 <= choice_width <= 2):
        raise TokenError("session token is malformed: bad payload")
    at += 1
    node = int.from_bytes(payload[at : at + node_width], "big")
    answered = int.from_bytes(payload[at + node_width : at + node_width + 2], "big")
    at += node_width + 2
    size = node_width + choice_width + HASH_BYTES
    body = len(payload) - at
    if body < 0 or body % size or answered > body // size:
        raise TokenError("session token is malformed: bad payload")
    if body // size > MAX_ANSWERS:
        raise TokenError("session token holds too many answers")
    entries = tuple([payload[i : i + size] for i in range(at, len(payload), size)])
    return TokenData(flow_id, version, (node_width, choice_width), node, answered, entries)


@dataclass(frozen=True, slots=True)
class _NodeCodes:
    """One node's answers, shared by every session (a session holds references, not copies),
    each with its token entry and its version-independent hash."""

    answers: dict[str, Answer]
    by_index: tuple[Answer, ...]
    entries: dict[str, bytes]
    digests: tuple[bytes, ...]


class AnswerCodes:
    """How the answers of one flow version are written in tokens and read back.

    Built once per flow version; per-node tables are made on first use, so a 10,000-node flow
    pays for the nodes readers visit, not for all of them at load time. The engine hands out
    the `Answer` objects made here, so writing a token is one look-up per answer (by the
    shared answer's identity)."""

    def __init__(self, choices: Mapping[str, Sequence[str]]) -> None:
        self.choices = choices
        self.node_ids = tuple(choices)
        self.node_index = {node: i for i, node in enumerate(self.node_ids)}
        most = max((len(ids) for ids in choices.values()), default=1)
        self.widths = (width(len(self.node_ids)), width(most))
        #: Written token entry → answer, and back, for every node whose entries were made.
        self.by_entry: dict[bytes, Answer] = {}
        self.entry_of: dict[int, bytes] = {}
        self._nodes: dict[str, _NodeCodes] = {}
        self._by_hash: dict[bytes, Answer | None] | None = None
        self._legacy: dict[str, dict[bytes, str | None]] = {}

    def _node(self, node: str) -> _NodeCodes:
        cached = self._nodes.get(node)
        if cached is None:
            index = self.node_index[node]
            answers = {choice: Answer(node, choice) for choice in self.choices[node]}
            digests = tuple(answer_hash(node, choice) for choice in answers)
            entries = {
                choice: entry(index, i, digest, self.widths)
                for i, (choice, digest) in enumerate(zip(answers, digests, strict=True))
            }
            cached = _NodeCodes(answers, tuple(answers.values()), entries, digests)
            self.by_entry.update((entries[choice], answers[choice]) for choice in answers)
            self.entry_of.update((id(answers[choice]), entries[choice]) for choice in answers)
            self._nodes[node] = cached
        return cached

    def answer(self, node: str, choice: str) -> Answer:
        """The shared Answer for `choice` at `node`."""
        return self._node(node).answers[choice]

    def is_shared(self, answer: Answer) -> bool:
        """Whether `answer` is one of the shared answers (they live as long as the flow, so
        their ids are never reused while a cache keyed by id holds them)."""
        return self.answer(answer.node, answer.choice) is answer

    def entry(self, answer: Answer) -> bytes:
        """How `answer` is written in a token (also for an Answer made elsewhere)."""
        return self.entry_of.get(id(answer)) or self._node(answer.node).entries[answer.choice]

    def from_entry(self, written: bytes) -> Answer | None:
        """The answer a token entry of this version names; None if it names none."""
        found = self.by_entry.get(written)
        if found is None:
            node_index, _, _ = split_entry(written, self.widths)
            if node_index < len(self.node_ids):
                self._node(self.node_ids[node_index])  # makes that node's entries
                found = self.by_entry.get(written)
        return found

    def by_hash(self, digest: bytes) -> Answer | None:
        """The answer of this version whose format 2 hash is `digest`; None if there is none,
        or if two answers share it (an old token's answer is then dropped, never guessed)."""
        if self._by_hash is None:
            found: dict[bytes, Answer | None] = {}
            for node in self.node_ids:
                own = self._node(node)
                for answer, key in zip(own.by_index, own.digests, strict=True):
                    # A third sharer must not undo the first clash: once None, None for good.
                    found[key] = None if key in found else answer
            self._by_hash = found
        return self._by_hash.get(digest)

    def legacy_choices(self, node: str) -> dict[bytes, str | None]:
        """Format 1 hash → choice at `node`; None where two of its choices share a hash."""
        table = self._legacy.get(node)
        if table is None:
            table = {}
            for choice in self.choices[node]:
                digest = legacy_answer_hash(node, choice)
                table[digest] = None if digest in table else choice  # shared: never guessed
            self._legacy[node] = table
        return table

    def token(self, session: Session, *, secret: bytes | None) -> str:
        """The token of `session` (a session of this flow version)."""
        get, slow = self.entry_of.get, self.entry
        entries = [get(id(a)) or slow(a) for a in session.answers]
        pending = [slow(a) for a in session.pending]
        node = self.node_index[session.node]
        return encode(
            session.flow_id, session.version, self.widths, node, entries, pending, secret=secret
        )
