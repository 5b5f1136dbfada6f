"""The `deel` connector: Deel's REST API v2 (https://api.letsdeel.com/rest/v2) with OAuth 2.0.

Pages followed (developer.deel.com unless noted):
- "OAuth2" (api/oauth, docs/getting-started-1) and changelog v1.27 ("OAuth Server Change"):
  the authorization code grant. Authorize on the app host, `GET
  https://app.deel.com/oauth2/authorize?client_id&redirect_uri&scope&response_type=code&state`;
  `redirect_uri` must match the app's registered one completely; `scope` is a space-separated
  list (`contracts%3Aread%20organizations%3Aread`); `response_type` is always `code`; `state`
  is a required parameter ("Always verify the state parameter"). The consent screen shows the
  app's name and logo and the requested scopes, with approve or deny. Tokens: `POST
  https://app.deel.com/oauth2/tokens`, form-encoded, HTTP Basic with `client_id:client_secret`
  (`ClientAuthMethod.BASIC`), `grant_type=authorization_code&code&redirect_uri`. Answer:
  `access_token`, `expires_in: 2592000`, `refresh_token`, `token_type: Bearer`, `scope`
  (space-separated, what was granted). Access tokens last 30 days, refresh tokens 90 days.
  No page mentions PKCE: none is sent.
- "Token Rotation" (docs/token-rotation) and the OAuth2 page's refresh section: `grant_type=
  refresh_token&refresh_token` (the example adds `redirect_uri`) with the same Basic auth.
  "Refresh tokens are single-use. Each successful token refresh invalidates the previous
  refresh token ... If you attempt to reuse a refresh token that has already been exchanged,
  the server returns an invalid_grant error. Reuse ... may indicate token compromise, and the
  authorization server may revoke all tokens associated with that grant"
  (`RefreshRotation.SINGLE_USE`). Deel advises refreshing 5 days before expiry
  (`refresh_margin`).
- "Rate Limits" (api/rate-limits): 5 requests a second per organization, shared by all its
  tokens, in a rolling one-second window; beyond, 429. "Deel API does not return rate limit
  headers": a Retry-After is honoured when present, otherwise a second is waited; a sync waits
  out a few 429s before it fails as transient.
- The official OpenAPI description (github.com/letsdeel/deel-api-java-sdk, api/openapi.yaml
  and its generated docs): servers `https://api.letsdeel.com/rest/v2`; bearer tokens; errors
  are `ApiErrorContainer` `{"request": {"method", "url", "status", "api_req_id", "docs",
  "source", "code"}, "errors": [{"message", "path"}]}` for 400/401/403/404/500.
  - `GET /organizations` "Get Current Organization" (scope `organizations:read`): the
    organization "automatically detected based on the authentication token", `{"data":
    [{"id", "name"}]}`; its `id` is the integration's `remote_account_id`.
  - `GET /people` "List of people" (scope `people:read`): `offset`, `limit`, `search`,
    `sort_by` (incl. `id`), `sort_order`, `hiring_statuses`; answer `{"data": [...], "page":
    {"offset", "total_rows", "items_per_page"}}`; a person has `id`, `worker_id`,
    `first_name`, `last_name`, `full_name`, `emails: [{"type", "value"}]`, `job_title`,
    `hiring_status`, `hiring_type`, `start_date`, `birth_date`, `nationalities`,
    `department: {"id", "name", "parent"}`, `direct_manager: {"id", "first_name",
    "last_name", "work_email", "worker_id"}`, `client_legal_entity`, `addresses`,
    `completion_date`, `direct_employee_termination_last_day`, `created_at`, `updated_at`.
  - `GET /departments` "Retrieve Departments" (scope `organizations:read`): `{"data": [{"id",
    "name", "parent"}]}`, not paged; 404 "No departments found" when there are none.
- developer.deel.com/api/reference/endpoints/people/get-people: the same list, scope
  `people:read` (the v2 description also names `Users:read`; we ask for `people:read`).
- The public sample github.com/letsdeel/public-api-samples (list-people) and Panora's Deel
  client (types of the live people payload: `emails` items `{"type", "value"}`, `addresses`
  items `{"streetAddress", "locality", "region", "postalCode", "country"}`).

Where the docs are silent, and what we do:
- The authorize endpoint's errors: RFC 6749 §4.1.2.1 is assumed (a bad `client_id` or
  `redirect_uri` is shown, never redirected to; other errors go back to the redirect URI).
  The token endpoint's error bodies: RFC 6749 §5.2 is assumed (`invalid_grant`,
  `invalid_client`); Deel only names `invalid_grant`.
- Whether a refresh must repeat `redirect_uri`: the example sends it; we do not (RFC 6749 §6
  has no such parameter) and assume Deel accepts that.
- What happens to the old access token on a refresh: assumed to live on until it expires.
- The maximum `limit` of GET /people (see `PAGE_SIZE`) and whether it lists every hiring status
  without a `hiring_statuses` filter: assumed so.
- The id types: the v2 description types a person's `department.id` as a UUID and a
  department's `id` from GET /departments as a number; we compare them as strings, assuming
  one id space.
- Which fields need which scope beyond the list's own: none; `people:read` reads a person
  whole. Teams (`GET /teams`) and per-person personal data (gender, phone: one request per
  person at 5 a second) are not read.
- Without `organizations:read` no organization id is readable: the auth check then reports
  none and hands on one page of people ids instead, for the overlap rule of
  `integrations.selectors.integrations.credentials_account_match`.
"""

from __future__ import annotations

from integrations.tools.deel.connector import (
    LONGEST_WAIT_SECONDS,
    OAUTH,
    PAGE_SIZE,
    PERM_ORGANIZATIONS,
    PERM_PEOPLE,
    RATE_LIMIT_WAIT_SECONDS,
    DeelTool,
)

__all__ = [
    "LONGEST_WAIT_SECONDS",
    "OAUTH",
    "PAGE_SIZE",
    "PERM_ORGANIZATIONS",
    "PERM_PEOPLE",
    "RATE_LIMIT_WAIT_SECONDS",
    "DeelTool",
]
