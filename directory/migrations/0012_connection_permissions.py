"""The Moderators group's permissions on connections: view, change (correcting how one is
described) and delete (ending one). Only owners make connections, so not add."""

import importlib

from django.db import migrations

CONNECTION_PERMISSIONS = ["view_connection", "change_connection", "delete_connection"]


def grant_moderators(apps, schema_editor):
    moderators = importlib.import_module("directory.migrations.0003_moderators_group")
    moderators.grant_to_moderators(apps, schema_editor, CONNECTION_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0011_gathering_submission_id"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(grant_moderators, migrations.RunPython.noop),
    ]
