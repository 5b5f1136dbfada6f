"""The webhook part of `make run`'s demo: an endpoint that delivers to the request inspector."""

from __future__ import annotations

from django.conf import settings

from webhooks.inspector import inspector_path
from webhooks.models import WebhookEndpoint
from webhooks.services import endpoint_create
from webhooks.urlsafety import UnsafeUrlError

DEMO_INSPECTOR_BIN = "demo"


def demo_webhook_endpoint_seed(environment_id: str) -> WebhookEndpoint | None:
    """An endpoint for every event type, pointing at this site's own inspector.

    None when the site's own URL is refused (WEBHOOKS_ALLOW_PRIVATE_IPS off with a private
    BASE_URL) or the inspector is off: the demo runs without it rather than failing.
    """
    if not settings.WEBHOOK_INSPECTOR_ENABLED:
        return None
    try:
        endpoint, _ = endpoint_create(
            environment_id=environment_id,
            url=f"{settings.BASE_URL}{inspector_path(DEMO_INSPECTOR_BIN)}",
            description="Demo: the built-in request inspector",
        )
    except UnsafeUrlError:
        return None
    return endpoint
