import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from stories.models import Story

pytestmark = pytest.mark.django_db


def test_published_queryset_holds_only_published_stories(make_story):
    shown = make_story("Shown")
    make_story("Draft", published=False)

    assert list(Story.objects.published()) == [shown]


def test_is_published_mirrors_the_queryset_rule(make_story):
    for story in [make_story("Shown"), make_story("Draft", published=False)]:
        assert story.is_published() == Story.objects.published().filter(pk=story.pk).exists()


def test_publishing_dates_the_first_publication_once(make_story):
    story = make_story("Draft", published=False)
    assert story.published_at is None

    story.published = True
    story.save(update_fields=["published"])
    first = Story.objects.get(pk=story.pk).published_at
    story.save()

    assert first is not None
    assert Story.objects.get(pk=story.pk).published_at == first


def test_filters_select_by_sector_theme_scale_and_kind(make_sector, make_story):
    justice = make_sector("Criminal justice")
    match = make_story(
        "Through the gate",
        sectors=[justice],
        themes=["Mentoring"],
        scale=Story.Scale.TOWN_OR_CITY,
        organisation_kind=Story.OrganisationType.CHARITY,
    )
    make_story("Elsewhere", themes=["Ritual"], organisation_kind=Story.OrganisationType.BUSINESS)
    theme = match.themes.get()

    assert list(Story.objects.in_sector(justice)) == [match]
    assert list(Story.objects.with_theme(theme)) == [match]
    assert list(Story.objects.at_scale(Story.Scale.TOWN_OR_CITY)) == [match]
    assert list(Story.objects.of_organisation_type(Story.OrganisationType.CHARITY)) == [match]


def test_located_stories_have_both_coordinates(make_story):
    placed = make_story("Placed", latitude=51.5, longitude=-0.1)
    make_story("Nowhere")

    assert list(Story.objects.located()) == [placed]


def test_related_stories_share_a_sector_or_a_theme_and_never_the_story_itself(
    make_sector, make_story
):
    health, arts = make_sector("Health and care"), make_sector("Arts and culture")
    story = make_story("Listening", sectors=[health], themes=["Dialogue"])
    same_sector = make_story("Same sector", sectors=[health])
    same_theme = make_story("Same theme", sectors=[arts], themes=["dialogue"])
    make_story("Unrelated", sectors=[arts], themes=["Ritual"])

    assert set(Story.objects.related_to(story)) == {same_sector, same_theme}


def test_geojson_feature_puts_longitude_first_and_links_to_the_story(make_story, settings):
    story = make_story("Placed", latitude=53.523, longitude=-2.176)

    feature = story.geojson_feature()

    assert feature["geometry"] == {"type": "Point", "coordinates": [-2.176, 53.523]}
    assert feature["properties"]["title"] == "Placed"
    assert feature["properties"]["summary"] == story.summary
    assert feature["properties"]["url"] == settings.SITE_URL + story.get_absolute_url()


def test_map_location_is_none_without_a_point(make_story):
    assert make_story("Nowhere").map_location() is None
    assert make_story("Somewhere", latitude=51.5, longitude=-0.1).map_location() == {
        "latitude": 51.5,
        "longitude": -0.1,
        "approximate": False,
        "kind": "story",
    }


@pytest.mark.parametrize(
    "fields",
    [
        {"latitude": 51.5},
        {"longitude": -0.1},
        {"latitude": 91, "longitude": 0},
        {"latitude": 0, "longitude": 181},
        {"scale": "galactic"},
        {"organisation_kind": "cabal"},
    ],
)
def test_database_refuses_an_incomplete_or_invalid_story(make_story, fields):
    with pytest.raises(IntegrityError):
        make_story("Broken", **fields)


def test_full_clean_names_the_field_to_fix(make_story):
    story = make_story("Needs work")
    story.latitude = 51.5
    story.image_url = "/static/img/story.jpg"
    story.pull_quote_attribution = "Someone"

    with pytest.raises(ValidationError) as error:
        story.full_clean()

    assert set(error.value.message_dict) == {"longitude", "image_alt", "pull_quote"}


@pytest.mark.parametrize(
    "path",
    [
        "https://example.org/photo.jpg",
        "//example.org/photo.jpg",
        "/admin/photo.jpg",
        'javascript:alert("x")',
        "/static/photo.jpg?x=1",
    ],
)
def test_image_must_be_a_path_on_this_site(make_story, path):
    story = make_story("Pictured", image_url=path, image_alt="A street")

    with pytest.raises(ValidationError) as error:
        story.full_clean()

    assert "image_url" in error.value.message_dict


def test_an_image_under_static_with_alt_text_is_valid(make_story):
    story = make_story("Pictured", image_url="/static/img/og-default.png", image_alt="A map")

    story.full_clean()
