"""The OAuth 2.0 protocol (`integrations.tools.oauth`) against a fake Deel that behaves as
Deel's OAuth2 and Token Rotation pages describe (developer.deel.com/api/oauth,
developer.deel.com/docs/token-rotation)."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from integrations.tools.deel import OAUTH, PERM_ORGANIZATIONS, PERM_PEOPLE
from integrations.tools.oauth import (
    ClientAuthMethod,
    OAuthClient,
    OAuthGrantRefused,
    OAuthSpec,
    OAuthUnavailable,
    authorization_url,
    code_exchange,
    token_refresh,
)
from tests.support.fakes.deel import (
    CLIENT_ID,
    CLIENT_SECRET,
    ORG_ID,
    OTHER_ORG_ID,
    REDIRECT_URI,
    FakeDeel,
    TokenRequest,
)
from tests.support.fakes.server import Fault

CLIENT = OAuthClient(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
SCOPES = [PERM_PEOPLE, PERM_ORGANIZATIONS]
THIRTY_DAYS = 30 * 24 * 3600


def consent_url(state: str = "st-4f9a1c", scopes: list[str] = SCOPES) -> str:
    return authorization_url(
        OAUTH, CLIENT, redirect_uri=REDIRECT_URI, state=state, code_verifier=None, scopes=scopes
    )


def callback(location: str) -> dict[str, str]:
    assert location.startswith(REDIRECT_URI + "?")
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def connect(fake: FakeDeel, *, company: str = ORG_ID) -> dict[str, object]:
    code = callback(fake.consent(consent_url(), company=company))["code"]
    return code_exchange(OAUTH, CLIENT, code=code, redirect_uri=REDIRECT_URI, code_verifier=None)


def organization_status(fake: FakeDeel, access_token: object) -> int:
    return requests.get(
        f"{fake.base_url}/rest/v2/organizations",
        headers={"Authorization": f"Bearer {access_token}"},
        timeout=10,
    ).status_code


def test_it_connects_through_consent_with_http_basic_client_authentication(
    fake_deel: FakeDeel,
) -> None:
    """OAuth2 page, steps 1-3: authorize on the app host with client_id, redirect_uri,
    space-separated scope, response_type=code and state; exchange the code at
    POST /oauth2/tokens with HTTP Basic; access tokens last 30 days (2,592,000 s)."""
    url = consent_url()
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(f"{fake_deel.base_url}/oauth2/authorize?")
    assert query["response_type"] == ["code"]
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [REDIRECT_URI]
    assert query["scope"] == ["people:read organizations:read"]
    assert query["state"] == ["st-4f9a1c"]
    assert "code_challenge" not in query

    answer = callback(fake_deel.consent(url))
    assert answer["state"] == "st-4f9a1c"
    before = time.time()
    token = code_exchange(
        OAUTH, CLIENT, code=answer["code"], redirect_uri=REDIRECT_URI, code_verifier=None
    )

    assert token["token_type"] == "Bearer"
    assert token["scope"] == "people:read organizations:read"
    assert isinstance(token["refresh_token"], str)
    assert before + THIRTY_DAYS - 5 <= float(token["expires_at"]) <= time.time() + THIRTY_DAYS
    assert fake_deel.token_requests == [TokenRequest("authorization_code", "basic")]
    assert organization_status(fake_deel, token["access_token"]) == 200


def test_it_returns_the_state_with_a_denial(fake_deel: FakeDeel) -> None:
    """RFC 6749 §4.1.2.1: a denied request goes back with error=access_denied and the state."""
    answer = callback(fake_deel.consent(consent_url("st-deny"), allow=False))

    assert answer == {"error": "access_denied", "state": "st-deny"}


@pytest.mark.parametrize(
    "redirect_uri",
    [REDIRECT_URI + "/", REDIRECT_URI.upper(), REDIRECT_URI + "?next=1", "https://evil.example/"],
)
def test_it_never_redirects_to_a_redirect_uri_that_is_not_exactly_the_registered_one(
    fake_deel: FakeDeel, redirect_uri: str
) -> None:
    """OAuth2 page: "The complete URL specified here must match the redirect URI provided";
    RFC 6749 §4.1.2.1: the error is shown, never redirected to."""
    url = authorization_url(
        OAUTH, CLIENT, redirect_uri=redirect_uri, state="st", code_verifier=None, scopes=SCOPES
    )

    page = requests.get(url, allow_redirects=False, timeout=10)

    assert page.status_code == 400
    assert "Location" not in page.headers
    assert "Invalid redirect URI" in page.text


def test_it_refuses_an_authorization_request_without_state(fake_deel: FakeDeel) -> None:
    """Deel lists `state` among the required authorize parameters (OAuth2 page, step 1)."""
    url = consent_url()
    without_state = url.replace("&state=st-4f9a1c", "")

    answer = callback(fake_deel.consent(without_state))

    assert answer["error"] == "invalid_request"
    assert "code" not in answer


def test_it_connects_the_organization_the_admin_chose(fake_deel: FakeDeel) -> None:
    """OAuth2 page, step 2: the consent screen is the signed-in user's; the token belongs to
    the organization that approved it."""
    token = connect(fake_deel, company=OTHER_ORG_ID)

    body = requests.get(
        f"{fake_deel.base_url}/rest/v2/organizations",
        headers={"Authorization": f"Bearer {token['access_token']}"},
        timeout=10,
    ).json()
    assert body["data"][0]["id"] == OTHER_ORG_ID


def test_it_refuses_a_code_used_twice_and_revokes_what_it_gave(fake_deel: FakeDeel) -> None:
    """RFC 6749 §4.1.2: a code is single use; on a second use the server SHOULD revoke the
    tokens issued from it."""
    code = callback(fake_deel.consent(consent_url()))["code"]
    token = code_exchange(OAUTH, CLIENT, code=code, redirect_uri=REDIRECT_URI, code_verifier=None)

    with pytest.raises(OAuthGrantRefused) as refused:
        code_exchange(OAUTH, CLIENT, code=code, redirect_uri=REDIRECT_URI, code_verifier=None)

    assert refused.value.error == "invalid_grant"
    assert code not in str(refused.value)
    assert organization_status(fake_deel, token["access_token"]) == 401


def test_it_refuses_a_code_with_another_redirect_uri(fake_deel: FakeDeel) -> None:
    """RFC 6749 §4.1.3: the token request's redirect_uri must be the authorization request's."""
    code = callback(fake_deel.consent(consent_url()))["code"]

    with pytest.raises(OAuthGrantRefused):
        code_exchange(
            OAUTH, CLIENT, code=code, redirect_uri=REDIRECT_URI + "/x", code_verifier=None
        )


def test_it_reports_client_credentials_in_the_body_as_our_apps_misconfiguration(
    fake_deel: FakeDeel,
) -> None:
    """OAuth2 page, step 3: "Use HTTP Basic authentication"; RFC 6749 §5.2 invalid_client is
    the operator's OAuth app, not the customer's grant."""
    form_body = OAuthSpec(
        authorize_url=OAUTH.authorize_url,
        token_url=OAUTH.token_url,
        client_auth=ClientAuthMethod.FORM_BODY,
        rotation=OAUTH.rotation,
    )
    code = callback(fake_deel.consent(consent_url()))["code"]

    with pytest.raises(OAuthUnavailable) as unavailable:
        code_exchange(form_body, CLIENT, code=code, redirect_uri=REDIRECT_URI, code_verifier=None)

    assert "invalid_client" in str(unavailable.value)
    assert CLIENT_SECRET not in str(unavailable.value)
    assert fake_deel.token_requests == [TokenRequest("authorization_code", "body")]


def test_it_rotates_the_refresh_token_and_a_reused_one_kills_the_grant(
    fake_deel: FakeDeel,
) -> None:
    """Token Rotation: "Refresh tokens are single-use. Each successful token refresh
    invalidates the previous refresh token ... reuse ... returns an invalid_grant error ...
    the authorization server may revoke all tokens associated with that grant" (this fake
    does)."""
    first = connect(fake_deel)

    second = token_refresh(OAUTH, CLIENT, refresh_token=str(first["refresh_token"]))

    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert organization_status(fake_deel, second["access_token"]) == 200
    assert fake_deel.token_requests[-1] == TokenRequest("refresh_token", "basic")
    with pytest.raises(OAuthGrantRefused) as reused:
        token_refresh(OAUTH, CLIENT, refresh_token=str(first["refresh_token"]))
    assert reused.value.error == "invalid_grant"
    with pytest.raises(OAuthGrantRefused):
        token_refresh(OAUTH, CLIENT, refresh_token=str(second["refresh_token"]))
    assert organization_status(fake_deel, second["access_token"]) == 401
    assert (fake_deel.refresh_count, fake_deel.invalid_grant_count) == (1, 2)


def test_it_keeps_the_refresh_token_when_the_answer_carries_none(fake_deel: FakeDeel) -> None:
    """RFC 6749 §6: the server MAY issue a new refresh token; without one, the client keeps
    the one it used (and it stays valid)."""
    first = connect(fake_deel)
    fake_deel.omit_next_refresh_token()

    second = token_refresh(OAUTH, CLIENT, refresh_token=str(first["refresh_token"]))
    third = token_refresh(OAUTH, CLIENT, refresh_token=str(second["refresh_token"]))

    assert second["refresh_token"] == first["refresh_token"]
    assert third["refresh_token"] != first["refresh_token"]
    assert fake_deel.refresh_count == 2


def test_it_refuses_a_refresh_of_a_revoked_grant(fake_deel: FakeDeel) -> None:
    """RFC 6749 §5.2: a revoked refresh token is invalid_grant; the customer must reconnect."""
    token = connect(fake_deel)
    fake_deel.revoke_grant(ORG_ID)

    with pytest.raises(OAuthGrantRefused) as refused:
        token_refresh(OAUTH, CLIENT, refresh_token=str(token["refresh_token"]))

    assert refused.value.error == "invalid_grant"
    assert str(token["refresh_token"]) not in str(refused.value)


@pytest.mark.parametrize(
    ("fault", "retry_after"),
    [
        (Fault(status=429, body='{"errors": []}', headers={"Retry-After": "30"}), 30.0),
        (Fault(status=500, body="upstream down", content_type="text/plain"), None),
        (Fault(status=503, body='{"message": "Service Unavailable"}'), None),
    ],
    ids=["429", "500", "503"],
)
def test_it_reports_a_failing_token_endpoint_as_unavailable(
    fake_deel: FakeDeel, fault: Fault, retry_after: float | None
) -> None:
    """RFC 6749 §5.2 knows no 429 or 5xx: they say nothing about the customer's grant
    (RFC 6585 §4 and RFC 9110 §10.2.3 for Retry-After); the refresh token stays usable."""
    token = connect(fake_deel)
    fault.matches = lambda request: request.path == "/oauth2/tokens"
    fake_deel.fail_next(fault)

    with pytest.raises(OAuthUnavailable) as unavailable:
        token_refresh(OAUTH, CLIENT, refresh_token=str(token["refresh_token"]))

    assert unavailable.value.retry_after_seconds == retry_after
    assert token_refresh(OAUTH, CLIENT, refresh_token=str(token["refresh_token"]))


def test_it_sees_a_lost_refresh_answer_as_a_network_failure(fake_deel: FakeDeel) -> None:
    """The fake performs the refresh and drops the connection: the client sees no HTTP answer
    at all (a network failure), never an HTTP status."""
    token = connect(fake_deel)
    fake_deel.lose_next_refresh_response()

    with pytest.raises(requests.ConnectionError):
        requests.post(
            OAUTH.token_url(),
            data={"grant_type": "refresh_token", "refresh_token": token["refresh_token"]},
            auth=(CLIENT_ID, CLIENT_SECRET),
            timeout=10,
        )
    assert fake_deel.refresh_count == 1


def test_it_reports_a_lost_refresh_answer_as_unavailable_and_the_repeat_kills_the_grant(
    fake_deel: FakeDeel,
) -> None:
    """Token Rotation: the lost answer's refresh token was already exchanged, so repeating it
    is a reuse: invalid_grant, and all tokens of the grant are revoked. Vendor semantics: the
    platform must never cause this by racing two refreshes."""
    token = connect(fake_deel)
    fake_deel.lose_next_refresh_response()

    with pytest.raises(OAuthUnavailable) as unavailable:
        token_refresh(OAUTH, CLIENT, refresh_token=str(token["refresh_token"]))
    assert str(unavailable.value) == "the token endpoint could not be reached"
    assert fake_deel.refresh_count == 1

    with pytest.raises(OAuthGrantRefused) as refused:
        token_refresh(OAUTH, CLIENT, refresh_token=str(token["refresh_token"]))
    assert refused.value.error == "invalid_grant"
    assert organization_status(fake_deel, token["access_token"]) == 401
