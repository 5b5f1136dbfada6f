"""How the protocol reads a token endpoint's answers that are not a plain success, against
Gusto's fake answering as a vendor may.

Sources: RFC 6749 §5.1 (`scope` is left out of a token response when it is the scope that
was requested), §5.2 (`unauthorized_client`: "the authenticated client is not authorized to
use this authorization grant type", a fault of the client's registration, not of the
resource owner's grant), and §5.1's JSON body (an HTML page from a gateway is no answer).
"""

from __future__ import annotations

import json

import pytest

from integrations.tools import tool_get
from integrations.tools.oauth import OAuthClient, OAuthUnavailable, token_refresh
from tests.support.fakes.gusto import CLIENT_ID, CLIENT_SECRET, COMPANY_UUID, FakeGusto
from tests.support.fakes.server import Fault

CLIENT = OAuthClient(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)


def _to_token_endpoint(fake: FakeGusto, **fault: object) -> None:
    fake.fail_next(Fault(matches=lambda r: r.path == "/oauth/token", **fault))  # type: ignore[arg-type]


def _refresh(fake: FakeGusto, scope: str = "") -> dict[str, str]:
    spec = tool_get("gusto").oauth
    assert spec is not None
    return token_refresh(
        spec, CLIENT, refresh_token=fake.grant(COMPANY_UUID)["refresh_token"], scope=scope
    )


def test_it_keeps_the_granted_scope_when_the_answer_leaves_it_out(fake_gusto: FakeGusto) -> None:
    answer = {"access_token": "a" * 40, "token_type": "Bearer", "expires_in": 7200}
    _to_token_endpoint(fake_gusto, status=200, body=json.dumps(answer))

    token = _refresh(fake_gusto, scope="employees:read departments:read")

    assert token["scope"] == "employees:read departments:read"


def test_it_reads_an_html_answer_as_an_unavailable_endpoint(fake_gusto: FakeGusto) -> None:
    _to_token_endpoint(
        fake_gusto, status=200, body="<html>Service maintenance</html>", content_type="text/html"
    )

    with pytest.raises(OAuthUnavailable, match="unreadable"):
        _refresh(fake_gusto)


def test_it_blames_the_operators_app_for_unauthorized_client(fake_gusto: FakeGusto) -> None:
    body = {"error": "unauthorized_client", "error_description": "grant type not allowed"}
    _to_token_endpoint(fake_gusto, status=400, body=json.dumps(body))

    with pytest.raises(OAuthUnavailable, match="unauthorized_client"):
        _refresh(fake_gusto)
