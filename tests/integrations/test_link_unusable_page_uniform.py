"""Unknown, expired, revoked and used links get one and the same page for the same request
(status, headers, body), so a response tells nothing about a token: not whether it exists,
nor its link's language or type. The page speaks the language the browser asks for.

Sources: Django's `translation.get_language_from_request` documentation (the language from the
`Accept-Language` header, else `LANGUAGE_CODE`, here `en`); HTML's `lang` attribute takes a
BCP 47 language tag (never "None").
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings
from django.utils import timezone

from core.models import Environment
from integrations.actors import Actor
from integrations.models import Integration, LinkType, ReconnectionLink
from integrations.services import connect_link_create, relink_link_create, relink_link_revoke
from tests.support.factories import IntegrationFactory, ScopeConfigFactory

OPERATOR = Actor.system("tests")
OPERATOR_APP = "https://app.operator.example"
# The header's value, and the language Django's negotiation makes of it (`en` without one).
ACCEPT_LANGUAGES = {"en": "en-US,en;q=0.9", "de": "de-DE,de;q=0.9,en;q=0.5", "none": None}
EXPECTED_LANGUAGE = {"en": "en", "de": "de", "none": "en"}
# Set by `never_cache` to the moment of the response: the only header allowed to differ.
# Differ by request, whatever the token: the clock, and the request id every answer carries
# for its log lines.
CLOCK_HEADERS = {"Expires", "X-Request-ID"}


def _path(url: str) -> str:
    return urlsplit(url).path


def _spent_links(environment: Environment) -> dict[str, str]:
    """Paths of links that cannot be used any more, each in another language and type."""
    integration = IntegrationFactory(environment=environment, organization_name="Acme Corp")
    links: dict[str, str] = {}

    used, url = relink_link_create(
        integration=integration, link_type=LinkType.MAGIC_LINK, language="it", actor=OPERATOR
    )
    ReconnectionLink.objects.filter(pk=used.pk).update(used_at=timezone.now())
    links["used_magic_link"] = _path(url)

    expired, url = relink_link_create(
        integration=integration, link_type=LinkType.EMBEDDED, language="fr", actor=OPERATOR
    )
    ReconnectionLink.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    links["expired_embedded"] = _path(url)

    revoked, url = relink_link_create(
        integration=integration, link_type=LinkType.MAGIC_LINK, language="es", actor=OPERATOR
    )
    relink_link_revoke(link=revoked, actor=OPERATOR)
    links["revoked_magic_link"] = _path(url)

    connect, url = connect_link_create(
        environment_id=environment.pk,
        organization_name="Globex",
        email="it@globex.example",
        origin_id=None,
        scope_config=ScopeConfigFactory(environment=environment),
        link_type=LinkType.EMBEDDED,
        language="de",
        actor=OPERATOR,
    )
    ReconnectionLink.objects.filter(pk=connect.pk).update(used_at=timezone.now())
    links["used_connect_embedded"] = _path(url)

    deleted = IntegrationFactory(environment=environment)
    _, url = relink_link_create(
        integration=deleted, link_type=LinkType.MAGIC_LINK, language="it", actor=OPERATOR
    )
    Integration.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    links["of_a_deleted_integration"] = _path(url)
    return links


def _seen(response: HttpResponse) -> tuple[int, dict[str, str], list[str], bytes]:
    headers = {name: value for name, value in response.items() if name not in CLOCK_HEADERS}
    return response.status_code, headers, sorted(response.cookies), response.content


@override_settings(CONNECT_FRAME_ANCESTORS=[OPERATOR_APP])
@pytest.mark.parametrize("browser_language", ACCEPT_LANGUAGES)
def test_it_answers_every_unusable_token_with_the_same_page(
    environment: Environment, browser_language: str
) -> None:
    headers = {}
    if ACCEPT_LANGUAGES[browser_language] is not None:
        headers["HTTP_ACCEPT_LANGUAGE"] = ACCEPT_LANGUAGES[browser_language]
    spent = _spent_links(environment)
    # Shaped like a real token (`secrets.token_urlsafe(32)`), never issued.
    unknown = Client().get("/connect/Wq3e8Jr0nZfLk2Vb7sXyT5mQ1hGd9PcA4uRiOeNtYw", **headers)

    expected = _seen(unknown)
    status, _, _, body = expected
    assert status == 404
    language = EXPECTED_LANGUAGE[browser_language]
    assert f'<html lang="{language}">'.encode() in body
    assert unknown["Content-Language"] == language
    for name, path in spent.items():
        for method in ("get", "post"):
            answer = getattr(Client(), method)(path, **headers)
            assert _seen(answer) == expected, f"{method.upper()} {name}"
