"""Mistakes ``mypy --strict`` must catch in a user's script (tests/test_typing.py counts them):
proof that the public API is typed rather than Any."""
from __future__ import annotations

import normkit

length: int = normkit.translate("Привет", target="en").text
normkit.translate(b"bytes are not text")
normkit.clean("text", min_confidence="high")
for result in normkit.translate_many(["a", "b"]):
    result.no_such_field
