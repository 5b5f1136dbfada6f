"""`GET /sandbox-hr/api/v1/legal-entities`: an account's legal entities, with `org:read`.

The contract is Sandbox HR's own (`integrations.tools.sandbox`'s docstring): cursor pages of
`{"data", "next_cursor"}`, `limit`, `updated_since`, and a 403 `missing_permission` body.
"""

from __future__ import annotations

from typing import Any

import pytest

from sandbox_hr.models import PERM_ORG, SANDBOX_PERMISSIONS, SandboxAccount, SandboxLegalEntity
from sandbox_hr.services import sandbox_account_create
from tests.support.sandbox_api import (
    all_pages,
    assert_refused_without,
    assert_updated_since_filters,
    key_for,
    record_ids,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def account() -> SandboxAccount:
    return sandbox_account_create(name="Acme GmbH", employees=5, seed=7)


def test_it_serves_every_legal_entity_one_per_page(
    live_server: Any, account: SandboxAccount
) -> None:
    pages = all_pages(live_server, "legal-entities", key_for(account, PERM_ORG), limit="1")

    assert [len(page) for page in pages] == [1, 1]
    assert sorted(record["name"] for page in pages for record in page) == [
        "Acme GmbH",
        "Acme Nederland B.V.",
    ]
    assert set(record_ids(pages)) == set(
        SandboxLegalEntity.objects.filter(account=account).values_list("pk", flat=True)
    )


def test_it_serves_a_legal_entity_with_its_address(
    live_server: Any, account: SandboxAccount
) -> None:
    records = all_pages(live_server, "legal-entities", key_for(account, PERM_ORG))[0]

    dutch = next(record for record in records if record["name"] == "Acme Nederland B.V.")
    assert dutch["address"]["city"] == "Amsterdam"
    assert dutch["address"]["country"] == "NL"
    assert dutch["updated_at"]


def test_it_returns_only_legal_entities_updated_since(
    live_server: Any, account: SandboxAccount
) -> None:
    assert_updated_since_filters(
        live_server, "legal-entities", key_for(account, PERM_ORG), SandboxLegalEntity, account
    )


def test_it_refuses_a_key_without_org_read(live_server: Any, account: SandboxAccount) -> None:
    others = [p for p in SANDBOX_PERMISSIONS if p != PERM_ORG]
    assert_refused_without(live_server, "legal-entities", account, PERM_ORG, *others)
