"""Recognise unresolved CDK tokens without importing aws_cdk (and without jsii calls).

aws-cdk-lib encodes tokens in plain values: strings contain ``${Token[...]}``,
list tokens are one-element lists holding ``#{Token[...]}``, and numbers are
doubles whose upper 16 bits carry the marker ``0xFBFF``
(see aws-cdk-lib ``core/lib/private/encoding.ts``).
"""

from __future__ import annotations

import struct
from typing import Any

_STRING_MARKERS = ("${Token[", "#{Token[")
_DOUBLE_TOKEN_MARKER = 0xFBFF0000


def is_token(value: Any) -> bool:
    """True when ``value`` is, or contains, an unresolved CDK token."""
    if isinstance(value, str):
        return any(marker in value for marker in _STRING_MARKERS)
    if isinstance(value, float):
        high_word: int = struct.unpack("<II", struct.pack("<d", value))[1]
        return (high_word & 0xFFFF0000) == _DOUBLE_TOKEN_MARKER
    if isinstance(value, (list, tuple)):
        return any(is_token(item) for item in value)
    return False
