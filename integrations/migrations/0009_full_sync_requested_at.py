from django.db import migrations, models
from django.utils import timezone


def requested_type_to_timestamp(apps, schema_editor):
    Integration = apps.get_model("integrations", "Integration")
    Integration.objects.filter(next_sync_type="FULL").update(
        full_sync_requested_at=timezone.now()
    )


def timestamp_to_requested_type(apps, schema_editor):
    Integration = apps.get_model("integrations", "Integration")
    Integration.objects.filter(full_sync_requested_at__isnull=False).update(next_sync_type="FULL")


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0008_dashboard_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="integration",
            name="full_sync_requested_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(requested_type_to_timestamp, timestamp_to_requested_type),
        migrations.RemoveField(
            model_name="integration",
            name="next_sync_type",
        ),
    ]
