import json
import socket
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache

from directory import geo
from directory.geo import (
    POSTCODE_DISTRICT,
    UNKNOWN_PLACE_HELP,
    Place,
    lookup_place,
    normalise_postcode,
    uk_and_ireland_places,
)

# Every UK postcode shape: A9, A99, AA9, AA99, A9A and AA9A outward codes, and Northern Ireland's.
POSTCODE_EXAMPLES = [
    ("EC1A 1BB", "EC1A 1BB"),
    ("w1a 0ax", "W1A 0AX"),
    ("M11AE", "M1 1AE"),
    ("b33 8th", "B33 8TH"),
    ("CR2  6XH", "CR2 6XH"),
    ("DN55 1PT", "DN55 1PT"),
    ("bt1 1aa", "BT1 1AA"),
    ("BT487AD", "BT48 7AD"),
]


def test_a_town_is_found_with_its_county_and_nation():
    frome = lookup_place("Frome")[0]

    assert (frome.name, frome.area, frome.country_code) == ("Frome", "Somerset, England", "GB")
    assert frome.label == "Frome, Somerset, England"
    assert frome.kind == "place"
    assert frome.population > 20_000
    assert frome.latitude == pytest.approx(51.23, abs=0.01)
    assert frome.longitude == pytest.approx(-2.32, abs=0.01)


def test_belfast_is_found_in_northern_ireland():
    belfast = lookup_place("Belfast")[0]

    assert belfast.label == "Belfast, Northern Ireland"
    assert belfast.country_code == "GB"


def test_cork_is_found_in_ireland():
    cork = lookup_place("Cork")[0]

    assert cork.country_code == "IE"
    assert cork.label == "Cork, County Cork, Munster, Ireland"


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("FROME", "Frome"),
        ("  frome ", "Frome"),
        ("dun laoghaire", "Dún Laoghaire"),
        ("stoke on trent", "Stoke-on-Trent"),
        ("Stoke-On-Trent", "Stoke-on-Trent"),
        ("kings lynn", "King's Lynn"),
        ("King’s Lynn", "King's Lynn"),
        ("st. ives", "St Ives"),
        ("Saint Ives", "St Ives"),
    ],
)
def test_names_match_whatever_the_case_accents_and_punctuation(typed, found):
    assert found in [place.name for place in lookup_place(typed)]


def test_a_full_postcode_resolves_only_to_its_district_centre():
    [full] = lookup_place("M40 9XX")
    [district] = lookup_place("M40")

    assert full == district
    assert (full.name, full.kind, full.country_code) == ("M40", POSTCODE_DISTRICT, "GB")
    assert (full.latitude, full.longitude) == (district.latitude, district.longitude)
    assert full.label.startswith("M40 (postcode district), ")


def test_a_district_alone_resolves_to_its_centre_with_its_county():
    [district] = lookup_place("ba11")

    assert district.label == "BA11 (postcode district), Somerset, England"
    assert district.latitude == pytest.approx(51.23, abs=0.05)
    assert district.longitude == pytest.approx(-2.32, abs=0.05)


@pytest.mark.parametrize("typed", ["m40 9xx", "m409xx", "M40  9XX", "m40"])
def test_postcodes_are_found_in_lowercase_and_without_a_space(typed):
    assert [place.name for place in lookup_place(typed)] == ["M40"]


@pytest.mark.parametrize(("typed", "expected"), POSTCODE_EXAMPLES)
def test_every_uk_postcode_format_is_recognised(typed, expected):
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize(("typed", "expected"), [("m40", "M40"), ("sw1a", "SW1A"), ("E1W", "E1W")])
def test_an_outward_code_alone_is_recognised_as_a_district(typed, expected):
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize(
    "typed",
    ["Frome", "", "M40 9", "QA1 1AA", "M40 9CX", "M40 99X", "1M40 9XX", "SW1A 1AA 1AA", "12345"],
)
def test_text_that_is_not_a_postcode_shape_is_not_normalised(typed):
    assert normalise_postcode(typed) is None


@pytest.mark.parametrize("postcode", ["EC1A 1BB", "W1A 0AX", "M1 1AE", "B33 8TH", "CR2 6XH"])
def test_full_postcodes_of_every_shape_resolve_to_their_district(postcode):
    [district] = lookup_place(postcode)

    assert district.name == postcode.split()[0]


def test_a_postcode_of_valid_shape_whose_district_does_not_exist_finds_nothing():
    assert normalise_postcode("EC9A 9AA") == "EC9A 9AA"
    assert lookup_place("EC9A 9AA") == []


def test_an_unknown_place_finds_nothing():
    assert lookup_place("Atlantis") == []


@pytest.mark.parametrize("typed", ["", "   ", "\n\t", "a" * 101, "Frome " * 20])
def test_empty_or_over_long_input_finds_nothing(typed):
    assert lookup_place(typed) == []


def test_same_named_places_each_come_with_their_area():
    newports = [place for place in lookup_place("Newport", limit=20) if place.name == "Newport"]
    labels = [place.label for place in newports]

    assert len(newports) >= 6
    assert all(place.area for place in newports)
    assert len(set(labels)) == len(labels)
    assert {"Newport, Wales", "Newport, Isle of Wight, England"} <= set(labels)
    assert {"GB", "IE"} == {place.country_code for place in newports}


def test_exact_matches_come_first_each_group_by_population():
    found = lookup_place("newport", limit=20)
    exact = [place for place in found if place.name == "Newport"]
    starting = [place for place in found if place.name != "Newport"]

    assert found == exact + starting
    assert starting, "Newport Pagnell and others start with the text"
    assert found[0].label == "Newport, Wales"
    for group in (exact, starting):
        populations = [place.population for place in group]
        assert populations == sorted(populations, reverse=True)


def test_names_starting_with_the_text_are_offered():
    assert lookup_place("belf")[0].name == "Belfast"


def test_the_limit_is_respected():
    assert len(lookup_place("a")) == 8
    assert len(lookup_place("new", limit=3)) == 3
    assert lookup_place("Frome", limit=0) == []


def test_place_data_is_read_on_first_use_and_then_kept():
    geo._load_places.cache_clear()
    geo._load_postcode_districts.cache_clear()
    assert geo._load_places.cache_info().currsize == 0

    assert lookup_place("Frome") == lookup_place("Frome")
    assert lookup_place("BA11 4XX") == lookup_place("BA11")

    assert geo._load_places.cache_info().misses == 1
    assert geo._load_places.cache_info().hits >= 1
    assert geo._load_postcode_districts.cache_info().misses == 1


def test_uk_and_ireland_places_include_villages_for_population_weighted_sampling():
    places = uk_and_ireland_places()

    assert len(places) > 6000
    assert {place.country_code for place in places} == {"GB", "IE"}
    assert {place.kind for place in places} == {"place"}
    assert any(0 < place.population < 1000 for place in places)
    assert all(49.8 < place.latitude < 61 and -11 < place.longitude < 2 for place in places)


def test_uk_and_ireland_places_cannot_be_changed_by_a_caller():
    uk_and_ireland_places().clear()

    assert uk_and_ireland_places()


def test_a_place_without_an_area_is_labelled_by_its_name_alone():
    place = Place(name="Nowhere", area="", country_code="GB", latitude=0, longitude=0, kind="place")

    assert place.label == "Nowhere"


def test_unknown_place_help_suggests_a_town_a_postcode_district_or_the_map():
    help_text = str(UNKNOWN_PLACE_HELP)

    assert "town" in help_text
    assert "postcode" in help_text
    assert "map" in help_text


# --- The optional online geocoder -----------------------------------------------------------


def test_the_online_geocoder_is_off_by_default(settings, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the lookup went online")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)

    assert getattr(settings, "PLACE_LOOKUP_ONLINE_URL", "") == ""
    assert lookup_place("Atlantis") == []


class StandInGeocoder:
    """A Nominatim-compatible server on this machine that records what it is asked."""

    def __init__(self):
        self.requests: list[dict] = []
        self.body = json.dumps(
            [
                {
                    "lat": "51.2001",
                    "lon": "-2.40012",
                    "name": "Nunney Catch",
                    "display_name": "Nunney Catch, Somerset, England, United Kingdom",
                    "address": {"county": "Somerset", "state": "England", "country_code": "gb"},
                },
                {"lat": "48.85", "lon": "2.35", "name": "Paris", "address": {"country_code": "fr"}},
                {"lat": "not a number", "lon": "0", "name": "Broken"},
            ]
        ).encode()
        geocoder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                geocoder.requests.append(
                    {"query": parse_qs(urlsplit(self.path).query), "headers": dict(self.headers)}
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(geocoder.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/search"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def geocoder(settings, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    cache.clear()  # online answers are cached
    stand_in = StandInGeocoder()
    settings.PLACE_LOOKUP_ONLINE_URL = stand_in.url
    yield stand_in
    stand_in.close()
    cache.clear()


def test_the_online_geocoder_is_asked_when_nothing_is_found_offline(geocoder, settings):
    found = lookup_place("Nunney Catch")

    assert found == [
        Place(
            name="Nunney Catch",
            area="Somerset, England",
            country_code="GB",
            latitude=51.2001,
            longitude=-2.4001,
            kind="place",
        )
    ]
    [request] = geocoder.requests
    assert request["query"] == {
        "q": ["Nunney Catch"],
        "format": ["jsonv2"],
        "countrycodes": ["gb,ie"],
        "addressdetails": ["1"],
        "limit": ["8"],
    }
    assert settings.SITE_NAME in request["headers"]["User-Agent"]


def test_the_online_geocoder_answer_is_cached(geocoder):
    assert lookup_place("Nunney Catch") == lookup_place("Nunney Catch")

    assert len(geocoder.requests) == 1


def test_the_online_geocoder_is_not_asked_when_the_offline_lookup_finds_the_place(geocoder):
    assert lookup_place("Frome")[0].name == "Frome"

    assert geocoder.requests == []


def test_the_online_geocoder_is_sent_only_the_postcode_district(geocoder):
    lookup_place("BT1 1AA")

    [request] = geocoder.requests
    assert request["query"]["q"] == ["BT1"]


def test_a_bad_answer_from_the_online_geocoder_finds_nothing(geocoder):
    geocoder.body = b"<html>Service unavailable</html>"

    assert lookup_place("Nunney Catch") == []


def test_an_unreachable_online_geocoder_finds_nothing_without_raising(settings):
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.PLACE_LOOKUP_ONLINE_URL = f"http://127.0.0.1:{port}/search"

    assert lookup_place("Nunney Catch") == []
