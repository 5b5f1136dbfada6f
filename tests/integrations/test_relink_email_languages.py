"""The email that carries a reconnection link reads in the link's language, once.

The German catalog once held this body twice in one `msgstr`: the customer got the text and
the link two times. Expected wording and dates are what a reader of each language expects
(written here, not taken from the catalogs).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail

from core.models import Environment
from integrations.actors import Actor
from integrations.models import LinkType
from integrations.services import relink_link_create, relink_link_email
from tests.support.factories import IntegrationFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
EXPECTED = {
    "en": (
        "Please reconnect Sandbox HR",
        "Hello,",
        "The link works once and until March 10, 2027.",
    ),
    "de": (
        "Bitte verbinden Sie Sandbox HR erneut",
        "Guten Tag,",
        "Der Link funktioniert einmal und bis 10. März 2027.",
    ),
    "fr": (
        "Veuillez reconnecter Sandbox HR",
        "Bonjour,",
        "Le lien fonctionne une seule fois, jusqu’au 10 mars 2027.",
    ),
    "it": (
        "Ricollega Sandbox HR",
        "Buongiorno,",
        "Il link funziona una sola volta, fino al 10 marzo 2027.",
    ),
    "es": (
        "Vuelve a conectar Sandbox HR",
        "Hola:",
        "El enlace funciona una sola vez y hasta el 10 de marzo de 2027.",
    ),
}


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("language", list(EXPECTED))
def test_it_writes_the_email_once_in_the_links_language(
    environment: Environment, language: str
) -> None:
    integration = IntegrationFactory(environment=environment, creator_email="it@acme.example")
    link, url = relink_link_create(
        integration=integration,
        link_type=LinkType.MAGIC_LINK,
        language=language,
        actor=Actor.system("tests"),
    )

    assert relink_link_email(link=link, url=url)

    [message] = mail.outbox
    subject, greeting, last_line = EXPECTED[language]
    assert message.subject == subject
    assert message.body.startswith(greeting + "\n\n")
    assert message.body.endswith("\n\n" + last_line)
    assert message.body.count(url) == 1
    assert message.body.count(greeting) == 1
    assert message.to == ["it@acme.example"]
