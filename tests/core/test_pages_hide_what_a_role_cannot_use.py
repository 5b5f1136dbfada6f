"""Pages show a button or form only to roles that may use it.

Expectations: issue 14's role table (see test_dashboard_actions_per_role.py): e.g. a Viewer's
integration page has no relink form, no "Check auth now", no "Sync now", no enable/disable and
no delete; an Operator sees no API-key create form, no OAuth app form and no webhook endpoint
create form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from core.roles import Role
from tests.support.roles import RANK, World, role_id, world_url

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Control:
    least_role: Role
    # What the control leaves in the page's HTML (a form's action, a link, an id).
    marker: Callable[[World], str]


def _action(name: str, *attributes: str) -> Callable[[World], str]:
    """A form's or link's target, as it stands quoted in the page's HTML."""
    url = world_url(name, *attributes)
    return lambda world: f'"{url(world)}"'


def _text(text: str) -> Callable[[World], str]:
    return lambda _: text


OPERATOR, ADMIN = Role.OPERATOR, Role.ADMIN

INTEGRATION_CONTROLS = {
    "relink form": Control(OPERATOR, _action("dashboard:integration_relink", "integration.pk")),
    "revoke link": Control(OPERATOR, _action("dashboard:reconnection_link_revoke", "link.pk")),
    "check auth now": Control(OPERATOR, _text('id="check-auth-now"')),
    "sync now": Control(OPERATOR, _text('id="sync-now"')),
    "enable/disable": Control(
        OPERATOR, _action("dashboard:integration_enabled_update", "integration.pk")
    ),
    "delete": Control(ADMIN, _action("dashboard:integration_delete", "integration.pk")),
}

PAGES: dict[str, tuple[Callable[[World], str], dict[str, Control]]] = {
    "integration page": (
        lambda w: reverse("dashboard:integration_detail", args=[w.integration.pk]),
        INTEGRATION_CONTROLS,
    ),
    "integration live parts (htmx)": (
        lambda w: reverse("dashboard:integration_live", args=[w.integration.pk]),
        {
            "check auth now": INTEGRATION_CONTROLS["check auth now"],
            "sync now": INTEGRATION_CONTROLS["sync now"],
        },
    ),
    "api keys": (
        lambda _: reverse("dashboard:api_key_list"),
        {
            "create form": Control(ADMIN, _text('id="create-title"')),
            "revoke": Control(ADMIN, _action("dashboard:api_key_revoke", "api_key.pk")),
        },
    ),
    "oauth apps": (
        lambda _: reverse("dashboard:oauth_app_list"),
        {"save form": Control(ADMIN, _text('id="oauth-app-sandbox_oauth-form"'))},
    ),
    "webhook endpoints": (
        lambda _: reverse("webhooks:endpoint_list"),
        {
            "send test event": Control(
                OPERATOR, _action("webhooks:endpoint_send_test", "endpoint.pk")
            ),
            "create form": Control(ADMIN, _text("Add an endpoint")),
            "edit": Control(ADMIN, _action("webhooks:endpoint_edit", "endpoint.pk")),
            "enable/disable": Control(
                ADMIN, _action("webhooks:endpoint_enabled_update", "endpoint.pk")
            ),
            "rotate secret": Control(
                ADMIN, _action("webhooks:endpoint_rotate_secret", "endpoint.pk")
            ),
            "delete": Control(ADMIN, _action("webhooks:endpoint_delete", "endpoint.pk")),
        },
    ),
    "deliveries": (
        lambda _: reverse("webhooks:delivery_list"),
        {"redeliver failed": Control(OPERATOR, _action("webhooks:deliveries_redeliver_failed"))},
    ),
    "delivery": (
        lambda w: reverse("webhooks:delivery_detail", args=[w.failed_delivery.pk]),
        {
            "redeliver": Control(
                OPERATOR, _action("webhooks:delivery_redeliver", "failed_delivery.pk")
            )
        },
    ),
    "scope configs": (
        lambda _: reverse("scope_configs:scope_config_list"),
        {
            "create form": Control(ADMIN, _text('id="scope-config-create-form"')),
            "migrate": Control(ADMIN, _action("scope_configs:scope_config_migrate", "wide.pk")),
        },
    ),
    "scope config": (
        lambda w: reverse("scope_configs:scope_config_edit", args=[w.scope_config.pk]),
        {
            "save": Control(ADMIN, _text('id="scope-config-save"')),
            "migrate": Control(ADMIN, _text('id="scope-config-migrate-link"')),
        },
    ),
    "sandbox control": (
        lambda _: reverse("sandbox_control:overview"),
        {
            "hire employees": Control(
                OPERATOR, _action("sandbox_control:employees_add", "account.pk")
            ),
            "create key": Control(
                OPERATOR, _action("sandbox_control:api_key_create", "account.pk")
            ),
            "revoke key": Control(
                OPERATOR, _action("sandbox_control:api_key_revoke", "sandbox_key.pk")
            ),
            "remove permission": Control(
                OPERATOR, _action("sandbox_control:permission_remove", "sandbox_key.pk")
            ),
        },
    ),
}


@pytest.mark.parametrize("role", list(Role), ids=role_id)
@pytest.mark.parametrize("page", list(PAGES))
def test_it_shows_only_the_controls_the_role_may_use(
    world: World, role_client: Callable[[Role | None], Client], role: Role, page: str
) -> None:
    url, controls = PAGES[page]

    response = role_client(role).get(url(world))

    html = response.content.decode()
    assert response.status_code == 200
    shown = {name for name, control in controls.items() if control.marker(world) in html}
    expected = {
        name for name, control in controls.items() if RANK[role] >= RANK[control.least_role]
    }
    assert shown == expected
