"""Connecting and relinking an OAuth tool through the vendor's consent page (Gusto's fake).

Sources: RFC 6749 §4.1 (authorization code grant: `state` round trip, the redirect URI of the
authorization request repeated exactly at the token endpoint, `error=access_denied` when the
resource owner denies), §10.12 (`state` binds the answer to the user-agent's request: used
once); Gusto's OAuth guide (docs.gusto.com, "OAuth2": the company a token belongs to is
`GET /v1/token_info`'s `resource.uuid`); Kombo's webhooks guide for `connection-flow-failed`
("sent whenever an error occurs during the connection flow ... can still be successfully
completed after this webhook is sent").
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from core.models import Environment
from integrations.actors import Actor
from integrations.models import (
    CredentialVersion,
    Integration,
    IntegrationStatus,
    LinkType,
    OAuthFlow,
    ReconnectionLink,
)
from integrations.selectors.integrations import credentials_current
from integrations.services import (
    connect_link_create,
    integration_record_auth_result,
    relink_link_create,
)
from integrations.services.oauth_flow import oauth_redirect_uri
from integrations.tools import tool_get
from integrations.tools.base import AuthResult
from tests.support.factories import ScopeConfigFactory
from tests.support.fakes.gusto import CLIENT_ID, COMPANY_UUID, OTHER_COMPANY_UUID, FakeGusto
from tests.support.oauth import link_path, oauth_integration, vendor_trip
from tests.support.relink import integration_snapshot
from webhooks.models import WebhookEvent
from webhooks.services import endpoint_create

pytestmark = pytest.mark.django_db(transaction=True)
OPERATOR = Actor.system("tests")


@pytest.fixture
def gusto(gusto_app: FakeGusto, environment: Environment) -> FakeGusto:
    """Gusto with the operator's app, and an endpoint that gets `connection-flow-failed`."""
    endpoint_create(
        environment_id=environment.pk,
        url="http://127.0.0.1:9/hooks",
        event_types=["connection-flow-failed"],
    )
    return gusto_app


def _invalid_integration(gusto: FakeGusto, environment: Environment) -> Integration:
    integration = oauth_integration(
        environment=environment,
        tool_id="gusto",
        token=gusto.grant(COMPANY_UUID),
        remote_account_id=COMPANY_UUID,
        scope_config=ScopeConfigFactory(environment=environment),
    )
    gusto.revoke_grant(COMPANY_UUID)
    failure = AuthResult.invalid("Gusto refused the refresh token (invalid_grant).")
    start = timezone.now() - timedelta(days=4)
    for day in range(5):
        integration_record_auth_result(
            integration_id=integration.pk, result=failure, now=start + timedelta(days=day)
        )
    integration.refresh_from_db()
    assert integration.status == IntegrationStatus.INVALID
    return integration


def _relink_url(integration: Integration, language: str = "en") -> str:
    _, url = relink_link_create(
        integration=integration,
        link_type=LinkType.MAGIC_LINK,
        language=language,
        actor=OPERATOR,
    )
    return url


def _flow_failures() -> int:
    return WebhookEvent.objects.filter(type="connection-flow-failed").count()


def test_it_connects_a_new_customer_through_the_consent_page(
    gusto: FakeGusto, environment: Environment
) -> None:
    _, url = connect_link_create(
        environment_id=environment.pk,
        organization_name="Initech",
        email="it@initech.example",
        origin_id="initech",
        scope_config=ScopeConfigFactory(environment=environment),
        link_type=LinkType.MAGIC_LINK,
        language="en",
        actor=OPERATOR,
        tool_id="gusto",
    )
    page = Client().get(link_path(url))
    assert b"Continue to Gusto" in page.content
    assert b'name="client_secret"' not in page.content

    done = vendor_trip(Client(), url, lambda authorize: gusto.consent(authorize))

    assert done.status_code == 200
    assert b"You're done" in done.content
    integration = Integration.objects.get(tool="gusto")
    assert integration.remote_account_id == COMPANY_UUID
    stored = credentials_current(integration=integration)
    assert stored is not None
    assert stored["refresh_token"]
    # What was stored is the grant's working token.
    assert tool_get("gusto").check_auth(stored).remote_account_id == COMPANY_UUID


def test_it_sends_the_customer_to_the_vendor_with_a_state_and_our_redirect_uri(
    gusto: FakeGusto, environment: Environment
) -> None:
    url = _relink_url(_invalid_integration(gusto, environment))

    started = Client().post(link_path(url))

    authorize = urlsplit(started["Location"])
    query = parse_qs(authorize.query)
    assert f"{authorize.scheme}://{authorize.netloc}" == gusto.base_url
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [oauth_redirect_uri()]
    assert query["response_type"] == ["code"]
    assert len(query["state"][0]) >= 32
    # Only a hash of the state is kept.
    assert not OAuthFlow.objects.filter(state_hash=query["state"][0]).exists()


def test_it_relinks_an_invalid_integration_with_the_same_company(
    gusto: FakeGusto, environment: Environment
) -> None:
    integration = _invalid_integration(gusto, environment)
    versions = CredentialVersion.objects.filter(integration=integration).count()

    done = vendor_trip(Client(), _relink_url(integration), lambda a: gusto.consent(a))

    assert b"You're done" in done.content, done.content.decode()[-3000:]
    integration.refresh_from_db()
    assert integration.status == IntegrationStatus.ACTIVE
    assert CredentialVersion.objects.filter(integration=integration).count() == versions + 1


def test_it_refuses_a_consent_given_for_another_company(
    gusto: FakeGusto, environment: Environment
) -> None:
    integration = _invalid_integration(gusto, environment)
    url = _relink_url(integration)
    before = integration_snapshot(integration)

    page = vendor_trip(Client(), url, lambda a: gusto.consent(a, company=OTHER_COMPANY_UUID))

    assert page.status_code == 200
    assert b"belong to another Gusto account" in page.content
    integration.refresh_from_db()
    assert integration_snapshot(integration) == before
    assert _flow_failures() == 1
    # The link is still usable: the right company can complete it.
    done = vendor_trip(Client(), url, lambda a: gusto.consent(a, company=COMPANY_UUID))
    assert b"You're done" in done.content


def test_it_names_the_scopes_the_customer_did_not_grant(
    gusto: FakeGusto, environment: Environment
) -> None:
    integration = _invalid_integration(gusto, environment)
    url = _relink_url(integration)
    before = integration_snapshot(integration)
    gusto.app_scopes = ("employees:read",)

    page = vendor_trip(Client(), url, lambda a: gusto.consent(a))

    assert b"lack permissions the requested data needs" in page.content
    assert b"departments" in page.content.split(b'role="alert"')[1].split(b"</div>")[0]
    integration.refresh_from_db()
    assert integration_snapshot(integration) == before
    assert _flow_failures() == 1


def test_it_keeps_the_link_usable_when_the_customer_denies_consent(
    gusto: FakeGusto, environment: Environment
) -> None:
    """A German link: the page a German reader gets says nothing changed and the link works."""
    integration = _invalid_integration(gusto, environment)
    url = _relink_url(integration, language="de")
    before = integration_snapshot(integration)

    page = vendor_trip(Client(), url, lambda a: gusto.consent(a, allow=False))

    assert page.status_code == 200
    assert "Sie haben den Zugriff in Gusto nicht erlaubt" in page.content.decode()
    integration.refresh_from_db()
    assert integration_snapshot(integration) == before
    assert _flow_failures() == 1
    link = ReconnectionLink.objects.get(integration=integration, revoked_at__isnull=True)
    assert link.used_at is None
    done = vendor_trip(Client(), url, lambda a: gusto.consent(a))
    assert "Gusto ist wieder verbunden" in done.content.decode()


def test_it_accepts_a_state_only_once(gusto: FakeGusto, environment: Environment) -> None:
    integration = _invalid_integration(gusto, environment)
    customer = Client()
    started = customer.post(link_path(_relink_url(integration)))
    back = urlsplit(gusto.consent(started["Location"]))
    callback = f"{back.path}?{back.query}"

    first = customer.get(callback)
    replayed = customer.get(callback)
    forged = customer.get(back.path + "?state=not-a-state&code=abc")

    assert b"You're done" in first.content
    assert replayed.status_code == 404
    assert forged.status_code == 404
    assert [request["grant_type"] for request in gusto.token_requests] == ["authorization_code"]


def test_it_refuses_a_consent_brought_back_by_another_browser(
    gusto: FakeGusto, environment: Environment
) -> None:
    """RFC 6749 §10.12: the callback must come from the browser that left for the vendor.
    Someone with the link could otherwise have another company's admin consent on a URL they
    sent them, and connect that company through their link."""
    integration = _invalid_integration(gusto, environment)
    url = _relink_url(integration)
    before = integration_snapshot(integration)
    attacker = Client()
    started = attacker.post(link_path(url))
    back = urlsplit(gusto.consent(started["Location"]))
    callback = f"{back.path}?{back.query}"

    victim = Client().get(callback)

    assert victim.status_code == 404
    integration.refresh_from_db()
    assert integration_snapshot(integration) == before
    assert gusto.token_requests == []
    # The trip still belongs to the browser that made it.
    assert b"You're done" in attacker.get(callback).content


def test_it_asks_to_start_again_after_too_long_at_the_vendor(
    gusto: FakeGusto, environment: Environment
) -> None:
    """A trip's state is good for 20 minutes; the link itself still is, and the page says
    so (in the link's language) instead of calling the link unusable."""
    integration = _invalid_integration(gusto, environment)
    url = _relink_url(integration, language="de")
    customer = Client()
    started = customer.post(link_path(url))
    back = urlsplit(gusto.consent(started["Location"]))

    with time_machine.travel(timezone.now() + timedelta(minutes=21)):
        page = customer.get(f"{back.path}?{back.query}")

    assert page.status_code == 200
    assert "länger als 20 Minuten bei Gusto" in page.content.decode()
    assert gusto.token_requests == []
    done = vendor_trip(customer, url, lambda a: gusto.consent(a))
    assert "Gusto ist wieder verbunden" in done.content.decode()


def test_it_does_not_offer_a_link_revoked_while_the_customer_was_away(
    gusto: FakeGusto, environment: Environment
) -> None:
    integration = _invalid_integration(gusto, environment)
    url = _relink_url(integration)
    customer = Client()
    started = customer.post(link_path(url))
    back = urlsplit(gusto.consent(started["Location"], allow=False))
    ReconnectionLink.objects.filter(integration=integration).update(revoked_at=timezone.now())

    page = customer.get(f"{back.path}?{back.query}")

    assert page.status_code == 404
    assert b"use this link again" not in page.content
    assert _flow_failures() == 0
