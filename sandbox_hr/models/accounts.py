"""Accounts (the "companies" using Sandbox HR), their users (who sign in to its pages), API
keys with per-key permissions, groups and employees (their locations, legal entities,
employment history and time off live in `organization` and `time_off`)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from core.ids import random_base58

# The permission vocabulary, in the order it is shown and stored.
# The scopes a Sandbox HR API key can hold: this vendor's own vocabulary, which the `sandbox`
# connector names on its side of the wire as every connector names its vendor's scopes.
PERM_EMPLOYEES = "employees:read"
PERM_PERSONAL = "employees.personal:read"
PERM_SENSITIVE = "employees.sensitive:read"
PERM_GROUPS = "groups:read"
PERM_ORG = "org:read"
PERM_COMPENSATION = "compensation:read"
PERM_ABSENCES = "absences:read"
SANDBOX_PERMISSIONS: tuple[str, ...] = (
    PERM_EMPLOYEES,
    PERM_PERSONAL,
    PERM_SENSITIVE,
    PERM_GROUPS,
    PERM_ORG,
    PERM_COMPENSATION,
    PERM_ABSENCES,
)
# What each permission lets a key read, in Sandbox HR's own words (its API keys page shows them).
SANDBOX_PERMISSION_DESCRIPTIONS: dict[str, str] = {
    PERM_EMPLOYEES: "See employees: names, work email, job title, employment dates and manager",
    PERM_PERSONAL: (
        "See employees' personal data: birth date, gender, nationality, marital status, "
        "private email, mobile phone and home address"
    ),
    PERM_SENSITIVE: (
        "See employees' sensitive data: social security and tax numbers, bank accounts"
    ),
    PERM_GROUPS: "See departments, teams and cost centers, and who belongs to them",
    PERM_ORG: "See work locations and legal entities, with their addresses",
    PERM_COMPENSATION: "See employment history: job titles, employment types and pay",
    PERM_ABSENCES: "See absence types, employees' absences and their time-off balances",
}


def new_account_id() -> str:
    return f"acc_{random_base58(16)}"


def new_api_key_id() -> str:
    return f"key_{random_base58(16)}"


def new_user_id() -> str:
    return f"usr_{random_base58(16)}"


def new_group_id() -> str:
    return f"grp_{random_base58(16)}"


def new_employee_id() -> str:
    return f"emp_{random_base58(16)}"


class SandboxAccount(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_account_id, editable=False)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "sandbox account"
        # The operator's break/fix buttons on the Sandbox HR control page.
        permissions = [("control_sandboxaccount", "Can break and fix the sandbox HR system")]

    def __str__(self) -> str:
        return f"{self.name} ({self.id})"


class SandboxUserRole(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    EMPLOYEE = "employee", "Employee"


class SandboxUser(models.Model):
    """Someone who signs in to an account's Sandbox HR pages.

    Not a Django user: Sandbox HR stands for a vendor on another website, so its logins must
    never open the operator dashboard or the Django admin. `email` is stored lower-cased and
    `password` in Django's hasher format, never in plain text.
    """

    id = models.CharField(primary_key=True, max_length=32, default=new_user_id, editable=False)
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="users")
    email = models.EmailField(unique=True)
    password = models.CharField(max_length=128)
    role = models.CharField(max_length=16, choices=SandboxUserRole.choices)
    created_at = models.DateTimeField(default=timezone.now)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "sandbox user"

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @property
    def may_manage_api_keys(self) -> bool:
        return self.role == SandboxUserRole.ADMINISTRATOR


class SandboxApiKey(models.Model):
    """Only a SHA-256 of the raw key is kept; `prefix` is for recognising it."""

    id = models.CharField(primary_key=True, max_length=32, default=new_api_key_id, editable=False)
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=200)
    prefix = models.CharField(max_length=16, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    permissions = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Who did it in Sandbox HR's pages; empty for keys made or revoked by the operator's tools.
    created_by = models.ForeignKey(
        SandboxUser, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_by = models.ForeignKey(
        SandboxUser, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "sandbox API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_permission(self, permission: str) -> bool:
        return permission in self.permissions


class SandboxGroupType(models.TextChoices):
    DEPARTMENT = "department", "Department"
    TEAM = "team", "Team"
    COST_CENTER = "cost_center", "Cost center"


class SandboxGroup(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_group_id, editable=False)
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=16, choices=SandboxGroupType.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["updated_at", "id"]
        verbose_name = "sandbox group"
        indexes = [
            models.Index(fields=["account", "updated_at", "id"], name="sandbox_group_page_idx")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_type_display()})"


class SandboxEmployeeStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PENDING = "pending", "Pending (not started yet)"
    INACTIVE = "inactive", "Inactive"
    LEAVE = "leave", "On leave"


class SandboxEmploymentType(models.TextChoices):
    FULL_TIME = "full_time", "Full time"
    PART_TIME = "part_time", "Part time"
    CONTRACTOR = "contractor", "Contractor"
    INTERN = "intern", "Intern"
    FREELANCE = "freelance", "Freelance"


class SandboxGender(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    DIVERSE = "diverse", "Diverse"
    UNSPECIFIED = "unspecified", "Unspecified"


class SandboxMaritalStatus(models.TextChoices):
    SINGLE = "single", "Single"
    MARRIED = "married", "Married"
    DOMESTIC_PARTNERSHIP = "domestic_partnership", "Domestic partnership"
    DIVORCED = "divorced", "Divorced"
    SEPARATED = "separated", "Separated"
    WIDOWED = "widowed", "Widowed"


class SandboxEmployee(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_employee_id, editable=False)
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="employees")
    employee_number = models.CharField(max_length=32)
    first_name = models.CharField(max_length=200)
    last_name = models.CharField(max_length=200)
    preferred_name = models.CharField(max_length=200, null=True, blank=True)
    email = models.EmailField(null=True, blank=True)
    job_title = models.CharField(max_length=200, null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=SandboxEmployeeStatus.choices, default=SandboxEmployeeStatus.ACTIVE
    )
    employment_type = models.CharField(
        max_length=16,
        choices=SandboxEmploymentType.choices,
        default=SandboxEmploymentType.FULL_TIME,
    )
    weekly_hours = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    hire_date = models.DateField(null=True, blank=True)
    termination_date = models.DateField(null=True, blank=True)
    # Personal data (permission `employees.personal:read`).
    birth_date = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=16, choices=SandboxGender.choices, null=True, blank=True)
    private_email = models.EmailField(null=True, blank=True)
    mobile_phone = models.CharField(max_length=40, null=True, blank=True)
    nationality = models.CharField(max_length=2, null=True, blank=True)
    marital_status = models.CharField(
        max_length=24, choices=SandboxMaritalStatus.choices, null=True, blank=True
    )
    # `{"street", "city", "zip", "country"}` or null.
    home_address = models.JSONField(null=True, blank=True)
    # Sensitive data (permission `employees.sensitive:read`).
    ssn = models.CharField(max_length=64, null=True, blank=True)
    tax_id = models.CharField(max_length=64, null=True, blank=True)
    # `[{"iban", "bic", "bank_name", "holder_name"}]`.
    bank_accounts = models.JSONField(default=list, blank=True)
    departments = models.ManyToManyField(SandboxGroup, blank=True, related_name="members")
    location = models.ForeignKey(
        "sandbox_hr.SandboxLocation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employees",
    )
    legal_entity = models.ForeignKey(
        "sandbox_hr.SandboxLegalEntity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employees",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["updated_at", "id"]
        verbose_name = "sandbox employee"
        indexes = [
            models.Index(fields=["account", "updated_at", "id"], name="sandbox_employee_page_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "employee_number"], name="sandbox_employee_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.employee_number})"
