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
- Readable attributes: `GET /v1/company/employees/attributes` ("Lists all the allowed
  attributes per API credentials including custom (dynamic) attributes",
  `/reference/get_company-employees-attributes`) answers `[{"key", "label", "type",
  "universal_id"}]`, also for a company without employees. The v1 token (`POST /v1/auth`) is
  opaque and carries no documented scope, so the access scopes are found by reading: a 403 on
  the employees listing means no Employees scope, one on `GET /v1/company/time-off-types` no
  Absences scope.
- Absences (`/reference/get_company-time-off-types`, `/reference/get_company-time-offs`,
  changelog "Employee API: absence balance endpoint"): time-off types page by `limit` / record
  `offset` (default 200); time-offs serve absences counted in days only, page by `limit` and a
  page-number `offset` ("Pagination attribute to identify which page number you are
  requesting"), filter by `updated_from` (a date, inclusive); balances come one employee at a
  time from `GET /v1/company/employees/{id}/absences/balance` as `[{"id", "name", "category",
  "balance"}]` per absence type. Personio deletes rejected or cancelled requests rather than
  marking them, so a FULL sync is what notices they are gone.
- Employments, work locations, legal entities: v1 lists no offices or subcompanies (their
  addresses are not in the API); the employees' `office` and `subcompany` attributes name them
  by id and name. Salary is the `fix_salary` / `fix_salary_interval` / `hourly_salary`
  attributes, with no currency, and one contract per employee.
- A company or account id: the Personnel Data API exposes none. `/reference/auth` calls the
  token opaque ("will have a 'papi-' prefix"); the example token of the auth API's OpenAPI file
  (`personio-auth-api.yaml`) carries only `iss`, `iat`, `exp`, `nbf`, `jti` and a `sub` that
  encodes the client id; no v1 response carries a tenant id; `subcompany` and the v2 legal
  entities (`/v2.0/reference/listlegalentities`, a different API with its own OAuth scopes) are
  legal entities, of which one company has several; the Recruiting API's `X-Company-ID` is typed
  in by the customer, not read from the credentials. The client id is per credential and
  changes on every relink, so using it would refuse every legitimate relink. We report no remote
  account id rather than a wrong one; instead the auth check reads one page of employees (the
  documented maximum of 100) and hands their ids on, and a relink is accepted only when they
  overlap the employees already synced
  (`integrations.selectors.integrations.credentials_account_match`).
  The docs do not say whether employee ids are unique across Personio companies; their
  examples show long numeric ids, not small per-company counters, and the rule relies on that.
- Groups: v1 has no departments or org-units listing (the OpenAPI file of the Personnel Data API
  has none; org units exist only in the separate v2 API with its own OAuth scopes), so groups
  are read from the employees' `department`, `team` and `cost_centers` attributes: a department
  nobody belongs to is not seen, and no hierarchy is known. Personio ids are unique per kind
  only, so group ids carry the kind.
- Dates: date attributes are midnight in the company's zone (`2014-11-09T00:00:00+01:00`); the
  date is read as written, never converted to UTC first.
"""

from __future__ import annotations

from integrations.tools.personio.client import APP_HEADERS
from integrations.tools.personio.connector import (
    AUTH_COOLDOWN_SECONDS,
    EMPLOYEES_RETRY_SECONDS,
    PAGE_SIZE,
    PersonioTool,
)
from integrations.tools.personio.fields import (
    ATTRIBUTE_LABELS,
    ATTRIBUTE_PREFIX,
    PERM_ABSENCES,
    PERM_EMPLOYEES,
    attribute_permission,
)
from integrations.tools.personio.mapping import FULL_TIME_WEEKLY_HOURS

__all__ = [
    "APP_HEADERS",
    "ATTRIBUTE_LABELS",
    "ATTRIBUTE_PREFIX",
    "AUTH_COOLDOWN_SECONDS",
    "EMPLOYEES_RETRY_SECONDS",
    "FULL_TIME_WEEKLY_HOURS",
    "PAGE_SIZE",
    "PERM_ABSENCES",
    "PERM_EMPLOYEES",
    "PersonioTool",
    "attribute_permission",
]
