"""The Moderators group's permissions on connections: view, change (correcting how one is
described) and delete (ending one). Only owners make connections, so not add."""

import importlib

from django.db import migrations

CONNECTION_PERMISSIONS = ["view_connection", "change_connection", "delete_connection"]


def grant_moderators(apps, schema_editor):
    moderators = importlib.import_module("directory.migrations.0003_moderators_group")
    moderators.create_directory_permissions(apps, schema_editor)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    database = schema_editor.connection.alias
    group, _created = Group.objects.using(database).get_or_create(name=moderators.GROUP_NAME)
    group.permissions.add(
        *Permission.objects.using(database).filter(
            content_type__app_label="directory", codename__in=CONNECTION_PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0010_connections"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(grant_moderators, migrations.RunPython.noop),
    ]
