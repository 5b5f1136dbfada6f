"""A form another website makes the customer's browser submit to a link is refused.

The hosted form cannot use Django's CSRF cookie (it does not reach a form inside the
operator's cross-site iframe), so it reads what browsers say about every form post instead:
`Sec-Fetch-Site` and `Origin`. Our own page's posts are same-origin, also in that iframe.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from core.models import Environment
from integrations.models import IntegrationStatus, LinkType
from integrations.services import connect_link_create, link_find, relink_link_create
from tests.support.factories import ALL_PERMISSIONS, ScopeConfigFactory
from tests.support.relink import (
    OPERATOR,
    broken_integration,
    hosted_form_path,
    integration_snapshot,
    new_sandbox_key,
)

pytestmark = pytest.mark.django_db(transaction=True)

FORGED = "This form was sent from another website"
OWN_ORIGIN = "http://testserver"


def _link(environment: Environment, language: str = "en") -> tuple[Any, str]:
    setup = broken_integration(environment)
    _, url = relink_link_create(
        integration=setup.integration,
        link_type=LinkType.EMBEDDED,
        language=language,
        actor=OPERATOR,
    )
    return setup, hosted_form_path(url)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "http://testserver.evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://app.testserver"},
        # A browser that says same-origin but an Origin of someone else is not believed.
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "https://evil.example"},
    ],
    ids=["other-origin", "lookalike", "opaque", "cross-site", "same-site", "contradicting"],
)
def test_it_refuses_valid_credentials_posted_from_another_site_and_changes_nothing(
    sandbox_hr: None, environment: Environment, headers: dict[str, str]
) -> None:
    setup, path = _link(environment)
    credentials = new_sandbox_key(setup, *ALL_PERMISSIONS)
    before = integration_snapshot(setup.integration)

    response = Client(**headers).post(path, credentials)

    assert response.status_code == 403
    page = response.content.decode()
    assert FORGED in page
    assert "nothing was changed" in page
    assert credentials["api_key"] not in page
    assert integration_snapshot(setup.integration) == before
    link = link_find(token=path.rsplit("/", 1)[1])
    assert link is not None
    assert link.used_at is None
    # Framing rules still apply: the page may show inside the operator's iframe only.
    assert "frame-ancestors" in response["Content-Security-Policy"]


def test_it_completes_posts_from_its_own_page(sandbox_hr: None, environment: Environment) -> None:
    setup, path = _link(environment)
    browser = Client(HTTP_ORIGIN=OWN_ORIGIN, HTTP_SEC_FETCH_SITE="same-origin")

    response = browser.post(path, new_sandbox_key(setup, *ALL_PERMISSIONS))

    assert response.status_code == 200
    assert "You're done" in response.content.decode()
    setup.integration.refresh_from_db()
    assert setup.integration.status == IntegrationStatus.ACTIVE


@override_settings(BASE_URL="https://connect.example.com", ALLOWED_HOSTS=["*"])
def test_it_accepts_the_public_origin_behind_a_proxy(
    sandbox_hr: None, environment: Environment
) -> None:
    setup, path = _link(environment)
    # The proxy forwards to an internal host name; the browser names the public one.
    browser = Client(HTTP_ORIGIN="https://connect.example.com", HTTP_HOST="web-1.internal")

    response = browser.post(path, new_sandbox_key(setup, *ALL_PERMISSIONS))

    assert response.status_code == 200
    assert "You're done" in response.content.decode()


def test_it_tells_the_customer_in_the_links_language(
    sandbox_hr: None, environment: Environment
) -> None:
    _, path = _link(environment, language="de")

    response = Client(HTTP_SEC_FETCH_SITE="cross-site").post(path, {"api_key": "sbx_x"})

    assert response.status_code == 403
    assert "Dieses Formular wurde von einer anderen Website gesendet" in response.content.decode()


def test_it_refuses_a_forged_new_connection_and_creates_nothing(environment: Environment) -> None:
    scope_config = ScopeConfigFactory(environment=environment)
    _, url = connect_link_create(
        environment_id=environment.pk,
        organization_name="Forged AG",
        email="hr@forged.example",
        origin_id=None,
        tool_id="sandbox",
        scope_config=scope_config,
        link_type=LinkType.MAGIC_LINK,
        language="en",
        actor=OPERATOR,
    )

    response = Client(HTTP_ORIGIN="https://evil.example").post(
        hosted_form_path(url), {"api_key": "sbx_anything"}
    )

    assert response.status_code == 403
    assert FORGED in response.content.decode()
    assert not environment.integrations.exists()
