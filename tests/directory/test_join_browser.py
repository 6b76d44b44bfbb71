import re

import pytest
from playwright.sync_api import expect

from .conftest import take_a_persons_time

pytestmark = pytest.mark.browser


def test_typing_a_place_and_choosing_a_candidate_moves_the_pin(join_page, page_problems):
    page = join_page
    page.get_by_label("Town, village or postcode").fill("Frome")

    page.get_by_role("button", name="Find this place").click()
    page.get_by_role("button", name=re.compile(r"^Frome, Somerset")).click()

    expect(page.locator("#place-map .leaflet-marker-icon")).to_have_count(1)
    assert page.locator("#id_latitude").input_value() == "51.228300"
    assert page.locator("#id_longitude").input_value() == "-2.322100"
    assert not page_problems, page_problems


def test_clicking_the_map_sets_the_point_and_names_the_nearest_place(join_page):
    page = join_page
    page.get_by_label("Town, village or postcode").fill("Frome")
    page.get_by_role("button", name="Find this place").click()
    page.get_by_role("button", name=re.compile(r"^Frome, Somerset")).click()
    latitude_before = page.locator("#id_latitude").input_value()

    box = page.locator("#place-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.3)

    expect(page.locator("#id_latitude")).not_to_have_value(latitude_before)
    expect(page.get_by_label("Town, village or postcode")).not_to_have_value("")
    expect(page.locator(".place-picker__candidates")).to_contain_text("Pin placed at")


def test_an_unknown_place_gets_advice_in_the_picker(join_page):
    page = join_page
    page.get_by_label("Town, village or postcode").fill("Xyzzyville")

    page.get_by_role("button", name="Find this place").click()

    expect(page.locator(".place-picker__candidates")).to_contain_text("postcode")


def test_the_join_form_can_be_filled_in_and_sent_with_the_keyboard_alone(join_page):
    page = join_page
    page.locator("#id_kind_0").focus()
    page.keyboard.press("Space")  # practitioner
    page.keyboard.press("Tab")  # out of the radio group, into the name
    page.keyboard.type("Kim Keyboard")
    page.get_by_label("Summary").focus()
    page.keyboard.type("I run listening circles.")
    page.get_by_label("Health and care").focus()
    page.keyboard.press("Space")
    page.get_by_label("Town, village or postcode").focus()
    page.keyboard.type("Frome")
    page.get_by_label("Contact email (private)").focus()
    page.keyboard.type("kim@example.org")
    page.locator("#id_consent").focus()
    page.keyboard.press("Space")
    take_a_persons_time(page)

    page.get_by_role("button", name="Send my entry").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")


def test_errors_are_summarised_and_each_sits_beside_its_field(join_page):
    page = join_page
    page.get_by_role("button", name="Send my entry").click()
    page.wait_for_url("**/join/")

    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_name_error")).to_contain_text("Please give your name")
    assert page.get_by_label("Name").get_attribute("aria-invalid") == "true"


def test_the_join_form_has_no_serious_accessibility_violations(
    join_page, serious_accessibility_violations
):
    assert serious_accessibility_violations(join_page) == []
