"""The permission to download entries with their private fields from the admin (the
moderators' export), granted to the Moderators group: they already read those fields one
entry at a time, and need a copy of the whole queue for their records."""

from importlib import import_module

from django.db import migrations

# A migration's module name starts with a digit, so it is imported by name.
moderators_group = import_module("directory.migrations.0003_moderators_group")
PERMISSION = "export_entries"


def grant_to_moderators(apps, schema_editor):
    moderators_group.create_directory_permissions(apps, schema_editor)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    using = schema_editor.connection.alias
    permission = Permission.objects.using(using).get(
        content_type__app_label="directory", codename=PERMISSION
    )
    for group in Group.objects.using(using).filter(name=moderators_group.GROUP_NAME):
        group.permissions.add(permission)


def withdraw_from_moderators(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    groups = Group.objects.using(schema_editor.connection.alias)
    for group in groups.filter(name=moderators_group.GROUP_NAME):
        group.permissions.remove(*group.permissions.filter(codename=PERMISSION))


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_owner_flows"),
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
