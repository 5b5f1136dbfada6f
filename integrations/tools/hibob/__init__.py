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
  `GET /v1/company/named-lists/{listName}` -> `{"name", "items": [{"id", "value", "name",
  "archived", "children": [...]}]}`; items may nest through `children`. Not paginated.
  Archived items come only with `includeArchived=true` (default false): we always ask for
  them, as people may still name an archived department (`department`, groups) or site
  (`site`, work locations; employees name theirs in `work.siteId`).
- reference/error-handling: 401 bad credentials, 403 missing permission, 429 rate limit.
  docs/rate-limit: `v1/people/search` allows 50 requests a minute; headers `X-RateLimit-Limit`,
  `X-RateLimit-Remaining`, `X-RateLimit-Reset` (Unix epoch). The docs do not promise a
  `Retry-After` header; our HTTP helper reports it when present, otherwise no delay is known.

Which company the service user belongs to: `root.companyId` ("Company id", a Basic info field
of the fields metadata, in the default fields of reference/post_people-identifier's 200
response) of one visible employee is the integration's `remote_account_id`. A service user
that sees no employee, or may not view Basic info, reports none; the ids of the employees it
sees go along instead, for the overlap rule of
`integrations.selectors.integrations.credentials_account_match`.

Where the docs are silent (said so at each place): which permission reads named lists (we
probe and treat 403 as "not granted"), the time zone of `root.creationDateTime`, the
human-readable shape of multi-list fields, and a maximum for the `root.id` filter values.
HiBob has no "changed since" filter for people, lists or tables: those are read whole every
time. Only time-off requests have one (`timeoff/requests/changes?since=`, see `timeoff`).
Time off, and employments from the employee tables: see the `timeoff` and `employments`
modules.
"""

from __future__ import annotations

from integrations.tools.hibob.connector import GROUP_PAGE_SIZE, SEARCH_BATCH_SIZE, HiBobTool
from integrations.tools.hibob.fields import (
    ADDRESS_FIELDS,
    COMPANY_ID,
    PERM_DEPARTMENTS,
    PERM_EMPLOYMENT_HISTORY,
    PERM_PEOPLE,
    PERM_SALARY_HISTORY,
    PERM_SITES,
    PERM_TIME_OFF_BALANCES,
    PERM_TIME_OFF_REQUESTS,
    PERM_TIME_OFF_SETTINGS,
    PERM_WORK_HISTORY,
    PERMISSION_FIELDS,
    ROOT_ID,
    VENDOR_FIELDS,
    VendorField,
)

__all__ = [
    "ADDRESS_FIELDS",
    "COMPANY_ID",
    "GROUP_PAGE_SIZE",
    "PERMISSION_FIELDS",
    "PERM_DEPARTMENTS",
    "PERM_EMPLOYMENT_HISTORY",
    "PERM_PEOPLE",
    "PERM_SALARY_HISTORY",
    "PERM_SITES",
    "PERM_TIME_OFF_BALANCES",
    "PERM_TIME_OFF_REQUESTS",
    "PERM_TIME_OFF_SETTINGS",
    "PERM_WORK_HISTORY",
    "ROOT_ID",
    "SEARCH_BATCH_SIZE",
    "VENDOR_FIELDS",
    "HiBobTool",
    "VendorField",
]
