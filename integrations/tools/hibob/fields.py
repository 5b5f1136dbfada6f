"""The HiBob fields behind each unified field, and the permissions that read them."""

from __future__ import annotations

from dataclasses import dataclass

PERM_PEOPLE = "people:read"
PERM_DEPARTMENTS = "lists:department"
PERM_SITES = "lists:site"
# People's data > Time off > "See who's out" (the requests of the people the group may see).
PERM_TIME_OFF_REQUESTS = "timeoff:requests"
# Features > Time off > Settings > "Manage company's time off settings": policy types.
PERM_TIME_OFF_SETTINGS = "timeoff:settings"
# People's data > Time off > Balance > "See selected people's time off and sick leave balances".
PERM_TIME_OFF_BALANCES = "timeoff:balances"
# People's data > People > <category> > "View selected employees' <category> section histories":
# the employee tables (all their rows; the section permission alone shows the current one).
PERM_SALARY_HISTORY = "tables:salaries"
PERM_EMPLOYMENT_HISTORY = "tables:employment"
PERM_WORK_HISTORY = "tables:work"


@dataclass(frozen=True)
class VendorField:
    """A HiBob employee field as its fields metadata describes it."""

    field_id: str
    name: str
    category: str  # categoryDisplayName: what an admin sees in the permission group

    @property
    def permission(self) -> str:
        return f"field:{self.field_id}"

    @property
    def json_path(self) -> tuple[str, ...]:
        # Root fields' jsonPath has no "root." prefix (e.g. `firstName`); others equal the ID.
        parts = tuple(self.field_id.split("."))
        return parts[1:] if parts[0] == "root" else parts

    @property
    def slash_key(self) -> str:
        return "/" + self.field_id.replace(".", "/")


def _field(field_id: str, name: str, category: str) -> VendorField:
    return VendorField(field_id, name, category)


ROOT_ID = _field("root.id", "ID", "Basic info")
COMPANY_ID = _field("root.companyId", "Company id", "Basic info")
ADDRESS_FIELDS = (
    _field("address.line1", "Address line 1", "Address"),
    _field("address.line2", "Address line 2", "Address"),
    _field("address.city", "City", "Address"),
    _field("address.usaState", "State/Province/Region", "Address"),
    _field("address.postCode", "Zip/Post/Postal code", "Address"),
    _field("address.country", "Country", "Address"),
)
# Unified field -> the HiBob fields it is read from; the first one names its permission.
VENDOR_FIELDS: dict[str, tuple[VendorField, ...]] = {
    "employee_number": (_field("work.employeeIdInCompany", "Employee ID", "Work"),),
    "first_name": (_field("root.firstName", "First name", "Basic info"),),
    "last_name": (_field("root.surname", "Last name", "Basic info"),),
    "display_full_name": (_field("root.displayName", "Display name", "Basic info"),),
    "nationality": (_field("personal.nationality", "Nationality", "Personal"),),
    "job_title": (_field("work.title", "Job title", "Work"),),
    "work_email": (_field("root.email", "Email", "Basic info"),),
    "personal_email": (_field("home.privateEmail", "Personal email", "Personal contact details"),),
    "mobile_phone_number": (
        _field("home.mobilePhone", "Personal mobile", "Personal contact details"),
    ),
    "ssn": (_field("identification.ssn", "SSN", "Identification"),),
    "gender": (_field("home.legalGender", "Gender", "Home"),),
    "ethnicity": (_field("eeo.ethnicity", "Ethnicity", "EEO"),),
    "marital_status": (_field("home.familyStatus", "Marital status", "Home"),),
    "employment_status": (_field("internal.lifecycleStatus", "Lifecycle status", "Lifecycle"),),
    "employment_type": (_field("payroll.employment.type", "Employment type", "Employment"),),
    "weekly_hours": (_field("payroll.employment.weeklyHours", "Weekly hours", "Employment"),),
    "avatar": (_field("root.avatarUrl", "Avatar URL", "Basic info"),),
    "manager_id": (_field("work.reportsTo", "Reports to", "Work"),),
    # The item ID of the company list `site`, which the work locations are read from.
    "work_location_id": (_field("work.siteId", "Site ID", "Work"),),
    "date_of_birth": (_field("personal.birthDate", "Date of Birth", "Personal"),),
    "start_date": (_field("work.startDate", "Start date", "Work"),),
    "termination_date": (_field("internal.terminationDate", "Termination date", "Lifecycle"),),
    "remote_created_at": (_field("root.creationDateTime", "Creation timestamp", "Basic info"),),
    "home_address": ADDRESS_FIELDS,
    "groups": (_field("work.department", "Department", "Work"),),
}
PERMISSION_FIELDS: dict[str, VendorField] = {
    fields[0].permission: fields[0] for fields in VENDOR_FIELDS.values()
}

# HiBob keeps these, but only in per-employee tables or in models we do not sync yet.
# (`legal_entity_id` is UNSUPPORTED: HiBob's public API documents no legal entity, neither as a
# company list nor as an employee field.)
NOT_IMPLEMENTED = ("bank_accounts", "custom_fields")
