"""`GET /sandbox-hr/api/v1/locations`: an account's work locations, with `org:read`.

The contract is Sandbox HR's own (`integrations.tools.sandbox`'s docstring): cursor pages of
`{"data", "next_cursor"}`, `limit`, `updated_since`, and a 403 `missing_permission` body.
"""

from __future__ import annotations

from typing import Any

import pytest

from sandbox_hr.models import (
    PERM_EMPLOYEES,
    PERM_ORG,
    SANDBOX_PERMISSIONS,
    SandboxAccount,
    SandboxLocation,
)
from sandbox_hr.services import sandbox_account_create
from tests.support.sandbox_api import (
    all_pages,
    assert_pages_serve_every_record,
    assert_refused_without,
    assert_updated_since_filters,
    key_for,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def account() -> SandboxAccount:
    return sandbox_account_create(name="Acme GmbH", employees=5, seed=7)


def test_it_serves_every_location_across_pages(live_server: Any, account: SandboxAccount) -> None:
    assert_pages_serve_every_record(
        live_server, "locations", key_for(account, PERM_ORG), SandboxLocation, account
    )


def test_it_serves_a_location_with_its_address(live_server: Any, account: SandboxAccount) -> None:
    berlin = SandboxLocation.objects.get(account=account, name="Berlin HQ")

    records = all_pages(live_server, "locations", key_for(account, PERM_ORG))[0]

    served = next(record for record in records if record["id"] == berlin.pk)
    assert served["name"] == "Berlin HQ"
    assert served["type"] == "office"
    assert served["address"] == {
        "street": "Torstraße 109",
        "city": "Berlin",
        "zip": "10119",
        "country": "DE",
    }
    remote = next(record for record in records if record["type"] == "remote")
    assert remote["address"] is None


def test_it_returns_only_locations_updated_since(live_server: Any, account: SandboxAccount) -> None:
    assert_updated_since_filters(
        live_server, "locations", key_for(account, PERM_ORG), SandboxLocation, account
    )


def test_it_refuses_a_key_without_org_read(live_server: Any, account: SandboxAccount) -> None:
    others = [p for p in SANDBOX_PERMISSIONS if p != PERM_ORG]
    assert PERM_EMPLOYEES in others
    assert_refused_without(live_server, "locations", account, PERM_ORG, *others)
