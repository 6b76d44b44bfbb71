import time

import pytest
from django.core import signing
from django.urls import reverse

from directory.forms import STARTED_SALT


def started(seconds_ago: float = 30, nonce: str = "a1b2c3") -> str:
    """The hidden timestamp the join page hands out, as if it was issued `seconds_ago`."""
    return signing.dumps({"nonce": nonce, "at": time.time() - seconds_ago}, salt=STARTED_SALT)


def take_a_persons_time(page) -> None:
    """Backdate the stamp of the form on the page, as if a person had taken half a minute to
    fill it in (faster looks like a bot), instead of the browser test waiting that long."""
    stamp = page.locator("input[name=started]")
    nonce = signing.loads(stamp.input_value(), salt=STARTED_SALT)["nonce"]
    stamp.evaluate("(input, value) => { input.value = value; }", started(nonce=nonce))


def edit_data(entry, **changes) -> dict:
    return {
        "kind": entry.kind,
        "name": entry.name,
        "summary": entry.summary,
        "description": entry.description,
        "inspiration": "",
        "sectors": [str(pk) for pk in entry.sectors.values_list("pk", flat=True)],
        "themes": "listening",
        "organisation_type": "",
        "place_name": entry.place_name,
        "latitude": str(entry.latitude),
        "longitude": str(entry.longitude),
        "show_exact_location": "on",
        "website": "",
        "links": "",
        "contact_email": entry.contact_email,
    } | changes


@pytest.fixture
def join_data(make_sector):
    health = make_sector("Health and care")

    def data(**changes):
        return {
            "kind": "practitioner",
            "name": "Pat Jones",
            "summary": "I help neighbours look out for one another.",
            "description": "First paragraph.\n\nSecond paragraph.",
            "inspiration": "My grandmother.",
            "sectors": [str(health.pk)],
            "themes": "listening, neighbourliness",
            "organisation_type": "",
            "place_name": "Frome",
            "latitude": "",
            "longitude": "",
            "website": "https://pat.example",
            "links": "https://blog.pat.example\nhttps://social.example/@pat",
            "contact_email": "pat@example.org",
            "consent": "on",
            "company_fax": "",
            "started": started(),
        } | changes

    return data


@pytest.fixture
def join_page(page, make_sector):
    """The join page in the browser, its map ready."""
    make_sector("Health and care")
    page.goto(reverse("directory:join"))
    page.locator("#place-map .leaflet-tile-pane").wait_for(state="attached")
    return page


@pytest.fixture
def make_placed_entries(make_entry):
    """Entries at given places: {name: (latitude, longitude, kind)} → {name: entry}."""

    def make(places: dict) -> dict:
        return {
            name: make_entry(name, latitude=latitude, longitude=longitude, kind=kind)
            for name, (latitude, longitude, kind) in places.items()
        }

    return make


@pytest.fixture
def no_serious_violations(page, page_problems, serious_accessibility_violations):
    """A check to call on each page a browser test reaches: no serious or critical axe-core
    violation, and no failed request or console error so far."""

    def check():
        assert serious_accessibility_violations(page) == [], page.url
        assert not page_problems, page_problems

    return check
