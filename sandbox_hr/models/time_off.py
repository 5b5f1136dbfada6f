"""Time off: an account's absence types, its employees' absences and their balances."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from core.ids import random_base58
from sandbox_hr.models.accounts import SandboxAccount, SandboxEmployee


def new_absence_type_id() -> str:
    return f"abt_{random_base58(16)}"


def new_absence_id() -> str:
    return f"abs_{random_base58(16)}"


def new_balance_id() -> str:
    return f"bal_{random_base58(16)}"


class SandboxTimeUnit(models.TextChoices):
    DAYS = "days", "Days"
    HOURS = "hours", "Hours"


class SandboxAbsenceStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"


class SandboxAbsenceType(models.Model):
    id = models.CharField(
        primary_key=True, max_length=32, default=new_absence_type_id, editable=False
    )
    account = models.ForeignKey(
        SandboxAccount, on_delete=models.CASCADE, related_name="absence_types"
    )
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=8, choices=SandboxTimeUnit.choices)
    half_days_allowed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["updated_at", "id"]
        verbose_name = "sandbox absence type"
        indexes = [
            models.Index(
                fields=["account", "updated_at", "id"], name="sandbox_absence_type_page_idx"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SandboxAbsence(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_absence_id, editable=False)
    # The account is kept on the row, so an API page never joins employees.
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(SandboxEmployee, on_delete=models.CASCADE, related_name="absences")
    type = models.ForeignKey(SandboxAbsenceType, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField()
    # Taken from midday on the first day / until midday on the last day.
    start_half_day = models.BooleanField(default=False)
    end_half_day = models.BooleanField(default=False)
    amount = models.DecimalField(max_digits=7, decimal_places=2)
    unit = models.CharField(max_length=8, choices=SandboxTimeUnit.choices)
    status = models.CharField(max_length=16, choices=SandboxAbsenceStatus.choices)
    note = models.CharField(max_length=500, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["updated_at", "id"]
        verbose_name = "sandbox absence"
        indexes = [
            models.Index(fields=["account", "updated_at", "id"], name="sandbox_absence_page_idx"),
            models.Index(fields=["account", "start_date"], name="sandbox_absence_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.type_id} {self.start_date}–{self.end_date}"


class SandboxTimeOffBalance(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_balance_id, editable=False)
    # The account is kept on the row, so an API page never joins employees.
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(
        SandboxEmployee, on_delete=models.CASCADE, related_name="time_off_balances"
    )
    type = models.ForeignKey(SandboxAbsenceType, on_delete=models.CASCADE, related_name="+")
    # What is left to take, and what was taken this year.
    balance = models.DecimalField(max_digits=7, decimal_places=2)
    used = models.DecimalField(max_digits=7, decimal_places=2)
    unit = models.CharField(max_length=8, choices=SandboxTimeUnit.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["updated_at", "id"]
        verbose_name = "sandbox time-off balance"
        indexes = [
            models.Index(fields=["account", "updated_at", "id"], name="sandbox_balance_page_idx")
        ]
        constraints = [
            models.UniqueConstraint(fields=["employee", "type"], name="sandbox_balance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.balance} {self.unit}"
