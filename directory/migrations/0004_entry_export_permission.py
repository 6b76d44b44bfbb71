"""The permission to download entries with their private fields from the admin (the
moderators' export), granted to the Moderators group: they already read those fields one
entry at a time, and need a copy of the whole queue for their records."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Moderators"
PERMISSION = "export_entries"


def grant_to_moderators(apps, schema_editor):
    # As in 0003: permissions are made after `migrate` finishes, so make this app's now.
    app_config = apps.get_app_config("directory")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    using = schema_editor.connection.alias
    permission = Permission.objects.using(using).get(
        content_type__app_label="directory", codename=PERMISSION
    )
    for group in Group.objects.using(using).filter(name=GROUP_NAME):
        group.permissions.add(permission)


def withdraw_from_moderators(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.using(schema_editor.connection.alias).filter(name=GROUP_NAME):
        group.permissions.remove(*group.permissions.filter(codename=PERMISSION))


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_moderators_group"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="entry",
            options={
                "ordering": ["name", "pk"],
                "permissions": [
                    ("export_entries", "Can download entries with their private fields")
                ],
                "verbose_name": "entry",
                "verbose_name_plural": "entries",
            },
        ),
        migrations.RunPython(grant_to_moderators, withdraw_from_moderators),
    ]
