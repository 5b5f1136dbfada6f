"""Operator roles, and the permissions the dashboard and the Django admin check.

The one home for "who may do what". A role is an auth group of Django permissions, so a
dashboard view, its template (`perms`) and the admin's pages and actions all check the same
strings. Reading and CRUD-like actions use the models' default permissions (what the admin checks
on its own); actions that are not CRUD are custom permissions in the models' `Meta.permissions`.

`migrate` creates the groups (core/migrations); a test holds the database to `ROLE_PERMISSIONS`,
so a change here needs a migration that changes the groups too. Superusers have every permission.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# Reading: the models the dashboard pages show (and the admin lists).
VIEW_INTEGRATION = "integrations.view_integration"
VIEW_API_KEY = "core.view_apikey"
VIEW_REQUEST_LOG = "core.view_requestlog"
VIEW_SCOPE_CONFIG = "integrations.view_scopeconfig"
VIEW_SCOPE_CONFIG_MIGRATION = "integrations.view_scopeconfigmigration"
VIEW_SYNC = "syncs.view_sync"
VIEW_WEBHOOK_ENDPOINT = "webhooks.view_webhookendpoint"
VIEW_WEBHOOK_DELIVERY = "webhooks.view_webhookdelivery"
VIEW_INSPECTOR_REQUEST = "webhooks.view_inspectorrequest"
VIEW_SANDBOX = "sandbox_hr.view_sandboxaccount"
VIEW_OAUTH_APP = "integrations.view_oauthapp"

# Operating integrations day to day (custom permissions).
RELINK_INTEGRATION = "integrations.relink_integration"
CHECK_AUTH_INTEGRATION = "integrations.check_auth_integration"
FORCE_SYNC_INTEGRATION = "integrations.force_sync_integration"
ENABLE_INTEGRATION = "integrations.enable_integration"
REDELIVER_WEBHOOK = "webhooks.redeliver_webhookdelivery"
# A test event reaches the operator's own endpoint only, like a redelivery: an Operator action.
SEND_TEST_WEBHOOK = "webhooks.send_test_webhookendpoint"
CONTROL_SANDBOX = "sandbox_hr.control_sandboxaccount"

# Configuring: what grants access, destroys data or changes what is read and where it is sent.
ADD_API_KEY = "core.add_apikey"
REVOKE_API_KEY = "core.change_apikey"
DELETE_INTEGRATION = "integrations.delete_integration"
ADD_SCOPE_CONFIG = "integrations.add_scopeconfig"
CHANGE_SCOPE_CONFIG = "integrations.change_scopeconfig"
# "Migrate integrations to this config" creates a ScopeConfigMigration and its links.
MIGRATE_TO_SCOPE_CONFIG = "integrations.add_scopeconfigmigration"
ADD_WEBHOOK_ENDPOINT = "webhooks.add_webhookendpoint"
CHANGE_WEBHOOK_ENDPOINT = "webhooks.change_webhookendpoint"
DELETE_WEBHOOK_ENDPOINT = "webhooks.delete_webhookendpoint"
# The operator's OAuth apps hold client secrets: whoever sets one decides where every OAuth
# integration's tokens come from. The dashboard saves (creates or changes) with CHANGE.
ADD_OAUTH_APP = "integrations.add_oauthapp"
CHANGE_OAUTH_APP = "integrations.change_oauthapp"
# Unlocking a sign-in django-axes locked: deleting its access attempt in the admin.
VIEW_SIGN_IN_LOCKS = "axes.view_accessattempt"
UNLOCK_SIGN_IN = "axes.delete_accessattempt"

# A Viewer reads every page, and every model in the admin.
_READ = frozenset(
    {
        VIEW_INTEGRATION,
        VIEW_API_KEY,
        VIEW_REQUEST_LOG,
        VIEW_SCOPE_CONFIG,
        VIEW_SCOPE_CONFIG_MIGRATION,
        VIEW_SYNC,
        VIEW_WEBHOOK_ENDPOINT,
        VIEW_WEBHOOK_DELIVERY,
        VIEW_INSPECTOR_REQUEST,
        VIEW_SANDBOX,
        VIEW_OAUTH_APP,
        "core.view_environment",
        "integrations.view_issue",
        "integrations.view_credentialversion",
        "integrations.view_integrationevent",
        "integrations.view_reconnectionlink",
        "integrations.view_oauthflow",
        "syncs.view_authcheck",
        "syncs.view_employee",
        "syncs.view_group",
        "webhooks.view_webhookevent",
        "webhooks.view_webhookattempt",
        "sandbox_hr.view_sandboxuser",
        "sandbox_hr.view_sandboxapikey",
        "sandbox_hr.view_sandboxgroup",
        "sandbox_hr.view_sandboxemployee",
    }
)
_OPERATE = frozenset(
    {
        RELINK_INTEGRATION,
        CHECK_AUTH_INTEGRATION,
        FORCE_SYNC_INTEGRATION,
        ENABLE_INTEGRATION,
        REDELIVER_WEBHOOK,
        SEND_TEST_WEBHOOK,
        CONTROL_SANDBOX,
    }
)
_CONFIGURE = frozenset(
    {
        ADD_API_KEY,
        REVOKE_API_KEY,
        DELETE_INTEGRATION,
        ADD_SCOPE_CONFIG,
        CHANGE_SCOPE_CONFIG,
        MIGRATE_TO_SCOPE_CONFIG,
        ADD_WEBHOOK_ENDPOINT,
        CHANGE_WEBHOOK_ENDPOINT,
        DELETE_WEBHOOK_ENDPOINT,
        ADD_OAUTH_APP,
        CHANGE_OAUTH_APP,
        VIEW_SIGN_IN_LOCKS,
        UNLOCK_SIGN_IN,
    }
)


class Role(enum.Enum):
    """Each role has everything the one before it has (issue 14's role table)."""

    VIEWER = "viewer"
    OPERATOR = "operator"
    ADMIN = "admin"

    @property
    def group_name(self) -> str:
        return self.value.capitalize()


ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.VIEWER: _READ,
    Role.OPERATOR: _READ | _OPERATE,
    Role.ADMIN: _READ | _OPERATE | _CONFIGURE,
}


def role_needed(permission: str) -> Role | None:
    """The smallest role that has `permission` (None: only a superuser has it)."""
    return next((role for role in Role if permission in ROLE_PERMISSIONS[role]), None)


def may(user: Any, permission: str) -> bool:
    """Whether `user` may use the dashboard or admin action behind `permission`."""
    return bool(user.is_active and user.is_staff and user.has_perm(permission))


View = Callable[..., HttpResponse]


def permission_required(permission: str, *, post: str | None = None) -> Callable[[View], View]:
    """A dashboard view for operators holding `permission` (`post` instead, for a POST).

    Anonymous users go to the login page; a signed-in user who is not active staff or lacks the
    permission gets a 403 page naming the role that has it.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            needed = post if post is not None and request.method == "POST" else permission
            if not may(request.user, needed):
                role = role_needed(needed)
                return render(
                    request,
                    "403.html",
                    {
                        "role_needed": role,
                        "superuser_only": role is None,
                        "is_staff": request.user.is_staff,
                    },
                    status=403,
                )
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator
