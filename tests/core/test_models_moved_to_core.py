"""Environment, ApiKey and RequestLog moved from integrations to core without touching data.

What an operator upgrading an existing installation relies on: `migrate` keeps every row (no
copy, the tables keep their names), keys keep working, and the role groups keep their API-key
permissions, because Django checks a permission by its content type (Django's auth docs,
"Permissions and Authorization": `<app_label>.<codename>`). Migrating back restores the old
state just as well.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.roles import Role

BEFORE = [
    ("core", "0002_admin_unlocks_sign_in"),
    ("integrations", "0010_integration_action_permissions"),
]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


@pytest.fixture
def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def rolled_back(
    transactional_db: None, role_groups: dict[Role, Group], latest: list[tuple[str, str]]
) -> Iterator[None]:
    _migrate(BEFORE)
    yield
    _migrate(latest)


def test_it_keeps_rows_and_role_permissions_across_the_move(
    rolled_back: None, latest: list[tuple[str, str]]
) -> None:
    old_apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
    environment = old_apps.get_model("integrations", "Environment").objects.create(
        id="env1", name="legacy"
    )
    old_apps.get_model("integrations", "ApiKey").objects.create(
        id="key1", environment=environment, name="legacy key", prefix="ks_abc", key_hash="h" * 64
    )
    group = old_apps.get_model("auth", "Group").objects.get(name="Admin")
    assert group.permissions.filter(
        content_type__app_label="integrations", codename="add_apikey"
    ).exists()

    new_apps = _migrate(latest).loader.project_state(latest).apps

    api_key = new_apps.get_model("core", "ApiKey").objects.get(pk="key1")
    assert (api_key.name, api_key.environment_id) == ("legacy key", "env1")
    admin = new_apps.get_model("auth", "Group").objects.get(name="Admin")
    codenames = set(
        admin.permissions.filter(content_type__app_label="core").values_list("codename", flat=True)
    )
    assert {"add_apikey", "change_apikey", "view_apikey", "view_requestlog"} <= codenames
    content_types = new_apps.get_model("contenttypes", "ContentType").objects
    assert not content_types.filter(
        app_label="integrations", model__in=["apikey", "environment", "requestlog"]
    ).exists()


def test_it_migrates_back_to_the_integrations_app(rolled_back: None) -> None:
    apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
    content_types = apps.get_model("contenttypes", "ContentType").objects
    assert set(
        content_types.filter(model__in=["apikey", "environment", "requestlog"]).values_list(
            "app_label", flat=True
        )
    ) == {"integrations"}
