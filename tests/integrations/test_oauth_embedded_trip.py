"""An EMBEDDED link's page learns how its popup trip to the vendor ended by asking us.

Sources: Kombo's Connect docs (the embedded flow ends with an activation token the operator's
backend exchanges once with `GET /connect/integration-by-token/{token}`); the HTML Standard's
Cross-Origin-Opener-Policy (a vendor page with `same-origin` severs the popup from its opener,
so the popup cannot be relied on to tell the page); RFC 6749 §4.1.2.1 (`access_denied`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

from core.models import Environment
from integrations.actors import Actor
from integrations.models import LinkType
from integrations.services import activation_token_exchange, connect_link_create
from tests.support.factories import ScopeConfigFactory
from tests.support.fakes.gusto import FakeGusto
from tests.support.oauth import vendor_trip

pytestmark = pytest.mark.django_db(transaction=True)


def _link(environment: Environment, link_type: LinkType = LinkType.EMBEDDED) -> str:
    _, url = connect_link_create(
        environment_id=environment.pk,
        organization_name="Initech",
        email="it@initech.example",
        origin_id="initech",
        scope_config=ScopeConfigFactory(environment=environment),
        link_type=link_type,
        language="fr",
        actor=Actor.system("tests"),
        tool_id="gusto",
    )
    return url


def _trip(url: str) -> dict[str, str]:
    response = Client().get(urlsplit(url).path + "/oauth-trip")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body: dict[str, str] = response.json()
    return body


def test_it_hands_the_activation_token_of_a_completed_trip_to_the_page_once(
    gusto_app: FakeGusto, environment: Environment
) -> None:
    url = _link(environment)
    assert _trip(url)["state"] == "WAITING"

    popup_page = vendor_trip(Client(), url, lambda a: gusto_app.consent(a))
    first, again = _trip(url), _trip(url)

    assert first["state"] == again["state"] == "COMPLETED"
    assert "activation_token" not in again
    # The popup's page never shows one.
    assert first["activation_token"] not in popup_page.content.decode()
    integration = activation_token_exchange(
        environment_id=environment.pk, token=first["activation_token"]
    )
    assert integration is not None
    assert integration.tool == "gusto"


def test_it_tells_the_page_what_the_customer_was_told_when_consent_was_denied(
    gusto_app: FakeGusto, environment: Environment
) -> None:
    url = _link(environment)

    vendor_trip(Client(), url, lambda a: gusto_app.consent(a, allow=False))
    trip = _trip(url)

    assert trip["state"] == "FAILED"
    assert trip["message"].startswith("Vous n’avez pas autorisé l’accès dans Gusto")
    assert trip["trip"]


def test_it_answers_only_for_embedded_links(gusto_app: FakeGusto, environment: Environment) -> None:
    url = _link(environment, LinkType.MAGIC_LINK)

    response = Client().get(urlsplit(url).path + "/oauth-trip")
    unknown = Client().get("/connect/" + "x" * 43 + "/oauth-trip")

    assert response.status_code == unknown.status_code == 404


def test_it_names_the_scopes_the_customer_did_not_grant(
    gusto_app: FakeGusto, environment: Environment
) -> None:
    """The embedded page says what the popup said: which permissions are missing, in the
    link's language (French here)."""
    gusto_app.app_scopes = ("employees:read",)
    url = _link(environment)

    vendor_trip(Client(), url, lambda a: gusto_app.consent(a))
    trip = _trip(url)

    assert trip["state"] == "FAILED"
    # Gusto's `departments:read` (docs.gusto.com, "Scopes"), as a French reader reads it.
    assert "Lire les services de l’entreprise" in trip["message"]
