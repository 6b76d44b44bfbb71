"""The corrections reach a site that already holds the November 2026 content, where
load_content (which only adds missing rows) would leave the old figures in place."""

import json

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from stories.models import Source, Statistic, Story

BEFORE = [("stories", "0002_evidence")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def fixture_rows(name: str, model: str) -> dict:
    rows = json.loads((settings.BASE_DIR / "fixtures" / f"{name}.json").read_text())
    return {row["pk"]: row["fields"] for row in rows if row["model"] == model}


def load_november_rows(apps):
    """A few rows exactly as the November fixtures held them."""
    OldSource = apps.get_model("stories", "Source")
    OldStatistic = apps.get_model("stories", "Statistic")
    OldStory = apps.get_model("stories", "Story")
    common = {"kind": "journal_article", "verified": True}
    aldrich = OldSource.objects.create(
        pk=3, key="aldrich-2023", kind="report", authors="Aldrich, D. P.", year=2023
    )
    meyer = OldSource.objects.create(
        pk=4, key="aldrich-meyer-2015", authors="Aldrich, D. P.\nMeyer, M. A.", year=2015, **common
    )
    jones = OldSource.objects.create(
        pk=11, key="jones-2020", authors="Jones, R.", year=2020, month=5, day=25, **common
    )
    disaster = OldStatistic.objects.create(
        pk=3,
        label="Disaster survival",
        figure="up to 10×",
        finding="Death rates were as much as ten times lower where social ties were strongest.",
        source=aldrich,
        published=True,
    )
    disaster.related_sources.add(meyer)
    OldStatistic.objects.create(
        pk=10,
        label="Volunteering",
        figure="10 million",
        finding="This many people gave at least three hours a week.",
        source=jones,
        published=True,
    )
    OldStory.objects.create(
        pk=3,
        title="Building social integration through shared ritual and mutual learning",
        slug="shared-ritual-and-mutual-learning",
        strapline="A strapline.",
        summary="A summary.",
        scale="neighbourhood",
        organisation_kind="not_confirmed",
        published=True,
    )


@pytest.mark.django_db(transaction=True)
def test_migrating_a_site_with_the_november_content_gives_the_checked_figures():
    load_november_rows(migrate(BEFORE))

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    statistics = fixture_rows("evidence", "stories.statistic")
    for statistic in Statistic.objects.all():
        expected = statistics[statistic.pk]
        for name in ("label", "figure", "finding", "source_says", "accuracy_note"):
            assert getattr(statistic, name) == expected[name], (statistic.label, name)
    disaster = Statistic.objects.get(pk=3)
    assert {source.key for source in disaster.related_sources.all()} == {
        "aldrich-meyer-2015",
        "aldrich-sawada-2015",
    }
    sawada = Source.objects.get(key="aldrich-sawada-2015")
    assert sawada.pk == 19 and sawada.verified
    assert sawada.doi == "10.1016/j.socscimed.2014.11.025"
    assert Source.objects.get(key="jones-2020").day == 26
    assert not Source.objects.get(key="aldrich-2023").verified
    story = Story.objects.get(pk=3)
    assert (story.scale, story.organisation_kind) == ("", "")
    # The sequence moved past the inserted key, so staff can still add sources.
    added = Source.objects.create(key="added-later", kind="report", year=2026)
    assert added.pk > 19


@pytest.mark.django_db(transaction=True)
def test_migrating_an_empty_site_adds_nothing():
    migrate(BEFORE)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert not Source.objects.exists()
    assert not Statistic.objects.exists()
