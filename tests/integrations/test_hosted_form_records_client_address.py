"""The credential history records the customer's address, not the load balancer's.

Behind one trusted proxy the customer's address is the rightmost `X-Forwarded-For` entry
(MDN, "X-Forwarded-For": trusted proxy count); without one the header is anyone's to write.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from core.models import Environment
from integrations.models import CredentialVersion
from sandbox_hr.services import sandbox_account_create, sandbox_api_key_create
from tests.support.factories import ALL_PERMISSIONS, connect_link_for_new_customer

pytestmark = pytest.mark.django_db(transaction=True)


def _connect(environment: Environment, **headers: str) -> CredentialVersion:
    new = connect_link_for_new_customer(environment=environment)
    account = sandbox_account_create(name="NewCo", employees=2, seed=5)
    _, raw = sandbox_api_key_create(account=account, name="k", permissions=ALL_PERMISSIONS)

    done = Client(**headers).post(new.path, {"api_key": raw})

    assert "Sandbox HR is connected" in done.content.decode()
    return CredentialVersion.objects.get()


def test_it_records_the_address_the_trusted_proxy_saw(
    sandbox_hr: None, environment: Environment, settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1

    version = _connect(
        environment, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.23"
    )

    assert version.ip_address == "198.51.100.23"


def test_it_records_the_peer_without_a_trusted_proxy(
    sandbox_hr: None, environment: Environment, settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 0

    version = _connect(environment, REMOTE_ADDR="198.51.100.23", HTTP_X_FORWARDED_FOR="192.0.2.1")

    assert version.ip_address == "198.51.100.23"
