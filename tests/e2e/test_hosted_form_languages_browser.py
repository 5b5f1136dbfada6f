"""The hosted relink form in each of its languages, in Chromium, against the real Sandbox HR.

The customer opens the link, sends the form empty (the field says what is missing and takes
the focus), then a wrong key (exactly one alert, its text once), then the right key (the done
page). Every expected text below is what a reader of that language expects to read, written
here by a fluent reader, not taken from the catalogs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from core.models import Environment
from integrations.actors import Actor
from integrations.models import IntegrationStatus, LinkType
from integrations.services import relink_link_create
from sandbox_hr.services import sandbox_api_key_create
from tests.support.browser import BrowserConsole
from tests.support.factories import ALL_PERMISSIONS
from tests.support.relink import broken_integration
from webhooks.models import WebhookDelivery
from webhooks.services import endpoint_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass(frozen=True)
class Expected:
    title: str
    permissions: str
    label: str
    button: str
    enter_key: str
    refused: str
    done_title: str
    done: str
    done_text: str


EXPECTED = {
    "en": Expected(
        title="Reconnect Sandbox HR",
        permissions="Permissions to grant in Sandbox HR",
        label="API key",
        button="Connect",
        enter_key="Enter your API key",
        refused="Sandbox HR did not accept these credentials. Please check them and try again.",
        done_title="Connected",
        done="You're done",
        done_text="Sandbox HR is connected again. You can close this page.",
    ),
    "de": Expected(
        title="Sandbox HR erneut verbinden",
        permissions="Diese Berechtigungen in Sandbox HR erteilen",
        label="API-Schlüssel",
        button="Verbinden",
        enter_key="Geben Sie Ihren API-Schlüssel ein",
        refused=(
            "Sandbox HR hat diese Zugangsdaten nicht akzeptiert. "
            "Bitte prüfen Sie sie und versuchen Sie es erneut."
        ),
        done_title="Verbunden",
        done="Fertig",
        done_text="Sandbox HR ist wieder verbunden. Sie können diese Seite schließen.",
    ),
    "fr": Expected(
        title="Reconnecter Sandbox HR",
        permissions="Autorisations à accorder dans Sandbox HR",
        label="Clé API",
        button="Connecter",
        enter_key="Saisissez votre clé API",
        refused="Sandbox HR n’a pas accepté ces identifiants. Veuillez les vérifier et réessayer.",
        done_title="Connecté",
        done="C’est terminé",
        done_text="Sandbox HR est de nouveau connecté. Vous pouvez fermer cette page.",
    ),
    "it": Expected(
        title="Ricollega Sandbox HR",
        permissions="Autorizzazioni da concedere in Sandbox HR",
        label="Chiave API",
        button="Collega",
        enter_key="Inserisci la tua chiave API",
        refused="Sandbox HR non ha accettato queste credenziali. Controllale e riprova.",
        done_title="Collegato",
        done="Fatto",
        done_text="Sandbox HR è di nuovo collegato. Puoi chiudere questa pagina.",
    ),
    "es": Expected(
        title="Volver a conectar Sandbox HR",
        permissions="Permisos que debes conceder en Sandbox HR",
        label="Clave API",
        button="Conectar",
        enter_key="Introduce tu clave API",
        refused="Sandbox HR no ha aceptado estas credenciales. Compruébalas y vuelve a intentarlo.",
        done_title="Conectado",
        done="Listo",
        done_text="Sandbox HR vuelve a estar conectado. Puedes cerrar esta página.",
    ),
}
# English a non-English page must not show (headings, the field, the permission words).
ENGLISH = ["Data that will be read", "Credentials", "API key", "Read employees", "How to create"]
QUOTED = re.compile(r"„[^“]*“|«[^»]*»")


def _flow_failed_deliveries() -> int:
    return WebhookDelivery.objects.filter(event_type="connection-flow-failed").count()


@pytest.mark.parametrize("language", list(EXPECTED))
def test_it_walks_the_customer_through_the_form_in_the_links_language(
    page: Page,
    console: BrowserConsole,
    live_server: Any,
    environment: Environment,
    language: str,
) -> None:
    expected = EXPECTED[language]
    endpoint_create(
        environment_id=environment.pk,
        url="http://127.0.0.1:9/hooks",
        event_types=["connection-flow-failed"],
    )
    with override_settings(SANDBOX_HR_URL=live_server.url + "/sandbox-hr"):
        setup = broken_integration(environment)
        _, url = relink_link_create(
            integration=setup.integration,
            link_type=LinkType.MAGIC_LINK,
            language=language,
            actor=Actor.system("tests"),
        )
        page.goto(live_server.url + "/connect/" + url.rsplit("/", 1)[1])

        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", level=1)).to_have_text(expected.title)
        expect(page.get_by_role("heading", name=expected.permissions)).to_be_visible()
        key_field = page.get_by_label(expected.label, exact=True)
        expect(key_field).to_be_visible()
        if language != "en":
            # Sandbox HR's own screens are English: the guide quotes their names as they read
            # („Settings“, « API keys »); everything else is in the customer's language.
            shown = QUOTED.sub("", page.locator("main").inner_text())
            assert [text for text in ENGLISH if text in shown] == []

        # Sent empty: the field says so, keeps the focus, and Sandbox HR is not asked.
        page.get_by_role("button", name=expected.button, exact=True).click()
        expect(key_field).to_have_attribute("aria-invalid", "true")
        expect(key_field).to_be_focused()
        expect(page.locator(".field__error")).to_have_text(expected.enter_key)
        expect(page.get_by_role("alert")).to_have_count(0)
        assert _flow_failed_deliveries() == 0

        # A wrong key: one alert, saying it once.
        key_field.fill("sbx_this_key_does_not_exist")
        page.get_by_role("button", name=expected.button, exact=True).click()
        alert = page.get_by_role("alert")
        expect(alert).to_have_count(1)
        expect(alert).to_have_text(expected.refused)
        assert page.locator("main").inner_text().count(expected.refused) == 1
        expect(key_field).to_have_value("")
        assert _flow_failed_deliveries() == 1

        # The right key: done, in the same language.
        _, right_key = sandbox_api_key_create(
            account=setup.account, name="new", permissions=ALL_PERMISSIONS
        )
        key_field.fill(right_key)
        page.get_by_role("button", name=expected.button, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(expected.done)
        expect(page.locator("main p")).to_have_text(expected.done_text)
        expect(page).to_have_title(expected.done_title)
        assert _flow_failed_deliveries() == 1

    setup.integration.refresh_from_db()
    assert setup.integration.status == IntegrationStatus.ACTIVE
    assert [e for e in console.errors if "favicon" not in e] == []
