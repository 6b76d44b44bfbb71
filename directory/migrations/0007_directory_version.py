"""The content versions caches and HTTP validators key on, one row per part of the site,
starting now: whatever a cache holds from before this release is then of an older version."""

from django.db import migrations, models
from django.utils import timezone

SCOPES = ["directory", "stories"]


def start_versions(apps, schema_editor):
    ContentVersion = apps.get_model("directory", "ContentVersion")
    alias = schema_editor.connection.alias
    for scope in SCOPES:
        ContentVersion.objects.using(alias).get_or_create(
            scope=scope, defaults={"number": 1, "changed_at": timezone.now()}
        )


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0006_reports_and_team_messages"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                (
                    "scope",
                    models.CharField(
                        choices=[
                            ("directory", "the directory: entries, resources, sectors and themes"),
                            ("stories", "stories and evidence"),
                        ],
                        max_length=20,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("number", models.PositiveBigIntegerField(default=0)),
                ("changed_at", models.DateTimeField()),
            ],
            options={
                "verbose_name": "content version",
            },
        ),
        migrations.RunPython(start_versions, migrations.RunPython.noop),
    ]
