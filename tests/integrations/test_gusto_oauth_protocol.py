"""Gusto's OAuth 2.0 flow through `integrations.tools.oauth`, against a fake Gusto that behaves
as docs.gusto.com describes it: consent, code exchange with a JSON body, refresh rotation
that revokes the old refresh token only when the new access token is first used."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import time_machine

from integrations.tools.base import AuthOutcome
from integrations.tools.gusto import GustoTool
from integrations.tools.oauth import (
    OAuthClient,
    OAuthGrantRefused,
    OAuthUnavailable,
    authorization_url,
    code_exchange,
    token_refresh,
)
from tests.support.fakes.gusto import (
    CLIENT_ID,
    CLIENT_SECRET,
    COMPANY_UUID,
    OTHER_COMPANY_UUID,
    REDIRECT_URI,
    FakeGusto,
)
from tests.support.fakes.oauth import ConsentPageError
from tests.support.fakes.server import Fault

tool = GustoTool()
assert tool.oauth is not None
SPEC = tool.oauth
CLIENT = OAuthClient(CLIENT_ID, CLIENT_SECRET)


def consent_url(*, redirect_uri: str = REDIRECT_URI, state: str = "state-7Xk2") -> str:
    return authorization_url(
        SPEC,
        CLIENT,
        redirect_uri=redirect_uri,
        state=state,
        code_verifier=None,
        scopes=["employees:read", "departments:read"],
    )


def query(location: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def connect(fake: FakeGusto, company: str = COMPANY_UUID) -> dict[str, Any]:
    code = query(fake.consent(consent_url(), company=company))["code"]
    return code_exchange(SPEC, CLIENT, code=code, redirect_uri=REDIRECT_URI, code_verifier=None)


def test_it_connects_through_the_consent_page_and_a_json_body_code_exchange(
    fake_gusto: FakeGusto,
) -> None:
    """docs.gusto.com/app-integrations/docs/oauth2: authorize with client_id, redirect_uri and
    response_type=code (scopes are the app's, none in the URL); the code is exchanged at
    POST /oauth/token with the client credentials in a JSON body; tokens last 7200 s. RFC 6749
    §4.1.2: `state` comes back unchanged."""
    url = consent_url()
    sent = query(url)

    location = fake_gusto.consent(url, company=COMPANY_UUID)
    token = code_exchange(
        SPEC, CLIENT, code=query(location)["code"], redirect_uri=REDIRECT_URI, code_verifier=None
    )

    assert url.startswith(f"{fake_gusto.base_url}/oauth/authorize?")
    assert sent == {
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "response_type": "code",
        "state": "state-7Xk2",
    }
    assert location.startswith(f"{REDIRECT_URI}?")
    assert query(location)["state"] == "state-7Xk2"
    assert fake_gusto.token_requests == [
        {"grant_type": "authorization_code", "client_auth": "json_body"}
    ]
    assert token["refresh_token"]
    assert token["scope"] == "companies:read departments:read employees:read"
    assert abs(int(token["expires_at"]) - (time.time() + 7200)) < 60
    assert tool.check_auth(token).remote_account_id == COMPANY_UUID


def test_it_connects_the_company_the_admin_picks(fake_gusto: FakeGusto) -> None:
    """docs.gusto.com/app-integrations/docs/oauth2: an admin of several companies picks one;
    since v2023-05-01 a grant reaches exactly that company."""
    token = connect(fake_gusto, company=OTHER_COMPANY_UUID)

    assert tool.check_auth(token).remote_account_id == OTHER_COMPANY_UUID


def test_it_is_sent_back_with_access_denied_when_the_admin_denies(fake_gusto: FakeGusto) -> None:
    """RFC 6749 §4.1.2.1: a refused authorization comes back as `error=access_denied` with
    the client's `state`."""
    location = fake_gusto.consent(consent_url(), allow=False)

    assert query(location) == {"error": "access_denied", "state": "state-7Xk2"}
    assert location.startswith(REDIRECT_URI)


def test_it_shows_an_error_page_and_never_redirects_to_an_unregistered_uri(
    fake_gusto: FakeGusto,
) -> None:
    """RFC 6749 §4.1.2.1: with a redirect URI that is not the registered one the server must
    not redirect; docs.gusto.com's oauth2 guide: the redirect_uri is the one submitted with
    the app."""
    url = consent_url(redirect_uri=f"{REDIRECT_URI}/elsewhere")

    page = requests.get(url, allow_redirects=False, timeout=10)

    assert page.status_code == 400
    assert "Location" not in page.headers
    assert "redirect uri included is not valid" in page.text
    with pytest.raises(ConsentPageError):
        fake_gusto.consent(url)


def test_it_refuses_a_code_used_twice_expired_or_sent_with_another_redirect_uri(
    fake_gusto: FakeGusto,
) -> None:
    """RFC 6749 §4.1.2 and §4.1.3: a code is single use and bound to its redirect_uri;
    embedded-payroll/v2022-09-15/docs/migrate-existing-company: it expires after 10 minutes.
    Refusals are `invalid_grant` (§5.2)."""
    code = query(fake_gusto.consent(consent_url()))["code"]
    code_exchange(SPEC, CLIENT, code=code, redirect_uri=REDIRECT_URI, code_verifier=None)
    with pytest.raises(OAuthGrantRefused) as reused:
        code_exchange(SPEC, CLIENT, code=code, redirect_uri=REDIRECT_URI, code_verifier=None)

    other = query(fake_gusto.consent(consent_url()))["code"]
    with pytest.raises(OAuthGrantRefused):
        code_exchange(
            SPEC, CLIENT, code=other, redirect_uri=f"{REDIRECT_URI}?x=1", code_verifier=None
        )

    late = query(fake_gusto.consent(consent_url()))["code"]
    with (
        time_machine.travel(datetime.now(UTC) + timedelta(minutes=11)),
        pytest.raises(OAuthGrantRefused),
    ):
        code_exchange(SPEC, CLIENT, code=late, redirect_uri=REDIRECT_URI, code_verifier=None)

    assert reused.value.error == "invalid_grant"
    assert fake_gusto.invalid_grant_count == 3


def test_it_refuses_other_client_authentication_and_a_wrong_secret(fake_gusto: FakeGusto) -> None:
    """docs.gusto.com company-access-tokens: the token request is a JSON body with client_id
    and client_secret, and the secret never goes in the URL (400). RFC 6749 §5.2: a client
    that fails to authenticate gets `invalid_client` with 401, which is the operator's app,
    not the customer's grant."""
    token_url = f"{fake_gusto.base_url}/oauth/token"
    form = requests.post(
        token_url,
        data={
            "grant_type": "refresh_token",
            "refresh_token": "x",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        },
        timeout=10,
    )
    in_url = requests.post(token_url, params={"client_secret": CLIENT_SECRET}, json={}, timeout=10)
    with pytest.raises(OAuthUnavailable) as wrong_secret:
        code_exchange(
            SPEC,
            OAuthClient(CLIENT_ID, "not-the-secret"),
            code="whatever",
            redirect_uri=REDIRECT_URI,
            code_verifier=None,
        )

    assert (form.status_code, form.json()["error"]) == (401, "invalid_client")
    assert in_url.status_code == 400
    assert "invalid_client" in str(wrong_secret.value)
    assert "not-the-secret" not in str(wrong_secret.value)
    assert [r["client_auth"] for r in fake_gusto.token_requests] == [
        "form_body",
        "json_body",
        "json_body",
    ]


def test_it_keeps_the_old_refresh_token_valid_until_the_new_access_token_is_used(
    fake_gusto: FakeGusto,
) -> None:
    """app-integrations/reference/refresh-access-token: a refresh returns a new access and
    refresh token; "the previous refresh_token will be revoked on the first usage of the new
    access_token"."""
    first = connect(fake_gusto)

    second = token_refresh(SPEC, CLIENT, refresh_token=first["refresh_token"])
    repeated = token_refresh(SPEC, CLIENT, refresh_token=first["refresh_token"])
    assert second["refresh_token"] not in (None, first["refresh_token"])
    assert second["access_token"] != first["access_token"]
    assert repeated["refresh_token"] != second["refresh_token"]

    assert tool.check_auth(second).outcome == AuthOutcome.OK
    with pytest.raises(OAuthGrantRefused) as refused:
        token_refresh(SPEC, CLIENT, refresh_token=first["refresh_token"])

    assert refused.value.error == "invalid_grant"
    assert tool.check_auth(first).outcome == AuthOutcome.INVALID_CREDENTIALS
    assert token_refresh(SPEC, CLIENT, refresh_token=second["refresh_token"])["access_token"]
    assert fake_gusto.refresh_count == 3
    assert fake_gusto.invalid_grant_count == 1
    assert [r["client_auth"] for r in fake_gusto.token_requests] == ["json_body"] * 5


def test_it_keeps_the_used_refresh_token_when_the_answer_brings_none(
    fake_gusto: FakeGusto,
) -> None:
    """RFC 6749 §6: the server MAY issue a new refresh token; when it does not, the client
    keeps the one it used."""
    first = connect(fake_gusto)
    fake_gusto.answer_next_refresh_without_refresh_token()

    second = token_refresh(SPEC, CLIENT, refresh_token=first["refresh_token"])
    assert tool.check_auth(second).outcome == AuthOutcome.OK
    third = token_refresh(SPEC, CLIENT, refresh_token=second["refresh_token"])

    assert second["refresh_token"] == first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert third["refresh_token"] != first["refresh_token"]


def test_it_reports_a_revoked_grant_as_refused(fake_gusto: FakeGusto) -> None:
    """RFC 6749 §5.2: a revoked refresh token is `invalid_grant`; docs.gusto.com
    error-categories: a revoked token on the API is 401 `invalid_token`."""
    token = connect(fake_gusto)
    fake_gusto.revoke_grant(COMPANY_UUID)

    with pytest.raises(OAuthGrantRefused) as refused:
        token_refresh(SPEC, CLIENT, refresh_token=token["refresh_token"])

    assert refused.value.error == "invalid_grant"
    assert token["refresh_token"] not in str(refused.value)
    assert tool.check_auth(token).outcome == AuthOutcome.INVALID_CREDENTIALS


def test_it_refreshes_an_expired_access_token(fake_gusto: FakeGusto) -> None:
    """embedded-payroll/docs/company-access-tokens: an access token expires 2 hours after it
    is issued (401 then); the refresh token exchanges for a new pair."""
    token = connect(fake_gusto)
    fake_gusto.expire_access_tokens()

    assert tool.check_auth(token).outcome == AuthOutcome.INVALID_CREDENTIALS
    fresh = token_refresh(SPEC, CLIENT, refresh_token=token["refresh_token"])
    assert tool.check_auth(fresh).outcome == AuthOutcome.OK


@pytest.mark.parametrize(
    ("fault", "retry_after"),
    [
        (
            Fault(
                status=429, body='{"message": "Too Many Requests"}', headers={"Retry-After": "30"}
            ),
            30.0,
        ),
        (Fault(status=500, body='{"errors": []}'), None),
        (Fault(status=503, body="<html>maintenance</html>", content_type="text/html"), None),
    ],
)
def test_it_treats_a_rate_limited_or_failing_token_endpoint_as_unavailable(
    fake_gusto: FakeGusto, fault: Fault, retry_after: float | None
) -> None:
    """docs.gusto.com rate-limits: 429 with Retry-After; a 5xx says nothing about the grant.
    Neither may count against the customer's connection."""
    token = connect(fake_gusto)
    fault.matches = lambda request: request.path == "/oauth/token"
    fake_gusto.fail_next(fault)

    with pytest.raises(OAuthUnavailable) as unavailable:
        token_refresh(SPEC, CLIENT, refresh_token=token["refresh_token"])

    assert unavailable.value.retry_after_seconds == retry_after
    assert fake_gusto.refresh_count == 0
    assert token_refresh(SPEC, CLIENT, refresh_token=token["refresh_token"])["access_token"]


def test_it_can_repeat_a_refresh_whose_answer_was_lost(fake_gusto: FakeGusto) -> None:
    """app-integrations/reference/refresh-access-token: the old refresh token is revoked only
    on the first use of the new access token, so a refresh whose answer never arrived (the
    new access token was never used) can be repeated with the old refresh token."""
    token = connect(fake_gusto)
    fake_gusto.lose_next_refresh_response()

    with pytest.raises(OAuthUnavailable) as lost:
        token_refresh(SPEC, CLIENT, refresh_token=token["refresh_token"])
    repeated = token_refresh(SPEC, CLIENT, refresh_token=token["refresh_token"])

    assert "could not be reached" in str(lost.value)
    assert fake_gusto.refresh_count == 2
    assert tool.check_auth(repeated).outcome == AuthOutcome.OK
    with pytest.raises(OAuthGrantRefused):
        token_refresh(SPEC, CLIENT, refresh_token=token["refresh_token"])


def test_it_drops_the_connection_of_a_lost_refresh_like_a_network_failure(
    fake_gusto: FakeGusto,
) -> None:
    """What `lose_next_refresh_response` stands for: the refresh happened at Gusto, and the
    client's HTTP library sees a connection error, not an answer (RFC 9110 §9.2.2: a POST
    must not be retried blindly)."""
    token = fake_gusto.grant()
    fake_gusto.lose_next_refresh_response()

    with pytest.raises(requests.ConnectionError):
        requests.post(
            f"{fake_gusto.base_url}/oauth/token",
            json={
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "grant_type": "refresh_token",
                "refresh_token": token["refresh_token"],
            },
            timeout=10,
        )
    assert fake_gusto.refresh_count == 1
