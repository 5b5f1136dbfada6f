"""Accounts, their users, API keys, permissions and employees (with the records around them).

These are the levers of the break-and-relink story: revoke a key or remove a permission and the
`sandbox` connector sees it on its next call. Sandbox HR's own users sign in here too; only an
account's administrators create and revoke its keys.
"""

from __future__ import annotations

import hmac
import random
import secrets
from collections.abc import Iterable

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.ids import random_base58
from sandbox_hr.demo_data.logins import DemoLogin, demo_login_email
from sandbox_hr.demo_data.people import EmployeeSeed, demo_random, email_domain_for, employee_seeds
from sandbox_hr.demo_data.records import demo_records_random
from sandbox_hr.demo_data.tables import DEPARTMENT_KEYS, GROUP_SEEDS
from sandbox_hr.models import (
    SANDBOX_PERMISSIONS,
    SandboxAccount,
    SandboxApiKey,
    SandboxEmployee,
    SandboxEmployeeStatus,
    SandboxGroup,
    SandboxUser,
    SandboxUserRole,
    secret_digest,
)
from sandbox_hr.services.records import (
    account_places_ensure,
    employee_records_create,
    employees_place,
)

API_KEY_PREFIX = "sbx_"
# Enough of the key to recognise it in lists; far too little to guess the rest.
API_KEY_DISPLAY_LENGTH = 12
MAX_EMPLOYEES_PER_CALL = 10_000


def permissions_normalized(permissions: Iterable[str]) -> list[str]:
    """The permissions in their usual order; ValueError names any this vocabulary lacks."""
    wanted = set(permissions)
    unknown = wanted.difference(SANDBOX_PERMISSIONS)
    if unknown:
        raise ValueError(
            f"Unknown sandbox permission(s): {', '.join(sorted(unknown))}. "
            f"Known: {', '.join(SANDBOX_PERMISSIONS)}."
        )
    return [permission for permission in SANDBOX_PERMISSIONS if permission in wanted]


def _employee_count_checked(count: int) -> int:
    if not 0 <= count <= MAX_EMPLOYEES_PER_CALL:
        raise ValueError(f"The number of employees must be between 0 and {MAX_EMPLOYEES_PER_CALL}.")
    return count


def sandbox_account_create(
    *, name: str, employees: int = 25, seed: int | None = None
) -> SandboxAccount:
    """A new account with departments, a team, a cost center, work locations, legal entities,
    absence types and `employees` demo employees with their employment history and time off."""
    _employee_count_checked(employees)
    rng = demo_random(seed)
    with transaction.atomic():
        account = SandboxAccount.objects.create(name=name)
        groups: dict[str, SandboxGroup] = {}
        for group_seed in GROUP_SEEDS:
            groups[group_seed.key] = SandboxGroup.objects.create(
                account=account,
                name=group_seed.name,
                type=group_seed.type,
                parent=groups[group_seed.parent_key] if group_seed.parent_key else None,
            )
        _employees_create(
            account=account,
            groups=groups,
            count=employees,
            rng=rng,
            records_rng=demo_records_random(seed),
            featured=True,
        )
    return account


def sandbox_employees_add(*, account: SandboxAccount, count: int) -> int:
    """Hire `count` more demo employees into the account's existing org chart."""
    _employee_count_checked(count)
    with transaction.atomic():
        # Serialises concurrent additions, which would otherwise pick the same employee numbers.
        SandboxAccount.objects.select_for_update().filter(pk=account.pk).first()
        by_name_and_type = {
            (group.name, group.type): group
            for group in SandboxGroup.objects.filter(account=account)
        }
        groups = {
            seed.key: by_name_and_type[(seed.name, seed.type)]
            for seed in GROUP_SEEDS
            if (seed.name, seed.type) in by_name_and_type
        }
        _employees_create(
            account=account,
            groups=groups,
            count=count,
            rng=demo_random(None),
            records_rng=demo_records_random(None),
            featured=False,
        )
    return count


def _employees_create(
    *,
    account: SandboxAccount,
    groups: dict[str, SandboxGroup],
    count: int,
    rng: random.Random,
    records_rng: random.Random,
    featured: bool,
) -> None:
    today = timezone.localdate()
    existing = SandboxEmployee.objects.filter(account=account)
    taken_numbers = set(existing.values_list("employee_number", flat=True))
    taken_emails = {email for email in existing.values_list("email", flat=True) if email}
    ceo = _ceo_current(existing)
    heads = _department_heads(existing, ceo=ceo, groups=groups) if ceo is not None else {}
    seeds = employee_seeds(
        rng,
        count=count,
        today=today,
        email_domain=email_domain_for(account.name),
        taken_emails=taken_emails,
        has_ceo=ceo is not None,
        departments_with_head=set(heads),
        featured=featured and ceo is None,
    )
    employees, memberships = _employees_built(
        account=account,
        seeds=seeds,
        groups=groups,
        taken_numbers=taken_numbers,
        ceo_id=ceo.pk if ceo is not None else None,
        heads=heads,
    )
    places = account_places_ensure(account=account)
    employees_place(employees=employees, places=places, rng=records_rng)
    _employees_insert(employees=employees, memberships=memberships)
    employee_records_create(employees=employees, places=places, rng=records_rng, today=today)


def _ceo_current(existing: QuerySet[SandboxEmployee]) -> SandboxEmployee | None:
    return (
        existing.filter(manager__isnull=True, status=SandboxEmployeeStatus.ACTIVE)
        .order_by("created_at", "id")
        .first()
    )


def _department_heads(
    existing: QuerySet[SandboxEmployee], *, ceo: SandboxEmployee, groups: dict[str, SandboxGroup]
) -> dict[str, str]:
    """Employee id of each department's head, by department key.

    A department's head is its earliest active member reporting to the CEO.
    """
    department_key_by_group = {group.pk: key for key, group in groups.items()}
    direct_reports = (
        existing.filter(manager=ceo, status=SandboxEmployeeStatus.ACTIVE)
        .order_by("created_at", "id")
        .prefetch_related("departments")
    )
    heads: dict[str, str] = {}
    for report in direct_reports:
        for group in report.departments.all():
            key = department_key_by_group.get(group.pk)
            if key in DEPARTMENT_KEYS and key not in heads:
                heads[key] = report.pk
    return heads


def _employees_built(
    *,
    account: SandboxAccount,
    seeds: list[EmployeeSeed],
    groups: dict[str, SandboxGroup],
    taken_numbers: set[str],
    ceo_id: str | None,
    heads: dict[str, str],
) -> tuple[list[SandboxEmployee], list[tuple[str, str]]]:
    """Unsaved employees with numbers and managers, and their (employee id, group id) pairs.

    `heads` gains the heads hired here, so later seeds in the same batch report to them.
    """
    number = len(taken_numbers) + 1
    employees: list[SandboxEmployee] = []
    memberships: list[tuple[str, str]] = []
    for seed in seeds:
        while f"E{number:04d}" in taken_numbers:
            number += 1
        employee = SandboxEmployee(account=account, employee_number=f"E{number:04d}", **seed.fields)
        number += 1
        if seed.role == "ceo":
            ceo_id = employee.pk
        elif seed.role == "head":
            employee.manager_id = ceo_id
            if seed.department_key:
                heads[seed.department_key] = employee.pk
        else:
            employee.manager_id = heads.get(seed.department_key or "", ceo_id)
        employees.append(employee)
        memberships.extend(
            (employee.pk, groups[key].pk) for key in seed.group_keys if key in groups
        )
    return employees, memberships


def _employees_insert(
    *, employees: list[SandboxEmployee], memberships: list[tuple[str, str]]
) -> None:
    # Managers are inserted before their reports (the CEO and heads come first).
    SandboxEmployee.objects.bulk_create(employees, batch_size=500)
    membership_model = SandboxEmployee.departments.through
    membership_model.objects.bulk_create(
        [
            membership_model(sandboxemployee_id=employee_id, sandboxgroup_id=group_id)
            for employee_id, group_id in memberships
        ],
        batch_size=1000,
    )


class ApiKeyManagementDeniedError(PermissionError):
    """A Sandbox HR user tried to manage keys they may not (not an administrator, or of another
    account)."""


def _key_manager_checked(user: SandboxUser | None, account_id: str) -> None:
    # None: the operator's tools (dashboard control page, `manage.py sandbox`), which may.
    if user is None:
        return
    if user.account_id != account_id or not user.may_manage_api_keys:
        raise ApiKeyManagementDeniedError(
            "Only an administrator of the account can create or revoke its API keys."
        )


def sandbox_api_key_create(
    *,
    account: SandboxAccount,
    name: str,
    permissions: Iterable[str],
    created_by: SandboxUser | None = None,
) -> tuple[SandboxApiKey, str]:
    """Create a key and return it with its raw value, which is never stored or shown again."""
    _key_manager_checked(created_by, account.pk)
    granted = permissions_normalized(permissions)
    raw_key = f"{API_KEY_PREFIX}{random_base58(32)}"
    with transaction.atomic():
        key = SandboxApiKey.objects.create(
            account=account,
            name=name,
            prefix=raw_key[:API_KEY_DISPLAY_LENGTH],
            key_hash=secret_digest(raw_key),
            permissions=granted,
            created_by=created_by,
        )
    return key, raw_key


def sandbox_api_key_authenticate(*, raw_key: str) -> SandboxApiKey | None:
    """The active key matching `raw_key` (with its account loaded), or None."""
    if not raw_key.startswith(API_KEY_PREFIX) or len(raw_key) > 128:
        return None
    candidate_hash = secret_digest(raw_key)
    key = (
        SandboxApiKey.objects.select_related("account")
        .filter(key_hash=candidate_hash, revoked_at__isnull=True)
        .first()
    )
    if key is None or not hmac.compare_digest(key.key_hash, candidate_hash):
        return None
    return key


def sandbox_api_key_revoke(*, key: SandboxApiKey, revoked_by: SandboxUser | None = None) -> None:
    _key_manager_checked(revoked_by, key.account_id)
    with transaction.atomic():
        SandboxApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=revoked_by
        )
    key.refresh_from_db(fields=["revoked_at", "revoked_by"])


def sandbox_permission_grant(*, key: SandboxApiKey, permission: str) -> None:
    permissions_normalized([permission])
    _permissions_change(key=key, add={permission}, remove=set())


def sandbox_permission_remove(*, key: SandboxApiKey, permission: str) -> None:
    permissions_normalized([permission])
    _permissions_change(key=key, add=set(), remove={permission})


def _permissions_change(*, key: SandboxApiKey, add: set[str], remove: set[str]) -> None:
    with transaction.atomic():
        locked = SandboxApiKey.objects.select_for_update().get(pk=key.pk)
        locked.permissions = permissions_normalized((set(locked.permissions) | add) - remove)
        locked.save(update_fields=["permissions"])
    key.permissions = locked.permissions


class SandboxUserInvalidError(ValueError):
    pass


def _email_normalized(email: str) -> str:
    normalized = email.strip().lower()
    try:
        validate_email(normalized)
    except ValidationError:
        raise SandboxUserInvalidError(f"{email!r} is not an email address.") from None
    return normalized


def sandbox_user_create(
    *, account: SandboxAccount, email: str, password: str, role: SandboxUserRole
) -> SandboxUser:
    """A user who signs in to the account's Sandbox HR pages with `email` and `password`."""
    normalized = _email_normalized(email)
    if not password:
        raise SandboxUserInvalidError("A Sandbox HR user needs a password.")
    try:
        with transaction.atomic():
            return SandboxUser.objects.create(
                account=account, email=normalized, password=make_password(password), role=role
            )
    except IntegrityError:
        raise SandboxUserInvalidError(
            f"A Sandbox HR user with the email {normalized} exists already."
        ) from None


def sandbox_user_authenticate(*, email: str, password: str) -> SandboxUser | None:
    """The user with this email and password (their account loaded), or None.

    An unknown email costs the same hashing as a wrong password, so the answer's timing does
    not tell which addresses have a login.
    """
    user = SandboxUser.objects.select_related("account").filter(email=email.strip().lower()).first()
    if user is None:
        make_password(password)
        return None

    def password_rehash(raw_password: str) -> None:
        # Django's hashers ask for this when the stored hash uses outdated parameters.
        user.password = make_password(raw_password)
        user.save(update_fields=["password"])

    if not check_password(password, user.password, setter=password_rehash):
        return None
    user.last_signed_in_at = timezone.now()
    user.save(update_fields=["last_signed_in_at"])
    return user


def sandbox_demo_logins_create() -> list[DemoLogin]:
    """An administrator login for every account that has no user yet, with its password."""
    logins = []
    with transaction.atomic():
        taken = set(SandboxUser.objects.values_list("email", flat=True))
        accounts = SandboxAccount.objects.filter(users__isnull=True).order_by("created_at", "id")
        for account in accounts:
            password = secrets.token_urlsafe(12)
            user = sandbox_user_create(
                account=account,
                email=demo_login_email(account.name, taken),
                password=password,
                role=SandboxUserRole.ADMINISTRATOR,
            )
            logins.append(DemoLogin(account_name=account.name, email=user.email, password=password))
    return logins
