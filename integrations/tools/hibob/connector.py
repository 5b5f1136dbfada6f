"""The HiBob connector: what it reads and needs, its auth check and its syncs.

The pages followed, and what is done where they are silent: see the package docstring and the
`timeoff` and `employments` modules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from functools import partial
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrations.tools.base import (
    REMOTE_ID_SAMPLE_SIZE,
    AuthResult,
    CredentialField,
    Page,
    Tool,
    ToolError,
    select_fields,
)
from integrations.tools.hibob.client import (
    REJECTED,
    Denied,
    Rejected,
    Unusable,
    as_unusable,
    auth,
    base_url,
    classify,
    get_json,
    values_of,
)
from integrations.tools.hibob.employments import fetch_employments
from integrations.tools.hibob.fields import (
    COMPANY_ID,
    PERM_DEPARTMENTS,
    PERM_EMPLOYMENT_HISTORY,
    PERM_PEOPLE,
    PERM_SALARY_HISTORY,
    PERM_SITES,
    PERM_TIME_OFF_BALANCES,
    PERM_TIME_OFF_REQUESTS,
    PERM_TIME_OFF_SETTINGS,
    PERM_WORK_HISTORY,
    PERMISSION_FIELDS,
    ROOT_ID,
    VENDOR_FIELDS,
    VendorField,
)
from integrations.tools.hibob.guides import GUIDES, SERVICE_USER_ID_HELP, TOKEN_HELP
from integrations.tools.hibob.mapping import (
    EmployeeWithoutIdError,
    as_text,
    field_value,
    flatten_departments,
    flatten_sites,
    is_present,
    map_employee,
)
from integrations.tools.hibob.support import MODELS, NEEDS, PERMISSIONS
from integrations.tools.hibob.timeoff import (
    as_tool_error,
    fetch_absence_types,
    fetch_absences,
    fetch_balances,
    policy_type_names,
)
from integrations.tools.http import HttpFailure, http_request_json

# Employees per `root.id`-filtered read. The docs give no maximum for the filter values;
# 200 keeps a page small while a 10,000-person company stays near the 50 searches a minute.
SEARCH_BATCH_SIZE = 200
GROUP_PAGE_SIZE = 200
# Named lists are read with their archived items: people keep naming an archived department
# or site (reference/get_company-named-lists-listname, `includeArchived`, default false).
_WITH_ARCHIVED = {"includeArchived": "true"}


class HiBobTool(Tool):
    id = "hibob"
    label = "HiBob"
    category = "HRIS"
    logo = "tools/hibob.svg"
    icon = "tools/hibob-icon.svg"
    # Time-off requests have a "changed since" read; everything else is read whole each time.
    supports_delta = True
    credential_fields = (
        CredentialField(
            key="service_user_id",
            label=_("Service user ID"),
            secret=False,
            required_message=_("Enter the service user ID"),
            help_text=SERVICE_USER_ID_HELP,
        ),
        CredentialField(
            key="token",
            label=_("Service user token"),
            secret=True,
            required_message=_("Enter the service user token"),
            help_text=TOKEN_HELP,
        ),
    )
    # Bob's field and category names stay as Bob's settings show them, like in the guide.
    permissions = PERMISSIONS
    models = MODELS
    guides = GUIDES

    def permission_message(self, permission: str, model_id: str, field_id: str | None) -> str:
        vendor_field = PERMISSION_FIELDS.get(permission)
        if vendor_field is not None:
            return (
                f"HiBob: the service user cannot read field '{vendor_field.field_id}' "
                f"(its permission group needs View on the '{vendor_field.category}' category)."
            )
        if permission == PERM_PEOPLE:
            return (
                "HiBob: the service user cannot search employees (its permission group needs "
                "People's data View access, at least on the 'Basic info' category)."
            )
        if permission == PERM_DEPARTMENTS:
            return "HiBob: the service user cannot read the company list 'department'."
        if permission in NEEDS:
            return (
                f"HiBob: the service user cannot read {model_id}"
                f"{f' field {field_id!r}' if field_id else ''} "
                f"(its permission group needs {NEEDS[permission]})."
            )
        return super().permission_message(permission, model_id, field_id)

    def check_auth(self, credentials: Mapping[str, str]) -> AuthResult:
        if not credentials.get("service_user_id") or not credentials.get("token"):
            return AuthResult.invalid("No service user ID or token was given.")
        granted: set[str] = set()
        account_id = ""
        try:
            employee_ids = self._employee_ids(credentials)
        except Denied as failure:
            if failure.status_code != 403:
                return as_unusable(failure).result()
            employee_ids = []
        except Rejected:
            return AuthResult.invalid(REJECTED)
        except Unusable as failure:
            return failure.result()
        # No visible employee means no People's data access worth the name (search returns
        # every employee the service user may see), and nothing to probe fields on.
        if employee_ids:
            try:
                probe = self._search(
                    credentials,
                    [COMPANY_ID, *PERMISSION_FIELDS.values()],
                    ids=employee_ids[:1],
                )
            except Rejected:
                return AuthResult.invalid(REJECTED)
            except (Denied, Unusable) as failure:
                return as_unusable(failure).result()
            if not probe:
                return Unusable("the probed employee was not returned").result()
            granted.add(PERM_PEOPLE)
            granted.update(
                permission
                for permission, field in PERMISSION_FIELDS.items()
                if is_present(probe[0], field)
            )
            company = field_value(probe[0], COMPANY_ID)
            account_id = as_text(company) or ""
        try:
            granted.update(self._probe_reads(credentials, employee_ids[:1]))
        except Rejected:
            return AuthResult.invalid(REJECTED)
        except Unusable as failure:
            return failure.result()
        return AuthResult.ok(
            granted_permissions=granted,
            remote_account_id=account_id,
            remote_id_sample=employee_ids[:REMOTE_ID_SAMPLE_SIZE],
        )

    def _probe_reads(self, credentials: Mapping[str, str], employee: list[str]) -> set[str]:
        """The cheapest read behind each permission beyond people search. The docs name the
        permission group settings but no way to list them: a refused read means "not
        granted"."""
        today = timezone.now().date().isoformat()
        probes: dict[str, tuple[str, dict[str, str] | None]] = {
            PERM_DEPARTMENTS: ("/company/named-lists/department", None),
            PERM_SITES: ("/company/named-lists/site", None),
            PERM_TIME_OFF_REQUESTS: ("/timeoff/whosout", {"from": today, "to": today}),
            PERM_TIME_OFF_SETTINGS: ("/timeoff/policy-types", None),
        }
        for person in employee:
            probes[PERM_SALARY_HISTORY] = (f"/people/{person}/salaries", None)
            probes[PERM_EMPLOYMENT_HISTORY] = (f"/people/{person}/employment", None)
            probes[PERM_WORK_HISTORY] = (f"/people/{person}/work", None)
        granted = {
            permission
            for permission, (path, params) in probes.items()
            if _readable(partial(get_json, credentials, path, params))
        }
        if employee and PERM_TIME_OFF_SETTINGS in granted:
            names = policy_type_names(credentials)
            # Any answer but a refusal (a 404 is an employee without that policy) shows the
            # balance permission.
            if names and _readable(
                lambda: get_json(
                    credentials,
                    f"/timeoff/employees/{employee[0]}/balance",
                    {"policyType": names[0], "date": today},
                ),
                refused=(403,),
            ):
                granted.add(PERM_TIME_OFF_BALANCES)
        return granted

    def fetch(
        self,
        credentials: Mapping[str, str],
        model_id: str,
        fields: frozenset[str],
        since: datetime | None = None,
    ) -> Iterator[Page]:
        # `since` only narrows absences: HiBob cannot filter anything else by change date.
        if model_id == "hris_employees":
            return self._fetch_employees(credentials, fields)
        if model_id == "hris_teams":
            return self._fetch_list(credentials, "department", fields)
        if model_id == "hris_locations":
            return self._fetch_list(credentials, "site", fields)
        today = timezone.now().date()
        if model_id == "hris_absence_types":
            return self._guarded(
                lambda: fetch_absence_types(credentials, fields),
                "time off policy types",
                PERM_TIME_OFF_SETTINGS,
            )
        if model_id == "hris_absences":
            return self._guarded(
                lambda: fetch_absences(credentials, fields, since=since, today=today),
                "time off requests",
                PERM_TIME_OFF_REQUESTS,
            )
        if model_id == "hris_time_off_balances":
            return self._guarded(
                lambda: fetch_balances(
                    credentials,
                    fields,
                    employee_batches=self._employee_batches(credentials),
                    today=today,
                ),
                "time off balances",
                PERM_TIME_OFF_BALANCES,
            )
        if model_id == "hris_employments":
            return self._guarded(
                lambda: fetch_employments(
                    credentials, fields, employee_batches=self._employee_batches(credentials)
                ),
                "employee tables",
                PERM_SALARY_HISTORY,
            )
        raise ToolError(f"HiBob does not provide {model_id}.", transient=False)

    def _guarded(
        self, read: Callable[[], Iterator[Page]], what: str, permission: str
    ) -> Iterator[Page]:
        try:
            yield from read()
        except (Rejected, Denied, Unusable) as failure:
            raise as_tool_error(failure, what, NEEDS[permission]) from None

    def _fetch_employees(
        self, credentials: Mapping[str, str], fields: frozenset[str]
    ) -> Iterator[Page]:
        wanted = [field_id for field_id in VENDOR_FIELDS if field_id in fields]
        vendor_fields = [vendor for field_id in wanted for vendor in VENDOR_FIELDS[field_id]]
        try:
            for batch in self._employee_batches(credentials):
                records = self._search(credentials, vendor_fields, ids=batch, human=True)
                yield [map_employee(record, wanted) for record in records]
        except (Rejected, Denied, Unusable) as failure:
            raise failure.tool_error("people search") from None
        except EmployeeWithoutIdError as missing:
            raise Unusable(str(missing)).tool_error("people search") from None

    def _fetch_list(
        self, credentials: Mapping[str, str], name: str, fields: frozenset[str]
    ) -> Iterator[Page]:
        flatten: Callable[[Any], Iterator[dict[str, Any]]] = (
            (lambda items: flatten_departments(items, parent_id=None))
            if name == "department"
            else flatten_sites
        )
        what = f"{name} list"
        try:
            body = get_json(credentials, f"/company/named-lists/{name}", _WITH_ARCHIVED)
            records = [
                select_fields(record, fields) for record in flatten(values_of(body, "items"))
            ]
        except (Rejected, Denied, Unusable) as failure:
            raise failure.tool_error(what) from None
        except (KeyError, TypeError, AttributeError):
            raise Unusable("unexpected response body").tool_error(what) from None
        # The list arrives whole (no paging in the API); hand it on in bounded pages.
        for start in range(0, len(records), GROUP_PAGE_SIZE):
            yield records[start : start + GROUP_PAGE_SIZE]

    def _employee_batches(self, credentials: Mapping[str, str]) -> Iterator[list[str]]:
        employee_ids = self._employee_ids(credentials)
        for start in range(0, len(employee_ids), SEARCH_BATCH_SIZE):
            yield employee_ids[start : start + SEARCH_BATCH_SIZE]

    def _employee_ids(self, credentials: Mapping[str, str]) -> list[str]:
        records = self._search(credentials, [], ids=None)
        employee_ids = []
        for record in records:
            employee_id = as_text(field_value(record, ROOT_ID))
            if employee_id is None:
                raise Unusable("an employee without an ID")
            employee_ids.append(employee_id)
        return employee_ids

    def _search(
        self,
        credentials: Mapping[str, str],
        vendor_fields: list[VendorField],
        *,
        ids: list[str] | None,
        human: bool = False,
    ) -> list[dict[str, Any]]:
        field_ids = list(dict.fromkeys([ROOT_ID.field_id, *(f.field_id for f in vendor_fields)]))
        body: dict[str, Any] = {"fields": field_ids, "showInactive": True}
        if ids is not None:
            body["filters"] = [{"fieldPath": "root.id", "operator": "equals", "values": ids}]
        if human:
            body["humanReadable"] = "APPEND"
        try:
            answer = http_request_json(
                "POST",
                f"{base_url()}/people/search",
                headers={},
                json_body=body,
                auth=auth(credentials),
            )
        except HttpFailure as failure:
            raise classify(failure) from None
        return values_of(answer, "employees")


def _readable(read: Callable[[], Any], *, refused: tuple[int, ...] = (403, 404, 400)) -> bool:
    """Whether a probe read went through; 401 and unusable answers propagate."""
    try:
        read()
    except Denied as failure:
        return failure.status_code not in refused
    return True
