import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from directory.models import Entry
from tests.browser import follow_popup_link

pytestmark = pytest.mark.browser

ORGANISATION_MARKERS = ".leaflet-marker-icon.map-marker--organisation"
PRACTITIONER_MARKERS = ".leaflet-marker-icon.map-marker--practitioner"
LIST_ENTRIES = "#map-results .entry-card"
PLACES = {
    "London Listeners": (51.5072, -0.1276, Entry.Kind.ORGANISATION),
    "Manchester Mentors": (53.4808, -2.2426, Entry.Kind.ORGANISATION),
    "Edinburgh Elder": (55.9533, -3.1883, Entry.Kind.PRACTITIONER),
}


@pytest.fixture
def three_entries(make_placed_entries):
    return make_placed_entries(PLACES)


def list_names(page) -> list[str]:
    return page.locator("#map-results .entry-card__name").all_inner_texts()


def test_map_shows_a_marker_for_each_kind_with_no_errors(page, page_problems, three_entries):
    page.goto(reverse("directory:map"))

    expect(page.locator(ORGANISATION_MARKERS)).to_have_count(2)
    expect(page.locator(PRACTITIONER_MARKERS)).to_have_count(1)
    assert not page_problems, page_problems


def test_a_filter_narrows_markers_and_list_and_lives_in_the_url(page, three_entries):
    page.goto(reverse("directory:map"))
    page.locator(PRACTITIONER_MARKERS).wait_for()

    page.get_by_label("Kind").select_option("organisation")

    page.wait_for_url(re.compile(r"kind=organisation"))
    expect(page.locator(PRACTITIONER_MARKERS)).to_have_count(0)
    expect(page.locator(LIST_ENTRIES)).to_have_count(2)
    assert sorted(list_names(page)) == ["London Listeners", "Manchester Mentors"]
    expect(page.locator(ORGANISATION_MARKERS)).to_have_count(2)


def test_the_back_button_restores_the_previous_filters(page, three_entries):
    page.goto(reverse("directory:map"))
    page.locator(PRACTITIONER_MARKERS).wait_for()
    page.get_by_label("Kind").select_option("practitioner")
    expect(page.locator(LIST_ENTRIES)).to_have_count(1)

    page.go_back()

    expect(page.locator(LIST_ENTRIES)).to_have_count(3)
    assert page.get_by_label("Kind").input_value() == ""


def test_a_marker_popup_links_to_the_profile(page, three_entries):
    page.goto(reverse("directory:map"))
    page.locator(PRACTITIONER_MARKERS).click()

    follow_popup_link(page, "Edinburgh Elder")

    page.wait_for_url(f"**{three_entries['Edinburgh Elder'].get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Edinburgh Elder"


def test_the_list_follows_the_part_of_the_map_in_view(page, three_entries):
    page.goto(reverse("directory:map"))
    expect(page.locator("#map-results")).to_contain_text("3 entries in view")

    page.evaluate("window.relmap.directoryMap.setView([55.95, -3.19], 10, {animate: false})")

    expect(page.locator(LIST_ENTRIES)).to_have_count(1)
    assert list_names(page) == ["Edinburgh Elder"]


def test_without_javascript_the_map_page_is_a_filterable_paginated_list(
    page_without_javascript, make_entry
):
    page = page_without_javascript
    for number in range(25):
        make_entry(f"Group {number:02}")
    make_entry("Solo Practitioner", kind=Entry.Kind.PRACTITIONER)

    page.goto(reverse("directory:map"))
    expect(page.locator(".map-panel")).to_be_hidden()
    expect(page.locator(LIST_ENTRIES)).to_have_count(20)
    page.get_by_role("link", name="Next").click()
    expect(page.locator(LIST_ENTRIES).first).to_contain_text("Group 20")

    page.get_by_label("Kind").select_option("practitioner")
    page.get_by_role("button", name="Show entries").click()

    expect(page).to_have_url(re.compile(r"kind=practitioner"))
    expect(page.locator(LIST_ENTRIES)).to_have_count(1)
    assert list_names(page) == ["Solo Practitioner"]


def test_map_page_has_no_serious_accessibility_violations(
    page, serious_accessibility_violations, three_entries
):
    page.goto(reverse("directory:map"))
    page.locator(ORGANISATION_MARKERS).first.wait_for()

    assert serious_accessibility_violations(page) == []


def test_profile_page_shows_its_small_map_without_errors(page, page_problems, three_entries):
    page.goto(three_entries["Edinburgh Elder"].get_absolute_url())

    page.locator("#entry-map .leaflet-interactive").wait_for()  # the approximate area
    assert not page_problems, page_problems
