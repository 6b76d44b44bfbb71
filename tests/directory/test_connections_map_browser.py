"""The map's "Show who works with whom": lines drawn in a real browser, only at a zoom where
they can be read, and never for a connection one side has not confirmed."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.network import connect

pytestmark = pytest.mark.browser

LINES = "#directory-map path.map-connection"
NOTE = "#map-connections-note"


@pytest.fixture
def connected(make_entry):
    """Two entries in Manchester that work together, and two in Leeds, one of which has asked
    the other and is still waiting."""
    moston = make_entry("Moston Neighbours", latitude=53.5100, longitude=-2.1900)
    salford = make_entry("Salford Sharers", latitude=53.4875, longitude=-2.2901)
    leeds = make_entry("Leeds Listeners", latitude=53.8008, longitude=-1.5491)
    bradford = make_entry("Bradford Befrienders", latitude=53.7960, longitude=-1.7594)
    connect(moston, salford)
    connect(leeds, bradford, confirmed=False)
    return moston, salford


def open_map(page, query: str = "") -> None:
    """The map page, once its markers are drawn and it has fitted itself to them (a later
    fit would undo a move made before)."""
    page.goto(reverse("directory:map") + query)
    page.locator(".leaflet-marker-icon").first.wait_for()
    page.wait_for_load_state("networkidle")


def move_to(page, latitude: float, longitude: float, zoom: int) -> None:
    """Move the map and wait until the lines have been drawn (or cleared) for the new view."""
    before = page.evaluate("document.documentElement.dataset.connectionRenders || '0'")
    set_view(page, latitude, longitude, zoom)
    page.wait_for_function(
        "before => (document.documentElement.dataset.connectionRenders || '0') !== before",
        arg=before,
    )


def set_view(page, latitude: float, longitude: float, zoom: int) -> None:
    page.evaluate(
        f"window.relmap.directoryMap.setView([{latitude}, {longitude}], {zoom}, {{animate: false}})"
    )


def test_lines_show_at_a_readable_zoom_and_not_at_country_zoom(page, page_problems, connected):
    open_map(page, "?connections=1")
    expect(page.get_by_label("Show who works with whom")).to_be_checked()

    move_to(page, 53.65, -2.0, 10)
    expect(page.locator(LINES)).to_have_count(1)
    expect(page.locator(NOTE)).to_have_text("Lines in view: 1.")

    move_to(page, 54.5, -3.0, 6)
    expect(page.locator(LINES)).to_have_count(0)
    expect(page.locator(NOTE)).to_contain_text("Zoom in to see who works with whom")
    assert not page_problems, page_problems


def test_a_proposed_connection_is_never_drawn(page, connected):
    open_map(page, "?connections=1")

    move_to(page, 53.8, -1.65, 11)  # Leeds and Bradford, waiting for confirmation

    expect(page.locator(NOTE)).to_have_text("Nobody in view has said who they work with yet.")
    expect(page.locator(LINES)).to_have_count(0)


def test_the_checkbox_works_from_the_keyboard_and_keeps_its_state_in_the_address(page, connected):
    open_map(page)
    set_view(page, 53.5, -2.24, 11)
    checkbox = page.get_by_label("Show who works with whom")
    expect(page.locator(LINES)).to_have_count(0)

    checkbox.focus()
    page.keyboard.press("Space")

    expect(page.locator(LINES)).to_have_count(1)
    expect(page).to_have_url(re.compile(r"connections=1"))
    page.reload()
    expect(page.get_by_label("Show who works with whom")).to_be_checked()

    page.get_by_label("Show who works with whom").focus()
    page.keyboard.press("Space")
    expect(page.locator(LINES)).to_have_count(0)
    expect(page).not_to_have_url(re.compile(r"connections="))


def test_a_search_keeps_the_lines_on(page, connected):
    open_map(page, "?connections=1")

    page.get_by_label("Near a town, village or postcode").fill("Manchester")
    page.get_by_role("button", name="Search", exact=True).click()

    expect(page).to_have_url(re.compile(r"near=Manchester.*connections=1|connections=1.*near="))
    expect(page.get_by_label("Show who works with whom")).to_be_checked()
