"""Every role reads the OAuth apps and flows; the Admin role also saves OAuth apps (see
core/roles.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = [("integrations", "view_oauthapp"), ("integrations", "view_oauthflow")]
CONFIGURE = [("integrations", "add_oauthapp"), ("integrations", "change_oauthapp")]
GRANTS = {"Viewer": READ, "Operator": READ, "Admin": READ + CONFIGURE}


def _permissions(apps: Any, using: str, names: list[tuple[str, str]]) -> list[Any]:
    # As in 0001: permissions of a fresh database only appear after the last migration.
    integrations = apps.get_app_config("integrations")
    integrations.models_module = True
    create_permissions(integrations, apps=apps, using=using, verbosity=0)
    integrations.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.using(using).get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in names
    ]


def grant(apps: Any, schema_editor: Any) -> None:
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    for name, names in GRANTS.items():
        Group.objects.using(using).get(name=name).permissions.add(
            *_permissions(apps, using, names)
        )


def revoke(apps: Any, schema_editor: Any) -> None:
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    for name, names in GRANTS.items():
        Group.objects.using(using).get(name=name).permissions.remove(
            *_permissions(apps, using, names)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_environment_apikey_requestlog"),
        ("integrations", "0013_oauth_apps_and_flows"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
