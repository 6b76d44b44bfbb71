"""Place search falls back gracefully: a postcode cut short ("M14 5", "m145") is looked up as its
district, and the lookup says so wherever a person typed it (the map, the join form's picker)."""

import pytest
from django.urls import reverse

from directory.geo import lookup_place
from directory.models import Entry
from tests.directory.test_geo import geocoder  # noqa: F401 (the stand-in online geocoder)

PART_OF_A_POSTCODE = "is only part of a postcode: we looked for postcode district M14."


@pytest.mark.parametrize("typed", ["M14 5", "m14 5", "M14 5A", "m145", " M14   5 "])
def test_a_postcode_cut_short_finds_its_district_and_says_so(typed):
    [place] = lookup_place(typed)

    assert place.name == "M14"
    assert place.label == "M14 (postcode district), Manchester, England"
    assert place.note.endswith(PART_OF_A_POSTCODE)
    assert "postcode district M14" in place.note


def test_the_note_quotes_what_was_typed():
    [place] = lookup_place("m145")

    assert place.note.startswith("“m145” is only part of a postcode")


def test_a_full_postcode_finds_its_district_and_says_why_no_closer():
    [place] = lookup_place("M14 5AB")

    assert (place.name, place.latitude, place.longitude) == ("M14", 53.4484, -2.2259)
    assert "postcode district M14" in place.note
    assert "full postcode" in place.note


def test_a_district_alone_needs_no_note():
    [place] = lookup_place("M1")

    assert place.name == "M1"
    assert place.note == ""


def test_a_space_says_where_the_district_ends():
    # "M1 5" is district M1 cut short, not district M15.
    assert [place.name for place in lookup_place("M1 5")] == ["M1"]
    assert [place.name for place in lookup_place("M15")] == ["M15"]


@pytest.mark.parametrize("typed", ["Xyzzyville", "ZZ9 9", "M14 5ABC", "M14 55"])
def test_what_is_neither_a_place_nor_a_known_district_finds_nothing(typed):
    assert lookup_place(typed) == []


def test_online_only_the_district_of_a_postcode_cut_short_is_sent(geocoder):  # noqa: F811
    # Northern Ireland's districts are not in the bundled data, so this one goes online.
    [place] = lookup_place("BT1 5")

    [request] = geocoder.requests
    assert request["query"]["q"] == ["BT1"]
    assert "postcode district BT1" in place.note


@pytest.mark.django_db
def test_the_map_finds_entries_near_a_postcode_cut_short_and_shows_the_note(client, make_entry):
    make_entry("Fallowfield Friends", latitude=53.4440, longitude=-2.2200)
    make_entry("Frome Friends", latitude=51.2283, longitude=-2.3221)

    for url_name in ["directory:map", "directory:map_results"]:
        response = client.get(reverse(url_name), {"near": "M14 5", "radius": "5"})

        html = response.content.decode()
        assert [e.name for e in response.context["page"].object_list] == ["Fallowfield Friends"]
        assert "within 5 km of M14 (postcode district), Manchester, England" in html
        assert "“M14 5” is only part of a postcode: we looked for postcode district M14." in html


@pytest.mark.django_db
def test_the_place_pickers_candidates_carry_the_note(client):
    answer = client.get(reverse("directory:places"), {"q": "M14 5"}).json()

    [place] = answer["places"]
    assert place["name"] == "M14"
    assert "postcode district M14" in place["note"]
    assert client.get(reverse("directory:places"), {"q": "Frome"}).json()["places"][0]["note"] == ""


@pytest.mark.django_db
def test_joining_with_a_postcode_cut_short_stores_its_district(client, join_data):
    client.post(reverse("directory:join"), join_data(place_name="M14 5"))

    entry = Entry.objects.get()
    assert (entry.place_name, entry.region) == ("M14", "Manchester, England")
    assert (entry.latitude, entry.longitude) == (53.4484, -2.2259)


@pytest.mark.django_db
def test_a_postcode_cut_short_beside_a_picked_point_is_never_shown_as_the_place(client, join_data):
    client.post(
        reverse("directory:join"),
        join_data(place_name="M14 5", latitude="53.4440", longitude="-2.2200"),
    )

    entry = Entry.objects.get()
    assert entry.place_name != "M14 5"
    assert entry.latitude == 53.4440
