"""The BambooHR connector: what it reads and needs, its auth check and its syncs.

The pages followed, and what is done where they are silent: see the package docstring.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from integrations.tools.bamboohr.client import (
    CRED_API_KEY,
    CRED_COMPANY_DOMAIN,
    Company,
    UnexpectedBodyError,
    auth_failure,
    company_domain,
    company_from,
    is_permanent,
)
from integrations.tools.bamboohr.fields import (
    FIELD_LABELS,
    FIELD_PREFIX,
    ID_FIELD,
    NOT_IMPLEMENTED,
    PERM_EMPLOYEE_DATASET,
    PERM_LISTS,
    PERMISSION_FIELDS,
    SOURCES,
    UNSUPPORTED,
    field_permission,
)
from integrations.tools.bamboohr.guides import (
    API_KEY_HELP,
    COMPANY_DOMAIN_HELP,
    COMPANY_DOMAIN_MALFORMED,
    GUIDES,
)
from integrations.tools.bamboohr.mapping import group_id, map_employee
from integrations.tools.base import (
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
from integrations.tools.http import HttpFailure

_DATASET_PATH = "/v2/datasets/employee/data"
# The dataset names restricted fields with this prefix in `_restrictedFields`.
_RESTRICTED_PREFIX = "employee_"
_GROUP_LISTS = ("department", "division")


class BambooHrTool(Tool):
    id = "bamboohr"
    label = "BambooHR"
    category = "HRIS"
    logo = "tools/bamboohr.svg"
    icon = "tools/bamboohr-icon.svg"
    supports_delta = True
    # Employees per dataset page (BambooHR's default; at most 1000).
    page_size: ClassVar[int] = 100
    credential_fields = (
        CredentialField(
            key=CRED_COMPANY_DOMAIN,
            label=_("Company domain"),
            secret=False,
            required_message=_("Enter your company domain"),
            help_text=COMPANY_DOMAIN_HELP,
            placeholder="acme",
            well_formed=lambda value: company_domain(value) is not None,
            malformed_message=COMPANY_DOMAIN_MALFORMED,
        ),
        CredentialField(
            key=CRED_API_KEY,
            label=_("API key"),
            secret=True,
            required_message=_("Enter your API key"),
            help_text=API_KEY_HELP,
        ),
    )
    permissions = {
        PERM_EMPLOYEE_DATASET: _(
            "Query the employee dataset (BambooHR’s reporting API): the user’s access level "
            "must be allowed to run reports on employees"
        ),
        PERM_LISTS: _("Read the department and division lists"),
        **{
            field_permission(vendor): format_lazy(
                _("Read each employee’s “{label}” (BambooHR field {field})"),
                label=label,
                field=vendor,
            )
            for vendor, label in FIELD_LABELS.items()
        },
    }
    models = {
        "hris_employees": ModelSupport(
            Coverage.SUPPORTED,
            PERM_EMPLOYEE_DATASET,
            {
                **{
                    unified: FieldSupport(Coverage.SUPPORTED, source.needs, source.reads[0])
                    for unified, source in SOURCES.items()
                },
                **{unified: FieldSupport(Coverage.NOT_IMPLEMENTED) for unified in NOT_IMPLEMENTED},
                **{unified: FieldSupport(Coverage.UNSUPPORTED) for unified in UNSUPPORTED},
            },
        ),
        "hris_teams": ModelSupport(
            Coverage.SUPPORTED,
            PERM_LISTS,
            {
                "name": FieldSupport(Coverage.SUPPORTED),
                "type": FieldSupport(Coverage.SUPPORTED),
                # BambooHR's departments and divisions are flat lists.
                "parent_id": FieldSupport(Coverage.UNSUPPORTED),
            },
        ),
    }
    guides = GUIDES

    def permission_message(self, permission: str, model_id: str, field_id: str | None) -> str:
        if permission.startswith(FIELD_PREFIX):
            vendor_field = permission.removeprefix(FIELD_PREFIX)
            return f"BambooHR: the API key's user cannot read field '{vendor_field}'"
        if permission == PERM_EMPLOYEE_DATASET:
            return (
                "BambooHR: the API key's user cannot query the employee dataset "
                "(its access level may not run reports on employees)"
            )
        if permission == PERM_LISTS:
            return "BambooHR: the API key's user cannot read the department and division lists"
        return super().permission_message(permission, model_id, field_id)

    # --- auth check -----------------------------------------------------------------------

    def check_auth(self, credentials: Mapping[str, str]) -> AuthResult:
        company = company_from(credentials)
        if isinstance(company, str):
            return AuthResult.invalid(company)
        try:
            if not isinstance(company.get("/v1/meta/fields"), list):
                raise UnexpectedBodyError
            granted = self._lists_permission(company) | self._employee_permissions(company)
        except HttpFailure as failure:
            return auth_failure(failure)
        except UnexpectedBodyError:
            return AuthResult.unreachable("BambooHR answered with an unexpected response body.")
        return AuthResult.ok(granted_permissions=granted, remote_account_id=company.domain)

    def _lists_permission(self, company: Company) -> set[str]:
        try:
            body = company.get("/v1/meta/lists")
        except HttpFailure as failure:
            if failure.status_code == 403:
                return set()
            raise
        if not isinstance(body, list):
            raise UnexpectedBodyError
        return {PERM_LISTS}

    def _employee_permissions(self, company: Company) -> set[str]:
        """The dataset marks what the user may not read in each row; one row tells."""
        try:
            body = company.post(
                _DATASET_PATH,
                {"fields": [ID_FIELD, *PERMISSION_FIELDS], "page": 1, "pageSize": 1},
            )
        except HttpFailure as failure:
            # 404 is how the dataset answers a user who may not see it at all.
            if failure.status_code in (403, 404):
                return set()
            raise
        try:
            rows = body["data"]
            restricted = {
                str(name).removeprefix(_RESTRICTED_PREFIX)
                for name in ((rows[0].get("_restrictedFields") or []) if rows else [])
            }
        except (KeyError, TypeError, AttributeError, IndexError):
            raise UnexpectedBodyError from None
        return {PERM_EMPLOYEE_DATASET} | {
            field_permission(name) for name in PERMISSION_FIELDS if name not in restricted
        }

    # --- fetch ----------------------------------------------------------------------------

    def fetch(
        self,
        credentials: Mapping[str, str],
        model_id: str,
        fields: frozenset[str],
        since: datetime | None = None,
    ) -> Iterator[Page]:
        company = company_from(credentials)
        if isinstance(company, str):
            raise ToolError(f"BambooHR: {company}", transient=False)
        if model_id == "hris_employees":
            yield from self._fetch_employees(company, fields, since)
        elif model_id == "hris_teams":
            # The lists carry no change dates, so every sync reads them whole (they are small).
            yield self._fetch_groups(company, fields)
        else:
            raise ToolError(f"BambooHR does not provide {model_id}.", transient=False)

    def _fetch_employees(
        self, company: Company, fields: frozenset[str], since: datetime | None
    ) -> Iterator[Page]:
        wanted = [name for name in fields if name in SOURCES]
        dataset_fields = [
            ID_FIELD,
            *sorted({read for name in wanted for read in SOURCES[name].reads}),
        ]
        group_ids = self._group_ids(company) if "groups" in wanted else {}
        if since is None:
            yield from self._dataset_pages(company, dataset_fields, None, wanted, group_ids)
            return
        changed = self._changed_employee_ids(company, since)
        for start in range(0, len(changed), self.page_size):
            chunk = changed[start : start + self.page_size]
            id_filter = " or ".join(f"{ID_FIELD} eq '{employee_id}'" for employee_id in chunk)
            yield from self._dataset_pages(company, dataset_fields, id_filter, wanted, group_ids)

    def _dataset_pages(
        self,
        company: Company,
        dataset_fields: list[str],
        id_filter: str | None,
        wanted: Sequence[str],
        group_ids: Mapping[tuple[str, str], str],
    ) -> Iterator[Page]:
        request: dict[str, Any] = {
            "fields": dataset_fields,
            # Without an order the rows of consecutive pages may overlap or skip.
            "orderBy": f"{ID_FIELD} asc",
            "pageSize": self.page_size,
        }
        if id_filter:
            request["filter"] = id_filter
        page_number = 1
        while True:
            # Paging inputs are body fields; `links.next` only says whether there is more.
            request["page"] = page_number
            try:
                body = company.post(_DATASET_PATH, request)
            except HttpFailure as failure:
                raise ToolError(
                    f"BambooHR employee dataset: {failure}", transient=not is_permanent(failure)
                ) from failure
            try:
                rows = body["data"]
                has_next = bool((body.get("links") or {}).get("next"))
                total_pages = (body.get("meta") or {}).get("totalPages")
                page = [map_employee(row["fields"], wanted, group_ids) for row in rows]
            except (KeyError, TypeError, AttributeError, ValueError):
                raise ToolError(
                    "BambooHR employee dataset: unexpected response body.", transient=True
                ) from None
            yield page
            last_page = isinstance(total_pages, int) and page_number >= total_pages
            if not rows or not has_next or last_page:
                return
            page_number += 1

    def _changed_employee_ids(self, company: Company, since: datetime) -> list[str]:
        moment = since if since.tzinfo else since.replace(tzinfo=UTC)
        # `Z` rather than `+00:00`: the docs warn that a literal `+` must be URL-encoded.
        params = {"since": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
        try:
            body = company.get("/v1/employees/changed", params=params)
        except HttpFailure as failure:
            raise ToolError(
                f"BambooHR changed employees: {failure}", transient=not is_permanent(failure)
            ) from failure
        try:
            entries = (body.get("employees") or {}).values()
            # A deleted employee cannot be read any more; full syncs mark them gone.
            ids = {str(entry["id"]) for entry in entries if entry.get("action") != "Deleted"}
        except (KeyError, TypeError, AttributeError):
            raise ToolError(
                "BambooHR changed employees: unexpected response body.", transient=True
            ) from None
        # Only digits go into the filter expression: an id is never allowed to change its query.
        if not all(employee_id.isdigit() for employee_id in ids):
            raise ToolError("BambooHR changed employees: unexpected employee id.", transient=True)
        return sorted(ids, key=int)

    def _lists(self, company: Company) -> list[dict[str, Any]]:
        try:
            body = company.get("/v1/meta/lists")
        except HttpFailure as failure:
            raise ToolError(
                f"BambooHR department and division lists: {failure}",
                transient=not is_permanent(failure),
            ) from failure
        try:
            return [
                {
                    "alias": alias,
                    "id": str(option["id"]),
                    "name": str(option["name"]),
                }
                for list_field in body
                if (alias := list_field.get("alias")) in _GROUP_LISTS
                for option in list_field.get("options") or []
                # Archived options are retired values: no longer offered, so no longer groups.
                if option.get("archived") != "yes"
            ]
        except (KeyError, TypeError, AttributeError):
            raise ToolError(
                "BambooHR department and division lists: unexpected response body.",
                transient=True,
            ) from None

    def _group_ids(self, company: Company) -> dict[tuple[str, str], str]:
        """(list alias, option name) -> group id: employee rows carry names, groups ids."""
        return {
            (option["alias"], option["name"]): group_id(option["alias"], option["id"])
            for option in self._lists(company)
        }

    def _fetch_groups(self, company: Company, fields: frozenset[str]) -> Page:
        return [
            select_fields(
                {
                    "remote_id": group_id(option["alias"], option["id"]),
                    "name": option["name"],
                    # A division is a larger organisational unit: still a department-like group.
                    "type": "DEPARTMENT",
                },
                fields,
            )
            for option in self._lists(company)
        ]
