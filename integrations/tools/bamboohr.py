"""The `bamboohr` connector: BambooHR's public REST API, authenticated with a user's API key.

Pages followed (documentation.bamboohr.com, plus the official SDK BambooHR/bhr-api-python, which
is generated from the same OpenAPI description and spells out auth, paging and status codes):
- docs/getting-started, "Authentication": every request is permissioned as the key's user ("the
  permissions of the user associated with the API request will determine which fields and
  employees each API request is allowed to view"); HTTP Basic with the key as username and any
  string as password; base `https://api.bamboohr.com/api/gateway.php/{companyDomain}/v1/`.
- docs/api-details, "Technical Overview": 401 missing/unknown key, 403 no privileges ("verify
  your API key belongs to an enabled user"), 404 "the URL given is not a valid API" (what an
  unknown company domain is), throttling answered with 503 + `Retry-After`, 502 gateway errors;
  the `X-BambooHR-Error-Message` header carries details. Responses are XML unless the request
  says `Accept: application/json`.
- reference/metadata-get-a-list-of-fields (`GET /v1/meta/fields`): field discovery, the cheapest
  call every key may make; used to check the key and the company.
- reference/metadata-get-details-for-list-fields (`GET /v1/meta/lists`): list fields with their
  options (`[{fieldId, alias, name, options: [{id, name, archived}]}]`); the `department` and
  `division` lists are BambooHR's groups.
- reference/get-data-from-dataset-v2 (`POST /v2/datasets/employee/data`): the paged way to read
  many employees with chosen fields. Body `{fields, filter, orderBy, page, pageSize}` (pageSize
  default 100, max 1000); answer `{data: [{fields: {...}, _restrictedFields: [...]}], links:
  {next, prev}, meta: {page, pageSize, totalPages, totalItems}}`; without `orderBy` the row
  order is unspecified. A field the user may not read comes back empty and is named (with an
  `employee_` prefix) in the row's `_restrictedFields`; a user without dataset access gets 403.
  Basic auth is accepted. Dataset field names differ from the classic employee field names
  (`eeid`, `email`, `jobInformationJobTitle`, `jobInformationDepartment`, `supervisorEid`, ...).
- reference/get-changed-employee-ids (`GET /v1/employees/changed?since=`): ids changed since an
  ISO 8601 time, `{latest, employees: {id: {id, action: Inserted|Updated|Deleted, lastChanged}}}`.
- Why not the others: `POST /v1/reports/custom` (custom reports) has no paging and is marked
  "will soon be deprecated and replaced with Datasets"; `GET /v1/employees` (List Employees,
  cursor paging) accepts OAuth only and returns 14 contact fields at most; the directory is not
  paged and follows directory-sharing settings rather than field access.

Where the docs are silent (and what this connector does):
- Whether `/v1/meta/fields` is filtered by access level: it is not relied upon; granted fields
  are read from `_restrictedFields` of one dataset row instead. A company with no employees has
  no row to tell, so every field counts as granted there (nothing can be read anyway).
- Dataset names of fields outside the documented starter set (`preferredName`, `homeEmail`,
  `gender`, `maritalStatus`, `dateOfBirth`, `terminationDate`, `jobInformationDivision`,
  `addressLineOne`, `city`, `state`, `zipcode`, `country`): as the `employee` dataset's field
  catalog (Get Fields from Dataset v1.2) names them in other public integrations.
- The type of `eeid` in filters: compared as a quoted string (ids are digits; checked first).
- Whether list option ids are unique across lists: group ids carry the list alias
  (`department:18`) so they cannot collide.
- Which status an unknown company domain gets behind the gateway: read as 404 ("not a valid
  API" URL); a redirect or an HTML page is reported as unreachable, never as bad credentials.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

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

CRED_COMPANY_DOMAIN = "companyDomain"
CRED_API_KEY = "apiKey"

FIELD_PREFIX = "field:"
PERM_EMPLOYEE_DATASET = "dataset:employee"
PERM_LISTS = "meta:lists"

_DATASET_PATH = "/v2/datasets/employee/data"
_ID_FIELD = "eeid"
# The dataset names restricted fields with this prefix in `_restrictedFields`.
_RESTRICTED_PREFIX = "employee_"
_GROUP_LISTS = ("department", "division")

_COMPANY_DOMAIN = re.compile(r"[a-z0-9-]{1,63}")
# People paste their whole BambooHR address; keep only the company part of it.
_BAMBOOHR_ADDRESS = re.compile(r"(?:https?://)?([^./]+)\.bamboohr\.com/?")


def _permission(vendor_field: str) -> str:
    return f"{FIELD_PREFIX}{vendor_field}"


@dataclass(frozen=True)
class _Source:
    """What a unified field is built from: dataset fields, the first one named in warnings."""

    reads: tuple[str, ...]
    # By default, access to the first field read.
    permission: str | None = None

    @property
    def needs(self) -> str:
        return self.permission or _permission(self.reads[0])


_SOURCES: dict[str, _Source] = {
    "employee_number": _Source(("employeeNumber",)),
    "first_name": _Source(("firstName",)),
    "last_name": _Source(("lastName",)),
    "display_full_name": _Source(("firstName", "lastName", "preferredName")),
    "job_title": _Source(("jobInformationJobTitle",)),
    "work_email": _Source(("email",)),
    "personal_email": _Source(("homeEmail",)),
    "mobile_phone_number": _Source(("mobilePhone",)),
    "gender": _Source(("gender",)),
    "marital_status": _Source(("maritalStatus",)),
    # Future hires are `Inactive` until their hire date, so the hire date tells them apart.
    "employment_status": _Source(("status", "hireDate")),
    "employment_type": _Source(("employmentStatus",)),
    "manager_id": _Source(("supervisorEid",)),
    "date_of_birth": _Source(("dateOfBirth",)),
    "start_date": _Source(("hireDate",)),
    "termination_date": _Source(("terminationDate",)),
    "home_address": _Source(("addressLineOne", "city", "state", "zipcode", "country")),
    # Rows carry department and division names; only the lists turn them into group ids, so
    # without the lists there are no groups to name (a hidden department just leaves it out).
    "groups": _Source(("jobInformationDepartment", "jobInformationDivision"), PERM_LISTS),
}

_FIELD_LABELS: dict[str, str] = {
    "employeeNumber": "employee number",
    "firstName": "first name",
    "lastName": "last name",
    "jobInformationJobTitle": "job title",
    "email": "work email",
    "homeEmail": "home email",
    "mobilePhone": "mobile phone",
    "gender": "gender",
    "maritalStatus": "marital status",
    "status": "status (active or inactive)",
    "employmentStatus": "employment status (full-time, part-time, ...)",
    "supervisorEid": "supervisor",
    "dateOfBirth": "date of birth",
    "hireDate": "hire date",
    "terminationDate": "termination date",
    "addressLineOne": "home address",
}

# BambooHR has these but this connector does not read them (yet).
_NOT_IMPLEMENTED = (
    "nationality",
    "ssn",
    "tax_id",
    "ethnicity",
    "weekly_hours",
    "avatar",
    "work_location_id",
    "custom_fields",
)
# Nothing in BambooHR's public API carries these.
_UNSUPPORTED = ("legal_entity_id", "remote_created_at", "bank_accounts")

# The fields whose access the permissions name (the auth check probes them all at once).
_PERMISSION_FIELDS: tuple[str, ...] = tuple(
    sorted(
        {
            source.needs.removeprefix(FIELD_PREFIX)
            for source in _SOURCES.values()
            if source.needs.startswith(FIELD_PREFIX)
        }
    )
)

_EMPLOYMENT_TYPE = {
    "full-time": "FULL_TIME",
    "full time": "FULL_TIME",
    "part-time": "PART_TIME",
    "part time": "PART_TIME",
    "contractor": "CONTRACT",
    "contract": "CONTRACT",
    "intern": "INTERNSHIP",
    "internship": "INTERNSHIP",
    "freelance": "FREELANCE",
    "freelancer": "FREELANCE",
    "working student": "WORKING_STUDENT",
    "apprentice": "APPRENTICESHIP",
    "apprenticeship": "APPRENTICESHIP",
    "trainee": "TRAINING",
}
# An employment status that says the person left, not how they are employed.
_NOT_AN_EMPLOYMENT_TYPE = {"terminated"}
_GENDER = {
    "male": "MALE",
    "female": "FEMALE",
    "non-binary": "NON_BINARY",
    "nonbinary": "NON_BINARY",
    "prefer not to say": "NOT_SPECIFIED",
    "not specified": "NOT_SPECIFIED",
}
_MARITAL_STATUS = {
    "single": "SINGLE",
    "married": "MARRIED",
    "domestic partnership": "DOMESTIC_PARTNERSHIP",
    "common law": "DOMESTIC_PARTNERSHIP",
    "civil partnership": "DOMESTIC_PARTNERSHIP",
    "divorced": "DIVORCED",
    "separated": "SEPARATED",
    "widowed": "WIDOWED",
}


@dataclass(frozen=True)
class _Company:
    """One BambooHR company as the key's user sees it; the key stays out of every repr."""

    domain: str
    api_key: str = field(repr=False)

    def _url(self, path: str) -> str:
        return settings.BAMBOOHR_API_URL.format(subdomain=self.domain) + path

    def get(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        # BambooHR answers XML unless asked for JSON.
        return http_get_json(
            self._url(path),
            headers={"Accept": "application/json"},
            params=params,
            auth=(self.api_key, "x"),
        )

    def post(self, path: str, body: Mapping[str, Any]) -> Any:
        return http_request_json(
            "POST",
            self._url(path),
            headers={"Accept": "application/json"},
            json_body=body,
            auth=(self.api_key, "x"),
        )


class _UnexpectedBodyError(Exception):
    pass


def _company_domain(raw: str) -> str | None:
    value = raw.strip().lower()
    address = _BAMBOOHR_ADDRESS.fullmatch(value)
    if address:
        value = address.group(1)
    return value if _COMPANY_DOMAIN.fullmatch(value) else None


def _company_from(credentials: Mapping[str, str]) -> _Company | str:
    """The company to talk to, or why the credentials cannot name one."""
    raw_domain = credentials.get(CRED_COMPANY_DOMAIN, "")
    if not raw_domain.strip():
        return "Enter your BambooHR company domain (the part before .bamboohr.com)."
    domain = _company_domain(raw_domain)
    if domain is None:
        return (
            "That is not a BambooHR company domain: enter only the part before .bamboohr.com, "
            "e.g. 'acme' for https://acme.bamboohr.com."
        )
    api_key = credentials.get(CRED_API_KEY, "").strip()
    if not api_key:
        return "No API key was given."
    return _Company(domain, api_key)


def _is_permanent(failure: HttpFailure) -> bool:
    """4xx (but a rate limit or timeout) and redirects will not heal by retrying."""
    status = failure.status_code
    return status is not None and 300 <= status < 500 and status not in (408, 429)


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
            label="Company domain",
            secret=False,
            help_text=(
                "The part before .bamboohr.com in your BambooHR address: for "
                "https://acme.bamboohr.com it is “acme”."
            ),
            placeholder="acme",
        ),
        CredentialField(
            key=CRED_API_KEY,
            label="API key",
            secret=True,
            help_text=(
                "Created under your name (top right) → API Keys → Add New Key. The key can read "
                "exactly what its user's access level can read."
            ),
        ),
    )
    permissions = {
        PERM_EMPLOYEE_DATASET: (
            "Query the employee dataset (BambooHR's reporting API) — the user's access level "
            "must be allowed to run reports on employees"
        ),
        PERM_LISTS: "Read the department and division lists",
        **{
            _permission(vendor): f"Read each employee's {label} (BambooHR field '{vendor}')"
            for vendor, label in _FIELD_LABELS.items()
        },
    }
    models = {
        "hris_employees": ModelSupport(
            Coverage.SUPPORTED,
            PERM_EMPLOYEE_DATASET,
            {
                **{
                    unified: FieldSupport(Coverage.SUPPORTED, source.needs, source.reads[0])
                    for unified, source in _SOURCES.items()
                },
                **{unified: FieldSupport(Coverage.NOT_IMPLEMENTED) for unified in _NOT_IMPLEMENTED},
                **{unified: FieldSupport(Coverage.UNSUPPORTED) for unified in _UNSUPPORTED},
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
    guides = {
        "en": (
            "Sign in to BambooHR as a user whose access level can see every employee field "
            "listed above and may run reports on employees (a full admin always can).",
            "Click your name or photo in the top-right corner and choose “API Keys”. If the "
            "option is missing, that user may not create API keys: ask a BambooHR admin.",
            "Click “Add New Key”, name it (e.g. “HR sync”) and click “Generate Key”.",
            "Copy the key straight away — BambooHR shows it only once — and paste it below.",
            "Enter your company domain: the part before .bamboohr.com in your BambooHR address "
            "(“acme” for https://acme.bamboohr.com).",
            "The key reads exactly what its user may read. If a field is reported as missing, "
            "widen that user's access level in BambooHR (Settings → Access Levels) — no new key "
            "is needed.",
        ),
        "de": (
            "Melden Sie sich bei BambooHR mit einem Benutzer an, dessen Zugriffsebene alle oben "
            "aufgeführten Mitarbeiterfelder sehen und Berichte über Mitarbeiter erstellen darf "
            "(ein Vollzugriffs-Administrator kann das immer).",
            "Klicken Sie oben rechts auf Ihren Namen oder Ihr Foto und wählen Sie „API Keys“. "
            "Fehlt dieser Eintrag, darf der Benutzer keine API-Schlüssel anlegen: Wenden Sie "
            "sich an einen BambooHR-Administrator.",
            "Klicken Sie auf „Add New Key“, geben Sie dem Schlüssel einen Namen (z. B. "
            "„HR-Sync“) und klicken Sie auf „Generate Key“.",
            "Kopieren Sie den Schlüssel sofort – BambooHR zeigt ihn nur einmal an – und fügen "
            "Sie ihn unten ein.",
            "Geben Sie Ihre Firmendomain ein: den Teil vor .bamboohr.com in Ihrer BambooHR-"
            "Adresse („acme“ bei https://acme.bamboohr.com).",
            "Der Schlüssel liest genau das, was sein Benutzer lesen darf. Wird ein Feld als "
            "fehlend gemeldet, erweitern Sie die Zugriffsebene dieses Benutzers in BambooHR "
            "(Settings → Access Levels) – ein neuer Schlüssel ist nicht nötig.",
        ),
        "fr": (
            "Connectez-vous à BambooHR avec un utilisateur dont le niveau d’accès voit tous les "
            "champs salariés listés ci-dessus et peut générer des rapports sur les salariés (un "
            "administrateur à accès complet le peut toujours).",
            "Cliquez sur votre nom ou votre photo en haut à droite et choisissez « API Keys ». "
            "Si l’option n’apparaît pas, cet utilisateur ne peut pas créer de clés API : "
            "adressez-vous à un administrateur BambooHR.",
            "Cliquez sur « Add New Key », nommez la clé (p. ex. « Synchro RH ») puis cliquez "
            "sur « Generate Key ».",
            "Copiez la clé immédiatement — BambooHR ne l’affiche qu’une seule fois — et "
            "collez-la ci-dessous.",
            "Saisissez le domaine de votre entreprise : la partie avant .bamboohr.com dans "
            "votre adresse BambooHR (« acme » pour https://acme.bamboohr.com).",
            "La clé lit exactement ce que son utilisateur a le droit de lire. Si un champ est "
            "signalé comme manquant, élargissez le niveau d’accès de cet utilisateur dans "
            "BambooHR (Settings → Access Levels) ; inutile de créer une nouvelle clé.",
        ),
        "it": (
            "Accedi a BambooHR con un utente il cui livello di accesso vede tutti i campi dei "
            "dipendenti elencati sopra e può creare report sui dipendenti (un amministratore "
            "con accesso completo può sempre farlo).",
            "Fai clic sul tuo nome o sulla tua foto in alto a destra e scegli «API Keys». Se la "
            "voce manca, quell’utente non può creare chiavi API: rivolgiti a un amministratore "
            "di BambooHR.",
            "Fai clic su «Add New Key», dai un nome alla chiave (ad es. «Sync HR») e fai clic "
            "su «Generate Key».",
            "Copia subito la chiave — BambooHR la mostra una sola volta — e incollala qui sotto.",
            "Inserisci il dominio della tua azienda: la parte prima di .bamboohr.com nel tuo "
            "indirizzo BambooHR («acme» per https://acme.bamboohr.com).",
            "La chiave legge esattamente ciò che il suo utente può leggere. Se un campo risulta "
            "mancante, amplia il livello di accesso di quell’utente in BambooHR (Settings → "
            "Access Levels): non serve una nuova chiave.",
        ),
        "es": (
            "Inicia sesión en BambooHR con un usuario cuyo nivel de acceso vea todos los campos "
            "de empleados indicados arriba y pueda crear informes sobre empleados (un "
            "administrador con acceso completo siempre puede).",
            "Haz clic en tu nombre o tu foto en la esquina superior derecha y elige «API Keys». "
            "Si la opción no aparece, ese usuario no puede crear claves API: pídeselo a un "
            "administrador de BambooHR.",
            "Haz clic en «Add New Key», ponle un nombre a la clave (p. ej. «Sincronización RR. "
            "HH.») y haz clic en «Generate Key».",
            "Copia la clave enseguida —BambooHR solo la muestra una vez— y pégala abajo.",
            "Introduce el dominio de tu empresa: la parte anterior a .bamboohr.com en tu "
            "dirección de BambooHR («acme» para https://acme.bamboohr.com).",
            "La clave lee exactamente lo que su usuario puede leer. Si se indica que falta un "
            "campo, amplía el nivel de acceso de ese usuario en BambooHR (Settings → Access "
            "Levels); no hace falta una clave nueva.",
        ),
    }

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
        company = _company_from(credentials)
        if isinstance(company, str):
            return AuthResult.invalid(company)
        try:
            if not isinstance(company.get("/v1/meta/fields"), list):
                raise _UnexpectedBodyError
            granted = self._lists_permission(company) | self._employee_permissions(company)
        except HttpFailure as failure:
            return _auth_failure(failure)
        except _UnexpectedBodyError:
            return AuthResult.unreachable("BambooHR answered with an unexpected response body.")
        return AuthResult.ok(granted_permissions=granted, remote_account_id=company.domain)

    def _lists_permission(self, company: _Company) -> set[str]:
        try:
            body = company.get("/v1/meta/lists")
        except HttpFailure as failure:
            if failure.status_code == 403:
                return set()
            raise
        if not isinstance(body, list):
            raise _UnexpectedBodyError
        return {PERM_LISTS}

    def _employee_permissions(self, company: _Company) -> set[str]:
        """The dataset marks what the user may not read in each row; one row tells."""
        try:
            body = company.post(
                _DATASET_PATH,
                {"fields": [_ID_FIELD, *_PERMISSION_FIELDS], "page": 1, "pageSize": 1},
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
            raise _UnexpectedBodyError from None
        return {PERM_EMPLOYEE_DATASET} | {
            _permission(name) for name in _PERMISSION_FIELDS if name not in restricted
        }

    # --- fetch ----------------------------------------------------------------------------

    def fetch(
        self,
        credentials: Mapping[str, str],
        model_id: str,
        fields: frozenset[str],
        since: datetime | None = None,
    ) -> Iterator[Page]:
        company = _company_from(credentials)
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
        self, company: _Company, fields: frozenset[str], since: datetime | None
    ) -> Iterator[Page]:
        wanted = [name for name in fields if name in _SOURCES]
        dataset_fields = [
            _ID_FIELD,
            *sorted({read for name in wanted for read in _SOURCES[name].reads}),
        ]
        group_ids = self._group_ids(company) if "groups" in wanted else {}
        if since is None:
            yield from self._dataset_pages(company, dataset_fields, None, wanted, group_ids)
            return
        changed = self._changed_employee_ids(company, since)
        for start in range(0, len(changed), self.page_size):
            chunk = changed[start : start + self.page_size]
            id_filter = " or ".join(f"{_ID_FIELD} eq '{employee_id}'" for employee_id in chunk)
            yield from self._dataset_pages(company, dataset_fields, id_filter, wanted, group_ids)

    def _dataset_pages(
        self,
        company: _Company,
        dataset_fields: list[str],
        id_filter: str | None,
        wanted: Sequence[str],
        group_ids: Mapping[tuple[str, str], str],
    ) -> Iterator[Page]:
        request: dict[str, Any] = {
            "fields": dataset_fields,
            # Without an order the rows of consecutive pages may overlap or skip.
            "orderBy": f"{_ID_FIELD} asc",
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
                    f"BambooHR employee dataset: {failure}", transient=not _is_permanent(failure)
                ) from failure
            try:
                rows = body["data"]
                has_next = bool((body.get("links") or {}).get("next"))
                total_pages = (body.get("meta") or {}).get("totalPages")
                page = [_map_employee(row["fields"], wanted, group_ids) for row in rows]
            except (KeyError, TypeError, AttributeError, ValueError):
                raise ToolError(
                    "BambooHR employee dataset: unexpected response body.", transient=True
                ) from None
            yield page
            last_page = isinstance(total_pages, int) and page_number >= total_pages
            if not rows or not has_next or last_page:
                return
            page_number += 1

    def _changed_employee_ids(self, company: _Company, since: datetime) -> list[str]:
        moment = since if since.tzinfo else since.replace(tzinfo=UTC)
        # `Z` rather than `+00:00`: the docs warn that a literal `+` must be URL-encoded.
        params = {"since": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
        try:
            body = company.get("/v1/employees/changed", params=params)
        except HttpFailure as failure:
            raise ToolError(
                f"BambooHR changed employees: {failure}", transient=not _is_permanent(failure)
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

    def _lists(self, company: _Company) -> list[dict[str, Any]]:
        try:
            body = company.get("/v1/meta/lists")
        except HttpFailure as failure:
            raise ToolError(
                f"BambooHR department and division lists: {failure}",
                transient=not _is_permanent(failure),
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

    def _group_ids(self, company: _Company) -> dict[tuple[str, str], str]:
        """(list alias, option name) -> group id: employee rows carry names, groups ids."""
        return {
            (option["alias"], option["name"]): _group_id(option["alias"], option["id"])
            for option in self._lists(company)
        }

    def _fetch_groups(self, company: _Company, fields: frozenset[str]) -> Page:
        return [
            {
                key: value
                for key, value in {
                    "remote_id": _group_id(option["alias"], option["id"]),
                    "name": option["name"],
                    # A division is a larger organisational unit: still a department-like group.
                    "type": "DEPARTMENT",
                }.items()
                if key in fields or key == "remote_id"
            }
            for option in self._lists(company)
        ]


def _auth_failure(failure: HttpFailure) -> AuthResult:
    status = failure.status_code
    if status == 401:
        return AuthResult.invalid(
            "BambooHR rejected the API key for this company domain (unknown, revoked or "
            "belonging to another company)."
        )
    if status == 403:
        return AuthResult.invalid(
            "BambooHR refused the API key: its user is disabled or may not use the API (BambooHR "
            "also blocks the API for a while after repeated wrong keys)."
        )
    if status == 404:
        return AuthResult.invalid(
            "BambooHR does not know this company domain: check the part before .bamboohr.com "
            "in your BambooHR address."
        )
    if status is not None and 200 <= status < 300:
        return AuthResult.unreachable(f"BambooHR's answer could not be read: {failure}.")
    return AuthResult.unreachable(
        f"BambooHR could not be reached: {failure}.",
        retry_after_seconds=failure.retry_after_seconds,
    )


def _group_id(alias: str, option_id: str) -> str:
    return f"{alias}:{option_id}"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _date(value: Any) -> str | None:
    # BambooHR writes an unset date as 0000-00-00.
    text = _text(value)
    return None if text is None or text.startswith("0000-00-00") else text


def _mapped(table: Mapping[str, str], value: Any) -> str | None:
    """The unified value for a vendor value; an unknown one passes through as it is."""
    text = _text(value)
    return None if text is None else table.get(text.lower(), text)


def _employment_status(raw: Mapping[str, Any]) -> str | None:
    status = _text(raw.get("status"))
    if status is None:
        return None
    if status.lower() == "active":
        return "ACTIVE"
    if status.lower() == "inactive":
        hire_date = _date(raw.get("hireDate"))
        today = datetime.now(UTC).date().isoformat()
        return "PENDING" if hire_date is not None and hire_date > today else "INACTIVE"
    return status


def _employment_type(raw: Mapping[str, Any]) -> str | None:
    kind = _text(raw.get("employmentStatus"))
    if kind is None or kind.lower() in _NOT_AN_EMPLOYMENT_TYPE:
        return None
    return _EMPLOYMENT_TYPE.get(kind.lower(), kind)


def _home_address(raw: Mapping[str, Any]) -> dict[str, str | None] | None:
    address = {
        "street_1": _text(raw.get("addressLineOne")),
        "city": _text(raw.get("city")),
        "state": _text(raw.get("state")),
        "zip_code": _text(raw.get("zipcode")),
        "country": _text(raw.get("country")),
    }
    return address if any(address.values()) else None


def _map_employee(
    raw: Mapping[str, Any], wanted: Sequence[str], group_ids: Mapping[tuple[str, str], str]
) -> dict[str, Any]:
    employee_id = _text(raw[_ID_FIELD])
    if employee_id is None:
        raise ValueError("an employee row without an id")
    first_name = _text(raw.get("firstName"))
    last_name = _text(raw.get("lastName"))
    shown_first = _text(raw.get("preferredName")) or first_name
    values: dict[str, Any] = {
        "employee_number": _text(raw.get("employeeNumber")),
        "first_name": first_name,
        "last_name": last_name,
        "display_full_name": " ".join(part for part in (shown_first, last_name) if part) or None,
        "job_title": _text(raw.get("jobInformationJobTitle")),
        "work_email": _text(raw.get("email")),
        "personal_email": _text(raw.get("homeEmail")),
        "mobile_phone_number": _text(raw.get("mobilePhone")),
        "gender": _mapped(_GENDER, raw.get("gender")),
        "marital_status": _mapped(_MARITAL_STATUS, raw.get("maritalStatus")),
        "employment_status": _employment_status(raw),
        "employment_type": _employment_type(raw),
        "manager_id": _text(raw.get("supervisorEid")),
        "date_of_birth": _date(raw.get("dateOfBirth")),
        "start_date": _date(raw.get("hireDate")),
        "termination_date": _date(raw.get("terminationDate")),
        "home_address": _home_address(raw),
        "groups": [
            group_ids[(alias, name)]
            for alias, source in (
                ("department", "jobInformationDepartment"),
                ("division", "jobInformationDivision"),
            )
            if (name := _text(raw.get(source))) is not None and (alias, name) in group_ids
        ],
    }
    return {"remote_id": employee_id, **{name: values[name] for name in wanted}}
