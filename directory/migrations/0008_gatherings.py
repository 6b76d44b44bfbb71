"""Gatherings, and the Moderators group's permissions on them: view, change (the approve,
reject and cancel actions) and add (staff post the site's own gatherings)."""

import importlib

import directory.models.gatherings
import django.db.models.deletion
import taggit.managers
from django.db import migrations, models

GATHERING_PERMISSIONS = ["view_gathering", "change_gathering", "add_gathering"]




def grant_moderators(apps, schema_editor):
    moderators = importlib.import_module("directory.migrations.0003_moderators_group")
    moderators.create_directory_permissions(apps, schema_editor)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    database = schema_editor.connection.alias
    group, _created = Group.objects.using(database).get_or_create(name=moderators.GROUP_NAME)
    group.permissions.add(
        *Permission.objects.using(database).filter(
            content_type__app_label="directory", codename__in=GATHERING_PERMISSIONS
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0007_directory_version'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
    ]

    operations = [
        migrations.CreateModel(
            name='Gathering',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=140, verbose_name='title')),
                ('slug', models.SlugField(max_length=160, unique=True, verbose_name='slug')),
                ('description', models.TextField(max_length=5000, verbose_name='description')),
                ('starts_at', models.DateTimeField(verbose_name='starts')),
                ('ends_at', models.DateTimeField(verbose_name='ends')),
                ('time_zone', models.CharField(choices=directory.models.gatherings.time_zone_choices, default='Europe/London', max_length=64, verbose_name='time zone')),
                ('format', models.CharField(choices=[('in_person', 'In person'), ('online', 'Online')], default='in_person', max_length=12, verbose_name='in person or online')),
                ('place_name', models.CharField(blank=True, max_length=120, verbose_name='place')),
                ('region', models.CharField(blank=True, max_length=80, verbose_name='country or region')),
                ('latitude', models.FloatField(blank=True, null=True, verbose_name='latitude')),
                ('longitude', models.FloatField(blank=True, null=True, verbose_name='longitude')),
                ('online_link', models.URLField(blank=True, max_length=300, verbose_name='link to join online')),
                ('link_is_open', models.BooleanField(default=False, help_text='Otherwise the page says that the organiser sends the link to those coming.', verbose_name='show the link on the page')),
                ('booking_link', models.URLField(blank=True, max_length=300, verbose_name='booking link')),
                ('capacity_note', models.CharField(blank=True, max_length=200, verbose_name='places or booking note')),
                ('recording_link', models.URLField(blank=True, max_length=300, verbose_name='recording')),
                ('notes', models.TextField(blank=True, max_length=5000, verbose_name='notes afterwards')),
                ('status', models.CharField(choices=[('awaiting_review', 'Awaiting review'), ('published', 'Published'), ('rejected', 'Rejected'), ('cancelled', 'Cancelled')], default='awaiting_review', max_length=20, verbose_name='status')),
                ('rejection_reason', models.TextField(blank=True, max_length=2000, verbose_name='reason for rejection')),
                ('uid', models.CharField(default=directory.models.gatherings.new_uid, editable=False, max_length=100, unique=True)),
                ('sequence', models.PositiveIntegerField(default=0, editable=False, verbose_name='revision')),
                ('is_demo', models.BooleanField(default=False, verbose_name='demo gathering')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='first published')),
                ('cancelled_at', models.DateTimeField(blank=True, null=True, verbose_name='cancelled')),
                ('organiser', models.ForeignKey(blank=True, help_text="The entry that organises it; none for the site's own gatherings.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name='gatherings', to='directory.entry', verbose_name='organiser')),
                ('sectors', models.ManyToManyField(blank=True, related_name='gatherings', to='directory.sector', verbose_name='sectors')),
                ('themes', taggit.managers.TaggableManager(blank=True, help_text='A comma-separated list of tags.', through='taggit.TaggedItem', to='taggit.Tag', verbose_name='themes')),
            ],
            options={
                'verbose_name': 'gathering',
                'verbose_name_plural': 'gatherings',
                'ordering': ['starts_at', 'pk'],
                'indexes': [models.Index(fields=['status', 'ends_at'], name='directory_g_status_da0c61_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['awaiting_review', 'published', 'rejected', 'cancelled'])), name='gathering_status_valid'), models.CheckConstraint(condition=models.Q(('format__in', ['in_person', 'online'])), name='gathering_format_valid'), models.CheckConstraint(condition=models.Q(('ends_at__gte', models.F('starts_at'))), name='gathering_ends_after_it_starts'), models.CheckConstraint(condition=models.Q(('format', 'online'), models.Q(('latitude__gte', -90), ('latitude__isnull', False), ('latitude__lte', 90), ('longitude__gte', -180), ('longitude__isnull', False), ('longitude__lte', 180)), _connector='OR'), name='gathering_in_person_has_a_point')],
            },
        ),
        migrations.RunPython(grant_moderators, migrations.RunPython.noop),
    ]
