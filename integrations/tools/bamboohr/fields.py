"""The employee dataset fields behind each unified field, and the access reading them needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

FIELD_PREFIX = "field:"
PERM_EMPLOYEE_DATASET = "dataset:employee"
PERM_LISTS = "meta:lists"
# Time off types and requests: what the user's access level lets them view.
PERM_TIME_OFF = "time_off"
# Balances need both the time off calculator and the employee dataset (to know whom to ask).
PERM_TIME_OFF_BALANCES = "time_off:balances"
# Employee tables (v1/employees/{id}/tables/{table}), read per employee found in the dataset.
PERM_TABLE_COMPENSATION = "table:compensation"
PERM_TABLE_JOB_INFO = "table:jobInfo"

ID_FIELD = "eeid"


def field_permission(vendor_field: str) -> str:
    return f"{FIELD_PREFIX}{vendor_field}"


@dataclass(frozen=True)
class Source:
    """What a unified field is built from: dataset fields, the first one named in warnings."""

    reads: tuple[str, ...]
    # By default, access to the first field read.
    permission: str | None = None

    @property
    def needs(self) -> str:
        return self.permission or field_permission(self.reads[0])


SOURCES: dict[str, Source] = {
    "employee_number": Source(("employeeNumber",)),
    "first_name": Source(("firstName",)),
    "last_name": Source(("lastName",)),
    "display_full_name": Source(("firstName", "lastName", "preferredName")),
    "job_title": Source(("jobInformationJobTitle",)),
    "work_email": Source(("email",)),
    "personal_email": Source(("homeEmail",)),
    "mobile_phone_number": Source(("mobilePhone",)),
    "gender": Source(("gender",)),
    "marital_status": Source(("maritalStatus",)),
    # Future hires are `Inactive` until their hire date, so the hire date tells them apart.
    "employment_status": Source(("status", "hireDate")),
    "employment_type": Source(("employmentStatus",)),
    "manager_id": Source(("supervisorEid",)),
    "date_of_birth": Source(("dateOfBirth",)),
    "start_date": Source(("hireDate",)),
    "termination_date": Source(("terminationDate",)),
    "home_address": Source(("addressLineOne", "city", "state", "zipcode", "country")),
    # Rows carry department and division names; only the lists turn them into group ids, so
    # without the lists there are no groups to name (a hidden department just leaves it out).
    "groups": Source(("jobInformationDepartment", "jobInformationDivision"), PERM_LISTS),
    # Rows carry the location's name; the `location` list turns it into the location's id.
    "work_location_id": Source(("jobInformationLocation",), PERM_LISTS),
}

# What each field the permissions name holds, for the customer (lazy translations).
FIELD_LABELS = {
    "employeeNumber": _("Employee number"),
    "firstName": _("First name"),
    "lastName": _("Last name"),
    "jobInformationJobTitle": _("Job title"),
    "email": _("Work email"),
    "homeEmail": _("Home email"),
    "mobilePhone": _("Mobile phone"),
    "gender": _("Gender"),
    "maritalStatus": _("Marital status"),
    "status": _("Status (active or inactive)"),
    "employmentStatus": _("Employment status (full-time, part-time, …)"),
    "supervisorEid": _("Supervisor"),
    "dateOfBirth": _("Date of birth"),
    "hireDate": _("Hire date"),
    "terminationDate": _("Termination date"),
    "addressLineOne": _("Home address"),
}

# BambooHR has these but this connector does not read them (yet).
NOT_IMPLEMENTED = (
    "nationality",
    "ssn",
    "tax_id",
    "ethnicity",
    "weekly_hours",
    "avatar",
    "custom_fields",
)
# Nothing in BambooHR's public API carries these.
UNSUPPORTED = ("legal_entity_id", "remote_created_at", "bank_accounts")

# The fields whose access the permissions name (the auth check probes them all at once).
PERMISSION_FIELDS: tuple[str, ...] = tuple(
    sorted(
        {
            source.needs.removeprefix(FIELD_PREFIX)
            for source in SOURCES.values()
            if source.needs.startswith(FIELD_PREFIX)
        }
    )
)
