from __future__ import annotations

from typing import Any

from django.db import migrations

from core.ids import new_id


def create_default_environments(apps: Any, schema_editor: Any) -> None:
    environment = apps.get_model("integrations", "Environment")
    for name in ("production", "sandbox"):
        if not environment.objects.filter(name=name).exists():
            environment.objects.create(id=new_id(), name=name)


class Migration(migrations.Migration):
    dependencies = [("integrations", "0001_initial")]

    operations = [
        migrations.RunPython(create_default_environments, migrations.RunPython.noop),
    ]
