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
- The same page is why the company domain is the integration's `remote_account_id`: every URL
  names the company (`/{companyDomain}/`) and a key works only for its own company (another
  company's key gets 401), so a relink with another company's domain and key shows a different
  domain, and one with our domain but their key is refused outright.
- reference/metadata-get-a-list-of-fields (`GET /v1/meta/fields`): field discovery, the cheapest
  call every key may make; used to check the key and the company.
- reference/metadata-get-details-for-list-fields (`GET /v1/meta/lists`): list fields with their
  options (`[{fieldId, alias, name, options: [{id, name, archived}]}]`); the `department` and
  `division` lists are BambooHR's groups, the `location` list its work locations. Archiving is
  how an option leaves the current values (Create or Update List Field Values) while employee
  rows go on naming it, so archived options are read too.
- reference/get-data-from-dataset-v2 (`POST /v2/datasets/employee/data`): the paged way to read
  many employees with chosen fields. Body `{fields, filter, orderBy, page, pageSize}` (pageSize
  default 100, max 1000); answer `{data: [{fields: {...}, _restrictedFields: [...]}], links:
  {next, prev}, meta: {page, pageSize, totalPages, totalItems}}`; without `orderBy` the row
  order is unspecified. A user without dataset access gets 403. Basic auth is accepted. Dataset
  field names differ from the classic employee field names (`eeid`, `email`,
  `jobInformationJobTitle`, `jobInformationDepartment`, `supervisorEid`, ...), and a name the
  dataset does not know is a 400 for the whole request.
- Get Fields from Dataset (`GET /v1/datasets/employee/fields`, paged by
  `pagination.next_page`): "the list of fields is available here"; only names it lists are
  asked for (`/v1/meta/fields` names the classic fields, not the dataset's).
- Time off (list-time-off-types, list-time-off-requests, get-time-off-balance) and employee
  tables (`GET /v1/employees/{id}/tables/{table}`): see `time_off.py` and `employments.py`.
- reference/get-changed-employee-ids (`GET /v1/employees/changed?since=`): ids changed since an
  ISO 8601 time, `{latest, employees: {id: {id, action: Inserted|Updated|Deleted, lastChanged}}}`.
- Why not the others: `POST /v1/reports/custom` (custom reports) has no paging and is marked
  "will soon be deprecated and replaced with Datasets"; `GET /v1/employees` (List Employees,
  cursor paging) accepts OAuth only and returns 14 contact fields at most; the directory is not
  paged and follows directory-sharing settings rather than field access.

Where the docs are silent (and what this connector does):
- Which fields a key may read: nothing the dataset API documents says it (its rows carry no
  restricted-field marker in the documented answer; `_restrictedFields` is documented for
  another endpoint only), and the getting-started page only says a field the user may not
  view is not shown. So a field counts as granted when the company's dataset catalogue lists
  it, and one the user may not view is read as empty (tests/integrations/
  test_bamboohr_fidelity_field_access.py).
- Which permission time off, balances and tables need: the API keys inherit the user's access
  level; each is probed in the auth check (time off types; the calculator and both tables for
  the first employee the dataset shows) and a 403 means it is not granted. Balances and tables
  also need the dataset, to know whose to read.
- Dataset names of fields outside the documented starter set (`preferredName`, `homeEmail`,
  `gender`, `maritalStatus`, `dateOfBirth`, `terminationDate`, `jobInformationDivision`,
  `addressLineOne`, `city`, `state`, `zipcode`, `country`): as the `employee` dataset's field
  catalog (Get Fields from Dataset v1.2) names them in other public integrations.
- The type of `eeid` in filters: compared as a quoted string (ids are digits; checked first).
- Whether list option ids are unique across lists: group and location ids carry the list alias
  (`department:18`, `location:51`) so they cannot collide. Rows name options by name; when an
  archived and a current option share one, the current one is meant.
- Which status an unknown company domain gets behind the gateway: read as 404 ("not a valid
  API" URL); a redirect or an HTML page is reported as unreachable, never as bad credentials.
"""

from __future__ import annotations

from integrations.tools.bamboohr.client import CRED_API_KEY, CRED_COMPANY_DOMAIN
from integrations.tools.bamboohr.connector import BambooHrTool
from integrations.tools.bamboohr.fields import (
    FIELD_PREFIX,
    PERM_EMPLOYEE_DATASET,
    PERM_LISTS,
    PERM_TABLE_COMPENSATION,
    PERM_TABLE_JOB_INFO,
    PERM_TIME_OFF,
    PERM_TIME_OFF_BALANCES,
)

__all__ = [
    "CRED_API_KEY",
    "CRED_COMPANY_DOMAIN",
    "FIELD_PREFIX",
    "PERM_EMPLOYEE_DATASET",
    "PERM_LISTS",
    "PERM_TABLE_COMPENSATION",
    "PERM_TABLE_JOB_INFO",
    "PERM_TIME_OFF",
    "PERM_TIME_OFF_BALANCES",
    "BambooHrTool",
]
