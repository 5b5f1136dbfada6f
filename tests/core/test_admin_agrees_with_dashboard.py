"""The Django admin gives each role the same answer as the dashboard for the same action.

Expectations: issue 14's role table (see test_dashboard_actions_per_role.py), and Django's
admin documentation: an action declared with `permissions=[...]` is offered, and runs, only
when every `has_<name>_permission` agrees; add pages need the model's add permission.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from core.models import ApiKey, Environment
from core.roles import Role
from core.services import api_key_create
from integrations.models import Integration, ReconnectionLink
from sandbox_hr.models import SandboxApiKey
from sandbox_hr.services import sandbox_account_create, sandbox_api_key_create
from tests.support.factories import IntegrationFactory
from tests.support.roles import RANK, ROLES, role_id

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class World:
    integration: Integration
    api_key: ApiKey
    sandbox_key: SandboxApiKey


@pytest.fixture
def world(environment: Environment) -> World:
    account = sandbox_account_create(name="Admin Matrix GmbH", employees=1)
    return World(
        integration=IntegrationFactory(environment=environment),
        api_key=api_key_create(environment=environment, name="existing")[0],
        sandbox_key=sandbox_api_key_create(account=account, name="key", permissions=[])[0],
    )


@dataclass(frozen=True)
class AdminAction:
    least_role: Role
    changelist: str
    action: str
    selected: Callable[[World], str]
    happened: Callable[[World], bool]
    extra: dict[str, str] | None = None


def _integration(world: World) -> Integration:
    return Integration.objects.get(pk=world.integration.pk)


ACTIONS = {
    "disable integrations": AdminAction(
        Role.OPERATOR,
        "admin:integrations_integration_changelist",
        "disable_integrations",
        lambda w: w.integration.pk,
        lambda w: not _integration(w).enabled,
    ),
    "create magic links": AdminAction(
        Role.OPERATOR,
        "admin:integrations_integration_changelist",
        "create_magic_links",
        lambda w: w.integration.pk,
        lambda w: ReconnectionLink.objects.filter(integration=w.integration).exists(),
        extra={"apply": "1", "scope_config": "", "language": "en"},
    ),
    "revoke sandbox keys": AdminAction(
        Role.OPERATOR,
        "admin:sandbox_hr_sandboxapikey_changelist",
        "revoke_keys",
        lambda w: w.sandbox_key.pk,
        lambda w: SandboxApiKey.objects.get(pk=w.sandbox_key.pk).revoked_at is not None,
    ),
    "delete integrations": AdminAction(
        Role.ADMIN,
        "admin:integrations_integration_changelist",
        "delete_integrations",
        lambda w: w.integration.pk,
        lambda w: _integration(w).deleted_at is not None,
    ),
    "revoke api keys": AdminAction(
        Role.ADMIN,
        "admin:core_apikey_changelist",
        "revoke_keys",
        lambda w: w.api_key.pk,
        lambda w: ApiKey.objects.get(pk=w.api_key.pk).revoked_at is not None,
    ),
}


def _offered_actions(client: Client, changelist: str) -> set[str]:
    response = client.get(reverse(changelist))
    assert response.status_code == 200
    # The admin leaves the action form out when it offers no action at all.
    form = response.context["action_form"]
    return set() if form is None else {name for name, _ in form.fields["action"].choices}


@pytest.mark.parametrize("role", ROLES, ids=role_id)
@pytest.mark.parametrize("name", list(ACTIONS))
def test_it_runs_an_admin_action_only_for_roles_the_dashboard_allows(
    world: World, role_client: Callable[[Role | None], Client], role: Role | None, name: str
) -> None:
    case = ACTIONS[name]
    client = role_client(role)
    allowed = RANK[role] >= RANK[case.least_role]
    data: dict[str, Any] = {
        "action": case.action,
        ACTION_CHECKBOX_NAME: [case.selected(world)],
        **(case.extra or {}),
    }

    response = client.post(reverse(case.changelist), data)

    if allowed:
        assert case.action in _offered_actions(client, case.changelist)
        assert response.status_code in (200, 302)
        assert case.happened(world)
        return
    assert not case.happened(world)
    if role is None:
        # Without even the view permission the admin refuses the whole list.
        assert response.status_code == 403
    else:
        assert case.action not in _offered_actions(client, case.changelist)


@dataclass(frozen=True)
class AdminPage:
    least_role: Role
    url: str


PAGES = {
    "integrations list": AdminPage(Role.VIEWER, "admin:integrations_integration_changelist"),
    "webhook deliveries list": AdminPage(Role.VIEWER, "admin:webhooks_webhookdelivery_changelist"),
    # The dashboard's "create scope config" is the Admin role's; so is the admin's add page.
    "add scope config": AdminPage(Role.ADMIN, "admin:integrations_scopeconfig_add"),
    "oauth apps list": AdminPage(Role.VIEWER, "admin:integrations_oauthapp_changelist"),
    "oauth flows list": AdminPage(Role.VIEWER, "admin:integrations_oauthflow_changelist"),
    # Saving an OAuth app on the dashboard is the Admin role's; so is the admin's add page.
    "add oauth app": AdminPage(Role.ADMIN, "admin:integrations_oauthapp_add"),
}


@pytest.mark.parametrize("role", ROLES, ids=role_id)
@pytest.mark.parametrize("name", list(PAGES))
def test_it_opens_an_admin_page_only_for_roles_the_dashboard_allows(
    role_client: Callable[[Role | None], Client], role: Role | None, name: str
) -> None:
    page = PAGES[name]
    allowed = RANK[role] >= RANK[page.least_role]

    response = role_client(role).get(reverse(page.url))

    assert response.status_code == (200 if allowed else 403)
