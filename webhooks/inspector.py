"""The built-in request inspector: a receiver for webhooks at `/inspector/<bin_id>/`.

It stores whatever arrives (method, headers, the first 64 KB of the body) so operators can
see exactly what their endpoints receive, and checks the signatures against the secrets of
the endpoints whose URL points at the bin. Storage is bounded: the newest requests per bin
and overall are kept, the rest deleted, so an open receiver cannot fill the database.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from urllib.parse import urlsplit

from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from standardwebhooks.webhooks import Webhook

from core.client_address import client_address
from webhooks.models import InspectorRequest, WebhookEndpoint
from webhooks.secrets import secret_decrypt
from webhooks.signing import kombo_signature

BIN_ID_PATTERN = r"[A-Za-z0-9_-]{1,64}"
BODY_LIMIT_BYTES = 64 * 1024
REQUESTS_PER_BIN = 50
REQUESTS_KEPT = 1000
_INSPECTOR_PATH = re.compile(rf"/inspector/(?P<bin_id>{BIN_ID_PATTERN})/")
# A browser opening the receiver URL would hand over the dashboard session.
_DROPPED_HEADERS = frozenset({"cookie"})


def inspector_path(bin_id: str) -> str:
    return f"/inspector/{bin_id}/"


def inspector_bin_of(url: str) -> str | None:
    """The bin an endpoint URL points at (on any host), or None."""
    match = _INSPECTOR_PATH.fullmatch(urlsplit(url).path)
    return match["bin_id"] if match else None


def inspector_request_record(
    *,
    bin_id: str,
    method: str,
    query_string: str,
    headers: dict[str, str],
    body: bytes,
    body_truncated: bool,
    remote_addr: str | None,
) -> InspectorRequest:
    received = InspectorRequest.objects.create(
        bin_id=bin_id,
        method=method[:16],
        query_string=query_string[:2000],
        headers={k: v for k, v in headers.items() if k.lower() not in _DROPPED_HEADERS},
        body=body[:BODY_LIMIT_BYTES],
        body_truncated=body_truncated or len(body) > BODY_LIMIT_BYTES,
        remote_addr=remote_addr,
    )
    _prune(InspectorRequest.objects.filter(bin_id=bin_id), keep=REQUESTS_PER_BIN)
    _prune(InspectorRequest.objects.all(), keep=REQUESTS_KEPT)
    return received


def _prune(requests: QuerySet[InspectorRequest], *, keep: int) -> None:
    stale = list(requests.order_by("-received_at", "-pk").values_list("pk", flat=True)[keep:])
    if stale:
        InspectorRequest.objects.filter(pk__in=stale).delete()


@csrf_exempt
def inspector_receive(request: HttpRequest, bin_id: str) -> JsonResponse:
    """Accept any request and keep it for the inspector page."""
    # Read from the stream, not `request.body`: a large body is cut at the cap, not refused.
    body = request.read(BODY_LIMIT_BYTES + 1)
    received = inspector_request_record(
        bin_id=bin_id,
        method=request.method or "",
        query_string=request.META.get("QUERY_STRING", ""),
        headers=dict(request.headers),
        body=body,
        body_truncated=len(body) > BODY_LIMIT_BYTES,
        remote_addr=client_address(request),
    )
    return JsonResponse({"status": "received", "id": received.pk})


class SignatureCheck(StrEnum):
    VERIFIED = "verified"
    VERIFIED_PREVIOUS = "verified with the previous secret"
    INVALID = "invalid"
    UNSIGNED = "unsigned"
    NO_ENDPOINT = "no endpoint"


@dataclass(frozen=True)
class InspectedRequest:
    request: InspectorRequest
    body_text: str
    body_pretty: str | None
    standard_webhooks: SignatureCheck
    kombo: SignatureCheck


def _header(headers: dict[str, str], name: str) -> str:
    return next((v for k, v in headers.items() if k.lower() == name), "")


def _standard_webhooks_matches(secret: str, headers: dict[str, str], body: bytes) -> bool:
    message_id = _header(headers, "webhook-id")
    try:
        timestamp = datetime.fromtimestamp(int(_header(headers, "webhook-timestamp")), tz=UTC)
        expected = Webhook(secret).sign(message_id, timestamp, body.decode())
    except (ValueError, OverflowError, OSError):
        return False
    sent = _header(headers, "webhook-signature").split()
    return any(hmac.compare_digest(expected.encode(), s.encode()) for s in sent)


def _kombo_matches(secret: str, headers: dict[str, str], body: bytes) -> bool:
    expected = kombo_signature(secret, body)
    return hmac.compare_digest(expected.encode(), _header(headers, "x-kombo-signature").encode())


Matcher = Callable[[str, dict[str, str], bytes], bool]


def _check(
    matches: Matcher,
    header: str,
    secrets: Sequence[tuple[str, bool]],
    headers: dict[str, str],
    body: bytes,
) -> SignatureCheck:
    if not _header(headers, header):
        return SignatureCheck.UNSIGNED
    if not secrets:
        return SignatureCheck.NO_ENDPOINT
    for secret, is_previous in secrets:
        if matches(secret, headers, body):
            return SignatureCheck.VERIFIED_PREVIOUS if is_previous else SignatureCheck.VERIFIED
    return SignatureCheck.INVALID


def inspector_endpoints(*, bin_id: str) -> list[WebhookEndpoint]:
    """The endpoints whose URL points at this bin."""
    candidates = WebhookEndpoint.objects.filter(url__contains=inspector_path(bin_id))
    return [e for e in candidates.order_by("-created_at") if inspector_bin_of(e.url) == bin_id]


def _secrets_of(endpoints: Sequence[WebhookEndpoint]) -> list[tuple[str, bool]]:
    """(secret, is the previous one) of each endpoint.

    A previous secret counts even after its overlap ended: the requests shown may have
    arrived while it was still signing.
    """
    secrets = []
    for endpoint in endpoints:
        secrets.append((secret_decrypt(endpoint.secret_encrypted), False))
        if endpoint.secret_previous_encrypted:
            secrets.append((secret_decrypt(endpoint.secret_previous_encrypted), True))
    return secrets


def _pretty_json(text: str) -> str | None:
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return None


def inspector_requests(
    *, bin_id: str, endpoints: Sequence[WebhookEndpoint]
) -> list[InspectedRequest]:
    """The newest requests of a bin, their bodies decoded and their signatures checked."""
    secrets = _secrets_of(endpoints)
    newest = InspectorRequest.objects.filter(bin_id=bin_id).order_by("-received_at", "-pk")
    rows = []
    for received in newest[:REQUESTS_PER_BIN]:
        body = bytes(received.body)
        headers = received.headers
        body_text = body.decode("utf-8", errors="replace")
        rows.append(
            InspectedRequest(
                request=received,
                body_text=body_text,
                body_pretty=_pretty_json(body_text),
                standard_webhooks=_check(
                    _standard_webhooks_matches, "webhook-signature", secrets, headers, body
                ),
                kombo=_check(_kombo_matches, "x-kombo-signature", secrets, headers, body),
            )
        )
    return rows
