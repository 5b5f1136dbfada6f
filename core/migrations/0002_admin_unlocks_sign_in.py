"""The Admin role may unlock a sign-in django-axes locked (see core/roles.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management import create_permissions
from django.db import migrations

UNLOCK = [("axes", "view_accessattempt"), ("axes", "delete_accessattempt")]


def _permissions(apps: Any, using: str) -> list[Any]:
    # As in 0001: permissions of a fresh database only appear after the last migration.
    axes = apps.get_app_config("axes")
    axes.models_module = True
    create_permissions(axes, apps=apps, using=using, verbosity=0)
    axes.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.using(using).get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in UNLOCK
    ]


def grant_unlock(apps: Any, schema_editor: Any) -> None:
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Group.objects.using(using).get(name="Admin").permissions.add(*_permissions(apps, using))


def revoke_unlock(apps: Any, schema_editor: Any) -> None:
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Group.objects.using(using).get(name="Admin").permissions.remove(*_permissions(apps, using))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_role_groups"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant_unlock, revoke_unlock)]
