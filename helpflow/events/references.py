"""Short hand-off references: a 10-character code a reader can read out on the phone or type
into a form, standing for the session token (a few hundred characters) it was made from.

Only a server with an event store hands them out: the store keeps reference → (flow, token),
so support can resolve the code (`GET /api/v1/flows/{flow}/handoff?reference=…`,
`helpflow events lookup`). Without a store the token itself is the reference.

The code is derived from the token (50 bits of its SHA-256, in Crockford's base 32: no I, L,
O or U to misread), so showing the same escalation again stores nothing new. Two tokens
sharing a code is unlikely (about one in 10^7 at 10^4 escalations a day for a year); the
second then gets its own token as the reference, which is always right.
"""

from __future__ import annotations

import hashlib
import re

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
PATTERN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{10}$")
#: What people mistype for what Crockford's alphabet means.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def short_reference(token: str) -> str:
    bits = int.from_bytes(hashlib.sha256(token.encode()).digest()[:8], "big") >> (64 - 5 * LENGTH)
    return "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in reversed(range(LENGTH)))


def normalised(text: str) -> str | None:
    """`text` as a stored reference would be written (case, spaces and dashes, O for 0 and
    I or L for 1 forgiven), or None when it cannot be one."""
    code = re.sub(r"[\s-]", "", text).upper().translate(_READ_AS)
    return code if PATTERN.match(code) else None


def chosen(reference: str, token: str, stored: str | None) -> str:
    """The reference to hand out once the store has answered: the short one when it stands
    for this token, else (a collision) the token itself."""
    return reference if stored == token else token
