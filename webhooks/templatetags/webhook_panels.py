"""Panels the webhooks app renders into other apps' pages (the integration page places them).

They take plain integration ids: the webhooks app imports nothing of ours.
"""

from __future__ import annotations

from typing import Any

from django import template

from webhooks.selectors import integration_delivery_list

register = template.Library()


@register.inclusion_tag("webhooks/_integration_deliveries.html")
def integration_webhooks(integration_id: str) -> dict[str, Any]:
    return {
        "integration_id": integration_id,
        "rows": integration_delivery_list(integration_id=integration_id),
    }
