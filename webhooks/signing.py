"""Signatures on every delivery: Standard Webhooks (`webhook-id`, `webhook-timestamp`,
`webhook-signature`, via the `standardwebhooks` package) and Kombo's `X-Kombo-Signature`.

`X-Kombo-Signature` is the URL-safe base64 HMAC-SHA256 of the raw body, keyed with the
endpoint's secret exactly as shown to the operator (`whsec_...`). During a rotation overlap
both secrets sign: `webhook-signature` carries two `v1,` entries, and `X-Kombo-Signature` two
values separated by a space.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence
from datetime import datetime

from standardwebhooks.webhooks import Webhook


def kombo_signature(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()


def signature_headers(
    *, secrets: Sequence[str], message_id: str, timestamp: datetime, body: str
) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": " ".join(
            Webhook(secret).sign(message_id, timestamp, body) for secret in secrets
        ),
        "X-Kombo-Signature": " ".join(kombo_signature(s, body.encode()) for s in secrets),
    }
