import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import Entry
from stories.models import Story

pytestmark = pytest.mark.django_db

LIST_URL = reverse("stories:list")


def card_titles(response) -> list[str]:
    return [story.title for story in response.context["page"].object_list]


@pytest.fixture
def three_stories(make_sector, make_story):
    health, justice = make_sector("Health and care"), make_sector("Criminal justice")
    return {
        "palliative": make_story(
            "Palliative care",
            sectors=[health],
            themes=["Listening"],
            scale=Story.Scale.NATIONAL,
            organisation_kind=Story.OrganisationType.HEALTH_BODY,
        ),
        "gate": make_story(
            "Through the gate",
            sectors=[justice],
            themes=["Mentoring", "Trust"],
            scale=Story.Scale.TOWN_OR_CITY,
        ),
        "clinic": make_story(
            "A listening clinic",
            sectors=[health],
            themes=["Listening", "Trust"],
            scale=Story.Scale.TOWN_OR_CITY,
        ),
    }


# --- The list -------------------------------------------------------------------------------


def test_story_list_shows_published_story_cards_in_display_order(client, make_story):
    make_story("Second", display_order=2, strapline="The second strapline.")
    make_story("First", display_order=1)
    make_story("Hidden draft", published=False)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert card_titles(response) == ["First", "Second"]
    html = response.content.decode()
    assert "2 stories" in html
    assert "The second strapline." in html
    assert '<p class="story-card__sectors">Health and care</p>' in html
    assert "Scale: </span>Neighbourhood</span>" in html
    assert "Hidden draft" not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sector=health-and-care", ["Palliative care", "A listening clinic"]),
        ("theme=trust", ["Through the gate", "A listening clinic"]),
        ("scale=town_or_city", ["Through the gate", "A listening clinic"]),
        ("kind=health_body", ["Palliative care"]),
        ("sector=health-and-care&theme=trust", ["A listening clinic"]),
        ("sector=health-and-care&scale=national", ["Palliative care"]),
        ("theme=listening&scale=town_or_city", ["A listening clinic"]),
        (
            "sector=criminal-justice&theme=mentoring&scale=town_or_city&kind=charity",
            ["Through the gate"],
        ),
        ("sector=criminal-justice&theme=listening", []),
    ],
)
def test_filters_combine(client, three_stories, query, expected):
    response = client.get(f"{LIST_URL}?{query}")

    assert sorted(card_titles(response)) == sorted(expected)
    assert response.context["form"].notes == []


def test_filtered_list_says_how_many_stories_match(client, three_stories):
    html = client.get(f"{LIST_URL}?theme=trust").content.decode()

    assert "2 stories match" in html
    assert "Clear filters" in html


def test_filters_show_what_was_chosen(client, three_stories):
    html = client.get(f"{LIST_URL}?sector=criminal-justice&scale=national").content.decode()

    assert '<option value="criminal-justice" selected>' in html
    assert '<option value="national" selected>' in html


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("sector=astrology", "We ignored a sector that no story is in yet."),
        ("theme=no-such-theme", "We ignored a theme that no story has yet."),
        ("scale=galactic", "We ignored a scale we do not know."),
        ("kind=cabal", "We ignored a kind of organisation we do not know."),
    ],
)
def test_unknown_filter_values_are_ignored_with_a_visible_note(client, three_stories, query, note):
    response = client.get(f"{LIST_URL}?{query}")

    assert response.status_code == 200
    assert len(card_titles(response)) == 3
    assert note in response.content.decode()


def test_an_unknown_value_is_ignored_while_the_other_filters_still_apply(client, three_stories):
    response = client.get(f"{LIST_URL}?sector=astrology&theme=mentoring")

    assert card_titles(response) == ["Through the gate"]
    assert "We ignored a sector that no story is in yet." in response.content.decode()


def test_a_theme_only_on_unpublished_stories_is_not_offered(client, make_story):
    make_story("Draft", published=False, themes=["Secret plans"])
    make_story("Shown", themes=["Trust"])

    response = client.get(f"{LIST_URL}?theme=secret-plans")

    assert card_titles(response) == ["Shown"]
    html = response.content.decode()
    assert "We ignored a theme that no story has yet." in html
    assert "Secret plans" not in html


def test_no_matches_shows_a_helpful_empty_state(client, three_stories):
    html = client.get(f"{LIST_URL}?sector=criminal-justice&scale=national").content.decode()

    assert "0 stories match" in html
    assert "No story matches all of these filters yet." in html
    assert f'href="{LIST_URL}"' in html
    assert f'href="{reverse("directory:join")}"' in html


def test_the_list_is_paginated_and_pages_keep_the_filters(client, make_story):
    for number in range(14):
        make_story(f"Story {number:02}", display_order=number)

    first = client.get(f"{LIST_URL}?scale=neighbourhood")
    second = client.get(f"{LIST_URL}?scale=neighbourhood&page=2")

    assert len(card_titles(first)) == 12
    assert card_titles(second) == ["Story 12", "Story 13"]
    assert 'href="?scale=neighbourhood&amp;page=2"' in first.content.decode()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", ["", "?sector=health-and-care&theme=trust&scale=neighbourhood"])
def test_list_runs_the_same_number_of_queries_for_few_or_many_stories(
    client, make_sector, make_story, django_assert_num_queries, query
):
    sectors = [make_sector("Health and care"), make_sector("Arts and culture")]
    make_story("Only one", sectors=sectors, themes=["Trust"])
    few = count_queries(client, LIST_URL + query)
    for number in range(20):
        make_story(f"Story {number}", sectors=sectors, themes=["Trust", f"Theme {number}"])

    # count, page, the cards' sectors, and the sector and theme choices; +2 to look up filters
    with django_assert_num_queries(5 if not query else 7):
        client.get(LIST_URL + query)
    assert count_queries(client, LIST_URL + query) == few


# --- A story's page -------------------------------------------------------------------------


def test_story_page_shows_its_sections_facts_and_links_to_filtered_lists(client, make_story):
    story = make_story(
        "Through the gate",
        themes=["Mentoring"],
        scale=Story.Scale.TOWN_OR_CITY,
        organisation_name="Switchback",
        place_name="London",
        sections=[("The gate", "First paragraph.\n\nSecond paragraph."), ("After", "Work.")],
    )

    response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Through the gate</h1>" in html
    assert "<h2>The gate</h2>" in html
    assert "<p>First paragraph.</p>\n\n<p>Second paragraph.</p>" in html
    assert f'href="{LIST_URL}?sector=health-and-care"' in html
    assert f'href="{LIST_URL}?theme=mentoring"' in html
    assert f'href="{LIST_URL}?scale=town_or_city"' in html
    assert f'href="{LIST_URL}?organisation_type=charity"' in html
    assert "Switchback" in html
    assert f'href="{reverse("directory:join")}"' in html
    assert "Preview: not published" not in html


def test_story_page_has_open_graph_tags_for_the_story(client, make_story):
    story = make_story("Through the gate", summary="Mentors who stay.")

    html = client.get(story.get_absolute_url()).content.decode()

    assert '<meta property="og:title" content="Through the gate">' in html
    assert '<meta property="og:description" content="Mentors who stay.">' in html
    assert '<meta property="og:type" content="article">' in html


def test_story_page_shows_a_pull_quote_only_when_there_is_one(client, make_story):
    quoted = make_story("Quoted", pull_quote="We stayed.", pull_quote_attribution="A mentor")
    plain = make_story("Plain")

    assert (
        "<blockquote><p>We stayed.</p></blockquote>"
        in client.get(quoted.get_absolute_url()).content.decode()
    )
    assert "<blockquote" not in client.get(plain.get_absolute_url()).content.decode()


def test_story_page_has_a_small_map_only_when_it_has_a_location(client, make_story):
    placed = make_story("Placed", latitude=51.507, longitude=-0.128)
    nowhere = make_story("Nowhere")

    placed_html = client.get(placed.get_absolute_url()).content.decode()
    nowhere_html = client.get(nowhere.get_absolute_url()).content.decode()

    assert 'id="entry-location"' in placed_html
    assert '"kind": "story"' in placed_html
    assert 'id="entry-map"' in placed_html
    assert 'id="entry-map"' not in nowhere_html
    assert "leaflet" not in nowhere_html


def test_unknown_story_is_a_404(client):
    assert (
        client.get(reverse("stories:detail", kwargs={"slug": "no-such-story"})).status_code == 404
    )


def test_unpublished_story_is_a_404_for_the_public_and_for_signed_in_non_staff(client, make_story):
    story = make_story("Draft", published=False)
    assert client.get(story.get_absolute_url()).status_code == 404

    client.force_login(get_user_model().objects.create_user("visitor", password="x"))
    assert client.get(story.get_absolute_url()).status_code == 404


def test_staff_can_preview_an_unpublished_story_with_a_visible_banner(admin_client, make_story):
    story = make_story("Draft", published=False)

    response = admin_client.get(story.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview: not published." in html
    assert '<meta name="robots" content="noindex">' in html


def test_related_stories_are_published_and_share_a_sector_or_theme(client, make_sector, make_story):
    arts = make_sector("Arts and culture")
    story = make_story("Listening", themes=["Dialogue"])
    make_story("Same sector")
    make_story("Same theme", sectors=[arts], themes=["Dialogue"])
    make_story("Unpublished kin", published=False)
    make_story("Unrelated", sectors=[arts])

    response = client.get(story.get_absolute_url())

    assert sorted(s.title for s in response.context["related_stories"]) == [
        "Same sector",
        "Same theme",
    ]
    assert "Unpublished kin" not in response.content.decode()


def test_related_stories_are_at_most_three(client, make_story):
    story = make_story("Listening")
    for number in range(5):
        make_story(f"Kin {number}")

    assert len(client.get(story.get_absolute_url()).context["related_stories"]) == 3


def test_related_entries_are_only_public_ones(client, make_story, make_entry):
    public = make_entry("Public Friends")
    hidden = make_entry("Pending Friends", status=Entry.Status.AWAITING_REVIEW)
    story = make_story("Listening")
    story.related_entries.set([public, hidden])

    response = client.get(story.get_absolute_url())

    assert list(response.context["related_entries"]) == [public]
    html = response.content.decode()
    assert "Public Friends" in html
    assert "Pending Friends" not in html


def test_story_text_is_always_escaped(client, make_story, make_sector):
    evil = "<script>alert(1)</script>"
    story = make_story(
        f"Title {evil}",
        strapline=f"Strap {evil}",
        summary=f"Summary {evil}",
        organisation_name=f"Org {evil}",
        place_name=f"Place {evil}",
        pull_quote=f"Quote {evil}",
        pull_quote_attribution=f"By {evil}",
        sectors=[make_sector(f"Sector {evil}", slug="evil")],
        themes=[f"Theme {evil}"],
        sections=[(f"Heading {evil}", f"Text {evil}")],
    )

    for url in [story.get_absolute_url(), LIST_URL, reverse("home")]:
        html = client.get(url).content.decode()
        assert evil not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


# --- The map layer, the feed, the sitemap and the home page ------------------------------------


def test_map_layer_is_a_geojson_collection_of_published_located_stories(
    client, make_story, settings
):
    placed = make_story("Placed", latitude=53.523, longitude=-2.176)
    make_story("Nowhere")
    make_story("Draft", published=False, latitude=51.5, longitude=-0.1)

    response = client.get(reverse("stories:map_layer"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert [feature["properties"]["title"] for feature in data["features"]] == ["Placed"]
    feature = data["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-2.176, 53.523]}
    assert feature["properties"]["url"] == settings.SITE_URL + placed.get_absolute_url()
    assert feature["properties"]["summary"] == placed.summary


def test_map_layer_lives_at_stories_geojson_and_is_a_map_overlay(settings):
    assert reverse("stories:map_layer") == "/stories.geojson"
    assert {"label": "Stories", "url_name": "stories:map_layer", "kind": "story"} in (
        settings.MAP_OVERLAYS
    )


def test_feed_lists_published_stories_only(client, make_story, settings):
    story = make_story("Through the gate", summary="Mentors who stay.")
    make_story("Secret draft", published=False)

    response = client.get(reverse("stories:feed"))

    assert reverse("stories:feed") == "/feeds/stories/"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert "Through the gate" in xml
    assert "Mentors who stay." in xml
    assert settings.SITE_URL + story.get_absolute_url() in xml
    assert "Secret draft" not in xml


def test_sitemap_lists_published_stories_only(client, make_story, settings):
    story = make_story("Through the gate")
    draft = make_story("Secret draft", published=False)

    index = client.get("/sitemap.xml").content.decode()
    xml = client.get("/sitemap-stories.xml").content.decode()

    assert "sitemap-stories.xml" in index
    assert settings.SITE_URL + story.get_absolute_url() in xml
    assert draft.get_absolute_url() not in xml


def test_home_page_shows_a_few_published_story_cards(client, make_story):
    for number in range(4):
        make_story(f"Story {number}", display_order=number)
    make_story("Secret draft", published=False, display_order=0)

    html = client.get(reverse("home")).content.decode()

    assert "Story 0" in html and "Story 2" in html
    assert "Story 3" not in html
    assert "Secret draft" not in html
    assert "css/stories.css" in html


def test_home_page_without_stories_has_no_stories_section(client):
    assert "home-stories" not in client.get(reverse("home")).content.decode()


def test_the_kind_of_organisation_filter_is_sent_as_organisation_type(client, three_stories):
    response = client.get(f"{LIST_URL}?organisation_type=health_body")

    assert card_titles(response) == ["Palliative care"]
    html = response.content.decode()
    assert '<select name="organisation_type"' in html
    assert 'name="kind"' not in html  # the map's "kind" is a kind of entry, not this


def test_an_old_link_with_kind_still_filters_and_shows_the_new_name(client, three_stories):
    response = client.get(f"{LIST_URL}?kind=health_body")

    assert card_titles(response) == ["Palliative care"]
    assert '<option value="health_body" selected>' in response.content.decode()
