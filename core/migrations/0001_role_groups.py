"""The operator roles as auth groups: Viewer, Operator, Admin (see core/roles.py).

A snapshot, not an import of core/roles.py: a later change there needs its own migration, and
a test fails until the groups in the database match it again.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = [
    "integrations.view_integration",
    "integrations.view_apikey",
    "integrations.view_requestlog",
    "integrations.view_scopeconfig",
    "integrations.view_scopeconfigmigration",
    "integrations.view_environment",
    "integrations.view_issue",
    "integrations.view_credentialversion",
    "integrations.view_integrationevent",
    "integrations.view_reconnectionlink",
    "syncs.view_sync",
    "syncs.view_authcheck",
    "syncs.view_employee",
    "syncs.view_group",
    "webhooks.view_webhookendpoint",
    "webhooks.view_webhookdelivery",
    "webhooks.view_inspectorrequest",
    "webhooks.view_webhookevent",
    "webhooks.view_webhookattempt",
    "sandbox_hr.view_sandboxaccount",
    "sandbox_hr.view_sandboxuser",
    "sandbox_hr.view_sandboxapikey",
    "sandbox_hr.view_sandboxgroup",
    "sandbox_hr.view_sandboxemployee",
]
OPERATE = [
    "integrations.relink_integration",
    "integrations.check_auth_integration",
    "integrations.force_sync_integration",
    "integrations.enable_integration",
    "webhooks.redeliver_webhookdelivery",
    "webhooks.send_test_webhookendpoint",
    "sandbox_hr.control_sandboxaccount",
]
CONFIGURE = [
    "integrations.add_apikey",
    "integrations.change_apikey",
    "integrations.delete_integration",
    "integrations.add_scopeconfig",
    "integrations.change_scopeconfig",
    "integrations.add_scopeconfigmigration",
    "webhooks.add_webhookendpoint",
    "webhooks.change_webhookendpoint",
    "webhooks.delete_webhookendpoint",
]
GROUPS = {
    "Viewer": READ,
    "Operator": READ + OPERATE,
    "Admin": READ + OPERATE + CONFIGURE,
}


def create_role_groups(apps: Any, schema_editor: Any) -> None:
    using = schema_editor.connection.alias
    # Permissions are otherwise created by post_migrate, after the last migration: too late
    # for the groups. Django's documented way to create them from inside a migration.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, using=using, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in GROUPS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(
            [
                Permission.objects.using(using).get(
                    content_type__app_label=app_label, codename=codename
                )
                for app_label, codename in (p.split(".") for p in permissions)
            ]
        )


def delete_role_groups(apps: Any, schema_editor: Any) -> None:
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("integrations", "0010_integration_action_permissions"),
        ("sandbox_hr", "0003_sandbox_control_permission"),
        ("syncs", "0001_initial"),
        ("webhooks", "0004_delivery_endpoint_action_permissions"),
    ]

    operations = [migrations.RunPython(create_role_groups, delete_role_groups)]
