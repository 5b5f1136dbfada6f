"""The `hibob` connector: HiBob's public API (https://api.hibob.com/v1) with a service user.

Pages followed (apidocs.hibob.com):
- docs/api-service-users: HTTP Basic auth, username = service user ID, password = its token;
  a new service user has no permissions until it joins a permission group.
- docs/people-read-api-contract and reference/post_people-search: `POST /v1/people/search`
  with `fields` (canonical field IDs in dot notation, e.g. `work.startDate`, at most 400),
  `showInactive` (default false: active employees only), `humanReadable` (`APPEND` adds a
  `humanReadable` node) and at most one filter, `{"fieldPath": "root.id", "operator": "equals",
  "values": [...]}`. Responses carry slash keys (`"/work/startDate": {"value": ...}`) and nested
  category objects (`"work": {"startDate": ...}`). Fields the service user may not view (or
  unknown IDs) are silently omitted, with 200 OK. That a readable field without a value still
  comes back as `null` in its category object is not spelled out in the docs; captured live
  responses in public clients show it (JustParent/hibob-advanced-mcp, tests/fixtures/people),
  and `work.reportsTo` is the manager object `{"id", "displayName", ...}` there and in
  lyft/cartography's HiBob test data.
- The same contract: people search has NO pagination - one call returns every matching
  employee. To keep memory bounded we follow its "large-company batching" advice: one call
  for the IDs only (`fields: ["root.id"]`, a few dozen bytes per employee), then reads of
  `SEARCH_BATCH_SIZE` employees at a time with the `root.id` filter; each batch is one page.
- docs/fields-metadata, reference/get_company-people-fields, docs/categories-and-permissions:
  field types (list fields hold list item IDs, their labels come with `humanReadable`; dates
  are ISO in machine format but user-formatted when human-readable; `employee-reference` is an
  employee ID) and the field -> category table. The metadata endpoint lists *all* fields and
  needs no permission, so it cannot tell what the service user may read.
- docs/employee-data-api-field-level-permissions: permissions are granted per category and,
  with field-level permissions, per field. Our vocabulary is therefore one permission per field
  (`field:work.startDate`), discovered by asking for the fields of one employee and seeing
  which come back.
- docs/how-to-work-with-lists-public-api, reference/get_company-named-lists-listname:
  `GET /v1/company/named-lists/department` -> `{"name", "items": [{"id", "value", "name",
  "archived", "children": [...]}]}`; departments may nest through `children`. Not paginated.
- reference/error-handling: 401 bad credentials, 403 missing permission, 429 rate limit.
  docs/rate-limit: `v1/people/search` allows 50 requests a minute; headers `X-RateLimit-Limit`,
  `X-RateLimit-Remaining`, `X-RateLimit-Reset` (Unix epoch). The docs do not promise a
  `Retry-After` header; our HTTP helper reports it when present, otherwise no delay is known.

Where the docs are silent (said so at each place): which permission reads named lists (we
probe and treat 403 as "not granted"), the time zone of `root.creationDateTime`, the
human-readable shape of multi-list fields, and a maximum for the `root.id` filter values.
HiBob has no "changed since" filter for people, so delta syncs are not supported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
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

PERM_PEOPLE = "people:read"
PERM_DEPARTMENTS = "lists:department"

# Employees per `root.id`-filtered read. The docs give no maximum for the filter values;
# 200 keeps a page small while a 10,000-person company stays near the 50 searches a minute.
SEARCH_BATCH_SIZE = 200
GROUP_PAGE_SIZE = 200


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
_NOT_IMPLEMENTED = ("work_location_id", "legal_entity_id", "bank_accounts", "custom_fields")

# Human-readable labels (lower-cased, "-"/"_" as spaces) -> Kombo's values. Lists are
# company-editable, so an unknown label is passed through as Kombo does.
_EMPLOYMENT_STATUS = {
    "employed": "ACTIVE",
    "hired": "PENDING",
    "terminated": "INACTIVE",
    # Still employed until the termination date, but no longer working.
    "garden leave": "LEAVE",
    "leave": "LEAVE",
    "parental leave": "LEAVE",
}
_EMPLOYMENT_TYPE = {
    "full time": "FULL_TIME",
    "part time": "PART_TIME",
    "contract": "CONTRACT",
    "contractor": "CONTRACT",
    "fixed term": "CONTRACT",
    "intern": "INTERNSHIP",
    "internship": "INTERNSHIP",
    "freelance": "FREELANCE",
    "freelancer": "FREELANCE",
    "working student": "WORKING_STUDENT",
    "apprentice": "APPRENTICESHIP",
    "apprenticeship": "APPRENTICESHIP",
    "trainee": "TRAINING",
    "training": "TRAINING",
}
_GENDER = {
    "male": "MALE",
    "female": "FEMALE",
    "non binary": "NON_BINARY",
    "nonbinary": "NON_BINARY",
    "diverse": "NON_BINARY",
    "not specified": "NOT_SPECIFIED",
    "prefer not to say": "NOT_SPECIFIED",
}
_MARITAL_STATUS = {
    "single": "SINGLE",
    "married": "MARRIED",
    "domestic partnership": "DOMESTIC_PARTNERSHIP",
    "civil partnership": "DOMESTIC_PARTNERSHIP",
    "widowed": "WIDOWED",
    "divorced": "DIVORCED",
    "separated": "SEPARATED",
    "not married": "NOT_MARRIED",
}
_ETHNICITY = {
    "white": "WHITE",
    "asian": "ASIAN",
    "hispanic or latino": "HISPANIC_LATINO",
    "native hawaiian or other pacific islander": "HAWAIIAN",
    "american indian or alaska native": "NATIVE_AMERICAN",
    "black or african american": "BLACK_AFRICAN_AMERICAN",
    "two or more races": "MULTIPLE_ETHNICITIES",
    "decline to self identify": "DECLINE_TO_SPECIFY",
    "decline to specify": "DECLINE_TO_SPECIFY",
}


def _field_supports() -> dict[str, FieldSupport]:
    supports = {
        field_id: FieldSupport(Coverage.SUPPORTED, fields[0].permission, fields[0].field_id)
        for field_id, fields in VENDOR_FIELDS.items()
    }
    supports.update(
        {field_id: FieldSupport(Coverage.NOT_IMPLEMENTED) for field_id in _NOT_IMPLEMENTED}
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
            label="Service user ID",
            secret=False,
            help_text=(
                "The ID shown when the service user was created in Bob "
                "(Settings → Integrations → Automation → Service users)."
            ),
        ),
        CredentialField(
            key="token",
            label="Service user token",
            secret=True,
            help_text=(
                "The token shown next to the ID when the service user was created. Bob shows "
                "it only once; if it is lost, generate a new token for the service user."
            ),
        ),
    )
    permissions = {
        PERM_PEOPLE: (
            "Search employees (People's data: View on the employees' Basic info category)"
        ),
        PERM_DEPARTMENTS: "Read the company list of departments",
        **{
            permission: (
                f"Read the employee field “{field.name}” ({field.field_id}) "
                f"in the “{field.category}” category"
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
    guides = {
        "en": (
            "Sign in to Bob as an admin. In the left menu open Settings → Integrations and "
            "choose the Automation category.",
            "Open “Service users”, add a new service user (for example “Kombo”) with a name "
            "and display name, and save.",
            "Bob now shows the service user’s ID and token. Copy both: the token is shown only "
            "once.",
            "Open Settings → Permission groups, create a group for service users and add the "
            "new service user to it (service users have no permissions until then).",
            "In the group’s People’s data permissions, allow viewing all employees’ categories "
            "that hold the fields listed above (at least “Basic info”; e.g. “Work”, "
            "“Lifecycle”, “Employment”, and “Personal” or “Address” only if those fields are "
            "requested), then save.",
            "Paste the service user ID and the token below.",
        ),
        "de": (
            "Melden Sie sich als Administrator bei Bob an. Öffnen Sie im linken Menü "
            "Settings → Integrations und wählen Sie die Kategorie „Automation“.",
            "Öffnen Sie „Service users“, legen Sie einen neuen Service-User an (zum Beispiel "
            "„Kombo“) mit Namen und Anzeigenamen und speichern Sie.",
            "Bob zeigt nun die ID und das Token des Service-Users an. Kopieren Sie beides: "
            "Das Token wird nur einmal angezeigt.",
            "Öffnen Sie Settings → Permission groups, erstellen Sie eine Gruppe für "
            "Service-User und fügen Sie den neuen Service-User hinzu (vorher hat er keinerlei "
            "Berechtigungen).",
            "Erlauben Sie in den „People’s data“-Berechtigungen der Gruppe das Ansehen der "
            "Kategorien aller Mitarbeitenden, die die oben aufgeführten Felder enthalten "
            "(mindestens „Basic info“; z. B. „Work“, „Lifecycle“, „Employment“ und „Personal“ "
            "oder „Address“ nur, wenn diese Felder angefragt sind), und speichern Sie.",
            "Fügen Sie die Service-User-ID und das Token unten ein.",
        ),
        "fr": (
            "Connectez-vous à Bob en tant qu’administrateur. Dans le menu de gauche, ouvrez "
            "Settings → Integrations et choisissez la catégorie « Automation ».",
            "Ouvrez « Service users », ajoutez un nouvel utilisateur de service (par exemple "
            "« Kombo ») avec un nom et un nom d’affichage, puis enregistrez.",
            "Bob affiche alors l’ID et le jeton de l’utilisateur de service. Copiez les deux : "
            "le jeton n’est affiché qu’une seule fois.",
            "Ouvrez Settings → Permission groups, créez un groupe pour les utilisateurs de "
            "service et ajoutez-y le nouvel utilisateur de service (il n’a aucune autorisation "
            "avant cela).",
            "Dans les autorisations « People’s data » du groupe, autorisez la consultation des "
            "catégories de tous les employés qui contiennent les champs listés ci-dessus (au "
            "moins « Basic info » ; p. ex. « Work », « Lifecycle », « Employment », et "
            "« Personal » ou « Address » seulement si ces champs sont demandés), puis "
            "enregistrez.",
            "Collez l’ID de l’utilisateur de service et le jeton ci-dessous.",
        ),
        "it": (
            "Accedi a Bob come amministratore. Nel menu a sinistra apri Settings → "
            "Integrations e scegli la categoria «Automation».",
            "Apri «Service users», aggiungi un nuovo utente di servizio (ad esempio «Kombo») "
            "con nome e nome visualizzato e salva.",
            "Bob mostra ora l’ID e il token dell’utente di servizio. Copiali entrambi: il token "
            "viene mostrato una sola volta.",
            "Apri Settings → Permission groups, crea un gruppo per gli utenti di servizio e "
            "aggiungi il nuovo utente di servizio (finché non fa parte di un gruppo non ha "
            "alcuna autorizzazione).",
            "Nelle autorizzazioni «People’s data» del gruppo consenti la visualizzazione delle "
            "categorie di tutti i dipendenti che contengono i campi elencati sopra (almeno "
            "«Basic info»; ad es. «Work», «Lifecycle», «Employment», e «Personal» o «Address» "
            "solo se quei campi sono richiesti), poi salva.",
            "Incolla qui sotto l’ID dell’utente di servizio e il token.",
        ),
        "es": (
            "Inicia sesión en Bob como administrador. En el menú de la izquierda abre "
            "Settings → Integrations y elige la categoría «Automation».",
            "Abre «Service users», añade un nuevo usuario de servicio (por ejemplo «Kombo») "
            "con un nombre y un nombre visible, y guarda.",
            "Bob muestra ahora el ID y el token del usuario de servicio. Cópialos ambos: el "
            "token solo se muestra una vez.",
            "Abre Settings → Permission groups, crea un grupo para usuarios de servicio y "
            "añade el nuevo usuario de servicio (hasta entonces no tiene ningún permiso).",
            "En los permisos «People’s data» del grupo, permite ver las categorías de todos "
            "los empleados que contienen los campos indicados arriba (al menos «Basic info»; "
            "p. ej. «Work», «Lifecycle», «Employment», y «Personal» o «Address» solo si se "
            "solicitan esos campos), y guarda.",
            "Pega abajo el ID del usuario de servicio y el token.",
        ),
    }

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
                if _is_present(probe[0], field)
            )
            company = _value(probe[0], COMPANY_ID)
            account_id = _as_text(company) or ""
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
        return AuthResult.ok(granted_permissions=granted, remote_account_id=account_id)

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
                yield [_map_employee(record, wanted) for record in records]
        except (_Rejected, _Denied, _Unusable) as failure:
            raise failure.tool_error("people search") from None

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
                {key: value for key, value in group.items() if key in fields or key == "remote_id"}
                for group in _flatten_departments(body["items"], parent_id=None)
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
            employee_id = _as_text(_value(record, ROOT_ID))
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


def _walk(node: Any, path: tuple[str, ...]) -> tuple[bool, Any]:
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _is_present(record: dict[str, Any], field: VendorField) -> bool:
    return field.slash_key in record or _walk(record, field.json_path)[0]


def _value(record: dict[str, Any], field: VendorField) -> Any:
    slashed = record.get(field.slash_key)
    if isinstance(slashed, dict) and "value" in slashed:
        return slashed["value"]
    return _walk(record, field.json_path)[1]


def _human(record: dict[str, Any], field: VendorField) -> Any:
    """The human-readable value (list labels), or the machine value for plain fields."""
    found, value = _walk(record.get("humanReadable"), field.json_path)
    return value if found and value is not None else _value(record, field)


def _as_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _label(value: Any) -> str | None:
    # Multi-list fields: the docs do not show their human-readable shape; take the first label.
    if isinstance(value, list):
        value = value[0] if value else None
    return _as_text(value)


def _enum(value: Any, table: Mapping[str, str]) -> str | None:
    label = _label(value)
    if label is None:
        return None
    key = " ".join(label.lower().replace("-", " ").replace("_", " ").split())
    return table.get(key, label)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _timestamp(value: Any) -> str | None:
    text = _as_text(value)
    # `time` fields are ISO 8601 without an offset; the docs do not name the zone: UTC assumed.
    if text and "+" not in text and not text.endswith("Z"):
        return f"{text}+00:00"
    return text


def _employee_id(value: Any) -> str | None:
    # `work.reportsTo` (type "employee") is the manager object; a bare ID is taken as is.
    if isinstance(value, dict):
        return _as_text(value.get("id"))
    return _as_text(value)


def _map_employee(record: dict[str, Any], wanted: list[str]) -> dict[str, Any]:
    remote_id = _as_text(_value(record, ROOT_ID))
    if remote_id is None:
        raise _Unusable("an employee without an ID")
    mapped: dict[str, Any] = {"remote_id": remote_id}
    for field_id in wanted:
        mapped[field_id] = _MAPPERS[field_id](record, VENDOR_FIELDS[field_id])
    return mapped


def _address(record: dict[str, Any], fields: tuple[VendorField, ...]) -> dict[str, Any] | None:
    line1, line2, city, state, zip_code, country = (
        _as_text(_human(record, field)) for field in fields
    )
    address = {
        "street_1": line1,
        "street_2": line2,
        "city": city,
        "state": state,
        "zip_code": zip_code,
        # A country name, not ISO2: Kombo passes the original value through when it can't map.
        "country": country,
    }
    return address if any(address.values()) else None


def _department_ids(record: dict[str, Any], fields: tuple[VendorField, ...]) -> list[str]:
    department = _as_text(_value(record, fields[0]))
    return [department] if department else []


_Mapper = Callable[[dict[str, Any], tuple[VendorField, ...]], Any]
_MAPPERS: dict[str, _Mapper] = {
    "employee_number": lambda r, f: _as_text(_value(r, f[0])),
    "first_name": lambda r, f: _as_text(_value(r, f[0])),
    "last_name": lambda r, f: _as_text(_value(r, f[0])),
    "display_full_name": lambda r, f: _as_text(_value(r, f[0])),
    "nationality": lambda r, f: _label(_human(r, f[0])),
    "job_title": lambda r, f: _label(_human(r, f[0])),
    "work_email": lambda r, f: _as_text(_value(r, f[0])),
    "personal_email": lambda r, f: _as_text(_value(r, f[0])),
    "mobile_phone_number": lambda r, f: _as_text(_value(r, f[0])),
    "ssn": lambda r, f: _as_text(_value(r, f[0])),
    "gender": lambda r, f: _enum(_human(r, f[0]), _GENDER),
    "ethnicity": lambda r, f: _enum(_human(r, f[0]), _ETHNICITY),
    "marital_status": lambda r, f: _enum(_human(r, f[0]), _MARITAL_STATUS),
    "employment_status": lambda r, f: _enum(_human(r, f[0]), _EMPLOYMENT_STATUS),
    "employment_type": lambda r, f: _enum(_human(r, f[0]), _EMPLOYMENT_TYPE),
    "weekly_hours": lambda r, f: _number(_value(r, f[0])),
    "avatar": lambda r, f: _as_text(_value(r, f[0])),
    "manager_id": lambda r, f: _employee_id(_value(r, f[0])),
    # Dates: machine values (ISO); human-readable ones follow the calling user's locale.
    "date_of_birth": lambda r, f: _as_text(_value(r, f[0])),
    "start_date": lambda r, f: _as_text(_value(r, f[0])),
    "termination_date": lambda r, f: _as_text(_value(r, f[0])),
    "remote_created_at": lambda r, f: _timestamp(_value(r, f[0])),
    "home_address": _address,
    "groups": _department_ids,
}


def _flatten_departments(items: Any, *, parent_id: str | None) -> Iterator[dict[str, Any]]:
    for item in items:
        remote_id = str(item["id"])
        yield {
            "remote_id": remote_id,
            "name": item.get("name") or item.get("value"),
            "type": "DEPARTMENT",
            "parent_id": parent_id,
        }
        yield from _flatten_departments(item.get("children") or [], parent_id=remote_id)
