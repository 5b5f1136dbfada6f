"""EMBEDDED links: framable only by the operator's origins, no CSRF cookie needed inside a
cross-site iframe, and an activation token the operator's backend exchanges once (kombo SDK)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings
from kombo import Kombo, errors

from core.models import ApiKey, Environment
from core.services import api_key_create
from integrations.actors import Actor
from integrations.models import IntegrationStatus, LinkType
from integrations.services import relink_link_create
from sandbox_hr.services import sandbox_api_key_create
from tests.support.factories import ALL_PERMISSIONS
from tests.support.relink import broken_integration, link_token

pytestmark = pytest.mark.django_db(transaction=True)
OPERATOR = Actor.system("tests")
OPERATOR_APP = "https://app.operator.example"


@pytest.fixture
def sandbox_hr(live_server: Any) -> Iterator[None]:
    with override_settings(
        SANDBOX_HR_URL=live_server.url + "/sandbox-hr", CONNECT_FRAME_ANCESTORS=[OPERATOR_APP]
    ):
        yield


def _path(setup: Any, link_type: LinkType) -> str:
    _, url = relink_link_create(
        integration=setup.integration, link_type=link_type, language="en", actor=OPERATOR
    )
    return f"/connect/{link_token(url)}"


def test_it_lets_only_the_operators_origins_frame_an_embedded_link(
    sandbox_hr: None, environment: Environment
) -> None:
    setup = broken_integration(environment)

    embedded = Client().get(_path(setup, LinkType.EMBEDDED))
    magic = Client().get(_path(setup, LinkType.MAGIC_LINK))
    unknown = Client().get("/connect/nope")

    # The unusable page is one page for every token (an EMBEDDED link that expired inside the
    # operator's iframe explains itself there), so an unknown one is framable like it.
    for page in (embedded, unknown):
        assert page["Content-Security-Policy"] == f"frame-ancestors 'self' {OPERATOR_APP}"
        assert "X-Frame-Options" not in page
    assert 'id="connect-close"' in embedded.content.decode()
    assert magic["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert magic["X-Frame-Options"] == "DENY"


def test_it_completes_without_a_csrf_cookie_and_hands_over_an_activation_token(
    sandbox_hr: None,
    environment: Environment,
    other_environment: Environment,
    live_server: Any,
    api_key: tuple[ApiKey, str],
) -> None:
    setup = broken_integration(environment)
    _, raw = sandbox_api_key_create(account=setup.account, name="new", permissions=ALL_PERMISSIONS)
    # As inside a cross-site iframe: no CSRF cookie or token reaches the form.
    browser = Client(enforce_csrf_checks=True)

    done = browser.post(_path(setup, LinkType.EMBEDDED), {"api_key": raw})

    assert done.status_code == 200
    html = done.content.decode()
    assert 'postMessage({ type: "success", data: { activation_token: token } }, "*")' in html
    activation_token = json.loads(
        html.split('id="activation-token" type="application/json">')[1].split("</script>")[0]
    )
    setup.integration.refresh_from_db()
    assert setup.integration.status == IntegrationStatus.ACTIVE

    _, other_key = api_key_create(environment=other_environment, name="other")
    foreign = Kombo(api_key=other_key, server_url=f"{live_server.url}/api/v1")
    with pytest.raises(errors.KomboGeneralError):
        foreign.connect.get_integration_by_token(token=activation_token)

    sdk = Kombo(api_key=api_key[1], server_url=f"{live_server.url}/api/v1")
    data = sdk.connect.get_integration_by_token(token=activation_token).data
    assert (data.id, data.tool, data.end_user_organization_name) == (
        setup.integration.pk,
        "sandbox",
        setup.integration.organization_name,
    )
    with pytest.raises(errors.KomboGeneralError) as again:
        sdk.connect.get_integration_by_token(token=activation_token)
    assert again.value.data.error.code == "PLATFORM.INPUT_INVALID"


def test_a_magic_link_hands_out_no_activation_token(
    sandbox_hr: None, environment: Environment
) -> None:
    setup = broken_integration(environment)
    _, raw = sandbox_api_key_create(account=setup.account, name="new", permissions=ALL_PERMISSIONS)

    done = Client().post(_path(setup, LinkType.MAGIC_LINK), {"api_key": raw})

    assert "activation-token" not in done.content.decode()
