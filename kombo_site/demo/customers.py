"""The demo `make run` seeds: an operator, an API key, scope configs, and five customers who
connected their Sandbox HR account a week ago, each with a fate that strikes during that week.

`kombo_site.demo.week` replays the week through the product's own services, so every page and
the API tell one story. Nothing here invents a state: the customers' fates are the levers a real
customer or operator pulls (revoke the key, remove a permission, disable the integration), and
the health they lead to is left to the product's rules.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from core.models import Environment
from core.services import api_key_create, environment_get_or_create
from integrations.actors import Actor
from integrations.models import (
    CredentialSource,
    CredentialVersion,
    Integration,
    IntegrationEvent,
    ScopeConfig,
)
from integrations.read_models import HRIS_EMPLOYEES, HRIS_GROUPS, READ_MODELS
from integrations.services import (
    integration_create,
    integration_schedule_next,
    integration_set_enabled,
    scope_config_create,
)
from integrations.tools.base import AuthResult, Page, ToolError
from integrations.tools.sandbox import (
    PERM_ABSENCES,
    PERM_COMPENSATION,
    PERM_EMPLOYEES,
    PERM_GROUPS,
    PERM_ORG,
    PERM_PERSONAL,
    PERM_SENSITIVE,
    SANDBOX_RESOURCES,
    SandboxTool,
    map_employee,
    map_group,
)
from sandbox_hr.models import (
    SandboxAbsence,
    SandboxAbsenceType,
    SandboxAccount,
    SandboxApiKey,
    SandboxEmployee,
    SandboxEmployment,
    SandboxGroup,
    SandboxLegalEntity,
    SandboxLocation,
    SandboxTimeOffBalance,
)
from sandbox_hr.selectors import (
    RecordPage,
    cursor_decode,
    employee_page,
    group_page,
    record_page,
)
from sandbox_hr.services import (
    sandbox_account_create,
    sandbox_api_key_authenticate,
    sandbox_api_key_create,
    sandbox_api_key_revoke,
    sandbox_permission_remove,
)
from sandbox_hr.views.api import (
    absence_json,
    absence_type_json,
    employee_json,
    employment_json,
    group_json,
    legal_entity_json,
    location_json,
    time_off_balance_json,
)
from webhooks.models import WebhookEvent

OPERATOR_USERNAME = "operator"
DEMO_DAYS = 7
DEMO_ACTOR = Actor.system("demo seed")
ALL_PERMISSIONS = (
    PERM_EMPLOYEES,
    PERM_PERSONAL,
    PERM_SENSITIVE,
    PERM_GROUPS,
    PERM_ORG,
    PERM_COMPENSATION,
    PERM_ABSENCES,
)
# What the `sandbox` connector reports when Sandbox HR answers 401 (a revoked or unknown key).
SANDBOX_KEY_REJECTED = "Sandbox HR rejected the API key (revoked or unknown)."
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


class Fate(StrEnum):
    """What happens to a demo customer during the week, and so what the dashboard shows."""

    HEALTHY = "healthy"
    PERMISSION_REMOVED = "missing a permission"
    KEY_REVOKED = "key revoked"
    DISABLED = "disabled"


@dataclass(frozen=True)
class DemoCustomer:
    organization_name: str
    creator_email: str
    employees: int
    fate: Fate
    # How long before the seed the fate strikes.
    strikes_before_now: timedelta | None = None


DEMO_CUSTOMERS = (
    DemoCustomer("Acme GmbH", "it@acme.example", 25, Fate.HEALTHY),
    DemoCustomer(
        "Globex Corporation",
        "hr-admin@globex.example",
        35,
        Fate.PERMISSION_REMOVED,
        timedelta(days=2, hours=4),
    ),
    # Revoked recently: authentication fails, and the three-day grace period is still running.
    DemoCustomer(
        "Initech AG", "ops@initech.example", 45, Fate.KEY_REVOKED, timedelta(days=1, hours=6)
    ),
    # Revoked long enough ago for the grace period to end: credentials invalid, syncs paused.
    DemoCustomer(
        "Umbrella SA", "rh@umbrella.example", 55, Fate.KEY_REVOKED, timedelta(days=4, hours=3)
    ),
    DemoCustomer("Hooli Inc.", "people@hooli.example", 65, Fate.DISABLED, timedelta(days=2)),
)


@dataclass(frozen=True)
class DemoIntegration:
    integration_id: str
    sandbox_key_id: str
    fate: Fate
    strikes_at: datetime | None


@dataclass
class DemoSeedResult:
    created: bool
    operator_password: str | None = None
    api_key: str | None = None
    environment_id: str = ""
    integrations: list[DemoIntegration] = field(default_factory=list)


# The fields the product's services stamp with the wall clock as they write: created and
# updated times, and the moment Sandbox HR revokes a key.
_WALL_CLOCK_FIELDS: tuple[tuple[type[models.Model], tuple[str, ...]], ...] = (
    (ScopeConfig, ("created_at", "updated_at")),
    (Integration, ("created_at", "updated_at")),
    (IntegrationEvent, ("created_at",)),
    (CredentialVersion, ("created_at",)),
    (WebhookEvent, ("created_at",)),
    (SandboxAccount, ("created_at",)),
    (SandboxApiKey, ("created_at", "revoked_at")),
    (SandboxGroup, ("updated_at",)),
    (SandboxEmployee, ("created_at", "updated_at")),
    (SandboxEmployment, ("updated_at",)),
    (SandboxLocation, ("updated_at",)),
    (SandboxLegalEntity, ("updated_at",)),
    (SandboxAbsenceType, ("updated_at",)),
    (SandboxAbsence, ("created_at", "updated_at")),
    (SandboxTimeOffBalance, ("updated_at",)),
)


@contextmanager
def demo_happened_at(
    moment: datetime,
    *,
    also: Iterable[tuple[type[models.Model], tuple[str, ...]]] = (),
) -> Iterator[None]:
    """Run the product's services as they would have run at `moment`, in the past.

    Services that take a `now` are given `moment` by the caller; the rows they (and the others)
    stamp with the wall clock are moved to `moment` when the block ends. Nothing but the seed
    writes meanwhile, so "stamped since the block began" is exactly "written by the block".
    """
    began = timezone.now()
    yield
    for model, stamped in (*_WALL_CLOCK_FIELDS, *also):
        for name in stamped:
            model._default_manager.filter(**{f"{name}__gte": began}).update(**{name: moment})


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
        **{
            model.id: {"setting": "ENABLED", "fields": dict.fromkeys(model.fields, "ENABLED")}
            for model in READ_MODELS.values()
            if model.id != HRIS_EMPLOYEES.id
        },
    }


def _extended_scope_settings() -> dict[str, object]:
    return {
        model.id: {"setting": "ENABLED", "fields": dict.fromkeys(model.fields, "ENABLED")}
        for model in READ_MODELS.values()
    }


def demo_week_start(now: datetime) -> datetime:
    """When the demo's week begins: late enough for all of it to fit the pages' 7-day strips."""
    return now - timedelta(days=DEMO_DAYS) + timedelta(hours=2)


def demo_seed(*, now: datetime) -> DemoSeedResult:
    """Seed once, as of a week before `now`; later calls change nothing (`created=False`)."""
    with transaction.atomic():
        production = environment_get_or_create(name="production")
        environment_get_or_create(name="sandbox")
        if Integration.objects.filter(environment=production).exists():
            return DemoSeedResult(created=False)
        result = DemoSeedResult(created=True, environment_id=production.pk)
        result.operator_password = _operator_ensure()
        _, result.api_key = api_key_create(environment=production, name="Demo key")
        start = demo_week_start(now)
        with demo_happened_at(start - timedelta(hours=1)):
            default = scope_config_create(
                environment=production, name="Default", settings=_default_scope_settings()
            )
            scope_config_create(
                environment=production,
                name="Extended (all fields)",
                settings=_extended_scope_settings(),
            )
        result.integrations = [
            _customer_connect(
                customer,
                index=index,
                environment=production,
                scope=default,
                connected_at=start + index * timedelta(minutes=13),
                now=now,
            )
            for index, customer in enumerate(DEMO_CUSTOMERS)
        ]
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


def _customer_connect(
    customer: DemoCustomer,
    *,
    index: int,
    environment: Environment,
    scope: ScopeConfig,
    connected_at: datetime,
    now: datetime,
) -> DemoIntegration:
    """The customer's Sandbox HR account and key, then the integration they connect with it."""
    with demo_happened_at(connected_at - timedelta(minutes=20)):
        account = sandbox_account_create(
            name=customer.organization_name,
            employees=customer.employees,
            seed=index,
        )
        key, raw_key = sandbox_api_key_create(
            account=account, name="kombo-site", permissions=ALL_PERMISSIONS
        )
    with demo_happened_at(connected_at):
        integration = integration_create(
            environment=environment,
            tool_id=SandboxTool.id,
            organization_name=customer.organization_name,
            creator_email=customer.creator_email,
            origin_id=f"customer-{index + 1}",
            scope_config=scope,
            credentials={"api_key": raw_key},
            remote_account_id=account.id,
            actor=DEMO_ACTOR,
            source=CredentialSource.SEED,
        )
        # A new integration syncs at once: integration_create asks for it at the wall clock.
        integration_schedule_next(integration_id=integration.pk, at=connected_at)
    return DemoIntegration(
        integration_id=integration.pk,
        sandbox_key_id=key.pk,
        fate=customer.fate,
        strikes_at=now - customer.strikes_before_now if customer.strikes_before_now else None,
    )


def demo_fate_strike(*, demo: DemoIntegration) -> None:
    """What the customer (or the operator) does to the connection, through the same services
    as Sandbox HR's settings page and the dashboard's buttons."""
    key = SandboxApiKey.objects.get(pk=demo.sandbox_key_id)
    if demo.fate == Fate.KEY_REVOKED:
        sandbox_api_key_revoke(key=key)
    elif demo.fate == Fate.PERMISSION_REMOVED:
        sandbox_permission_remove(key=key, permission=PERM_PERSONAL)
    elif demo.fate == Fate.DISABLED:
        integration = Integration.objects.get(pk=demo.integration_id)
        integration_set_enabled(integration=integration, enabled=False, actor=DEMO_ACTOR)


# --- Sandbox HR's answers, without the network -------------------------------------------------
# The demo's past cannot be fetched over HTTP (nothing serves it yet while seeding), so these
# answer as the `sandbox` connector would: Sandbox HR's own key check, pages and JSON, then the
# connector's own mapping.


def demo_sandbox_key(credentials: Mapping[str, str]) -> SandboxApiKey | None:
    """The key as Sandbox HR authenticates it: once per replayed sync, as hashing it is most of
    the cost of a page."""
    return sandbox_api_key_authenticate(raw_key=credentials.get("api_key", ""))


def demo_sandbox_check_auth(key: SandboxApiKey | None) -> AuthResult:
    if key is None:
        return AuthResult.invalid(SANDBOX_KEY_REJECTED)
    return AuthResult.ok(granted_permissions=key.permissions, remote_account_id=key.account.pk)


def demo_sandbox_fetch(
    key: SandboxApiKey,
    model_id: str,
    fields: frozenset[str],
    since: datetime | None = None,
) -> Iterator[Page]:
    cursor: str | None = None
    while True:
        after = cursor_decode(cursor) if cursor else None
        if model_id == HRIS_EMPLOYEES.id:
            employees = employee_page(
                account=key.account,
                after=after,
                limit=SandboxTool.page_size,
                updated_since=since,
                with_departments=key.has_permission(PERM_GROUPS),
            )
            cursor = employees.next_cursor
            mapped = [
                map_employee(
                    _wire(
                        employee_json(e, key, department_ids=employees.department_ids.get(e.pk, []))
                    )
                )
                for e in employees.records
            ]
        elif model_id == HRIS_GROUPS.id:
            groups = group_page(
                account=key.account, after=after, limit=SandboxTool.page_size, updated_since=since
            )
            cursor = groups.next_cursor
            mapped = [map_group(_wire(group_json(group))) for group in groups.records]
        elif model_id in _DEMO_RECORDS:
            cursor, mapped = _demo_record_page(key=key, model_id=model_id, after=after, since=since)
        else:
            raise ToolError(f"Sandbox HR does not provide {model_id}.", transient=False)
        yield [
            {name: value for name, value in record.items() if name in fields or name == "remote_id"}
            for record in mapped
        ]
        if not cursor:
            return


# Read model -> Sandbox HR's model of it, how its API writes a record, and the permission it
# needs; the resource and the connector's mapping come from `SANDBOX_RESOURCES`.
_DEMO_RECORDS: dict[str, tuple[type[models.Model], Any, str]] = {
    "hris_employments": (SandboxEmployment, employment_json, PERM_COMPENSATION),
    "hris_locations": (SandboxLocation, location_json, PERM_ORG),
    "hris_legal_entities": (SandboxLegalEntity, legal_entity_json, PERM_ORG),
    "hris_absence_types": (SandboxAbsenceType, absence_type_json, PERM_ABSENCES),
    "hris_absences": (SandboxAbsence, absence_json, PERM_ABSENCES),
    "hris_time_off_balances": (SandboxTimeOffBalance, time_off_balance_json, PERM_ABSENCES),
}


def _demo_record_page(
    *, key: SandboxApiKey, model_id: str, after: Any, since: datetime | None
) -> tuple[str | None, list[dict[str, Any]]]:
    model, record_json, permission = _DEMO_RECORDS[model_id]
    if not key.has_permission(permission):
        raise ToolError(
            f"Sandbox HR {SANDBOX_RESOURCES[model_id][0]}: the API key lacks {permission}.",
            transient=False,
        )
    page: RecordPage[Any] = record_page(
        model=model,
        account=key.account,
        after=after,
        limit=SandboxTool.page_size,
        updated_since=since,
    )
    mapper = SANDBOX_RESOURCES[model_id][1]
    return page.next_cursor, [mapper(_wire(record_json(record))) for record in page.records]


def _wire(record: dict[str, Any]) -> dict[str, Any]:
    """The record as the connector receives it: encoded like Sandbox HR's JsonResponse."""
    decoded: dict[str, Any] = json.loads(json.dumps(record, cls=DjangoJSONEncoder))
    return decoded
