"""Alert subscriptions (issue 15): a visitor's standing request for a digest of what becomes public
in an area or a field. Depends on 0007; re-pointed after the gatherings' migration at merge."""

import directory.models.alerts
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0008_gatherings'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
    ]

    operations = [
        migrations.CreateModel(
            name='AlertSubscription',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(max_length=254, verbose_name='email address (private)')),
                ('place_name', models.CharField(blank=True, max_length=120, verbose_name='place')),
                ('latitude', models.FloatField(blank=True, null=True, verbose_name='latitude')),
                ('longitude', models.FloatField(blank=True, null=True, verbose_name='longitude')),
                ('radius_km', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='radius (km)')),
                ('south', models.FloatField(blank=True, null=True)),
                ('west', models.FloatField(blank=True, null=True)),
                ('north', models.FloatField(blank=True, null=True)),
                ('east', models.FloatField(blank=True, null=True)),
                ('wants_stories', models.BooleanField(default=False, verbose_name='new stories')),
                ('wants_gatherings', models.BooleanField(default=False, verbose_name='new gatherings')),
                ('frequency', models.CharField(choices=[('daily', 'Daily'), ('weekly', 'Weekly')], default='weekly', max_length=10, verbose_name='how often')),
                ('key', models.CharField(default=directory.models.alerts.new_alert_key, editable=False, max_length=32)),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='email confirmed')),
                ('sent_up_to', models.DateTimeField(blank=True, null=True, verbose_name='sent up to')),
                ('last_sent_at', models.DateTimeField(blank=True, null=True, verbose_name='last digest sent')),
                ('sectors', models.ManyToManyField(blank=True, related_name='+', to='directory.sector', verbose_name='sectors')),
                ('themes', models.ManyToManyField(blank=True, related_name='+', to='taggit.tag', verbose_name='themes')),
            ],
            options={
                'verbose_name': 'alert subscription',
                'verbose_name_plural': 'alert subscriptions',
                'ordering': ['pk'],
                'indexes': [models.Index(fields=['frequency', 'confirmed_at'], name='directory_a_frequen_367e13_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('frequency__in', ['daily', 'weekly'])), name='alert_frequency_valid'), models.CheckConstraint(condition=models.Q(('latitude__isnull', True), models.Q(('latitude__gte', -90), ('latitude__lte', 90), ('longitude__gte', -180), ('longitude__lte', 180)), _connector='OR'), name='alert_point_in_range'), models.CheckConstraint(condition=models.Q(('south__isnull', True), ('south__lte', models.F('north')), _connector='OR'), name='alert_box_south_of_north')],
            },
        ),
    ]
