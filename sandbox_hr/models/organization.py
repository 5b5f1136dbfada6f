"""Where an account's people work: its work locations and legal entities, and each employee's
employment history (job title, employment type and pay from a date on)."""

from __future__ import annotations

from django.db import models

from core.ids import random_base58
from sandbox_hr.models.accounts import SandboxAccount, SandboxEmployee, SandboxEmploymentType


def new_location_id() -> str:
    return f"loc_{random_base58(16)}"


def new_legal_entity_id() -> str:
    return f"ent_{random_base58(16)}"


def new_employment_id() -> str:
    return f"emt_{random_base58(16)}"


class SandboxLocationType(models.TextChoices):
    OFFICE = "office", "Office"
    REMOTE = "remote", "Remote"


class SandboxLocation(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_location_id, editable=False)
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=16, choices=SandboxLocationType.choices)
    # `{"street", "city", "zip", "country"}` or null (a remote "location" has no address).
    address = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["updated_at", "id"]
        verbose_name = "sandbox work location"
        indexes = [
            models.Index(fields=["account", "updated_at", "id"], name="sandbox_location_page_idx")
        ]

    def __str__(self) -> str:
        return self.name


class SandboxLegalEntity(models.Model):
    id = models.CharField(
        primary_key=True, max_length=32, default=new_legal_entity_id, editable=False
    )
    account = models.ForeignKey(
        SandboxAccount, on_delete=models.CASCADE, related_name="legal_entities"
    )
    name = models.CharField(max_length=200)
    # `{"street", "city", "zip", "country"}`.
    address = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["updated_at", "id"]
        verbose_name = "sandbox legal entity"
        verbose_name_plural = "sandbox legal entities"
        indexes = [
            models.Index(
                fields=["account", "updated_at", "id"], name="sandbox_legal_entity_page_idx"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SandboxPayPeriod(models.TextChoices):
    """What `pay_rate` is paid for."""

    HOUR = "hour", "Per hour"
    MONTH = "month", "Per month"
    YEAR = "year", "Per year"


class SandboxPayFrequency(models.TextChoices):
    """How often the pay is paid out."""

    WEEKLY = "weekly", "Weekly"
    BIWEEKLY = "biweekly", "Every two weeks"
    MONTHLY = "monthly", "Monthly"


class SandboxEmployment(models.Model):
    """One row of an employee's history: what holds from `effective_date` on."""

    id = models.CharField(
        primary_key=True, max_length=32, default=new_employment_id, editable=False
    )
    # The account is kept on the row, so an API page never joins employees.
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(
        SandboxEmployee, on_delete=models.CASCADE, related_name="employments"
    )
    job_title = models.CharField(max_length=200, null=True, blank=True)
    employment_type = models.CharField(max_length=16, choices=SandboxEmploymentType.choices)
    pay_rate = models.DecimalField(max_digits=12, decimal_places=2)
    pay_currency = models.CharField(max_length=3)
    pay_period = models.CharField(max_length=16, choices=SandboxPayPeriod.choices)
    pay_frequency = models.CharField(max_length=16, choices=SandboxPayFrequency.choices)
    effective_date = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["updated_at", "id"]
        verbose_name = "sandbox employment"
        indexes = [
            models.Index(fields=["account", "updated_at", "id"], name="sandbox_employment_page_idx")
        ]

    def __str__(self) -> str:
        return f"{self.job_title or 'Employment'} from {self.effective_date}"
