"""Sessions as compact, URL-safe tokens, so servers keep no state.

Layout: `<flow id>.<base64url payload>[.<base64url HMAC>]`. The payload is a format byte, six
bytes of the flow version, then two bytes per answer: a hash of (node id, choice id). Hashing
keeps ten answers far under 200 bytes and still keys each answer by node, so a token from an
older flow version can be replayed wherever the same nodes and choices still exist.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass

from helpflow.errors import TokenError, TokenSignatureError
from helpflow.session import Answer

_FORMAT = 1
_VERSION_BYTES = 6
_ANSWER_BYTES = 2
_MAC_BYTES = 16
_MAX_ANSWERS = 512
_FLOW_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


@dataclass(frozen=True, slots=True)
class TokenData:
    flow_id: str
    version_prefix: str  # hex; compare with the start of a flow's version
    answer_hashes: tuple[bytes, ...]


def answer_hash(node: str, choice: str) -> bytes:
    return hashlib.blake2b(f"{node}\x00{choice}".encode(), digest_size=_ANSWER_BYTES).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise TokenError("session token is malformed: unexpected characters")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise TokenError("session token is malformed: bad encoding") from exc


def _mac(secret: bytes, body: str) -> bytes:
    return hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest()[:_MAC_BYTES]


def encode(
    flow_id: str, version: str, answers: tuple[Answer, ...], *, secret: bytes | None = None
) -> str:
    payload = bytes([_FORMAT]) + bytes.fromhex(version[: _VERSION_BYTES * 2])
    payload += b"".join(answer_hash(a.node, a.choice) for a in answers)
    body = f"{flow_id}.{_b64(payload)}"
    return f"{body}.{_b64(_mac(secret, body))}" if secret else body


def decode(token: str, *, secret: bytes | None = None) -> TokenData:
    """Parse and, with a secret, verify a token. Raises `TokenError` for anything wrong."""
    if not isinstance(token, str) or not token or len(token) > 4096:
        raise TokenError("session token is missing or too long")
    parts = token.strip().split(".")
    if len(parts) not in (2, 3) or not _FLOW_ID.match(parts[0]):
        raise TokenError("session token is malformed: expected '<flow>.<data>[.<signature>]'")
    body = f"{parts[0]}.{parts[1]}"
    if secret is not None:
        if len(parts) != 3:
            raise TokenSignatureError(
                "session token is not signed; this server only accepts signed tokens"
            )
        if not hmac.compare_digest(_unb64(parts[2]), _mac(secret, body)):
            raise TokenSignatureError(
                "session token signature does not match: it was changed or made elsewhere"
            )
    payload = _unb64(parts[1])
    head = 1 + _VERSION_BYTES
    if len(payload) < head or (len(payload) - head) % _ANSWER_BYTES or payload[0] != _FORMAT:
        raise TokenError("session token is malformed: bad payload")
    count = (len(payload) - head) // _ANSWER_BYTES
    if count > _MAX_ANSWERS:
        raise TokenError("session token holds too many answers")
    hashes = tuple(
        payload[head + i * _ANSWER_BYTES : head + (i + 1) * _ANSWER_BYTES] for i in range(count)
    )
    return TokenData(parts[0], payload[1:head].hex(), hashes)
