"""Brings a site loaded with the November 2026 content up to the checked version of
December 2026 (issue 11): corrected statistics and sources with their "source says" records,
the new Aldrich & Sawada (2015) source, and stories that state only what is known.

load_content only adds missing rows, so without this an existing site would keep the old
figures. Rows are matched as the fixtures name them (sources by citation key, the rest by
primary key); rows staff added are left alone. A fresh database has nothing to correct:
load_content brings the corrected fixtures.
"""

import json
from pathlib import Path

from django.core.management.color import no_style
from django.db import migrations

CORRECTIONS = Path(__file__).with_suffix(".json")


def apply_corrections(apps, schema_editor):
    Source = apps.get_model("stories", "Source")
    Statistic = apps.get_model("stories", "Statistic")
    if not Statistic.objects.exists():
        return
    corrections = json.loads(CORRECTIONS.read_text(encoding="utf-8"))
    created = correct_sources(Source, corrections["sources"])
    for pk, fields in corrections["statistics"].items():
        related_keys = fields.pop("related_sources", [])
        Statistic.objects.filter(pk=pk).update(**fields)
        for statistic in Statistic.objects.filter(pk=pk):
            statistic.related_sources.add(*Source.objects.filter(key__in=related_keys))
    for model_name, rows in (
        ("Story", corrections["stories"]),
        ("StorySection", corrections["sections"]),
    ):
        model = apps.get_model("stories", model_name)
        for pk, fields in rows.items():
            model.objects.filter(pk=pk).update(**fields)
    if created:
        # A row inserted with its fixture's primary key leaves PostgreSQL's sequence behind.
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Source]):
                cursor.execute(statement)


def correct_sources(Source, rows: dict) -> bool:
    """Updates the sources by key, and adds the new ones with their fixture's primary key
    when it is free, so a later load_content finds them in place. Says whether it added any."""
    created = False
    for key, fields in rows.items():
        pk = fields.pop("pk", None)
        if Source.objects.filter(key=key).update(**fields) or pk is None:
            # Only a new source is created; a corrected one staff have deleted stays gone.
            continue
        if not Source.objects.filter(pk=pk).exists():
            fields["pk"] = pk
        Source.objects.create(key=key, **fields)
        created = True
    return created


class Migration(migrations.Migration):
    dependencies = [("stories", "0003_facets_optional_article_number_source_says")]

    operations = [migrations.RunPython(apply_corrections, migrations.RunPython.noop)]
