"""Credentials a customer sets through a connect link record where they came from (the link,
the client's address and user agent), exactly as a relink link's do: the design's
CredentialVersion "who/what set them (connect link, relink link, operator), when, from which
IP/user agent"."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

from core.models import Environment
from integrations.actors import Actor
from integrations.models import CredentialSource, CredentialVersion, Integration, LinkType
from integrations.services import relink_link_create
from sandbox_hr.services import sandbox_account_create, sandbox_api_key_create
from tests.support.factories import ALL_PERMISSIONS, connect_link_for_new_customer
from tests.support.relink import broken_integration

pytestmark = pytest.mark.django_db(transaction=True)
OPERATOR = Actor.system("tests")
CUSTOMER_ADDRESS = "203.0.113.41"
CUSTOMER_BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


def _submit(url: str, fields: dict[str, str], *, done_text: str) -> None:
    browser = Client(REMOTE_ADDR=CUSTOMER_ADDRESS, HTTP_USER_AGENT=CUSTOMER_BROWSER)
    done = browser.post(urlsplit(url).path, fields)
    assert done.status_code == 200
    assert done_text in done.content.decode()


def test_it_records_link_address_and_user_agent_of_connect_link_credentials(
    sandbox_hr: str, environment: Environment
) -> None:
    new = connect_link_for_new_customer(environment=environment)
    account = sandbox_account_create(name="NewCo", employees=2, seed=3)
    _, raw = sandbox_api_key_create(account=account, name="k", permissions=ALL_PERMISSIONS)

    _submit(new.path, {"api_key": raw}, done_text="Sandbox HR is connected")

    version = CredentialVersion.objects.get(integration=Integration.objects.get())
    assert version.source == CredentialSource.CONNECT_LINK
    assert (version.link_id, version.ip_address, version.user_agent) == (
        new.link.pk,
        CUSTOMER_ADDRESS,
        CUSTOMER_BROWSER,
    )


def test_it_records_them_as_a_relink_link_does(sandbox_hr: str, environment: Environment) -> None:
    setup = broken_integration(environment)
    link, url = relink_link_create(
        integration=setup.integration,
        link_type=LinkType.MAGIC_LINK,
        language="en",
        actor=OPERATOR,
    )
    _, raw = sandbox_api_key_create(account=setup.account, name="new", permissions=ALL_PERMISSIONS)

    _submit(url, {"api_key": raw}, done_text="You're done")

    version = setup.integration.credential_versions.order_by("-created_at").first()
    assert version is not None
    assert version.source == CredentialSource.RELINK_LINK
    assert (version.link_id, version.ip_address, version.user_agent) == (
        link.pk,
        CUSTOMER_ADDRESS,
        CUSTOMER_BROWSER,
    )
