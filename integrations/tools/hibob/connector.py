"""The HiBob connector: what it reads and needs, its auth check and its syncs.

The pages followed, and what is done where they are silent: see the package docstring.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from integrations.tools.base import (
    REMOTE_ID_SAMPLE_SIZE,
    AuthResult,
    Coverage,
    CredentialField,
    FieldSupport,
    ModelSupport,
    Page,
    Tool,
    ToolError,
    select_fields,
)
from integrations.tools.hibob.fields import (
    COMPANY_ID,
    NOT_IMPLEMENTED,
    PERM_DEPARTMENTS,
    PERM_PEOPLE,
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
    is_present,
    map_employee,
)
from integrations.tools.http import HttpFailure, http_get_json, http_request_json

# Employees per `root.id`-filtered read. The docs give no maximum for the filter values;
# 200 keeps a page small while a 10,000-person company stays near the 50 searches a minute.
SEARCH_BATCH_SIZE = 200
GROUP_PAGE_SIZE = 200


def _field_supports() -> dict[str, FieldSupport]:
    supports = {
        field_id: FieldSupport(Coverage.SUPPORTED, fields[0].permission, fields[0].field_id)
        for field_id, fields in VENDOR_FIELDS.items()
    }
    supports.update(
        {field_id: FieldSupport(Coverage.NOT_IMPLEMENTED) for field_id in NOT_IMPLEMENTED}
    )
    return supports


class HiBobTool(Tool):
    id = "hibob"
    label = "HiBob"
    category = "HRIS"
    logo = "tools/hibob.svg"
    icon = "tools/hibob-icon.svg"
    # People search has no "changed since" filter: every sync reads everyone.
    supports_delta = False
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
    permissions = {
        PERM_PEOPLE: _(
            "Search employees (People’s data: View on the employees’ “Basic info” category)"
        ),
        PERM_DEPARTMENTS: _("Read the company list of departments"),
        **{
            permission: format_lazy(
                _("Read the employee field “{name}” ({field_id}) in the “{category}” category"),
                name=field.name,
                field_id=field.field_id,
                category=field.category,
            )
            for permission, field in PERMISSION_FIELDS.items()
        },
    }
    models = {
        "hris_employees": ModelSupport(Coverage.SUPPORTED, PERM_PEOPLE, _field_supports()),
        "hris_teams": ModelSupport(
            Coverage.SUPPORTED,
            PERM_DEPARTMENTS,
            {
                "name": FieldSupport(Coverage.SUPPORTED),
                "type": FieldSupport(Coverage.SUPPORTED),
                "parent_id": FieldSupport(Coverage.SUPPORTED),
            },
        ),
    }
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
        return super().permission_message(permission, model_id, field_id)

    def check_auth(self, credentials: Mapping[str, str]) -> AuthResult:
        if not credentials.get("service_user_id") or not credentials.get("token"):
            return AuthResult.invalid("No service user ID or token was given.")
        granted: set[str] = set()
        account_id = ""
        try:
            employee_ids = self._employee_ids(credentials)
        except _Denied as failure:
            if failure.status_code != 403:
                return _as_unusable(failure).result()
            employee_ids = []
        except _Rejected:
            return AuthResult.invalid(_REJECTED)
        except _Unusable as failure:
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
            except _Rejected:
                return AuthResult.invalid(_REJECTED)
            except (_Denied, _Unusable) as failure:
                return _as_unusable(failure).result()
            if not probe:
                return _Unusable("the probed employee was not returned").result()
            granted.add(PERM_PEOPLE)
            granted.update(
                permission
                for permission, field in PERMISSION_FIELDS.items()
                if is_present(probe[0], field)
            )
            company = field_value(probe[0], COMPANY_ID)
            account_id = as_text(company) or ""
        try:
            http_get_json(
                f"{_base_url()}/company/named-lists/department",
                headers={},
                auth=_auth(credentials),
            )
            granted.add(PERM_DEPARTMENTS)
        except HttpFailure as failure:
            if failure.status_code == 401:
                return AuthResult.invalid(_REJECTED)
            # The docs do not say which permission reads named lists: a refusal means no.
            if failure.status_code not in (403, 404):
                return _Unusable.from_failure(failure).result()
        return AuthResult.ok(
            granted_permissions=granted,
            remote_account_id=account_id,
            remote_id_sample=employee_ids[:REMOTE_ID_SAMPLE_SIZE],
        )

    def fetch(
        self,
        credentials: Mapping[str, str],
        model_id: str,
        fields: frozenset[str],
        since: datetime | None = None,
    ) -> Iterator[Page]:
        # `since` is ignored: HiBob cannot filter people by change date (supports_delta=False).
        if model_id == "hris_employees":
            return self._fetch_employees(credentials, fields)
        if model_id == "hris_teams":
            return self._fetch_groups(credentials, fields)
        raise ToolError(f"HiBob does not provide {model_id}.", transient=False)

    def _fetch_employees(
        self, credentials: Mapping[str, str], fields: frozenset[str]
    ) -> Iterator[Page]:
        wanted = [field_id for field_id in VENDOR_FIELDS if field_id in fields]
        vendor_fields = [vendor for field_id in wanted for vendor in VENDOR_FIELDS[field_id]]
        try:
            employee_ids = self._employee_ids(credentials)
            for start in range(0, len(employee_ids), SEARCH_BATCH_SIZE):
                batch = employee_ids[start : start + SEARCH_BATCH_SIZE]
                records = self._search(credentials, vendor_fields, ids=batch, human=True)
                yield [map_employee(record, wanted) for record in records]
        except (_Rejected, _Denied, _Unusable) as failure:
            raise failure.tool_error("people search") from None
        except EmployeeWithoutIdError as missing:
            raise _Unusable(str(missing)).tool_error("people search") from None

    def _fetch_groups(
        self, credentials: Mapping[str, str], fields: frozenset[str]
    ) -> Iterator[Page]:
        try:
            body = http_get_json(
                f"{_base_url()}/company/named-lists/department",
                headers={},
                auth=_auth(credentials),
            )
            groups = [
                select_fields(group, fields)
                for group in flatten_departments(body["items"], parent_id=None)
            ]
        except HttpFailure as failure:
            raise _classify(failure).tool_error("department list") from None
        except (KeyError, TypeError, AttributeError):
            raise _Unusable("unexpected response body").tool_error("department list") from None
        # The list arrives whole (no paging in the API); hand it on in bounded pages.
        for start in range(0, len(groups), GROUP_PAGE_SIZE):
            yield groups[start : start + GROUP_PAGE_SIZE]

    def _employee_ids(self, credentials: Mapping[str, str]) -> list[str]:
        records = self._search(credentials, [], ids=None)
        employee_ids = []
        for record in records:
            employee_id = as_text(field_value(record, ROOT_ID))
            if employee_id is None:
                raise _Unusable("an employee without an ID")
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
                f"{_base_url()}/people/search",
                headers={},
                json_body=body,
                auth=_auth(credentials),
            )
        except HttpFailure as failure:
            raise _classify(failure) from None
        employees = answer.get("employees") if isinstance(answer, dict) else None
        if not isinstance(employees, list) or not all(isinstance(e, dict) for e in employees):
            raise _Unusable("unexpected response body")
        return employees


_REJECTED = (
    "HiBob rejected the service user ID or token (unknown or deleted service user, "
    "or a token that was regenerated)."
)


class _Rejected(Exception):
    """401: the service user ID and token are not (or no longer) valid."""

    def tool_error(self, what: str) -> ToolError:
        return ToolError(f"HiBob {what}: HTTP 401 (service user rejected)", transient=False)


class _Denied(Exception):
    """403/404/400: refused for good until someone changes the permission group."""

    def __init__(self, status_code: int) -> None:
        super().__init__(f"HTTP {status_code}")
        self.status_code = status_code

    def tool_error(self, what: str) -> ToolError:
        return ToolError(f"HiBob {what}: HTTP {self.status_code}", transient=False)


class _Unusable(Exception):
    """No usable answer: network, timeout, 5xx, 429, or a body that is not HiBob's."""

    def __init__(self, reason: str, *, retry_after_seconds: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after_seconds = retry_after_seconds

    @classmethod
    def from_failure(cls, failure: HttpFailure) -> _Unusable:
        return cls(str(failure), retry_after_seconds=failure.retry_after_seconds)

    def result(self) -> AuthResult:
        return AuthResult.unreachable(
            f"HiBob could not be reached: {self}", retry_after_seconds=self.retry_after_seconds
        )

    def tool_error(self, what: str) -> ToolError:
        return ToolError(f"HiBob {what}: {self}", transient=True)


def _classify(failure: HttpFailure) -> _Rejected | _Denied | _Unusable:
    status = failure.status_code
    if status == 401:
        return _Rejected()
    if status is not None and 400 <= status < 500 and status != 429:
        return _Denied(status)
    return _Unusable.from_failure(failure)


def _as_unusable(failure: _Denied | _Unusable) -> _Unusable:
    if isinstance(failure, _Unusable):
        return failure
    return _Unusable(f"HiBob refused the request ({failure})")


def _base_url() -> str:
    return f"{settings.HIBOB_API_URL}/v1"


def _auth(credentials: Mapping[str, str]) -> tuple[str, str]:
    return (credentials.get("service_user_id", ""), credentials.get("token", ""))
