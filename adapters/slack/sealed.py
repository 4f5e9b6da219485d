"""What the app hands Slack to give back later (a modal's `private_metadata`), signed by the app.

Slack returns `private_metadata` untouched with the submission, but a signed request is only as
trustworthy as what the app itself put in it: the metadata carries an HMAC-SHA256 made with a key
derived from the signing secret, and metadata whose MAC does not match is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

MAC_CHARS = 32  # 128 bits of HMAC-SHA256, hex


class Seal:
    def __init__(self, signing_secret: str) -> None:
        self._key = hmac.new(signing_secret.encode(), b"followthrough private_metadata v1", hashlib.sha256).digest()

    def _mac(self, body: str) -> str:
        return hmac.new(self._key, body.encode(), hashlib.sha256).hexdigest()[:MAC_CHARS]

    def seal(self, data: dict[str, Any]) -> str:
        body = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        return f"{self._mac(body)}.{body}"

    def open(self, sealed: str | None) -> dict[str, Any] | None:
        """The data, or None when it was not sealed by this app or was altered since."""
        if not isinstance(sealed, str) or "." not in sealed:
            return None
        mac, body = sealed.split(".", 1)
        if not hmac.compare_digest(mac, self._mac(body)):
            return None
        try:
            data = json.loads(body)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    @staticmethod
    def size(data: dict[str, Any]) -> int:
        return MAC_CHARS + 1 + len(json.dumps(data, separators=(",", ":"), ensure_ascii=False))
