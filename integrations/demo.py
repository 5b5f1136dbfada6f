"""The demo `make run` seeds: an operator, an API key, a sandbox HR account per demo customer,
and integrations in every state, so the break-and-relink story can be shown at once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from integrations.actors import Actor
from integrations.models import (
    CredentialSource,
    Environment,
    Integration,
    ScopeConfig,
)
from integrations.read_models import HRIS_EMPLOYEES, HRIS_GROUPS
from integrations.sandbox_hr.services import (
    sandbox_account_create,
    sandbox_api_key_create,
    sandbox_api_key_revoke,
)
from integrations.services import (
    api_key_create,
    environment_get_or_create,
    integration_create,
    integration_record_auth_result,
    integration_set_enabled,
    scope_config_create,
)
from integrations.tools.base import AuthResult
from integrations.tools.sandbox import PERM_EMPLOYEES, PERM_GROUPS, PERM_PERSONAL, PERM_SENSITIVE
from webhooks.demo import demo_webhook_endpoint_seed

OPERATOR_USERNAME = "operator"
_PERSONAL_FIELDS = {
    "nationality",
    "personal_email",
    "mobile_phone_number",
    "gender",
    "marital_status",
    "date_of_birth",
    "home_address",
}
_SENSITIVE_FIELDS = {"ssn", "tax_id", "bank_accounts", "ethnicity"}


@dataclass
class DemoSeedResult:
    created: bool
    operator_password: str | None = None
    api_key: str | None = None
    integration_ids: list[str] = field(default_factory=list)


def _default_scope_settings() -> dict[str, object]:
    employee_fields = {
        name: (
            "DISABLED"
            if name in _SENSITIVE_FIELDS
            else "OPTIONAL"
            if name in _PERSONAL_FIELDS
            else "ENABLED"
        )
        for name in HRIS_EMPLOYEES.fields
    }
    return {
        HRIS_EMPLOYEES.id: {"setting": "ENABLED", "fields": employee_fields},
        HRIS_GROUPS.id: {
            "setting": "ENABLED",
            "fields": dict.fromkeys(HRIS_GROUPS.fields, "ENABLED"),
        },
    }


def _extended_scope_settings() -> dict[str, object]:
    return {
        model.id: {"setting": "ENABLED", "fields": dict.fromkeys(model.fields, "ENABLED")}
        for model in (HRIS_EMPLOYEES, HRIS_GROUPS)
    }


def demo_seed() -> DemoSeedResult:
    """Seed once; later calls change nothing and return `created=False`."""
    with transaction.atomic():
        production = environment_get_or_create(name="production")
        environment_get_or_create(name="sandbox")
        if Integration.objects.filter(environment=production).exists():
            return DemoSeedResult(created=False)
        result = DemoSeedResult(created=True)
        result.operator_password = _operator_ensure()
        _, result.api_key = api_key_create(environment=production, name="Demo key")
        default = scope_config_create(
            environment=production, name="Default", settings=_default_scope_settings()
        )
        scope_config_create(
            environment=production,
            name="Extended (all fields)",
            settings=_extended_scope_settings(),
        )
        demo_webhook_endpoint_seed(production.pk)
        result.integration_ids = _integrations_seed(production, default)
    return result


def _operator_ensure() -> str | None:
    user_model = get_user_model()
    if user_model.objects.filter(is_superuser=True).exists():
        return None
    password = secrets.token_urlsafe(12)
    user_model.objects.create_superuser(
        username=OPERATOR_USERNAME, email="operator@localhost", password=password
    )
    return password


def _integrations_seed(environment: Environment, scope: ScopeConfig) -> list[str]:
    actor = Actor.system("demo seed")
    all_permissions = [PERM_EMPLOYEES, PERM_PERSONAL, PERM_SENSITIVE, PERM_GROUPS]
    # (organisation, contact, permissions on the sandbox key, what happens to it)
    customers = [
        ("Acme GmbH", "it@acme.example", all_permissions, "healthy"),
        ("Globex Corporation", "hr-admin@globex.example", [PERM_EMPLOYEES], "healthy"),
        ("Initech AG", "ops@initech.example", all_permissions, "failing"),
        ("Umbrella SA", "rh@umbrella.example", all_permissions, "invalid"),
        ("Hooli Inc.", "people@hooli.example", all_permissions, "disabled"),
    ]
    now = timezone.now()
    ids = []
    for index, (organisation, email, permissions, fate) in enumerate(customers):
        account = sandbox_account_create(name=organisation, employees=25 + 10 * index, seed=index)
        key, raw_key = sandbox_api_key_create(
            account=account, name="kombo-site", permissions=permissions
        )
        integration = integration_create(
            environment=environment,
            tool_id="sandbox",
            organization_name=organisation,
            creator_email=email,
            origin_id=f"customer-{index + 1}",
            scope_config=scope,
            credentials={"api_key": raw_key},
            remote_account_id=account.id,
            actor=actor,
            source=CredentialSource.SEED,
        )
        ids.append(integration.pk)
        if fate in ("failing", "invalid"):
            sandbox_api_key_revoke(key=key)
            # The demo starts mid-story: replay the failed checks of the last days through the
            # health service, so issues, audit events and webhook events are the real ones.
            days = 1.2 if fate == "failing" else 4.0
            checks = int(days * 8)
            for check in range(checks + 1):
                integration_record_auth_result(
                    integration_id=integration.pk,
                    result=AuthResult.invalid(
                        "Sandbox HR rejected the API key (revoked or unknown)."
                    ),
                    now=now - timedelta(days=days) + check * timedelta(days=days) / checks,
                )
        elif fate == "disabled":
            integration_set_enabled(integration=integration, enabled=False, actor=actor)
    return ids
