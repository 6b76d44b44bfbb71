import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from stories.models import Story
from tests.browser import follow_popup_link

pytestmark = pytest.mark.browser

STORY_MARKERS = ".leaflet-marker-icon.map-marker--story"


@pytest.fixture
def stories(make_sector, make_story):
    justice, community = make_sector("Criminal justice"), make_sector("Community and neighbourhood")
    return {
        "gate": make_story(
            "Through the gate",
            sectors=[justice],
            themes=["Mentoring"],
            scale=Story.Scale.TOWN_OR_CITY,
            latitude=51.507,
            longitude=-0.128,
            display_order=1,
        ),
        "clean-ups": make_story(
            "Clean-ups as an excuse to connect",
            sectors=[community],
            themes=["Grassroots"],
            latitude=53.523,
            longitude=-2.176,
            display_order=2,
        ),
        "ritual": make_story("Shared ritual", sectors=[community], themes=["Ritual"]),
        "draft": make_story("Unpublished", published=False, latitude=52.0, longitude=-1.0),
    }


def test_visitor_filters_the_stories_and_the_filters_live_in_the_url(page, page_problems, stories):
    page.goto(reverse("stories:list"))
    expect(page.locator(".story-card")).to_have_count(3)

    page.get_by_label("Sector").select_option("community-and-neighbourhood")
    page.get_by_role("button", name="Show stories").click()

    expect(page).to_have_url(re.compile(r"sector=community-and-neighbourhood"))
    expect(page.locator(".story-card")).to_have_count(2)
    expect(page.locator("#story-count")).to_have_text("2 stories match")

    page.get_by_label("Theme").select_option("ritual")
    page.get_by_role("button", name="Show stories").click()

    expect(page).to_have_url(re.compile(r"sector=community-and-neighbourhood.*theme=ritual"))
    expect(page.locator(".story-card__title")).to_have_text(["Shared ritual"])
    assert not page_problems, page_problems


def test_the_story_layer_shows_on_the_main_map_and_switches_off_and_on(
    page, page_problems, stories
):
    page.goto(reverse("directory:map"))
    markers = page.locator(STORY_MARKERS)
    expect(markers).to_have_count(2)  # published stories with a location only

    layer = page.locator(".leaflet-control-layers").get_by_label("Stories")
    layer.uncheck()
    expect(markers).to_have_count(0)
    layer.check()
    expect(markers).to_have_count(2)
    assert not page_problems, page_problems


def test_a_story_marker_links_to_its_story(page, stories, live_server, settings):
    # The layer's links are absolute, from SITE_URL, as others' maps read it too.
    settings.SITE_URL = live_server.url
    page.goto(reverse("directory:map"))

    page.locator(STORY_MARKERS).first.click()  # the layer keeps the stories' display order
    follow_popup_link(page, "Through the gate")

    page.wait_for_url(f"**{stories['gate'].get_absolute_url()}")
    expect(page.locator("h1")).to_have_text("Through the gate")


def test_story_page_shows_its_small_map_without_errors(page, page_problems, stories):
    page.goto(stories["gate"].get_absolute_url())

    expect(page.locator(f"#entry-map {STORY_MARKERS}")).to_have_count(1)
    assert not page_problems, page_problems


@pytest.mark.parametrize("width", [375, 1280])
def test_story_pages_and_home_stories_have_no_serious_accessibility_violations(
    page, serious_accessibility_violations, stories, width
):
    page.set_viewport_size({"width": width, "height": 900})
    for url in [reverse("stories:list"), stories["gate"].get_absolute_url(), reverse("home")]:
        page.goto(url)
        assert serious_accessibility_violations(page) == [], url
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
