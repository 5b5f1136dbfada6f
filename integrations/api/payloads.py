"""Response bodies built as plain data, for the API's hottest responses.

DRF serializers copy their declared fields for every instance they render (a deepcopy of about
thirty field objects for one integration), which cost more than the rest of
`GET /integrations/{id}` together (`make bench`, suite `load`). The serializers in
`serializers.py` still document these shapes for the schema; tests check the bodies built here
against them and against the official `kombo` SDK's models.
"""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from rest_framework.request import Request

from core.timestamps import iso_timestamp, iso_timestamp_or_none
from integrations.models import Integration
from integrations.selectors.integrations import integration_read_models
from integrations.tools import tool_get

_TOOL_PAYLOADS: dict[tuple[str, str], dict[str, Any]] = {}


def end_user_payload(integration: Integration) -> dict[str, Any]:
    """Kombo's `end_user` object of an integration, in the API and in every webhook."""
    return end_user_fields(
        organization_name=integration.organization_name,
        creator_email=integration.creator_email,
        origin_id=integration.origin_id,
    )


def end_user_fields(
    *, organization_name: str, creator_email: str | None, origin_id: str | None
) -> dict[str, Any]:
    return {
        "organization_name": organization_name,
        "creator_email": creator_email,
        "origin_id": origin_id,
    }


def tool_payload(tool_id: str, request: Request) -> dict[str, Any]:
    """A tool's part of an integration changes only with the site's address (its logo URLs are
    absolute): built once per tool and address, not per integration and request."""
    site_url = request.build_absolute_uri("/")
    key = (tool_id, site_url)
    payload = _TOOL_PAYLOADS.get(key)
    if payload is None:
        tool = tool_get(tool_id)
        payload = _TOOL_PAYLOADS[key] = {
            "id": tool.id,
            "label": tool.label,
            "internal_label": None,
            "logo_url": request.build_absolute_uri(static(tool.logo)),
            "icon_url": request.build_absolute_uri(static(tool.icon)),
        }
    # A copy: the cached one must stay as built whatever a caller does with its response.
    return dict(payload)


def integration_payload(integration: Integration, request: Request) -> dict[str, Any]:
    """An integration as Kombo's `GET /integrations/{id}` returns it (`IntegrationSerializer`)."""
    return {
        "id": integration.id,
        "tool": tool_payload(integration.tool, request),
        "category": integration.category,
        "status": integration.status,
        "setup_status": integration.setup_status,
        "end_user": end_user_payload(integration),
        "scope_config": {
            "id": integration.scope_config.id,
            "name": integration.scope_config.name,
        },
        "data_expired_at": iso_timestamp_or_none(integration.data_expired_at),
        "created_at": iso_timestamp(integration.created_at),
        "beta": integration.beta,
        "read_models": [
            {
                "id": state.id,
                "label": state.label,
                "is_available": state.is_available,
                "coverage_status": str(state.coverage_status),
                "scope_config_setting": state.scope_config_setting,
                "opted_out_by_customer": state.opted_out_by_customer,
                "fields": [
                    {
                        "id": field.id,
                        "is_available": field.is_available,
                        "coverage_status": str(field.coverage_status),
                        "scope_config_setting": field.scope_config_setting,
                        "opted_out_by_customer": field.opted_out_by_customer,
                    }
                    for field in state.fields
                ],
            }
            for state in integration_read_models(integration=integration)
        ],
        "write_actions": [],
    }
