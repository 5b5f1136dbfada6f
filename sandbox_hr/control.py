"""The Sandbox HR control page: the demo's "break it" buttons. The one module of Sandbox HR that
reads the platform's side (which integrations use which key), in a fixed number of queries.

Operators revoke a key, take a permission away (or give it back), hire employees or mint a new
key, and the `sandbox` connector sees the change on its next call. Each action redirects back
with a message saying what the operator will see next; a new key is shown once, in the response
to the POST that created it. The forms are tiny input parsers kept next to their only views.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import roles
from core.api.pagination import is_possible_id
from core.crypto import CredentialDecryptionError, decrypt_json
from core.roles import permission_required
from integrations.models import CredentialVersion, Integration
from integrations.tools.sandbox import SandboxTool
from sandbox_hr import selectors, services
from sandbox_hr.models import (
    SANDBOX_PERMISSIONS,
    SandboxAccount,
    SandboxApiKey,
    SandboxUser,
)
from sandbox_hr.services import API_KEY_DISPLAY_LENGTH

OVERVIEW = "sandbox_control:overview"
MAX_EMPLOYEES_PER_ADD = 1000
PERMISSION_CHOICES = [(permission, permission) for permission in SANDBOX_PERMISSIONS]


@dataclass(frozen=True)
class ControlKeyRow:
    key: SandboxApiKey
    # Integrations of the `sandbox` tool whose current credentials are this key.
    integrations: list[Integration]

    @property
    def missing_permissions(self) -> list[str]:
        return [p for p in SANDBOX_PERMISSIONS if p not in self.key.permissions]


@dataclass(frozen=True)
class ControlAccountRow:
    account: SandboxAccount
    employee_count: int
    group_count: int
    keys: list[ControlKeyRow]
    # Who can sign in to the account's Sandbox HR pages and manage its keys.
    administrators: list[SandboxUser]
    # Integrations connected to this account whose current key is none of its keys (or whose
    # credentials cannot be read): shown so that no user of the account goes unnoticed.
    other_integrations: list[Integration]


def control_overview() -> list[ControlAccountRow]:
    """Every account with its counts, keys, administrators and the integrations using each key:
    four queries."""
    accounts = list(selectors.accounts_overview())
    keys_by_account = {account.pk: list(account.api_keys.all()) for account in accounts}
    administrators = selectors.administrators_by_account()
    by_key, others = _integrations_by_key(keys_by_account)
    return [
        ControlAccountRow(
            account=account,
            employee_count=account.employee_count,
            group_count=account.group_count,
            keys=[
                ControlKeyRow(key=key, integrations=by_key.get(key.pk, []))
                for key in keys_by_account[account.pk]
            ],
            administrators=administrators.get(account.pk, []),
            other_integrations=others.get(account.pk, []),
        )
        for account in accounts
    ]


def key_integrations(*, key: SandboxApiKey) -> list[Integration]:
    """The integrations whose current credentials are `key` (two queries)."""
    keys = list(SandboxApiKey.objects.filter(account_id=key.account_id))
    by_key, _ = _integrations_by_key({key.account_id: keys})
    return by_key.get(key.pk, [])


def _integrations_by_key(
    keys_by_account: dict[str, list[SandboxApiKey]],
) -> tuple[dict[str, list[Integration]], dict[str, list[Integration]]]:
    """(key id -> integrations using it, account id -> integrations using none of its keys).

    The `sandbox` connector reports the account as the integration's `remote_account_id`, so
    one query finds every integration of these accounts, with its newest credentials.
    """
    newest_credentials = (
        CredentialVersion.objects.filter(integration=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values("payload_encrypted")[:1]
    )
    integrations = (
        Integration.objects.alive()
        .filter(tool=SandboxTool.id, remote_account_id__in=list(keys_by_account))
        .only("id", "tool", "organization_name", "status", "enabled", "remote_account_id")
        .annotate(credentials_encrypted=Subquery(newest_credentials))
        .order_by("organization_name", "id")
    )
    by_key: defaultdict[str, list[Integration]] = defaultdict(list)
    others: defaultdict[str, list[Integration]] = defaultdict(list)
    for integration in integrations:
        keys = keys_by_account[integration.remote_account_id]
        key = _key_in_use(keys, integration.credentials_encrypted)
        if key is None:
            others[integration.remote_account_id].append(integration)
        else:
            by_key[key.pk].append(integration)
    return dict(by_key), dict(others)


def _key_in_use(
    keys: list[SandboxApiKey], credentials_encrypted: str | None
) -> SandboxApiKey | None:
    # Credentials only ever land after a successful auth check against the integration's own
    # account (a relink to another account is refused), so an account with a single key needs
    # no decryption: that key is the one in use.
    if len(keys) == 1:
        return keys[0]
    if not credentials_encrypted:
        return None
    try:
        raw_key = str(decrypt_json(credentials_encrypted).get("api_key") or "")
    except CredentialDecryptionError:
        return None
    # The display prefix identifies the key; the rest of the secret goes no further than here.
    prefix = raw_key[:API_KEY_DISPLAY_LENGTH]
    return next((key for key in keys if key.prefix == prefix), None)


class EmployeesAddForm(forms.Form):
    count = forms.IntegerField(min_value=1, max_value=MAX_EMPLOYEES_PER_ADD)


class ControlApiKeyForm(forms.Form):
    name = forms.CharField(max_length=200)
    permissions = forms.MultipleChoiceField(choices=PERMISSION_CHOICES, required=False)


class PermissionForm(forms.Form):
    permission = forms.ChoiceField(choices=PERMISSION_CHOICES)


def _account_or_404(account_id: str) -> SandboxAccount:
    account = selectors.account_get(account_id=account_id) if is_possible_id(account_id) else None
    if account is None:
        raise Http404("No such sandbox account.")
    return account


def _key_or_404(key_id: str) -> SandboxApiKey:
    key = selectors.api_key_get_by_id(key_id=key_id) if is_possible_id(key_id) else None
    if key is None:
        raise Http404("No such sandbox API key.")
    return key


def _key_label(key: SandboxApiKey) -> str:
    return f"API key “{key.name}” ({key.prefix}…) of {key.account.name}"


def _names(integrations: list[Integration]) -> str:
    names = [str(integration) for integration in integrations]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _render_overview(
    request: HttpRequest,
    *,
    new_key: SandboxApiKey | None = None,
    new_raw_key: str | None = None,
) -> HttpResponse:
    return render(
        request,
        "sandbox_hr/control.html",
        {
            "accounts": control_overview(),
            "permissions": SANDBOX_PERMISSIONS,
            "max_employees": MAX_EMPLOYEES_PER_ADD,
            "new_key": new_key,
            "new_raw_key": new_raw_key,
        },
    )


@require_GET
@permission_required(roles.VIEW_SANDBOX)
def overview(request: HttpRequest) -> HttpResponse:
    return _render_overview(request)


@require_http_methods(["GET", "POST"])
@permission_required(roles.CONTROL_SANDBOX)
def api_key_revoke_page(request: HttpRequest, key_id: str) -> HttpResponse:
    key = _key_or_404(key_id)
    if request.method == "GET":
        return render(
            request,
            "sandbox_hr/api_key_confirm_revoke.html",
            {"key": key, "integrations": key_integrations(key=key)},
        )
    if key.revoked_at is not None:
        messages.info(request, f"{_key_label(key)} was already revoked; nothing changed.")
        return redirect(OVERVIEW)
    consequence = _consequence(
        key,
        "The next auth check of {names} will fail with invalid credentials until relinked "
        "with a working key.",
        unused="No integration uses it, so no auth check changes.",
    )
    services.sandbox_api_key_revoke(key=key)
    messages.success(request, f"Revoked {_key_label(key)}. {consequence}")
    return redirect(OVERVIEW)


def _permission_posted(request: HttpRequest) -> str | None:
    form = PermissionForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Choose one of {', '.join(SANDBOX_PERMISSIONS)}.")
        return None
    permission: str = form.cleaned_data["permission"]
    return permission


def _consequence(
    key: SandboxApiKey, if_used: str, unused: str = "No integration uses this key."
) -> str:
    """What happens next to the integrations using `key` (`if_used` names them)."""
    integrations = key_integrations(key=key)
    if not integrations:
        return unused
    return if_used.format(names=_names(integrations))


@require_POST
@permission_required(roles.CONTROL_SANDBOX)
def permission_remove(request: HttpRequest, key_id: str) -> HttpResponse:
    return _permission_change(request, key_id, grant=False)


@require_POST
@permission_required(roles.CONTROL_SANDBOX)
def permission_grant(request: HttpRequest, key_id: str) -> HttpResponse:
    return _permission_change(request, key_id, grant=True)


def _permission_change(request: HttpRequest, key_id: str, *, grant: bool) -> HttpResponse:
    key = _key_or_404(key_id)
    permission = _permission_posted(request)
    if permission is None:
        return redirect(OVERVIEW)
    if (permission in key.permissions) == grant:
        state = "already has" if grant else "did not have"
        messages.info(request, f"{_key_label(key)} {state} {permission}; nothing changed.")
        return redirect(OVERVIEW)
    if grant:
        services.sandbox_permission_grant(key=key, permission=permission)
        change = f"has {permission} again"
        consequence = _consequence(key, "The next sync of {names} reads that data again.")
    else:
        services.sandbox_permission_remove(key=key, permission=permission)
        change = f"no longer has {permission}"
        consequence = _consequence(
            key,
            "The next sync of {names} will skip what needs it and warn "
            "“Not all permissions are granted”.",
        )
    messages.success(request, f"{_key_label(key)} {change}. {consequence}")
    return redirect(OVERVIEW)


@require_POST
@permission_required(roles.CONTROL_SANDBOX)
def employees_add(request: HttpRequest, account_id: str) -> HttpResponse:
    account = _account_or_404(account_id)
    form = EmployeesAddForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            f"Enter a whole number of employees from 1 to {MAX_EMPLOYEES_PER_ADD}; "
            f"nothing was added to {account.name}.",
        )
        return redirect(OVERVIEW)
    count = services.sandbox_employees_add(account=account, count=form.cleaned_data["count"])
    messages.success(
        request,
        f"Hired {count} employee{'' if count == 1 else 's'} at {account.name}. "
        "The next sync of its integrations picks them up.",
    )
    return redirect(OVERVIEW)


@never_cache
@require_POST
@permission_required(roles.CONTROL_SANDBOX)
def api_key_create_page(request: HttpRequest, account_id: str) -> HttpResponse:
    account = _account_or_404(account_id)
    form = ControlApiKeyForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "Give the new key a name (up to 200 characters) and choose among "
            f"{', '.join(SANDBOX_PERMISSIONS)}; no key was created for {account.name}.",
        )
        return redirect(OVERVIEW)
    # The raw key lives only in this response: never in the session or a message.
    key, raw_key = services.sandbox_api_key_create(
        account=account,
        name=form.cleaned_data["name"],
        permissions=form.cleaned_data["permissions"],
    )
    return _render_overview(request, new_key=key, new_raw_key=raw_key)
