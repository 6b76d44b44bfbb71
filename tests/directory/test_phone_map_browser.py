"""The map on a phone (375 × 812) and on a wide screen (1280): what the first screen shows,
the filters panel, the search's announcement beside the search box, and one list request per
map load."""

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
def entries(make_entry):
    return {
        name: make_entry(name, latitude=lat, longitude=lng, kind=kind)
        for name, (lat, lng, kind) in PLACES.items()
    }


def open_map(page, viewport, query=""):
    page.set_viewport_size(viewport)
    page.goto(reverse("directory:map") + query)
    page.locator(MARKERS).first.wait_for()
    expect(page.locator("#map-results")).to_contain_text("in view")


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
