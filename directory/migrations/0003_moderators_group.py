"""The "Moderators" group: staff who review entries in the admin.

Exactly these permissions, and why:
- directory.view_entry, directory.change_entry: read entries, correct them, and take the
  moderation actions (approve, reject, approve or reject an owner's changes).
- directory.view_historicalentry: read each entry's history (who changed what, and when).
- directory.view_sector: see sectors, and pick them in an entry's sector box.
- directory.view_resource, change_resource, delete_resource: correct or remove a link an
  entry shares.
Not granted: add_entry (entries arrive through the join form, which confirms the owner's
email), delete_entry (erasure is the owner's right, or a superuser's), and anything on
contact messages, which are private and deleted once delivered.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Moderators"
PERMISSIONS = [
    "view_entry",
    "change_entry",
    "view_historicalentry",
    "view_sector",
    "view_resource",
    "change_resource",
    "delete_resource",
]


def create_directory_permissions(apps, schema_editor):
    # Permissions are usually made after `migrate` finishes; on a fresh database they do
    # not exist yet, so make this app's now (it skips those that exist).
    app_config = apps.get_app_config("directory")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    app_config.models_module = None


def create_moderators_group(apps, schema_editor):
    create_directory_permissions(apps, schema_editor)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.using(schema_editor.connection.alias).get_or_create(
        name=GROUP_NAME
    )
    permissions = Permission.objects.using(schema_editor.connection.alias).filter(
        content_type__app_label="directory", codename__in=PERMISSIONS
    )
    group.permissions.set(permissions)


def grant_to_moderators(apps, schema_editor, codenames: list[str]) -> None:
    """Add these directory permissions to the group, for a later migration's new model."""
    create_directory_permissions(apps, schema_editor)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    database = schema_editor.connection.alias
    group, _created = Group.objects.using(database).get_or_create(name=GROUP_NAME)
    group.permissions.add(
        *Permission.objects.using(database).filter(
            content_type__app_label="directory", codename__in=codenames
        )
    )


def delete_moderators_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_moderation_contact_and_resources"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_moderators_group, delete_moderators_group),
    ]
