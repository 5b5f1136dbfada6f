"""Creating a reconnection link from the integration page is POST → 303 → GET: the link's URL
is shown on that one GET and never again, and reloading it creates nothing.

Expectations: RFC 9110 §15.4.4 (303 See Other: the client retrieves the result with a GET) and
§5.2 of RFC 9111 (`no-store`); the operator reading the links table in English ("German", the
scope config's name, "Magic link").
"""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from core.models import Environment
from integrations.models import ReconnectionLink
from tests.support.factories import IntegrationFactory, ScopeConfigFactory

pytestmark = pytest.mark.django_db


def _shown_url(html: str) -> str | None:
    match = re.search(r'<code class="mono" id="relink-url">([^<]+)</code>', html)
    return match.group(1) if match else None


def _stored_sessions() -> str:
    return " ".join(repr(session.get_decoded()) for session in Session.objects.all())


def test_it_shows_the_new_link_once_after_a_redirect(
    operator_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(environment=environment)

    created = operator_client.post(
        f"/dashboard/integrations/{integration.pk}/relink/",
        {"link_type": "MAGIC_LINK", "language": "de"},
    )
    sessions_meanwhile = _stored_sessions()
    shown = operator_client.get(created["Location"])
    reloaded = operator_client.get(created["Location"])

    assert created.status_code == 303
    url = _shown_url(shown.content.decode())
    assert url is not None
    token = url.rsplit("/", 1)[1]
    assert token not in created["Location"]
    assert token not in sessions_meanwhile
    assert "no-store" in shown["Cache-Control"]
    assert "no-store" in reloaded["Cache-Control"]
    assert _shown_url(reloaded.content.decode()) is None
    assert "cannot be shown again" in reloaded.content.decode()
    assert token not in reloaded.content.decode()
    assert ReconnectionLink.objects.filter(integration=integration).count() == 1


def test_it_shows_each_of_two_links_created_in_two_tabs(
    operator_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(environment=environment)
    first, second = (
        operator_client.post(
            f"/dashboard/integrations/{integration.pk}/relink/",
            {"link_type": link_type, "language": "en"},
        )
        for link_type in ("MAGIC_LINK", "EMBEDDED")
    )

    first_url = _shown_url(operator_client.get(first["Location"]).content.decode())
    second_url = _shown_url(operator_client.get(second["Location"]).content.decode())

    assert first_url is not None
    assert second_url is not None
    assert first_url != second_url


def test_it_names_the_links_type_language_and_scope_config(
    operator_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(environment=environment)
    wider = ScopeConfigFactory(environment=environment, name="Wider data")
    created = operator_client.post(
        f"/dashboard/integrations/{integration.pk}/relink/",
        {"link_type": "MAGIC_LINK", "language": "de", "scope_config": wider.pk},
        follow=True,
    )
    operator_client.post(
        f"/dashboard/integrations/{integration.pk}/relink/",
        {"link_type": "EMBEDDED", "language": "fr"},
    )

    shown = created.content.decode()
    page = operator_client.get(f"/dashboard/integrations/{integration.pk}/").content.decode()
    [table] = re.findall(r'aria-label="Reconnection links".*?</table>', page, re.S)
    rows = [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr>.*?</tr>", table.split("<tbody>")[1], re.S)
    ]

    assert "Magic link in German" in shown
    assert "“Wider data”" in shown
    assert "Magic Link link" not in shown
    assert re.search(r"Embedded link French current .* Not opened yet Revoke", rows[0]), rows[0]
    assert re.search(r"Magic link German Wider data .* Not opened yet Revoke", rows[1]), rows[1]
    assert wider.pk not in table


def test_it_offers_to_keep_the_current_scope_config_or_move_to_another(
    operator_client: Client, environment: Environment
) -> None:
    integration = IntegrationFactory(environment=environment)
    ScopeConfigFactory(environment=environment, name="Wider data")

    page = operator_client.get(f"/dashboard/integrations/{integration.pk}/").content.decode()
    [select] = re.findall(r'<select name="scope_config".*?</select>', page, re.S)

    assert "Keep the current one (Default)" in select
    assert '<optgroup label="Move to">' in select
    assert "Wider data" in select
    assert select.count("<option") == 2
