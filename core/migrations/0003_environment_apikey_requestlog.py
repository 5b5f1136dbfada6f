"""Environment, ApiKey and RequestLog move from integrations into core, the shared kernel.

State only: the tables keep their names (`integrations_*`), so no row is copied. Their content
types are renamed rather than re-created, so the permissions of existing groups (the roles) and
the admin's history keep pointing at them.
"""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import core.ids

MOVED = ("environment", "apikey", "requestlog")


def _content_types_move(apps: Any, schema_editor: Any, source: str, target: str) -> None:
    using = schema_editor.connection.alias
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in MOVED:
        old = ContentType.objects.using(using).filter(app_label=source, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.using(using).filter(app_label=target, model=model).first()
        if new is None:
            old.app_label = target
            old.save(update_fields=["app_label"])
            continue
        # Both exist (a database flushed after this migration ran, then given the groups
        # again): hand the groups the target's permissions of the same codename, drop the old.
        for permission in Permission.objects.using(using).filter(content_type=old):
            twin = Permission.objects.using(using).get(
                content_type=new, codename=permission.codename
            )
            for group in permission.group_set.all():
                group.permissions.add(twin)
        old.delete()


def content_types_to_core(apps: Any, schema_editor: Any) -> None:
    _content_types_move(apps, schema_editor, "integrations", "core")


def content_types_to_integrations(apps: Any, schema_editor: Any) -> None:
    _content_types_move(apps, schema_editor, "core", "integrations")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_admin_unlocks_sign_in"),
        ("integrations", "0010_integration_action_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(content_types_to_core, content_types_to_integrations),
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Environment',
                fields=[
                    ('id', models.CharField(default=core.ids.new_id, editable=False, max_length=32, primary_key=True, serialize=False)),
                    ('name', models.SlugField(max_length=64, unique=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                ],
                options={
                    'db_table': 'integrations_environment',
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='ApiKey',
                fields=[
                    ('id', models.CharField(default=core.ids.new_id, editable=False, max_length=32, primary_key=True, serialize=False)),
                    ('name', models.CharField(max_length=200)),
                    ('prefix', models.CharField(max_length=16)),
                    ('key_hash', models.CharField(max_length=64, unique=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('last_used_at', models.DateTimeField(blank=True, null=True)),
                    ('revoked_at', models.DateTimeField(blank=True, null=True)),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                    ('environment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_keys', to='core.environment')),
                ],
                options={
                    'verbose_name': 'API key',
                    'db_table': 'integrations_apikey',
                    'ordering': ['-created_at'],
                },
            ),
            migrations.CreateModel(
                name='RequestLog',
                fields=[
                    ('id', models.CharField(default=core.ids.new_id, editable=False, max_length=32, primary_key=True, serialize=False)),
                    ('method', models.CharField(max_length=10)),
                    ('path', models.CharField(max_length=500)),
                    ('status_code', models.PositiveSmallIntegerField()),
                    ('integration_id', models.CharField(blank=True, db_index=True, max_length=80, null=True)),
                    ('error_code', models.CharField(blank=True, default='', max_length=64)),
                    ('latency_ms', models.PositiveIntegerField()),
                    ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                    ('api_key', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='core.apikey')),
                    ('environment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='request_logs', to='core.environment')),
                ],
                options={
                    'db_table': 'integrations_requestlog',
                    'ordering': ['-created_at'],
                },
            ),
            ],
        ),
    ]
