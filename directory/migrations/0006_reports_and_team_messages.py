"""Reports on pages and messages to the team, and the Moderators group's permissions on them:
view and change both (closing a report and marking a message handled are changes). Not add
(they arrive through the site's forms) nor delete (`purge_old_records` deletes them on time).
"""

from importlib import import_module

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# A migration's module name starts with a digit, so it is imported by name.
moderators_group = import_module("directory.migrations.0003_moderators_group")
GROUP_NAME = moderators_group.GROUP_NAME
PERMISSIONS = ["view_report", "change_report", "view_teammessage", "change_teammessage"]


def moderators_and_permissions(apps, schema_editor):
    alias = schema_editor.connection.alias
    group = apps.get_model("auth", "Group").objects.using(alias).filter(name=GROUP_NAME).first()
    permissions = apps.get_model("auth", "Permission").objects.using(alias).filter(
        content_type__app_label="directory", codename__in=PERMISSIONS
    )
    return group, permissions


def grant_moderators(apps, schema_editor):
    # On a fresh database the new models' permissions do not exist yet.
    moderators_group.create_directory_permissions(apps, schema_editor)
    group, permissions = moderators_and_permissions(apps, schema_editor)
    if group is not None:
        group.permissions.add(*permissions)


def revoke_moderators(apps, schema_editor):
    group, permissions = moderators_and_permissions(apps, schema_editor)
    if group is not None:
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0005_entry_export_permission'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='TeamMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sender_name', models.CharField(max_length=120, verbose_name='your name')),
                ('sender_email', models.EmailField(max_length=254, verbose_name='your email address')),
                ('body', models.TextField(max_length=5000, verbose_name='message')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='received')),
                ('handled_at', models.DateTimeField(blank=True, null=True, verbose_name='handled')),
                ('handled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='handled by')),
            ],
            options={
                'verbose_name': 'message to the team',
                'verbose_name_plural': 'messages to the team',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Report',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('page_path', models.CharField(max_length=300, verbose_name='page')),
                ('page_title', models.CharField(max_length=200, verbose_name='page title')),
                ('reason', models.CharField(choices=[('wrong', 'The information is wrong or out of date'), ('off_topic', 'It does not belong on this site'), ('harmful', 'It is offensive, harmful or unkind'), ('spam', 'It is spam or advertising'), ('impersonation', 'It pretends to be someone else'), ('private', "It shows someone's private information"), ('other', 'Something else')], max_length=20, verbose_name='reason')),
                ('details', models.TextField(blank=True, max_length=2000, verbose_name='details')),
                ('reporter_email', models.EmailField(blank=True, max_length=254, verbose_name="reporter's email address")),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='reported')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed')),
                ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='closed by')),
                ('entry', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='directory.entry', verbose_name='entry')),
            ],
            options={
                'verbose_name': 'report',
                'verbose_name_plural': 'reports',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['closed_at'], name='directory_r_closed__e3f6fa_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('reason__in', ['wrong', 'off_topic', 'harmful', 'spam', 'impersonation', 'private', 'other'])), name='report_reason_valid')],
            },
        ),
        migrations.RunPython(grant_moderators, revoke_moderators),
    ]
