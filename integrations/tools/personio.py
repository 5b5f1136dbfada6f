"""The `personio` connector: Personio's Personnel Data API v1 over real HTTP.

Pages followed (developer.personio.de unless noted):
- Authentication, `/reference/auth` and `/v1.0/reference/post_auth`: `POST /v1/auth` with
  `client_id` and `client_secret` in a JSON or form body -> `{"success": true, "data": {"token":
  ...}}`. The token is stable for 24 hours and works on every Personnel Data endpoint. The auth
  endpoint allows 60 requests a minute, then a 60 second cool-down.
- Changelog "Deprecated: query-string credentials on POST /v1/auth": credentials go in the body;
  the query-string form will answer 403.
- `/reference/get_company-employees` and the OpenAPI file `personio-personnel-data-api-oa3.yaml`
  in github.com/personio/api-docs: `GET /v1/company/employees?limit=&offset=&updated_since=` ->
  `{"success", "metadata": {"total_elements", "current_page", "total_pages"}, "offset", "limit",
  "data": [{"type": "Employee", "attributes": {key: {"label", "value", "type",
  "universal_id"}}}]}`; `current_page` runs from 0 to `total_pages - 1`. Custom attributes are
  `dynamic_<n>` keys; some carry a well-known `universal_id` (e.g. `iban`). Errors are
  `{"success": false, "error": {"code", "message"}}` (the `ErrorResponse` schema).
- `/docs/pagination-adoption-guide-for-v1-get-employees-endpoint`: `offset` is the first record,
  `limit` at most 100 (default 50); advance `offset` by `limit` until `current_page >=
  total_pages - 1`.
- `updated_since` (ISO 8601 `2022-12-24T08:15:30` or `YYYY-MM-DD`): "when using the
  `updated_since` filter, the `email`, `limit`, and `offset` parameters are ignored".
- Changelog "Rate Limits on GET Employees endpoint": 300 requests a minute, 429 beyond, retry
  after at least one second. No page documents rate-limit response headers, so only a
  `Retry-After` header is honoured; otherwise the documented delays are used.
- `/v2.0/reference/include-our-headers-in-your-requests`: send `X-Personio-App-ID`.
- Merge's and Nango's Personio guides (help.merge.dev, nango.dev): Settings -> Integrations ->
  API credentials, access scopes (Employees, Attendances, Absences, Org Units) and the
  "Readable employee attributes" an API credential may read.
- Kombo's Personio coverage page (docs.kombo.dev/hris/connectors/personio): Personio has no
  endpoint listing all groups, and no full/part-time flag; Kombo infers the employment type from
  the working hours.

Where the docs are silent, and what we do:
- The HTTP status and body of a refused token request (a forum thread quotes "Wrong
  credentials"): any 400/401/403 from `POST /v1/auth` means the credentials were refused.
- The answer for a credential without the Employees scope: we treat 403 on the employees
  endpoint as "scope not granted" and 401 as "token refused".
- How to list the readable attributes: whitelisted attributes come back on every employee, even
  with a null value (see the example response), so one `limit=1` call shows them all. A company
  without employees shows none.
- A company or account id: the Personnel Data API exposes none (the token is opaque, no
  response carries a tenant id, `subcompany` is a legal entity). The client id is per credential
  and changes on every relink, so using it would refuse every legitimate relink. We report no
  remote account id rather than a wrong one.
- Groups: v1 has no departments endpoint (the v2 org-units list is in beta and its response is
  not documented), so groups are read from the employees' `department`, `team` and
  `cost_centers` attributes. Personio ids are unique per kind only, so group ids carry the kind.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

from integrations.tools.base import (
    AuthResult,
    Coverage,
    CredentialField,
    FieldSupport,
    ModelSupport,
    Page,
    Tool,
    ToolError,
)
from integrations.tools.http import HttpFailure, http_get_json, http_request_json

PERM_EMPLOYEES = "employees:read"
ATTRIBUTE_PREFIX = "attribute:"

# Personio's recommended request header (UPPER_SNAKE_CASE), so Personio support can find us.
APP_HEADERS = {"X-Personio-App-ID": "KOMBO_SITE"}
PAGE_SIZE = 100  # the documented maximum
AUTH_COOLDOWN_SECONDS = 60.0  # documented cool-down after the auth endpoint's rate limit
EMPLOYEES_RETRY_SECONDS = 1.0  # documented minimum wait after a 429 on GET employees
# Personio has no full/part-time flag; Kombo infers it from the working hours. Our cut-off.
FULL_TIME_WEEKLY_HOURS = 35.0

# The readable employee attributes we map, with the labels Personio shows for them.
ATTRIBUTE_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "gender": "Gender",
    "status": "Status",
    "position": "Position",
    "supervisor": "Supervisor",
    "weekly_working_hours": "Weekly hours",
    "hire_date": "Hire date",
    "termination_date": "Termination date",
    "created_at": "Created at",
    "office": "Office",
    "subcompany": "Subcompany",
    "department": "Department",
    "team": "Team",
    "cost_centers": "Cost center",
    "iban": "IBAN",
}

# The API reference shows `active` and `onboarding`; `leave` and `inactive` are the Status
# attribute's other values. Anything else is passed through, as Kombo does.
_EMPLOYMENT_STATUS = {
    "active": "ACTIVE",
    "onboarding": "PENDING",
    "leave": "LEAVE",
    "inactive": "INACTIVE",
}
_GENDER = {"male": "MALE", "female": "FEMALE", "diverse": "NON_BINARY"}
# (attribute key, group id prefix, unified group type)
_GROUP_ATTRIBUTES = (
    ("department", "department", "DEPARTMENT"),
    ("team", "team", "TEAM"),
    ("cost_centers", "cost_center", "COST_CENTER"),
)

_UNSUPPORTED = FieldSupport(Coverage.UNSUPPORTED)


def attribute_permission(attribute: str) -> str:
    return f"{ATTRIBUTE_PREFIX}{attribute}"


def _attribute(key: str) -> FieldSupport:
    return FieldSupport(Coverage.SUPPORTED, attribute_permission(key), key)


class _CredentialsRefusedError(Exception):
    pass


class _UnexpectedBodyError(Exception):
    pass


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
            label="Client ID",
            secret=False,
            help_text="Shown in Personio under Settings → Integrations → API credentials.",
        ),
        CredentialField(
            key="client_secret",
            label="Client secret",
            secret=True,
            help_text="Shown once, when the API credential is created. Lost it? Create a new one.",
        ),
    )
    permissions = {
        PERM_EMPLOYEES: "Read employees (access scope “Employees”)",
        **{
            attribute_permission(key): f"Read the employee attribute “{label}”"
            for key, label in ATTRIBUTE_LABELS.items()
        },
    }
    models = {
        "hris_employees": ModelSupport(
            Coverage.SUPPORTED,
            PERM_EMPLOYEES,
            {
                "first_name": _attribute("first_name"),
                "last_name": _attribute("last_name"),
                "display_full_name": _attribute("first_name"),
                "job_title": _attribute("position"),
                "work_email": _attribute("email"),
                "gender": _attribute("gender"),
                "employment_status": _attribute("status"),
                "employment_type": _attribute("weekly_working_hours"),
                "weekly_hours": _attribute("weekly_working_hours"),
                "work_location_id": _attribute("office"),
                "legal_entity_id": _attribute("subcompany"),
                "manager_id": _attribute("supervisor"),
                "start_date": _attribute("hire_date"),
                "termination_date": _attribute("termination_date"),
                "remote_created_at": _attribute("created_at"),
                "bank_accounts": _attribute("iban"),
                "groups": _attribute("department"),
                # Whichever custom attributes the credential may read.
                "custom_fields": FieldSupport(Coverage.SUPPORTED),
                # Not standard Personio attributes: only custom attributes, named per company.
                "employee_number": _UNSUPPORTED,
                "nationality": _UNSUPPORTED,
                "personal_email": _UNSUPPORTED,
                "mobile_phone_number": _UNSUPPORTED,
                "ssn": _UNSUPPORTED,
                "tax_id": _UNSUPPORTED,
                "ethnicity": _UNSUPPORTED,
                "marital_status": _UNSUPPORTED,
                "date_of_birth": _UNSUPPORTED,
                "home_address": _UNSUPPORTED,
                # The profile picture URL needs Personio's bearer token; we cache no files.
                "avatar": _UNSUPPORTED,
            },
        ),
        "hris_teams": ModelSupport(
            Coverage.SUPPORTED,
            PERM_EMPLOYEES,
            {
                "name": _attribute("department"),
                "type": _attribute("department"),
                # v1 exposes no hierarchy between departments, teams and cost centers.
                "parent_id": _UNSUPPORTED,
            },
        ),
    }
    guides = {
        "en": (
            "Sign in to Personio as an administrator and open Settings (bottom left).",
            "Under Integrations, open “API credentials” and create a new credential "
            "(“Create custom integration” or “Generate new credential”); give it a name such as "
            "“Kombo”.",
            "Under access scopes, give “Employees” read access.",
            "Under “Readable employee attributes”, tick every attribute listed above as required "
            "(and any optional ones you agree to).",
            "Create the credential, then copy the Client ID and the Client secret and paste "
            "them below. The secret is shown only once.",
        ),
        "de": (
            "Melden Sie sich als Administrator bei Personio an und öffnen Sie die "
            "Einstellungen (unten links).",
            "Öffnen Sie unter Integrationen die „API-Zugangsdaten“ und legen Sie neue "
            "Zugangsdaten an; geben Sie ihnen einen Namen wie „Kombo“.",
            "Erteilen Sie bei den Zugriffsbereichen Lesezugriff auf „Mitarbeiter“.",
            "Wählen Sie unter „Lesbare Mitarbeiterattribute“ alle oben als erforderlich "
            "aufgeführten Attribute aus (und alle optionalen, denen Sie zustimmen).",
            "Erstellen Sie die Zugangsdaten, kopieren Sie die Client-ID und das Client-Secret "
            "und fügen Sie beide unten ein. Das Secret wird nur einmal angezeigt.",
        ),
        "fr": (
            "Connectez-vous à Personio en tant qu’administrateur et ouvrez les Paramètres "
            "(en bas à gauche).",
            "Dans Intégrations, ouvrez « Identifiants API » et créez un nouvel identifiant ; "
            "donnez-lui un nom comme « Kombo ».",
            "Dans les périmètres d’accès, accordez l’accès en lecture aux « Employés ».",
            "Sous « Attributs d’employé lisibles », cochez tous les attributs indiqués ci-dessus "
            "comme requis (et les facultatifs que vous acceptez).",
            "Créez l’identifiant, puis copiez le Client ID et le Client secret et collez-les "
            "ci-dessous. Le secret n’est affiché qu’une seule fois.",
        ),
        "it": (
            "Accedi a Personio come amministratore e apri le Impostazioni (in basso a sinistra).",
            "In Integrazioni, apri «Credenziali API» e crea una nuova credenziale; assegnale un "
            "nome come «Kombo».",
            "Negli ambiti di accesso, concedi l’accesso in lettura ai «Dipendenti».",
            "In «Attributi dei dipendenti leggibili», seleziona tutti gli attributi indicati "
            "sopra come obbligatori (e quelli facoltativi che accetti).",
            "Crea la credenziale, poi copia il Client ID e il Client secret e incollali qui "
            "sotto. Il secret viene mostrato una sola volta.",
        ),
        "es": (
            "Inicia sesión en Personio como administrador y abre la Configuración "
            "(abajo a la izquierda).",
            "En Integraciones, abre «Credenciales de API» y crea una credencial nueva; ponle un "
            "nombre como «Kombo».",
            "En los ámbitos de acceso, concede acceso de lectura a «Empleados».",
            "En «Atributos de empleado legibles», marca todos los atributos indicados arriba "
            "como obligatorios (y los opcionales que aceptes).",
            "Crea la credencial, copia el Client ID y el Client secret y pégalos abajo. "
            "El secret solo se muestra una vez.",
        ),
    }

    def __init__(self, *, page_size: int = PAGE_SIZE) -> None:
        self.page_size = page_size

    def permission_message(self, permission: str, model_id: str, field_id: str | None) -> str:
        if permission == PERM_EMPLOYEES:
            return (
                "Personio: the API credential has no read access to employees "
                f"(access scope 'Employees'), needed for {model_id}."
            )
        return (
            "Personio: the API credential cannot read attribute "
            f"'{permission.removeprefix(ATTRIBUTE_PREFIX)}'"
        )

    def _base_url(self) -> str:
        return f"{settings.PERSONIO_API_URL}/v1"

    def _exchange_token(self, credentials: Mapping[str, str]) -> str:
        try:
            body = http_request_json(
                "POST",
                f"{self._base_url()}/auth",
                headers=APP_HEADERS,
                json_body={
                    "client_id": credentials.get("client_id", ""),
                    "client_secret": credentials.get("client_secret", ""),
                },
            )
        except HttpFailure as failure:
            if failure.status_code in (400, 401, 403):
                raise _CredentialsRefusedError from None
            raise
        data = body.get("data") if isinstance(body, dict) else None
        token = data.get("token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token or body.get("success") is not True:
            raise _UnexpectedBodyError
        return token

    def _get_employees(self, token: str, params: Mapping[str, str]) -> Any:
        return http_get_json(
            f"{self._base_url()}/company/employees",
            headers={**APP_HEADERS, "Authorization": f"Bearer {token}"},
            params=params,
        )

    def check_auth(self, credentials: Mapping[str, str]) -> AuthResult:
        if not credentials.get("client_id") or not credentials.get("client_secret"):
            return AuthResult.invalid("Enter both the Client ID and the Client secret.")
        try:
            token = self._exchange_token(credentials)
        except _CredentialsRefusedError:
            return AuthResult.invalid(
                "Personio rejected the API credentials: the Client ID or secret is wrong, "
                "or the credential was deleted."
            )
        except _UnexpectedBodyError:
            return AuthResult.unreachable(
                "Personio answered the token request with an unexpected response body."
            )
        except HttpFailure as failure:
            return _unreachable(failure, default_retry_after=AUTH_COOLDOWN_SECONDS)
        try:
            body = self._get_employees(token, {"limit": "1", "offset": "0"})
        except HttpFailure as failure:
            if failure.status_code == 403:
                return AuthResult.ok(granted_permissions=(), remote_account_id="")
            if failure.status_code == 401:
                return AuthResult.invalid("Personio refused the access token it had just issued.")
            return _unreachable(failure, default_retry_after=EMPLOYEES_RETRY_SECONDS)
        try:
            items, _, _ = _parse_page(body)
            readable = {_permission_of(key, attr) for item in items for key, attr in item.items()}
        except (KeyError, TypeError, ValueError, AttributeError):
            return AuthResult.unreachable(
                "Personio answered the employees request with an unexpected response body."
            )
        # `id` comes with every employee; it is not an attribute a credential chooses.
        readable.discard(attribute_permission("id"))
        return AuthResult.ok(granted_permissions={PERM_EMPLOYEES, *readable}, remote_account_id="")

    def fetch(
        self,
        credentials: Mapping[str, str],
        model_id: str,
        fields: frozenset[str],
        since: datetime | None = None,
    ) -> Iterator[Page]:
        if model_id == "hris_employees":
            supported = self._supported_fields(model_id, fields)
            for items in self._employee_pages(credentials, since):
                yield [_select(_map_employee(item), supported) for item in items]
        elif model_id == "hris_teams":
            supported = self._supported_fields(model_id, fields)
            seen: set[str] = set()
            for items in self._employee_pages(credentials, since):
                page = []
                for group in (group for item in items for group in _groups_of(item)):
                    if group["remote_id"] not in seen:
                        seen.add(group["remote_id"])
                        page.append(_select(group, supported))
                yield page
        else:
            raise ToolError(f"Personio does not provide {model_id}.", transient=False)

    def _supported_fields(self, model_id: str, fields: frozenset[str]) -> frozenset[str]:
        support = self.model_support(model_id)
        return frozenset(
            field_id
            for field_id in fields
            if support.field_support(field_id).coverage == Coverage.SUPPORTED
        )

    def _fetch_token(self, credentials: Mapping[str, str]) -> str:
        try:
            return self._exchange_token(credentials)
        except _CredentialsRefusedError:
            raise ToolError("Personio rejected the API credentials.", transient=False) from None
        except _UnexpectedBodyError:
            raise ToolError("Personio auth: unexpected response body.", transient=True) from None
        except HttpFailure as failure:
            raise ToolError(f"Personio auth: {failure}", transient=True) from failure

    def _employee_pages(
        self, credentials: Mapping[str, str], since: datetime | None
    ) -> Iterator[list[dict[str, dict[str, Any]]]]:
        """Each vendor page's employees as attribute maps, in Personio's pagination."""
        token = self._fetch_token(credentials)
        offset = pages_read = 0
        while True:
            params = {"limit": str(self.page_size), "offset": str(offset)}
            if since is not None:
                params["updated_since"] = _since_param(since)
            body, token = self._get_page(credentials, token, params)
            try:
                items, current_page, total_pages = _parse_page(body)
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

    def _get_page(
        self, credentials: Mapping[str, str], token: str, params: Mapping[str, str]
    ) -> tuple[Any, str]:
        try:
            return self._get_employees(token, params), token
        except HttpFailure as failure:
            if failure.status_code != 401:
                raise _fetch_error(failure) from failure
        # A token lives 24 hours; after a 401 Personio's advice is to authenticate again.
        token = self._fetch_token(credentials)
        try:
            return self._get_employees(token, params), token
        except HttpFailure as failure:
            raise _fetch_error(failure) from failure


def _fetch_error(failure: HttpFailure) -> ToolError:
    if failure.status_code == 401:
        return ToolError(
            "Personio employees: the access token was refused (HTTP 401).", transient=False
        )
    if failure.status_code == 403:
        return ToolError(
            "Personio employees: the API credential has no read access to employees (HTTP 403).",
            transient=False,
        )
    return ToolError(f"Personio employees: {failure}", transient=True)


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


def _since_param(since: datetime) -> str:
    # The documented format has no zone; we send UTC.
    moment = since.astimezone(UTC) if since.tzinfo else since
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _parse_page(body: Any) -> tuple[list[dict[str, dict[str, Any]]], int, int]:
    """(employees' attribute maps, current page, total pages); raises on a malformed body."""
    if not isinstance(body, dict) or body.get("success") is not True:
        raise ValueError("not a successful Personio response")
    metadata = body["metadata"]
    current_page, total_pages = int(metadata["current_page"]), int(metadata["total_pages"])
    items = []
    for item in body["data"]:
        attributes = item["attributes"]
        if attributes["id"]["value"] is None or not all(
            isinstance(attr, dict) for attr in attributes.values()
        ):
            raise ValueError("an employee without an id")
        items.append(attributes)
    return items, current_page, total_pages


def _permission_of(key: str, attr: Mapping[str, Any]) -> str:
    """Standard attributes are named by their key; custom ones by their universal id if any."""
    if key.startswith("dynamic_"):
        return attribute_permission(attr.get("universal_id") or key)
    return attribute_permission(key)


def _select(record: dict[str, Any], fields: frozenset[str]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key in fields or key == "remote_id"}


def _values(attributes: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Attribute values by key and, for custom attributes, by universal id."""
    values: dict[str, Any] = {}
    for key, attr in attributes.items():
        values[key] = attr.get("value")
        if key.startswith("dynamic_") and attr.get("universal_id"):
            values[attr["universal_id"]] = attr.get("value")
    return values


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _reference_id(value: Any) -> str | None:
    """The id of a referenced object: `{"type", "attributes": {"id": 7 | {"value": 7}}}`."""
    if not isinstance(value, dict):
        return None
    ref = value.get("attributes", {}).get("id")
    if isinstance(ref, dict):
        ref = ref.get("value")
    return None if ref is None else str(ref)


def _hours(value: Any) -> float | None:
    try:
        hours = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None
    return hours if hours > 0 else None


def _employment_type(weekly_hours: float | None) -> str | None:
    if weekly_hours is None:
        return None
    return "FULL_TIME" if weekly_hours >= FULL_TIME_WEEKLY_HOURS else "PART_TIME"


def _map_employee(attributes: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    values = _values(attributes)
    first, last = _text(values.get("first_name")), _text(values.get("last_name"))
    hours = _hours(values.get("weekly_working_hours"))
    status = _text(values.get("status"))
    gender = _text(values.get("gender"))
    iban = _text(values.get("iban"))
    custom = {
        key: attr.get("value")
        for key, attr in attributes.items()
        if key.startswith("dynamic_") and not attr.get("universal_id")
    }
    group_ids = [group["remote_id"] for group in _groups_of(attributes)]
    readable_group_attributes = any(key in attributes for key, _, _ in _GROUP_ATTRIBUTES)
    return {
        "remote_id": str(values["id"]),
        "first_name": first,
        "last_name": last,
        "display_full_name": " ".join(part for part in (first, last) if part) or None,
        "job_title": _text(values.get("position")),
        "work_email": _text(values.get("email")),
        "gender": _GENDER.get(gender, gender) if gender else None,
        "employment_status": _EMPLOYMENT_STATUS.get(status, status) if status else None,
        "employment_type": _employment_type(hours),
        "weekly_hours": hours,
        "work_location_id": _reference_id(values.get("office")),
        "legal_entity_id": _reference_id(values.get("subcompany")),
        "manager_id": _reference_id(values.get("supervisor")),
        "start_date": _text(values.get("hire_date")),
        "termination_date": _text(values.get("termination_date")),
        "remote_created_at": _text(values.get("created_at")),
        "bank_accounts": [{"iban": iban}] if iban else None,
        "groups": group_ids if readable_group_attributes else None,
        "custom_fields": custom or None,
    }


def _groups_of(attributes: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    groups = []
    for key, prefix, group_type in _GROUP_ATTRIBUTES:
        value = attributes.get(key, {}).get("value")
        for ref in value if isinstance(value, list) else [value]:
            ref_id = _reference_id(ref)
            if ref_id is not None and isinstance(ref, dict):
                groups.append(
                    {
                        "remote_id": f"{prefix}:{ref_id}",
                        "name": _text(ref.get("attributes", {}).get("name")),
                        "type": group_type,
                    }
                )
    return groups
