"""The `sandbox` connector: talks to the sandbox HR system (`/sandbox-hr/`) over real HTTP.

Sandbox HR API (served by `sandbox_hr`, base `SANDBOX_HR_URL`):
- `Authorization: Bearer <api key>` on every call; unknown or revoked key -> 401.
- `GET /api/v1/me` -> `{"account": {"id", "name"}, "permissions": [...]}`.
- `GET /api/v1/<resource>?cursor=&limit=&updated_since=` ->
  `{"data": [...], "next_cursor": str | null}` for `employees` and `groups`, `locations` and
  `legal-entities` (`org:read`), `employments` (`compensation:read`), `absence-types`,
  `absences` and `time-off-balances` (`absences:read`); a missing permission -> 403 with
  `{"error": {"code": "missing_permission", "permission": ..., "message": ...}}`.
  Field groups the key may not read are left out of the records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.utils.translation import gettext_lazy as _

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
from integrations.tools.http import HttpFailure, http_get_json
from integrations.tools.oauth import ClientAuthMethod, OAuthSpec, RefreshRotation

PERM_EMPLOYEES = "employees:read"
PERM_PERSONAL = "employees.personal:read"
PERM_SENSITIVE = "employees.sensitive:read"
PERM_GROUPS = "groups:read"
PERM_ORG = "org:read"
PERM_COMPENSATION = "compensation:read"
PERM_ABSENCES = "absences:read"

_EMPLOYMENT_STATUS = {
    "active": "ACTIVE",
    "pending": "PENDING",
    "inactive": "INACTIVE",
    "leave": "LEAVE",
}
_EMPLOYMENT_TYPE = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contractor": "CONTRACT",
    "intern": "INTERNSHIP",
    "freelance": "FREELANCE",
}
_GENDER = {
    "male": "MALE",
    "female": "FEMALE",
    "diverse": "NON_BINARY",
    "unspecified": "NOT_SPECIFIED",
}
_GROUP_TYPE = {"department": "DEPARTMENT", "team": "TEAM", "cost_center": "COST_CENTER"}
_PAY_PERIOD = {"hour": "HOUR", "month": "MONTH", "year": "YEAR"}
_PAY_FREQUENCY = {"weekly": "WEEKLY", "biweekly": "BIWEEKLY", "monthly": "MONTHLY"}
_TIME_UNIT = {"days": "DAYS", "hours": "HOURS"}
_ABSENCE_STATUS = {
    "requested": "REQUESTED",
    "approved": "APPROVED",
    "declined": "DECLINED",
    "cancelled": "CANCELLED",
}

_BASIC = FieldSupport(Coverage.SUPPORTED)
_PERSONAL = FieldSupport(Coverage.SUPPORTED, PERM_PERSONAL)
_SENSITIVE = FieldSupport(Coverage.SUPPORTED, PERM_SENSITIVE)


class SandboxTool(Tool):
    id = "sandbox"
    label = "Sandbox HR"
    category = "HRIS"
    logo = "tools/sandbox.svg"
    icon = "tools/sandbox-icon.svg"
    supports_delta = True
    # The largest page the sandbox API serves: fewer round trips per sync.
    page_size = 200
    credential_fields: ClassVar[tuple[CredentialField, ...]] = (
        CredentialField(
            key="api_key",
            label=_("API key"),
            secret=True,
            required_message=_("Enter your API key"),
            help_text=_("The API key from Sandbox HR → Settings → API keys."),
            placeholder="sbx_…",
        ),
    )
    permission_ids_are_vendor_names = True
    permissions = {
        PERM_EMPLOYEES: _("Read employees (names, work email, job, employment dates, manager)"),
        PERM_PERSONAL: _(
            "Read employees' personal data (birth date, gender, private contact, address)"
        ),
        PERM_SENSITIVE: _(
            "Read employees' sensitive data (social security and tax numbers, bank accounts)"
        ),
        PERM_GROUPS: _("Read departments, teams and cost centers"),
        PERM_ORG: _("Read work locations and legal entities"),
        PERM_COMPENSATION: _("Read employment history and pay"),
        PERM_ABSENCES: _("Read absence types, absences and time-off balances"),
    }
    models = {
        "hris_employees": ModelSupport(
            Coverage.SUPPORTED,
            PERM_EMPLOYEES,
            {
                "employee_number": _BASIC,
                "first_name": _BASIC,
                "last_name": _BASIC,
                "display_full_name": _BASIC,
                "job_title": _BASIC,
                "work_email": _BASIC,
                "employment_status": _BASIC,
                "employment_type": _BASIC,
                "weekly_hours": _BASIC,
                "manager_id": _BASIC,
                "work_location_id": _BASIC,
                "legal_entity_id": _BASIC,
                "start_date": _BASIC,
                "termination_date": _BASIC,
                "remote_created_at": _BASIC,
                "groups": FieldSupport(Coverage.SUPPORTED, PERM_GROUPS),
                "nationality": _PERSONAL,
                "personal_email": _PERSONAL,
                "mobile_phone_number": _PERSONAL,
                "gender": _PERSONAL,
                "marital_status": _PERSONAL,
                "date_of_birth": _PERSONAL,
                "home_address": _PERSONAL,
                "ssn": _SENSITIVE,
                "tax_id": _SENSITIVE,
                "bank_accounts": _SENSITIVE,
            },
        ),
        "hris_teams": ModelSupport(
            Coverage.SUPPORTED,
            PERM_GROUPS,
            {"name": _BASIC, "type": _BASIC, "parent_id": _BASIC},
        ),
        # Sandbox HR has no custom fields on any record, and absences only in whole and half
        # days or hours (no times of day): those fields are left out, i.e. UNSUPPORTED.
        "hris_employments": ModelSupport(
            Coverage.SUPPORTED,
            PERM_COMPENSATION,
            {
                "job_title": _BASIC,
                "pay_rate": _BASIC,
                "pay_period": _BASIC,
                "pay_frequency": _BASIC,
                "employment_type": _BASIC,
                "pay_currency": _BASIC,
                "effective_date": _BASIC,
            },
        ),
        "hris_locations": ModelSupport(
            Coverage.SUPPORTED, PERM_ORG, {"name": _BASIC, "address": _BASIC, "type": _BASIC}
        ),
        "hris_legal_entities": ModelSupport(
            Coverage.SUPPORTED, PERM_ORG, {"name": _BASIC, "address": _BASIC}
        ),
        "hris_absence_types": ModelSupport(
            Coverage.SUPPORTED,
            PERM_ABSENCES,
            {
                "name": _BASIC,
                "unit": _BASIC,
                "half_days_supported": FieldSupport(
                    Coverage.SUPPORTED, vendor_field="half_days_allowed"
                ),
            },
        ),
        "hris_absences": ModelSupport(
            Coverage.SUPPORTED,
            PERM_ABSENCES,
            {
                "start_date": _BASIC,
                "end_date": _BASIC,
                "start_half_day": _BASIC,
                "end_half_day": _BASIC,
                "amount": _BASIC,
                "unit": _BASIC,
                "status": _BASIC,
                "employee_note": FieldSupport(Coverage.SUPPORTED, vendor_field="note"),
                "remote_created_at": _BASIC,
                "remote_updated_at": _BASIC,
            },
        ),
        "hris_time_off_balances": ModelSupport(
            Coverage.SUPPORTED,
            PERM_ABSENCES,
            {"balance": _BASIC, "balance_unit": _BASIC, "used": _BASIC, "used_unit": _BASIC},
        ),
    }
    guides = {
        "en": (
            "Sign in to Sandbox HR as an administrator.",
            "Open Settings → API keys and click “Create API key”.",
            "Tick the permissions listed above as required (and any optional ones you agree to).",
            "Copy the key (it starts with “sbx_”) and paste it below.",
        ),
        "de": (
            "Melden Sie sich als Administrator bei Sandbox HR an.",
            # Sandbox HR's screens are in English only: the guide quotes them as they read.
            "Sandbox HR ist englischsprachig: Öffnen Sie „Settings“ → „API keys“ und klicken "
            "Sie auf „Create API key“.",
            "Aktivieren Sie die oben als erforderlich aufgeführten Berechtigungen "
            "(und alle optionalen, denen Sie zustimmen).",
            "Kopieren Sie den Schlüssel (er beginnt mit „sbx_“) und fügen Sie ihn unten ein.",
        ),
        "fr": (
            "Connectez-vous à Sandbox HR en tant qu’administrateur.",
            "Sandbox HR est en anglais : ouvrez « Settings » → « API keys » et "
            "cliquez sur « Create API key ».",
            "Cochez les autorisations indiquées ci-dessus comme requises "
            "(et les facultatives que vous acceptez).",
            "Copiez la clé (elle commence par « sbx_ ») et collez-la ci-dessous.",
        ),
        "it": (
            "Accedi a Sandbox HR come amministratore.",
            "Sandbox HR è in inglese: apri «Settings» → «API keys» e fai clic su «Create API key».",
            "Seleziona le autorizzazioni indicate sopra come obbligatorie "
            "(e quelle facoltative che accetti).",
            "Copia la chiave (inizia con «sbx_») e incollala qui sotto.",
        ),
        "es": (
            "Inicia sesión en Sandbox HR como administrador.",
            "Sandbox HR está en inglés: abre «Settings» → «API keys» y haz clic en "
            "«Create API key».",
            "Marca los permisos indicados arriba como obligatorios (y los opcionales que aceptes).",
            "Copia la clave (empieza por «sbx_») y pégala abajo.",
        ),
    }

    def _base_url(self) -> str:
        return f"{settings.SANDBOX_HR_URL}/api/v1"

    def _headers(self, credentials: Mapping[str, str]) -> dict[str, str]:
        return {"Authorization": f"Bearer {credentials.get('api_key', '')}"}

    def check_auth(self, credentials: Mapping[str, str]) -> AuthResult:
        if not credentials.get("api_key"):
            return AuthResult.invalid("No API key was given.")
        return self._me(
            credentials, refused="Sandbox HR rejected the API key (revoked or unknown)."
        )

    def _me(self, credentials: Mapping[str, str], *, refused: str) -> AuthResult:
        """`GET /me`: the account the credentials belong to and what they may read."""
        try:
            body = http_get_json(f"{self._base_url()}/me", headers=self._headers(credentials))
        except HttpFailure as failure:
            if failure.status_code in (401, 403):
                return AuthResult.invalid(refused)
            return AuthResult.unreachable(
                f"Sandbox HR could not be reached: {failure}",
                retry_after_seconds=failure.retry_after_seconds,
            )
        try:
            account_id = str(body["account"]["id"])
            permissions = [str(p) for p in body["permissions"]]
        except (KeyError, TypeError):
            return AuthResult.unreachable("Sandbox HR answered with an unexpected response body.")
        return AuthResult.ok(granted_permissions=permissions, remote_account_id=account_id)

    def fetch(
        self,
        credentials: Mapping[str, str],
        model_id: str,
        fields: frozenset[str],
        since: datetime | None = None,
    ) -> Iterator[Page]:
        resource, mapper = SANDBOX_RESOURCES.get(model_id, (None, None))
        if resource is None or mapper is None:
            raise ToolError(f"Sandbox HR does not provide {model_id}.", transient=False)
        params: dict[str, str] = {"limit": str(self.page_size)}
        if since is not None:
            params["updated_since"] = since.isoformat()
        while True:
            try:
                body = http_get_json(
                    f"{self._base_url()}/{resource}",
                    headers=self._headers(credentials),
                    params=params,
                )
            except HttpFailure as failure:
                raise ToolError(
                    f"Sandbox HR {resource}: {failure}",
                    transient=failure.status_code not in (401, 403),
                ) from failure
            try:
                next_cursor = body.get("next_cursor")
                # Mapped inside the `try`: a record without an id is a malformed body too.
                page = [select_fields(mapper(r), fields) for r in body["data"]]
            except (KeyError, TypeError, AttributeError):
                raise ToolError(
                    f"Sandbox HR {resource}: unexpected response body.", transient=True
                ) from None
            yield page
            if not next_cursor:
                return
            params["cursor"] = str(next_cursor)


def map_employee(raw: dict[str, Any]) -> dict[str, Any]:
    first, last = raw.get("first_name"), raw.get("last_name")
    address = raw.get("home_address")
    return {
        "remote_id": str(raw["id"]),
        "employee_number": raw.get("employee_number"),
        "first_name": first,
        "last_name": last,
        "display_full_name": raw.get("preferred_name")
        or " ".join(part for part in (first, last) if part)
        or None,
        "job_title": raw.get("job_title"),
        "work_email": raw.get("email"),
        "employment_status": _EMPLOYMENT_STATUS.get(raw.get("status") or ""),
        "employment_type": _EMPLOYMENT_TYPE.get(raw.get("employment_type") or ""),
        "weekly_hours": raw.get("weekly_hours"),
        "manager_id": raw.get("manager_id"),
        "work_location_id": raw.get("location_id"),
        "legal_entity_id": raw.get("legal_entity_id"),
        "start_date": raw.get("hire_date"),
        "termination_date": raw.get("termination_date"),
        "remote_created_at": raw.get("created_at"),
        "groups": raw.get("department_ids"),
        "nationality": raw.get("nationality"),
        "personal_email": raw.get("private_email"),
        "mobile_phone_number": raw.get("mobile_phone"),
        "gender": _GENDER.get(raw.get("gender") or ""),
        "marital_status": (raw.get("marital_status") or "").upper() or None,
        "date_of_birth": raw.get("birth_date"),
        "home_address": (
            {
                "street_1": address.get("street"),
                "city": address.get("city"),
                "zip_code": address.get("zip"),
                "country": address.get("country"),
            }
            if isinstance(address, dict)
            else None
        ),
        "ssn": raw.get("ssn"),
        "tax_id": raw.get("tax_id"),
        "bank_accounts": raw.get("bank_accounts"),
    }


def map_group(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "remote_id": str(raw["id"]),
        "name": raw.get("name"),
        "type": _GROUP_TYPE.get(raw.get("type") or ""),
        "parent_id": raw.get("parent_id"),
    }


def _address(raw: Any) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        return None
    street, city, zip_code, country = (raw.get(p) for p in ("street", "city", "zip", "country"))
    town = " ".join(part for part in (zip_code, city) if part)
    return {
        "street_1": street,
        "street_2": None,
        "city": city,
        "state": None,
        "zip_code": zip_code,
        "country": country,
        "raw": ", ".join(part for part in (street, town, country) if part) or None,
    }


def _number(value: Any) -> float | None:
    return float(value) if value is not None else None


def map_location(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "remote_id": str(raw["id"]),
        "name": raw.get("name"),
        "type": raw.get("type"),
        "address": _address(raw.get("address")),
    }


def map_legal_entity(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "remote_id": str(raw["id"]),
        "name": raw.get("name"),
        "address": _address(raw.get("address")),
    }


def map_employment(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "remote_id": str(raw["id"]),
        "employee_id": raw.get("employee_id"),
        "job_title": raw.get("job_title"),
        "pay_rate": _number(raw.get("pay_rate")),
        "pay_period": _PAY_PERIOD.get(raw.get("pay_period") or ""),
        "pay_frequency": _PAY_FREQUENCY.get(raw.get("pay_frequency") or ""),
        "employment_type": _EMPLOYMENT_TYPE.get(raw.get("employment_type") or ""),
        "pay_currency": raw.get("pay_currency"),
        "effective_date": raw.get("effective_date"),
    }


def map_absence_type(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "remote_id": str(raw["id"]),
        "name": raw.get("name"),
        "unit": _TIME_UNIT.get(raw.get("unit") or ""),
        "half_days_supported": raw.get("half_days_allowed"),
    }


def map_absence(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "remote_id": str(raw["id"]),
        "employee_id": raw.get("employee_id"),
        "type_id": raw.get("type_id"),
        "start_date": raw.get("start_date"),
        "end_date": raw.get("end_date"),
        "start_half_day": raw.get("start_half_day"),
        "end_half_day": raw.get("end_half_day"),
        "amount": _number(raw.get("amount")),
        "unit": _TIME_UNIT.get(raw.get("unit") or ""),
        "status": _ABSENCE_STATUS.get(raw.get("status") or ""),
        "employee_note": raw.get("note"),
        "remote_created_at": raw.get("created_at"),
        "remote_updated_at": raw.get("updated_at"),
    }


def map_time_off_balance(raw: dict[str, Any]) -> dict[str, Any]:
    unit = _TIME_UNIT.get(raw.get("unit") or "")
    return {
        "remote_id": str(raw["id"]),
        "employee_id": raw.get("employee_id"),
        "type_id": raw.get("type_id"),
        "balance": _number(raw.get("balance")),
        "balance_unit": unit,
        "used": _number(raw.get("used")),
        "used_unit": unit,
    }


# Read model -> Sandbox HR's API resource and the mapping of its records.
SANDBOX_RESOURCES: dict[str, tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]] = {
    "hris_employees": ("employees", map_employee),
    "hris_teams": ("groups", map_group),
    "hris_employments": ("employments", map_employment),
    "hris_locations": ("locations", map_location),
    "hris_legal_entities": ("legal-entities", map_legal_entity),
    "hris_absence_types": ("absence-types", map_absence_type),
    "hris_absences": ("absences", map_absence),
    "hris_time_off_balances": ("time-off-balances", map_time_off_balance),
}


class SandboxOAuthTool(SandboxTool):
    """Sandbox HR through its OAuth 2.0 provider (`/sandbox-hr/oauth/`): the customer allows
    the operator's app on Sandbox HR's consent page instead of creating an API key. The API,
    its records and its permission vocabulary (the OAuth scopes) are the API key's."""

    id = "sandbox_oauth"
    label = "Sandbox HR (OAuth)"
    credential_fields = ()
    oauth = OAuthSpec(
        authorize_url=lambda: f"{settings.SANDBOX_HR_URL}/oauth/authorize",
        token_url=lambda: f"{settings.SANDBOX_HR_URL}/oauth/token",
        client_auth=ClientAuthMethod.BASIC,
        # Which of the two is set by SANDBOX_HR_OAUTH_ROTATION; SINGLE_USE is the stricter
        # promise, and everything here holds under it.
        rotation=RefreshRotation.SINGLE_USE,
        pkce=True,
    )
    guides = {
        "en": (
            "Click “Continue to Sandbox HR” below.",
            "Sign in to Sandbox HR as an administrator, if you are not signed in already.",
            "Check the access requested and click “Allow”.",
        ),
        "de": (
            "Klicken Sie unten auf „Weiter zu Sandbox HR“.",
            "Melden Sie sich als Administrator bei Sandbox HR an, falls Sie es noch nicht sind.",
            "Sandbox HR ist englischsprachig: Prüfen Sie den angefragten Zugriff und klicken "
            "Sie auf „Allow“.",
        ),
        "fr": (
            "Cliquez sur « Continuer vers Sandbox HR » ci-dessous.",
            "Connectez-vous à Sandbox HR en tant qu’administrateur, si ce n’est pas déjà fait.",
            "Sandbox HR est en anglais : vérifiez l’accès demandé et cliquez sur « Allow ».",
        ),
        "it": (
            "Fai clic su «Continua su Sandbox HR» qui sotto.",
            "Accedi a Sandbox HR come amministratore, se non l’hai già fatto.",
            "Sandbox HR è in inglese: controlla l’accesso richiesto e fai clic su «Allow».",
        ),
        "es": (
            "Haz clic en «Continuar a Sandbox HR» abajo.",
            "Inicia sesión en Sandbox HR como administrador, si aún no lo has hecho.",
            "Sandbox HR está en inglés: revisa el acceso solicitado y haz clic en «Allow».",
        ),
    }

    def _headers(self, credentials: Mapping[str, str]) -> dict[str, str]:
        return {"Authorization": f"Bearer {credentials.get('access_token', '')}"}

    def check_auth(self, credentials: Mapping[str, str]) -> AuthResult:
        if not credentials.get("access_token"):
            return AuthResult.invalid("No access token is stored.")
        return self._me(
            credentials, refused="Sandbox HR refused the access token (revoked or expired)."
        )
