"""The BambooHR connector: what it reads and needs, its auth check and its syncs.

The pages followed, and what is done where they are silent: see the package docstring.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any, ClassVar

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
from integrations.tools.bamboohr.coverage import MODELS, PERMISSIONS
from integrations.tools.bamboohr.dataset import (
    DATASET_PATH,
    dataset_field_names,
    dataset_page,
    employee_id_pages,
)
from integrations.tools.bamboohr.employments import fetch_employments
from integrations.tools.bamboohr.fields import (
    FIELD_PREFIX,
    ID_FIELD,
    PERM_EMPLOYEE_DATASET,
    PERM_LISTS,
    PERM_TABLE_COMPENSATION,
    PERM_TABLE_JOB_INFO,
    PERM_TIME_OFF,
    PERM_TIME_OFF_BALANCES,
    PERMISSION_FIELDS,
    SOURCES,
    field_permission,
)
from integrations.tools.bamboohr.guides import (
    API_KEY_HELP,
    COMPANY_DOMAIN_HELP,
    COMPANY_DOMAIN_MALFORMED,
    GUIDES,
)
from integrations.tools.bamboohr.mapping import group_id, map_employee
from integrations.tools.bamboohr.time_off import (
    TYPES_PATH,
    fetch_absence_types,
    fetch_absences,
    fetch_balances,
)
from integrations.tools.base import (
    AuthResult,
    CredentialField,
    Page,
    Tool,
    ToolError,
    select_fields,
)
from integrations.tools.http import HttpFailure

_GROUP_LISTS = ("department", "division")
_LOCATION_LIST = "location"


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
    permissions = PERMISSIONS
    models = MODELS
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
            return (
                "BambooHR: the API key's user cannot read the department, division and "
                "location lists"
            )
        if permission == PERM_TIME_OFF:
            return "BambooHR: the API key's user cannot view time off"
        if permission == PERM_TIME_OFF_BALANCES:
            return (
                "BambooHR: the API key's user cannot view time off balances (or cannot query "
                "the employee dataset)"
            )
        if permission in (PERM_TABLE_COMPENSATION, PERM_TABLE_JOB_INFO):
            table = permission.removeprefix("table:")
            return f"BambooHR: the API key's user cannot view the {table} table"
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
        body = _unless_forbidden(lambda: company.get("/v1/meta/lists"))
        if body is _FORBIDDEN:
            return set()
        if not isinstance(body, list):
            raise UnexpectedBodyError
        return {PERM_LISTS}

    def _employee_permissions(self, company: Company) -> set[str]:
        """What the dataset, the time off API and the employee tables let the user read."""
        time_off = _unless_forbidden(lambda: company.get(TYPES_PATH))
        granted = set() if time_off is _FORBIDDEN else {PERM_TIME_OFF}
        # 404 is how the dataset answers a user who may not see it at all.
        probe = _unless_forbidden(
            lambda: company.post(DATASET_PATH, {"fields": [ID_FIELD], "page": 1, "pageSize": 1}),
            also=404,
        )
        catalogue = _unless_forbidden(lambda: dataset_field_names(company), also=404)
        if probe is _FORBIDDEN or catalogue is _FORBIDDEN:
            return granted
        try:
            rows = probe["data"]
            first_id = str(rows[0]["fields"][ID_FIELD]) if rows else None
        except (KeyError, TypeError, AttributeError, IndexError):
            raise UnexpectedBodyError from None
        # The id goes into URL paths: only digits may.
        if first_id is not None and not first_id.isdigit():
            raise UnexpectedBodyError
        # The dataset docs say nothing of field access (its rows just come back empty where
        # the user may not look): a field counts as granted when the company's dataset has it.
        granted |= {PERM_EMPLOYEE_DATASET} | {
            field_permission(name) for name in PERMISSION_FIELDS if name in catalogue
        }
        probes = {
            PERM_TABLE_COMPENSATION: "/tables/compensation",
            PERM_TABLE_JOB_INFO: "/tables/jobInfo",
        }
        if PERM_TIME_OFF in granted:
            probes[PERM_TIME_OFF_BALANCES] = "/time_off/calculator"
        for permission, path in probes.items():
            # With no employee there is nothing to be refused; one deleted since the dataset
            # showed them (404) tells nothing either.
            url = f"/v1/employees/{first_id}{path}"
            if (
                first_id is None
                or _unless_forbidden(partial(_unless_missing, company, url)) is not _FORBIDDEN
            ):
                granted.add(permission)
        return granted

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
        elif model_id == "hris_locations":
            yield self._fetch_locations(company, fields)
        elif model_id == "hris_employments":
            ids = (
                employee_id_pages(company, self.page_size)
                if since is None
                else self._changed_id_pages(company, since)
            )
            yield from fetch_employments(company, fields, ids)
        elif model_id == "hris_absence_types":
            yield fetch_absence_types(company, fields)
        elif model_id == "hris_absences":
            # No changed-since filter for requests: every sync reads them all.
            yield from fetch_absences(company, fields)
        elif model_id == "hris_time_off_balances":
            # Balances move with accruals every day, so they are read whole each time.
            yield from fetch_balances(company, fields, self.page_size)
        else:
            raise ToolError(f"BambooHR does not provide {model_id}.", transient=False)

    def _fetch_employees(
        self, company: Company, fields: frozenset[str], since: datetime | None
    ) -> Iterator[Page]:
        wanted = [name for name in fields if name in SOURCES]
        catalogue = self._catalogue(company)
        # A name the company's dataset lacks would fail the whole request: such fields stay
        # empty instead.
        dataset_fields = [
            ID_FIELD,
            *sorted({read for name in wanted for read in SOURCES[name].reads if read in catalogue}),
        ]
        list_ids = self._list_ids(company) if {"groups", "work_location_id"} & set(wanted) else {}
        if since is None:
            yield from self._dataset_pages(company, dataset_fields, None, wanted, list_ids)
            return
        for chunk in self._changed_id_pages(company, since):
            id_filter = " or ".join(f"{ID_FIELD} eq '{employee_id}'" for employee_id in chunk)
            yield from self._dataset_pages(company, dataset_fields, id_filter, wanted, list_ids)

    def _catalogue(self, company: Company) -> set[str]:
        try:
            return dataset_field_names(company)
        except HttpFailure as failure:
            raise ToolError(
                f"BambooHR employee dataset fields: {failure}",
                transient=not is_permanent(failure),
            ) from failure
        except UnexpectedBodyError:
            raise ToolError(
                "BambooHR employee dataset fields: unexpected response body.", transient=True
            ) from None

    def _changed_id_pages(self, company: Company, since: datetime) -> Iterator[list[str]]:
        changed = self._changed_employee_ids(company, since)
        for start in range(0, len(changed), self.page_size):
            yield changed[start : start + self.page_size]

    def _dataset_pages(
        self,
        company: Company,
        dataset_fields: list[str],
        id_filter: str | None,
        wanted: Sequence[str],
        list_ids: Mapping[tuple[str, str], str],
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
            body = dataset_page(company, request)
            try:
                rows = body["data"]
                has_next = bool((body.get("links") or {}).get("next"))
                total_pages = (body.get("meta") or {}).get("totalPages")
                page = [map_employee(row["fields"], wanted, list_ids) for row in rows]
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

    def _lists(self, company: Company, aliases: Sequence[str]) -> list[dict[str, Any]]:
        """The options of these list fields, archived ones too: an archived department still
        names the group of everyone who was in it."""
        try:
            body = company.get("/v1/meta/lists")
        except HttpFailure as failure:
            raise ToolError(
                f"BambooHR department, division and location lists: {failure}",
                transient=not is_permanent(failure),
            ) from failure
        try:
            return [
                {
                    "alias": alias,
                    "id": str(option["id"]),
                    "name": str(option["name"]),
                    "archived": option.get("archived") == "yes",
                }
                for list_field in body
                if (alias := list_field.get("alias")) in aliases
                for option in list_field.get("options") or []
            ]
        except (KeyError, TypeError, AttributeError):
            raise ToolError(
                "BambooHR department, division and location lists: unexpected response body.",
                transient=True,
            ) from None

    def _list_ids(self, company: Company) -> dict[tuple[str, str], str]:
        """(list alias, option name) -> option id: employee rows carry names, not ids. When an
        archived and a current option share a name, the current one wins."""
        options = self._lists(company, (*_GROUP_LISTS, _LOCATION_LIST))
        return {
            (option["alias"], option["name"]): group_id(option["alias"], option["id"])
            for option in sorted(options, key=lambda option: not option["archived"])
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
            for option in self._lists(company, _GROUP_LISTS)
        ]

    def _fetch_locations(self, company: Company, fields: frozenset[str]) -> Page:
        return [
            select_fields(
                {"remote_id": group_id(option["alias"], option["id"]), "name": option["name"]},
                fields,
            )
            for option in self._lists(company, (_LOCATION_LIST,))
        ]


_FORBIDDEN = object()


def _unless_missing(company: Company, path: str) -> Any:
    try:
        return company.get(path)
    except HttpFailure as failure:
        if failure.status_code == 404:
            return None
        raise


def _unless_forbidden(call: Callable[[], Any], *, also: int | None = None) -> Any:
    """The call's answer, or `_FORBIDDEN` when BambooHR refuses the user (403, or `also`)."""
    try:
        return call()
    except HttpFailure as failure:
        if failure.status_code in (403, also):
            return _FORBIDDEN
        raise
