"""A postcode cut short in a real browser: the join form's picker and the map both find the
district and say so."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_join_forms_picker_finds_m14_for_m14_5_and_says_why(page, page_problems, make_sector):
    make_sector("Health and care")
    page.goto(reverse("directory:join"))
    page.locator("#place-map .leaflet-tile-pane").wait_for(state="attached")
    page.get_by_label("Town, village or postcode").fill("M14 5")

    page.get_by_role("button", name="Find this place").click()

    candidates = page.locator(".place-picker__candidates")
    expect(candidates).to_contain_text(
        "“M14 5” is only part of a postcode: we looked for postcode district M14."
    )
    page.get_by_role("button", name=re.compile(r"^M14 \(postcode district\)")).click()
    assert page.locator("#id_latitude").input_value() == "53.448400"
    assert not page_problems, page_problems


def test_the_map_finds_entries_near_m14_5_and_says_why(page, page_problems, make_entry):
    make_entry("Fallowfield Friends", latitude=53.4440, longitude=-2.2200)
    make_entry("Frome Friends", latitude=51.2283, longitude=-2.3221)
    page.goto(reverse("directory:map") + "?near=M14+5&radius=5")

    results = page.locator("#map-results")
    expect(results).to_contain_text("within 5 km of M14 (postcode district)")
    # Why M14: said beside the search box, where the person typed "M14 5".
    expect(page.locator("#map-announcement")).to_contain_text("we looked for postcode district M14")
    expect(results.get_by_role("link", name="Fallowfield Friends")).to_be_visible()
    expect(results.get_by_role("link", name="Frome Friends")).to_have_count(0)
    assert not page_problems, page_problems


def test_m14_5_typed_in_the_maps_search_box_finds_m14_on_a_phone(page, page_problems, make_entry):
    make_entry("Fallowfield Friends", latitude=53.4440, longitude=-2.2200)
    make_entry("Frome Friends", latitude=51.2283, longitude=-2.3221)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(reverse("directory:map"))
    page.locator(".leaflet-marker-icon").first.wait_for()

    page.get_by_label("Near a town, village or postcode").fill("M14 5")
    page.get_by_label("Near a town, village or postcode").press("Enter")

    announcement = page.locator("#map-announcement")
    expect(announcement).to_contain_text("Showing 1 entry within 25 km of M14 (postcode district)")
    expect(announcement).to_contain_text("we looked for postcode district M14")
    expect(page.locator("#map-results").get_by_role("link", name="Frome Friends")).to_have_count(0)
    assert not page_problems, page_problems
