"""The Personio connector: what it reads and needs, its auth check and its syncs.

The pages followed, and what is done where they are silent: see the package docstring.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from integrations.read_models import READ_MODELS
from integrations.tools.base import (
    AuthResult,
    Coverage,
    CredentialField,
    Page,
    Tool,
    ToolError,
    select_fields,
)
from integrations.tools.http import HttpFailure
from integrations.tools.personio.absences import (
    map_absence,
    map_absence_type,
    map_balance,
    type_attributes,
    type_unit,
)
from integrations.tools.personio.client import (
    ATTRIBUTES_PATH,
    CredentialsRefusedError,
    Session,
    UnexpectedBodyError,
    api_get,
    exchange_token,
    granted_attributes,
    parse_employee_page,
    since_param,
)
from integrations.tools.personio.coverage import MODELS
from integrations.tools.personio.fields import (
    ATTRIBUTE_LABELS,
    ATTRIBUTE_PREFIX,
    PERM_ABSENCES,
    PERM_EMPLOYEES,
    attribute_permission,
    permission_of,
)
from integrations.tools.personio.guides import CLIENT_ID_HELP, CLIENT_SECRET_HELP, GUIDES
from integrations.tools.personio.mapping import (
    groups_of,
    legal_entity_of,
    location_of,
    map_employee,
    map_employment,
)

PAGE_SIZE = 100  # the documented maximum
# `/company/time-offs` and `/company/time-off-types`: the documented default page size.
ABSENCE_PAGE_SIZE = 200
AUTH_COOLDOWN_SECONDS = 60.0  # documented cool-down after the auth endpoint's rate limit
EMPLOYEES_RETRY_SECONDS = 1.0  # documented minimum wait after a 429 on GET employees


class PersonioTool(Tool):
    id = "personio"
    label = "Personio"
    category = "HRIS"
    logo = "tools/personio.svg"
    icon = "tools/personio-icon.svg"
    supports_delta = True
    credential_fields = (
        CredentialField(
            key="client_id",
            label=_("Client ID"),
            secret=False,
            required_message=_("Enter the Client ID"),
            help_text=CLIENT_ID_HELP,
        ),
        CredentialField(
            key="client_secret",
            label=_("Client secret"),
            secret=True,
            required_message=_("Enter the Client secret"),
            help_text=CLIENT_SECRET_HELP,
        ),
    )
    permissions = {
        PERM_EMPLOYEES: _("Read employees (access scope “Employees”)"),
        PERM_ABSENCES: _("Read absences and their balances (access scope “Absences”)"),
        **{
            attribute_permission(key): format_lazy(
                _("Read the employee attribute “{label}”"), label=label
            )
            for key, label in ATTRIBUTE_LABELS.items()
        },
    }
    models = MODELS
    guides = GUIDES

    def __init__(
        self, *, page_size: int = PAGE_SIZE, absence_page_size: int = ABSENCE_PAGE_SIZE
    ) -> None:
        self.page_size = page_size
        self.absence_page_size = absence_page_size

    def permission_message(self, permission: str, model_id: str, field_id: str | None) -> str:
        if permission == PERM_EMPLOYEES:
            return (
                "Personio: the API credential has no read access to employees "
                f"(access scope 'Employees'), needed for {model_id}."
            )
        if permission == PERM_ABSENCES:
            return (
                "Personio: the API credential has no read access to absences "
                f"(access scope 'Absences'), needed for {model_id}."
            )
        return (
            "Personio: the API credential cannot read attribute "
            f"'{permission.removeprefix(ATTRIBUTE_PREFIX)}'"
        )

    def check_auth(self, credentials: Mapping[str, str]) -> AuthResult:
        if not credentials.get("client_id") or not credentials.get("client_secret"):
            return AuthResult.invalid("Enter both the Client ID and the Client secret.")
        try:
            token = exchange_token(credentials)
        except CredentialsRefusedError:
            return AuthResult.invalid(
                "Personio rejected the API credentials: the Client ID or secret is wrong, "
                "or the credential was deleted."
            )
        except UnexpectedBodyError:
            return AuthResult.unreachable(
                "Personio answered the token request with an unexpected response body."
            )
        except HttpFailure as failure:
            return _unreachable(failure, default_retry_after=AUTH_COOLDOWN_SECONDS)
        granted: set[str] = set()
        sample: list[str] = []
        try:
            # A whole page: its employee ids are how a relink tells this company from another
            # (Personio names no company account).
            body = api_get(token, "/company/employees", {"limit": str(PAGE_SIZE), "offset": "0"})
            items, _, _ = parse_employee_page(body)
            sample = [str(item["id"]["value"]) for item in items]
            granted = {PERM_EMPLOYEES, *self._readable_attributes(token, items)}
        except HttpFailure as failure:
            if failure.status_code == 401:
                return AuthResult.invalid("Personio refused the access token it had just issued.")
            if failure.status_code != 403:
                return _unreachable(failure, default_retry_after=EMPLOYEES_RETRY_SECONDS)
        except (KeyError, TypeError, ValueError, AttributeError):
            return AuthResult.unreachable(
                "Personio answered the employees request with an unexpected response body."
            )
        try:
            # The Absences scope has no listing of its own: the smallest read it allows tells.
            api_get(token, "/company/time-off-types", {"limit": "1", "offset": "0"})
            granted.add(PERM_ABSENCES)
        except HttpFailure as failure:
            if failure.status_code == 401:
                return AuthResult.invalid("Personio refused the access token it had just issued.")
            if failure.status_code != 403:
                return _unreachable(failure, default_retry_after=EMPLOYEES_RETRY_SECONDS)
        return AuthResult.ok(
            granted_permissions=granted, remote_account_id="", remote_id_sample=sample
        )

    def _readable_attributes(self, token: str, items: list[dict[str, dict[str, Any]]]) -> set[str]:
        """The credential's whitelist, from its own endpoint: an employee shows only the
        attributes it has, and a company may have no employees yet. Should that endpoint refuse
        (the forum reports 403s for some credentials), the page's employees are the next best
        witness: whitelisted attributes come on each of them, even when empty."""
        try:
            return granted_attributes(api_get(token, ATTRIBUTES_PATH))
        except HttpFailure as failure:
            if failure.status_code != 403:
                raise
        readable = {permission_of(key, attr) for item in items for key, attr in item.items()}
        readable.discard(attribute_permission("id"))
        return readable

    def fetch(
        self,
        credentials: Mapping[str, str],
        model_id: str,
        fields: frozenset[str],
        since: datetime | None = None,
    ) -> Iterator[Page]:
        if model_id not in self.models:
            raise ToolError(f"Personio does not provide {model_id}.", transient=False)
        supported = self._supported_fields(model_id, fields)
        session = Session(credentials)
        if model_id == "hris_employees":
            for items in self._employee_pages(session, since):
                yield [select_fields(map_employee(item), supported) for item in items]
        elif model_id == "hris_employments":
            for items in self._employee_pages(session, since):
                yield [select_fields(map_employment(item), supported) for item in items]
        elif model_id == "hris_absence_types":
            for types in self._absence_type_pages(session):
                yield [select_fields(map_absence_type(t), supported) for t in types]
        elif model_id == "hris_absences":
            yield from self._absence_pages(session, supported, since)
        elif model_id == "hris_time_off_balances":
            yield from self._balance_pages(session, supported)
        else:
            # Groups, offices and subcompanies exist in v1 only as employee attributes: each is
            # yielded the first time an employee names it. Only their ids are remembered.
            records_of = _NAMED_BY_EMPLOYEES[model_id]
            seen: set[str] = set()
            # A delta sync reads everything: an unchanged employee may name a renamed office.
            for items in self._employee_pages(session, None):
                page = []
                for record in (record for item in items for record in records_of(item)):
                    if record["remote_id"] not in seen:
                        seen.add(record["remote_id"])
                        page.append(select_fields(record, supported))
                yield page

    def _supported_fields(self, model_id: str, fields: frozenset[str]) -> frozenset[str]:
        support = self.model_support(model_id)
        references = frozenset(READ_MODELS[model_id].references)
        return frozenset(
            field_id
            for field_id in fields
            if field_id in references
            or support.field_support(field_id).coverage == Coverage.SUPPORTED
        )

    def _employee_pages(
        self, session: Session, since: datetime | None
    ) -> Iterator[list[dict[str, dict[str, Any]]]]:
        """Each vendor page's employees as attribute maps, in Personio's pagination. Since
        November 2023 an `updated_since` query is paginated like any other (changelog "Paginate
        the response of GET Employee when updated_since filter is used")."""
        offset = pages_read = 0
        while True:
            params = {"limit": str(self.page_size), "offset": str(offset)}
            if since is not None:
                params["updated_since"] = since_param(since)
            body = session.get("/company/employees", params, "employees", PERM_EMPLOYEES)
            try:
                items, current_page, total_pages = parse_employee_page(body)
            except (KeyError, TypeError, ValueError, AttributeError):
                raise ToolError(
                    "Personio employees: unexpected response body.", transient=True
                ) from None
            yield items
            pages_read += 1
            # Counting pages too bounds the loop should `current_page` ever stand still.
            if not items or max(current_page + 1, pages_read) >= total_pages:
                return
            offset += self.page_size

    def _absence_type_pages(self, session: Session) -> Iterator[list[dict[str, Any]]]:
        """`GET /company/time-off-types` pages (`limit`, record `offset`); no page metadata, so
        a short page is the last."""
        offset = 0
        while True:
            params = {"limit": str(self.absence_page_size), "offset": str(offset)}
            body = session.get("/company/time-off-types", params, "time-off types", PERM_ABSENCES)
            try:
                if not isinstance(body, dict) or body.get("success") is not True:
                    raise ValueError("not a successful Personio response")
                types = [type_attributes(item) for item in body["data"]]
            except (KeyError, TypeError, ValueError, AttributeError):
                raise ToolError(
                    "Personio time-off types: unexpected response body.", transient=True
                ) from None
            yield types
            if len(types) < self.absence_page_size:
                return
            offset += self.absence_page_size

    def _absence_pages(
        self, session: Session, supported: frozenset[str], since: datetime | None
    ) -> Iterator[Page]:
        """`GET /company/time-offs`: `offset` is the page number (0 first) and `updated_from` a
        date, inclusive (`/reference/get_company-time-offs`)."""
        page_number = 0
        while True:
            params = {"limit": str(self.absence_page_size), "offset": str(page_number)}
            if since is not None:
                # A date in the company's own zone: starting a day early misses nothing; the
                # runner's upsert makes the overlap harmless.
                params["updated_from"] = (since.astimezone(UTC) - timedelta(days=1)).strftime(
                    "%Y-%m-%d"
                )
            body = session.get("/company/time-offs", params, "time-offs", PERM_ABSENCES)
            try:
                if not isinstance(body, dict) or body.get("success") is not True:
                    raise ValueError("not a successful Personio response")
                total_pages = int(body["metadata"]["total_pages"])
                records = [map_absence(item["attributes"]) for item in body["data"]]
            except (KeyError, TypeError, ValueError, AttributeError):
                raise ToolError(
                    "Personio time-offs: unexpected response body.", transient=True
                ) from None
            yield [select_fields(record, supported) for record in records]
            page_number += 1
            if len(records) < self.absence_page_size or page_number >= total_pages:
                return

    def _balance_pages(self, session: Session, supported: frozenset[str]) -> Iterator[Page]:
        """One balance call per employee, a page of employees at a time. The balance gives no
        unit: it is its absence type's, so the (few) types are read first."""
        units = {
            str(attributes["id"]): type_unit(attributes)
            for types in self._absence_type_pages(session)
            for attributes in types
        }
        for items in self._employee_pages(session, None):
            page: Page = []
            for item in items:
                employee_id = str(item["id"]["value"])
                path = f"/company/employees/{employee_id}/absences/balance"
                # An employee deleted since the listing has no balance left to read (404).
                body = session.get(path, None, "absence balances", PERM_ABSENCES, missing_ok=True)
                if body is None:
                    continue
                try:
                    if not isinstance(body, dict) or body.get("success") is not True:
                        raise ValueError("not a successful Personio response")
                    page.extend(
                        select_fields(map_balance(employee_id, entry, units), supported)
                        for entry in body["data"]
                    )
                except (KeyError, TypeError, ValueError, AttributeError):
                    raise ToolError(
                        "Personio absence balances: unexpected response body.", transient=True
                    ) from None
            yield page


_NAMED_BY_EMPLOYEES: dict[str, Callable[[dict[str, dict[str, Any]]], list[dict[str, Any]]]] = {
    "hris_teams": groups_of,
    "hris_locations": lambda item: [r for r in (location_of(item),) if r is not None],
    "hris_legal_entities": lambda item: [r for r in (legal_entity_of(item),) if r is not None],
}


def _unreachable(failure: HttpFailure, *, default_retry_after: float) -> AuthResult:
    message = str(failure)
    if "text/html" in message:
        message = (
            "Personio answered with a web page instead of JSON "
            "(is PERSONIO_API_URL the API host, https://api.personio.de?)"
        )
    retry_after = failure.retry_after_seconds
    if failure.status_code == 429 and retry_after is None:
        retry_after = default_retry_after
    return AuthResult.unreachable(
        f"Personio could not be reached: {message}", retry_after_seconds=retry_after
    )
