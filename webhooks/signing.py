"""Signatures on every delivery: Standard Webhooks (`webhook-id`, `webhook-timestamp`,
`webhook-signature`, via the `standardwebhooks` package) and Kombo's `X-Kombo-Signature`.

`X-Kombo-Signature` is what Kombo's webhooks page describes: the HMAC-SHA256 of the raw body,
keyed with the endpoint's secret exactly as shown to the operator (`whsec_...`), digested as
base64url without the trailing `=` padding — what Node's `digest('base64url')` gives, so a
receiver may compare the strings. It carries exactly one value: the current secret's. During
a rotation overlap only `webhook-signature` carries both secrets' `v1,` entries, as the
Standard Webhooks spec allows; a Kombo-style receiver switches to the new secret when the
operator rotates it.
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
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def signature_headers(
    *, secrets: Sequence[str], message_id: str, timestamp: datetime, body: str
) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": " ".join(
            Webhook(secret).sign(message_id, timestamp, body) for secret in secrets
        ),
        "X-Kombo-Signature": kombo_signature(secrets[0], body.encode()),
    }
