import pytest
from django.core.management import call_command

from directory.models import Sector
from stories.management.commands.load_content import load_content
from stories.models import Story, StorySection, TaggedStory

pytestmark = pytest.mark.django_db

UNCONFIRMED = [
    "tackling-entrenched-issues-relationally",
    "shared-ritual-and-mutual-learning",
    "flexible-relational-deathcare",
    "artists-communities-radical-imagination",
]


def content_snapshot() -> dict:
    return {
        "sectors": list(Sector.objects.values_list("slug", "name")),
        "stories": list(Story.objects.values_list("slug", "title", "published")),
        "sections": StorySection.objects.count(),
        "themes": TaggedStory.objects.count(),
    }


def test_load_content_loads_the_sectors_and_is_idempotent():
    call_command("load_content", verbosity=0)
    first = list(Sector.objects.values_list("slug", "name"))
    call_command("load_content", verbosity=0)

    assert len(first) == 12
    assert list(Sector.objects.values_list("slug", "name")) == first
    assert ("health-and-care", "Health and care") in first


def test_load_content_gives_seven_published_stories_and_loading_again_changes_nothing():
    load_content(verbosity=0)
    first = content_snapshot()
    load_content(verbosity=0)

    assert content_snapshot() == first
    assert Story.objects.published().count() == 7


def test_every_fixture_story_is_browsable_and_complete():
    load_content(verbosity=0)

    for story in Story.objects.prefetch_related("sectors", "themes", "sections"):
        assert story.sectors.exists(), story.slug
        assert story.themes.exists(), story.slug
        assert 3 <= story.sections.count() <= 5, story.slug
        words = sum(len(section.text.split()) for section in story.sections.all())
        assert 300 <= words <= 600, (story.slug, words)
        story.full_clean()


def test_fixture_invents_no_quotation_and_names_no_unconfirmed_subject():
    load_content(verbosity=0)

    assert not Story.objects.exclude(pull_quote="").exists()
    for story in Story.objects.filter(slug__in=UNCONFIRMED):
        assert story.organisation_name == ""
        assert story.place_name == ""
        assert story.map_location() is None
    assert set(Story.objects.published().located().values_list("slug", flat=True)) == {
        "switchback-prison-leavers",
        "three-community-groups",
    }


def test_loading_again_keeps_what_staff_edited_unless_asked_to_refresh():
    load_content()
    Sector.objects.filter(slug="housing").update(description="Edited by staff.")
    Sector.objects.filter(slug="arts-and-culture").delete()

    added = load_content()

    assert added == 1  # the deleted sector came back
    assert Sector.objects.get(slug="housing").description == "Edited by staff."
    load_content(refresh=True)
    assert Sector.objects.get(slug="housing").description != "Edited by staff."
