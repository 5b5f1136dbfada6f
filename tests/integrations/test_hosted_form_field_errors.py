"""An empty or malformed credential on the hosted form is answered next to its field, in the
link's language, without asking the tool: no live check, no `connection-flow-failed`.

Expected texts are what a native reader of each language expects to read (written here, not
taken from the catalogs); the form markup follows WAI-ARIA's `aria-invalid` /
`aria-describedby` for a field in error, and the first such field takes the focus.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, override_settings

from core.models import Environment
from integrations.actors import Actor
from integrations.models import LinkType, ReconnectionLink
from integrations.services import relink_link_create
from tests.support.factories import IntegrationFactory
from tests.support.relink import broken_integration
from webhooks.models import WebhookDelivery, WebhookEvent
from webhooks.services import endpoint_create

pytestmark = pytest.mark.django_db(transaction=True)
OPERATOR = Actor.system("tests")
ENTER_YOUR_API_KEY = {
    "en": "Enter your API key",
    "de": "Geben Sie Ihren API-Schlüssel ein",
    "fr": "Saisissez votre clé API",
    "it": "Inserisci la tua chiave API",
    "es": "Introduce tu clave API",
}
REFUSED = "did not accept these credentials"


@pytest.fixture
def subscribed(environment: Environment) -> None:
    """An endpoint that would receive every connection-flow-failed."""
    endpoint_create(
        environment_id=environment.pk,
        url="http://127.0.0.1:9/hooks",
        event_types=["connection-flow-failed"],
    )


def _path(integration: Any, language: str = "en") -> str:
    _, url = relink_link_create(
        integration=integration, link_type=LinkType.MAGIC_LINK, language=language, actor=OPERATOR
    )
    return "/connect/" + url.rsplit("/", 1)[1]


def _field(html: str, key: str) -> str:
    match = re.search(rf'<input id="field-{key}"[^>]*>', html)
    assert match, f"no input for {key}"
    return match.group(0)


def _no_flow_failed() -> bool:
    return (
        not WebhookEvent.objects.filter(type="connection-flow-failed").exists()
        and not WebhookDelivery.objects.exists()
    )


@pytest.mark.parametrize("language", list(ENTER_YOUR_API_KEY))
def test_it_asks_for_the_empty_api_key_next_to_its_field_in_the_links_language(
    sandbox_hr: None, subscribed: None, environment: Environment, language: str
) -> None:
    setup = broken_integration(environment)
    path = _path(setup.integration, language)

    response = Client().post(path, {"api_key": "   "})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(ENTER_YOUR_API_KEY[language]) == 1
    assert 'role="alert"' not in html
    assert REFUSED not in html
    field = _field(html, "api_key")
    assert 'aria-invalid="true"' in field
    assert "autofocus" in field
    assert 'aria-describedby="field-api_key-error field-api_key-help"' in field
    assert f'<p class="field__error" id="field-api_key-error">{ENTER_YOUR_API_KEY[language]}' in (
        html
    )
    assert _no_flow_failed()
    assert ReconnectionLink.objects.filter(used_at__isnull=False).count() == 0


@pytest.mark.parametrize(
    ("value", "answer"),
    [
        ("sbx_" + "a" * 5000, "This is far too long. Please paste only the value itself."),
        ("sbx_abc\nX-Injected: 1", "This contains line breaks, invisible or special characters"),
        ("sbx_abc\x00", "This contains line breaks, invisible or special characters"),
        ("sbx_\u200babc", "This contains line breaks, invisible or special characters"),
        ("sbx_äbc", "This contains line breaks, invisible or special characters"),
    ],
    ids=["too-long", "line-break", "nul", "zero-width-space", "non-ascii"],
)
def test_it_answers_a_value_no_key_can_be_next_to_its_field_without_asking_the_tool(
    environment: Environment, subscribed: None, value: str, answer: str
) -> None:
    """Sandbox HR is not even served here: asking it would say it could not be reached."""
    setup_path = _path(IntegrationFactory(environment=environment))

    with override_settings(SANDBOX_HR_URL="http://127.0.0.1:9/sandbox-hr"):
        response = Client().post(setup_path, {"api_key": value})

    html = response.content.decode()
    assert html.count(answer) == 1
    assert "could not be reached" not in html
    assert 'aria-invalid="true"' in _field(html, "api_key")
    assert _no_flow_failed()


def test_it_checks_every_field_and_focuses_the_first_one_in_error(
    fake_bamboohr: Any, subscribed: None, environment: Environment
) -> None:
    """BambooHR's company domain has a format (the part before .bamboohr.com); the API key is
    missing. Both are answered at once, BambooHR is never asked, and the typed domain stays."""
    path = _path(IntegrationFactory(environment=environment, tool="bamboohr"), "de")

    response = Client().post(path, {"companyDomain": "acme corp", "apiKey": ""})

    html = response.content.decode()
    domain, key = _field(html, "companyDomain"), _field(html, "apiKey")
    assert "Geben Sie nur den Teil vor .bamboohr.com ein" in html
    assert "Geben Sie Ihren API-Schlüssel ein" in html
    assert 'aria-invalid="true"' in domain
    assert 'aria-invalid="true"' in key
    assert "autofocus" in domain
    assert "autofocus" not in key
    assert 'value="acme corp"' in domain
    assert fake_bamboohr.requests == []
    assert _no_flow_failed()


def test_it_accepts_a_whole_bamboohr_address_as_the_company_domain(
    fake_bamboohr: Any, subscribed: None, environment: Environment
) -> None:
    """People paste their BambooHR address; the connector reads the company out of it, so the
    form must not refuse it (the key is wrong here: BambooHR is asked and says so)."""
    path = _path(IntegrationFactory(environment=environment, tool="bamboohr"))

    response = Client().post(
        path, {"companyDomain": "https://acme.bamboohr.com/", "apiKey": "0" * 40}
    )

    assert "BambooHR did not accept these credentials" in response.content.decode()
    assert fake_bamboohr.requests
    assert WebhookEvent.objects.filter(type="connection-flow-failed").count() == 1
