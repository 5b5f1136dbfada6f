"""Calling Sandbox HR's API over real HTTP, as the `sandbox` connector does, and the checks its
list endpoints share: paging to the end, `updated_since` and the 403 for a missing permission.

The contract is Sandbox HR's own, written down in `integrations.tools.sandbox`'s docstring.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import requests
from django.db.models import Model

from sandbox_hr.models import SandboxAccount
from sandbox_hr.services import sandbox_api_key_create

OLD = datetime(2020, 1, 1, tzinfo=UTC)


def key_for(account: SandboxAccount, *permissions: str) -> str:
    _, raw_key = sandbox_api_key_create(account=account, name="tests", permissions=permissions)
    return raw_key


def api_get(live_server: Any, path: str, raw_key: str | None, **params: str) -> requests.Response:
    headers = {"Authorization": f"Bearer {raw_key}"} if raw_key is not None else {}
    return requests.get(
        f"{live_server.url}/sandbox-hr/api/v1/{path}", headers=headers, params=params, timeout=10
    )


def all_pages(live_server: Any, path: str, raw_key: str, **params: str) -> list[list[dict]]:
    pages: list[list[dict]] = []
    while True:
        response = api_get(live_server, path, raw_key, **params)
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append(body["data"])
        if body["next_cursor"] is None:
            return pages
        params["cursor"] = body["next_cursor"]


def record_ids(pages: list[list[dict]]) -> list[str]:
    return [record["id"] for page in pages for record in page]


def assert_pages_serve_every_record(
    live_server: Any, path: str, raw_key: str, model: type[Model], account: SandboxAccount
) -> list[list[dict]]:
    """Small pages to the end serve each of the account's rows exactly once."""
    expected = set(model._default_manager.filter(account=account).values_list("pk", flat=True))
    assert len(expected) > 3
    pages = all_pages(live_server, path, raw_key, limit="3")
    ids = record_ids(pages)
    assert len(pages) > 1
    assert all(len(page) <= 3 for page in pages)
    assert len(ids) == len(set(ids))
    assert set(ids) == expected
    return pages


def assert_updated_since_filters(
    live_server: Any, path: str, raw_key: str, model: type[Model], account: SandboxAccount
) -> None:
    """Rows last changed before `updated_since` are left out; the others are all served."""
    rows = model._default_manager.filter(account=account).order_by("pk")
    old_ids = set(rows.values_list("pk", flat=True)[::2])
    model._default_manager.filter(pk__in=old_ids).update(updated_at=OLD)
    recent_ids = set(rows.values_list("pk", flat=True)) - old_ids

    since = record_ids(all_pages(live_server, path, raw_key, updated_since="2024-01-01T00:00:00Z"))
    everything = record_ids(all_pages(live_server, path, raw_key))

    assert set(since) == recent_ids
    assert set(everything) == old_ids | recent_ids


def assert_refused_without(
    live_server: Any, path: str, account: SandboxAccount, permission: str, *others: str
) -> None:
    """A key with every other permission gets a 403 naming the missing one."""
    response = api_get(live_server, path, key_for(account, *others))

    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "missing_permission"
    assert error["permission"] == permission
    assert permission in error["message"]
