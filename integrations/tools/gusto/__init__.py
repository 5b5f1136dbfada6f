"""The `gusto` connector: Gusto's API (App Integrations) with an OAuth 2.0 grant per company.

Pages followed (docs.gusto.com unless noted):
- app-integrations/docs/oauth2 and embedded-payroll/docs/oauth2 ("Migrating an existing
  company"): `GET /oauth/authorize?client_id&redirect_uri&response_type=code`; only primary or
  full access admins may authorize; an admin of several companies picks one, and since
  v2023-05-01 ("strict access") a grant and its tokens reach exactly one company. The
  authorization code expires after 10 minutes. `POST /oauth/token` takes `client_id`,
  `client_secret`, `redirect_uri`, `code` and `grant_type=authorization_code` as a JSON body
  (the curl examples send `Content-Type: application/json`).
- embedded-payroll/docs/company-access-tokens and app-integrations/reference/
  refresh-access-token: access tokens expire after 2 hours (`expires_in: 7200`), then the API
  answers 401; `grant_type=refresh_token` returns a new access token AND a new refresh token,
  and "the previous refresh_token will be revoked on the first usage of the new access_token"
  (`RefreshRotation.UNTIL_NEW_TOKEN_USED`). "The client_secret cannot be passed via API request
  URLs" (400). The example answer: `{"access_token", "token_type": "bearer", "expires_in",
  "refresh_token", "scope": "... companies:read", "created_at"}`.
- app-integrations/docs/scopes: scopes (`resource:action`, e.g. `employees:read`) are assigned
  to the application in Gusto's review, not requested in the authorize URL (`sends_scope=False`);
  embedded-payroll/docs/scopes: a call outside the granted scopes is refused with 403.
- embedded-payroll/reference/get-v1-token-info: `GET /v1/token_info` -> `{"scope": "<space
  delimited>", "resource": {"type": "Company", "uuid"}, "resource_owner": {"type":
  "CompanyAdmin", "uuid"}}`: the cheapest authenticated call; the company uuid is the
  integration's `remote_account_id`, `scope` the granted scopes.
- app-integrations/docs/getting-setup and embedded-payroll/docs/api-versioning: the
  `X-Gusto-API-Version` header picks the date-based version (default: the app's minimum
  version); one older than the app's minimum, or malformed, is refused with 406. We send
  `GUSTO_API_VERSION`.
- `GET /v1/companies/{company_id}/employees` (scope `employees:read`; query `page`, `per`,
  `terminated`, `onboarded`, `include`, ...; the Employee schema of Gusto's OpenAPI file):
  `uuid`, `first_name`, `last_name`, `preferred_first_name`, `email` (personal), `work_email`,
  `phone`, `manager_uuid`, `department`, `department_uuid`, `terminated`, `onboarded`,
  `onboarding_status`, `current_employment_status` (`full_time`, `part_time_under_twenty_hours`,
  `part_time_twenty_plus_hours`, `variable`, `seasonal`), `employee_code`, `date_of_birth`,
  `hired_at`, `jobs[]` (`title`, `hire_date`, `primary`), `terminations[]` (`effective_date`,
  the last day of work; `active`, whether it has taken effect).
- app-integrations/docs/pagination: `page` and `per` (default 25); paginated answers carry
  `X-Page`, `X-Total-Count`, `X-Total-Pages`, `X-Per-Page`.
- `GET /v1/companies/{company_uuid}/departments` (scope `departments:read`, operation
  get-companies-departments): every department `{"uuid", "company_uuid", "title", "version",
  "employees": [{"uuid"}], "contractors"}` in one answer, no pagination and no nesting.
- app-integrations/docs/rate-limits and embedded-payroll/docs/rate-limits: 200 requests a
  minute per OAuth grant in a 60 second rolling window, then 429; the 429 carries
  `Retry-After` (seconds) besides `X-RateLimit-Limit/Remaining/Reset`.
- app-integrations/docs/error-categories: errors are `{"errors": [{"error_key", "category",
  "message"}]}`; 401 is `invalid_token` (invalid, expired or missing token).
- app-integrations/docs/authentication: develop against the demo environment
  `api.gusto-demo.com`; production is `api.gusto.com` (`GUSTO_API_URL`).

Where the docs are silent, and what we do:
- PKCE is not mentioned anywhere: not used. `state` is not mentioned either: we send it (RFC
  6749 §4.1.1) and the fake echoes it, as an OAuth 2.0 server must.
- The refresh request's `redirect_uri`: the App Integrations reference lists it, the Embedded
  guide's curl leaves it out; we send none.
- Token endpoint errors are not documented: RFC 6749 §5.2 (`invalid_grant` for a used,
  expired or revoked code or refresh token, `invalid_client` with 401).
- The largest `per`: not documented; we ask for 100 and read pages until one comes back empty,
  so a smaller cap cannot end the listing early.
- Without the `terminated` filter the list holds terminated employees too.
- Employment status: `terminated` with a termination in effect (`active`, or a last day in the
  past) is INACTIVE; not yet `onboarded`, or hired for a later day, is PENDING; else ACTIVE.
  The start date is `hired_at`, else the earliest job `hire_date`.
- A 403 body for a missing scope is not shown: treated as "scope not granted", never retried.
"""

from __future__ import annotations

from integrations.tools.gusto.connector import (
    GROUP_PAGE_SIZE,
    MAX_RATE_LIMIT_WAIT_SECONDS,
    PAGE_SIZE,
    SCOPE_DEPARTMENTS,
    SCOPE_EMPLOYEES,
    GustoTool,
)

__all__ = [
    "GROUP_PAGE_SIZE",
    "MAX_RATE_LIMIT_WAIT_SECONDS",
    "PAGE_SIZE",
    "SCOPE_DEPARTMENTS",
    "SCOPE_EMPLOYEES",
    "GustoTool",
]
