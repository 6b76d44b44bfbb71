"""The map on a phone (375 × 812) and on a wide screen (1280): what the first screen shows,
the filters panel, the search's announcement beside the search box, and one list request per
map load."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from directory.models import Entry

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
WIDE = {"width": 1280, "height": 900}
MARKERS = ".leaflet-marker-icon"
LIST_ENTRIES = "#map-results .entry-card"
RESULTS_PATH = "/map/results/"
PLACES = {
    "Frome Friends": (51.2283, -2.3221, Entry.Kind.ORGANISATION),
    "Frome Listener": (51.2400, -2.3100, Entry.Kind.PRACTITIONER),
    "Leeds Listeners": (53.7997, -1.5492, Entry.Kind.ORGANISATION),
    "Edinburgh Elder": (55.9533, -3.1883, Entry.Kind.PRACTITIONER),
}


@pytest.fixture
def entries(make_placed_entries):
    return make_placed_entries(PLACES)


def open_map(page, viewport, query=""):
    page.set_viewport_size(viewport)
    page.goto(reverse("directory:map") + query)
    page.locator(MARKERS).first.wait_for()
    expect(page.locator("#map-results")).to_contain_text("in view")


def map_centre(page) -> tuple[float, float]:
    centre = page.evaluate("(() => window.relmap.directoryMap.getCenter())()")
    return centre["lat"], centre["lng"]


def filters_toggle(page):
    return page.locator("#map-filters summary")


def accessibility_node(page, name: str) -> dict:
    """Chromium's own accessibility node named `name`: what a screen reader is given."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    for node in nodes:
        if node.get("name", {}).get("value") == name and not node.get("ignored"):
            return {prop["name"]: prop["value"].get("value") for prop in node.get("properties", [])}
    raise AssertionError(f"no accessibility node named {name!r}")


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "wide"])
def test_the_map_asks_for_its_list_once_when_it_loads(page, entries, viewport):
    list_requests = []
    page.on(
        "request",
        lambda request: list_requests.append(request.url) if RESULTS_PATH in request.url else None,
    )

    open_map(page, viewport)
    page.wait_for_load_state("networkidle")

    assert len(list_requests) == 1, list_requests


def test_on_a_phone_the_first_screen_shows_the_search_box_and_the_map(page, entries):
    open_map(page, PHONE)

    search_box = page.get_by_label("Near a town, village or postcode")
    expect(search_box).to_be_visible()
    search_bottom = search_box.bounding_box()
    map_box = page.locator("#directory-map").bounding_box()
    assert search_bottom["y"] + search_bottom["height"] <= map_box["y"]
    assert map_box["y"] + map_box["height"] <= PHONE["height"], map_box
    assert map_box["height"] >= 280, map_box
    # The other filters wait in the closed panel, and the list follows below the map.
    expect(page.get_by_label("Kind")).to_be_hidden()
    assert page.locator("#map-results").bounding_box()["y"] > map_box["y"] + map_box["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_on_a_phone_the_filters_panel_opens_and_closes_by_keyboard(page, entries):
    open_map(page, PHONE, "?kind=organisation&q=Friends")
    toggle = filters_toggle(page)
    expect(toggle).to_have_text("Filters (2)")
    assert accessibility_node(page, "Filters (2)")["expanded"] is False

    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Kind")).to_be_visible()
    assert accessibility_node(page, "Filters (2)")["expanded"] is True

    page.keyboard.press("Tab")  # into the panel
    expect(page.get_by_label("Name or keyword")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_label("Kind")).to_be_hidden()
    expect(toggle).to_be_focused()

    page.keyboard.press("Space")
    expect(page.get_by_label("Kind")).to_be_visible()
    page.keyboard.press("Space")
    expect(page.get_by_label("Kind")).to_be_hidden()


def test_the_filter_count_follows_the_filters_chosen(page, entries):
    open_map(page, PHONE, "?near=Frome&radius=10")
    expect(filters_toggle(page)).to_have_text("Filters (1)")  # the radius; the place is outside
    filters_toggle(page).click()

    page.get_by_label("Kind").select_option("practitioner")

    expect(filters_toggle(page)).to_have_text("Filters (2)")
    expect(page.locator(LIST_ENTRIES)).to_have_count(1)
    page.get_by_label("Kind").select_option("")
    page.get_by_label("Within").select_option("25")
    page.get_by_role("button", name="Show entries").click()

    expect(filters_toggle(page)).to_have_text("Filters")
    # The panel closes to show the map again, and keyboard focus is not lost inside it.
    expect(page.get_by_label("Kind")).to_be_hidden()
    expect(filters_toggle(page)).to_be_focused()


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "wide"])
def test_a_near_search_announces_its_result_beside_the_search_box_and_moves_the_map(
    page, page_problems, entries, viewport
):
    open_map(page, viewport)
    centre_before = map_centre(page)

    page.get_by_label("Near a town, village or postcode").fill("Frome")
    page.get_by_label("Near a town, village or postcode").press("Enter")

    announcement = page.locator("#map-announcement")
    expect(announcement).to_have_text("Showing 2 entries within 25 km of Frome, Somerset, England.")
    expect(announcement).to_be_in_viewport()
    assert announcement.get_attribute("role") == "status"
    expect(page.locator(LIST_ENTRIES)).to_have_count(2)
    page.wait_for_url(re.compile(r"near=Frome"))
    latitude, longitude = map_centre(page)
    assert (latitude, longitude) != centre_before
    assert latitude == pytest.approx(51.23, abs=0.2) and longitude == pytest.approx(-2.32, abs=0.2)
    assert not page_problems, page_problems


def test_an_unknown_place_is_announced_beside_the_search_box(page, page_problems, entries):
    open_map(page, PHONE)

    page.get_by_label("Near a town, village or postcode").fill("Xyzzyville")
    page.get_by_role("button", name="Search", exact=True).click()

    announcement = page.locator("#map-announcement")
    expect(announcement).to_contain_text("We could not find “Xyzzyville”.")
    expect(announcement).to_be_in_viewport()
    assert not page_problems, page_problems


def test_a_place_with_nobody_near_it_is_announced_and_shown(page, entries):
    open_map(page, PHONE, "?radius=5")

    page.get_by_label("Near a town, village or postcode").fill("Penzance")
    page.get_by_label("Near a town, village or postcode").press("Enter")

    expect(page.locator("#map-announcement")).to_contain_text(
        "No entries within 5 km of Penzance, Cornwall, England."
    )
    expect(page.locator(LIST_ENTRIES)).to_have_count(0)
    latitude, longitude = map_centre(page)
    assert latitude == pytest.approx(50.12, abs=0.1) and longitude == pytest.approx(-5.54, abs=0.1)


def test_a_search_in_the_address_is_announced_when_the_page_opens(page, entries):
    open_map(page, PHONE, "?near=Frome")

    expect(page.locator("#map-announcement")).to_have_text(
        "Showing 2 entries within 25 km of Frome, Somerset, England."
    )


def test_on_a_wide_screen_every_filter_shows_without_opening_a_panel(page, entries):
    open_map(page, WIDE)

    expect(filters_toggle(page)).to_be_hidden()
    for label in ["Near a town, village or postcode", "Name or keyword", "Kind", "Sector"]:
        expect(page.get_by_label(label)).to_be_visible()
    map_box = page.locator("#directory-map").bounding_box()
    list_box = page.locator("#map-results").bounding_box()
    assert list_box["x"] >= map_box["x"] + map_box["width"]  # the list beside the map


def test_without_javascript_the_filters_panel_still_opens_and_filters(
    page_without_javascript, entries
):
    page = page_without_javascript
    page.set_viewport_size(PHONE)
    page.goto(reverse("directory:map"))

    filters_toggle(page).click()
    page.get_by_label("Kind").select_option("practitioner")
    page.get_by_role("button", name="Show entries").click()

    expect(page).to_have_url(re.compile(r"kind=practitioner"))
    expect(page.locator(LIST_ENTRIES)).to_have_count(2)
    expect(filters_toggle(page)).to_have_text("Filters (1)")


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "wide"])
def test_map_page_has_no_serious_accessibility_violations(
    page, serious_accessibility_violations, entries, viewport
):
    open_map(page, viewport, "?near=Frome")
    if viewport == PHONE:
        filters_toggle(page).click()  # the panel's fields are checked too

    assert serious_accessibility_violations(page) == []
