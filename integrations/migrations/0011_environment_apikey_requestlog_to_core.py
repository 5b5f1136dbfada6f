"""Environment, ApiKey and RequestLog now live in core (core 0003): state only, no table
changes; the foreign keys to environments point at core's model, on the same table."""

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_environment_apikey_requestlog"),
        ("integrations", "0010_integration_action_permissions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='requestlog',
                name='api_key',
            ),
            migrations.AlterField(
                model_name='scopeconfigmigration',
                name='environment',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scope_config_migrations', to='core.environment'),
            ),
            migrations.AlterField(
                model_name='reconnectionlink',
                name='environment',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reconnection_links', to='core.environment'),
            ),
            migrations.AlterField(
                model_name='scopeconfig',
                name='environment',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scope_configs', to='core.environment'),
            ),
            migrations.RemoveField(
                model_name='requestlog',
                name='environment',
            ),
            migrations.AlterField(
                model_name='integration',
                name='environment',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='integrations', to='core.environment'),
            ),
            migrations.DeleteModel(
                name='ApiKey',
            ),
            migrations.DeleteModel(
                name='RequestLog',
            ),
            migrations.DeleteModel(
                name='Environment',
            ),
            ],
        ),
    ]
