"""Who may approve, and how the consent page is protected. Only administrators (who manage API
keys) approve: a "Sign in to Sandbox HR as an administrator" guide rule, applied to OAuth. The
page asks a signed-out visitor to sign in and comes back (RFC 6749 §4.1.1: the server
authenticates the resource owner), takes decisions only as CSRF-protected POSTs (RFC 6749
§10.12), and can be framed by nobody (RFC 6749 §10.13, clickjacking)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from integrations.tools.sandbox import PERM_EMPLOYEES
from sandbox_hr.models import SandboxAccount, SandboxOAuthCode, SandboxUserRole
from tests.support.factories import SANDBOX_PASSWORD, SandboxUserFactory
from tests.support.sandbox_hr import (
    SIGN_IN,
    RegisteredApp,
    authorize_url,
    redirect_params,
    sandbox_sign_in,
)

pytestmark = pytest.mark.django_db


def test_it_lets_an_employee_see_but_not_approve(
    client: Client, account: SandboxAccount, registered: RegisteredApp
) -> None:
    sandbox_sign_in(client, SandboxUserFactory(account=account, role=SandboxUserRole.EMPLOYEE))
    url = authorize_url(registered, scope=PERM_EMPLOYEES, state="s")

    page = client.get(url, secure=True)
    allowed = client.post(url, {"decision": "allow"}, secure=True)

    assert page.status_code == 403
    assert "Only administrators of Initech AG can connect apps" in page.content.decode()
    assert 'value="allow"' not in page.content.decode()
    assert allowed.status_code == 403
    assert not SandboxOAuthCode.objects.exists()
    assert redirect_params(client.post(url, {"decision": "deny"}, secure=True))["error"] == (
        "access_denied"
    )


def test_it_asks_a_signed_out_visitor_to_sign_in_and_comes_back(
    client: Client, account: SandboxAccount, registered: RegisteredApp
) -> None:
    user = SandboxUserFactory(account=account)
    url = authorize_url(registered, scope=PERM_EMPLOYEES)

    response = client.get(url, secure=True)

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == SIGN_IN
    [next_url] = parse_qs(location.query)["next"]
    assert next_url == url
    signed_in = client.post(
        SIGN_IN, {"email": user.email, "password": SANDBOX_PASSWORD, "next": next_url}
    )
    assert signed_in["Location"] == url
    assert client.get(url, secure=True).status_code == 200


def test_it_refuses_a_decision_posted_without_the_csrf_token(
    account: SandboxAccount, registered: RegisteredApp
) -> None:
    browser = Client(enforce_csrf_checks=True)
    user = SandboxUserFactory(account=account)
    browser.get(SIGN_IN)
    token = browser.cookies["csrftoken"].value
    browser.post(
        SIGN_IN,
        {"email": user.email, "password": SANDBOX_PASSWORD, "csrfmiddlewaretoken": token},
    )
    url = authorize_url(registered, scope=PERM_EMPLOYEES)
    assert browser.get(url, secure=True).status_code == 200

    forged = browser.post(
        url, {"decision": "allow"}, secure=True, HTTP_REFERER="https://testserver/"
    )

    assert forged.status_code == 403
    assert "CSRF" in forged.content.decode()
    assert not SandboxOAuthCode.objects.exists()


@pytest.mark.usefixtures("admin")
def test_it_lets_nobody_frame_the_consent_page(client: Client, registered: RegisteredApp) -> None:
    page = client.get(authorize_url(registered, scope=PERM_EMPLOYEES), secure=True)

    assert page.status_code == 200
    assert page["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert page["X-Frame-Options"] == "DENY"
