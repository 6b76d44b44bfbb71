"""The gatherings list, past gatherings, each gathering's page and where it is linked from."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import Gathering

pytestmark = pytest.mark.django_db
LIST = reverse("directory:gatherings")
PAST = reverse("directory:past_gatherings")


def listed(response) -> list[str]:
    return [gathering.title for gathering in response.context["page"].object_list]


def test_the_list_shows_upcoming_gatherings_soonest_first_and_not_past_ones(client, make_gathering):
    now = timezone.now()
    make_gathering("Next month", starts_at=now + timedelta(days=30))
    make_gathering("Tomorrow", starts_at=now + timedelta(days=1))
    make_gathering("Last week", starts_at=now - timedelta(days=7))

    response = client.get(LIST)

    assert response.status_code == 200
    assert listed(response) == ["Tomorrow", "Next month"]
    assert "2 upcoming gatherings" in response.content.decode()


def test_past_gatherings_have_their_own_page_with_their_recording(client, make_gathering):
    make_gathering(
        "Launch conversation",
        starts_at=timezone.now() - timedelta(days=30),
        recording_link="https://example.org/recording",
    )
    make_gathering("Tomorrow", starts_at=timezone.now() + timedelta(days=1))

    response = client.get(PAST)

    assert listed(response) == ["Launch conversation"]
    assert "Recording available" in response.content.decode()


def test_cancelled_gatherings_are_not_listed_but_keep_their_page_for_a_while(
    client, make_gathering
):
    called_off = make_gathering("Called off", status=Gathering.Status.CANCELLED)
    Gathering.objects.filter(pk=called_off.pk).update(
        published_at=timezone.now(), cancelled_at=timezone.now()
    )

    assert listed(client.get(LIST)) == []
    page = client.get(called_off.get_absolute_url())
    assert page.status_code == 200
    assert "This gathering is cancelled." in page.content.decode()


def test_the_list_filters_by_sector_theme_format_and_place(client, make_gathering, make_sector):
    schools = make_sector("Education")
    make_gathering("Manchester tea", themes=["listening"])
    make_gathering("School circle", sectors=[schools], latitude=51.5072, longitude=-0.1276)
    make_gathering("Online chat", format=Gathering.Format.ONLINE, online_link="https://x.org/")

    assert listed(client.get(LIST, {"sector": "education"})) == ["School circle"]
    assert listed(client.get(LIST, {"theme": "listening"})) == ["Manchester tea"]
    assert listed(client.get(LIST, {"format": "online"})) == ["Online chat"]
    assert listed(client.get(LIST, {"near": "London", "radius": "25"})) == ["School circle"]


def test_unusable_filters_are_dropped_with_a_note_not_refused(client, make_gathering):
    make_gathering("Manchester tea")

    response = client.get(LIST, {"sector": "nonsense", "radius": "7", "format": "by-post"})

    assert response.status_code == 200
    assert listed(response) == ["Manchester tea"]
    notes = response.context["form"].notes
    assert "We ignored a sector we do not know." in notes
    assert "We ignored a kind of gathering we do not know." in notes


def test_an_empty_list_says_so_and_how_to_post_one(client, db):
    body = client.get(LIST).content.decode()

    assert "No gathering is planned just now." in body
    assert reverse("directory:manage_request") in body


def test_the_list_is_paginated(client, make_gathering):
    for day in range(1, 15):
        make_gathering(f"Day {day:02}", starts_at=timezone.now() + timedelta(days=day))

    first, second = client.get(LIST), client.get(LIST, {"page": 2})

    assert len(listed(first)) == 12
    assert listed(second) == ["Day 13", "Day 14"]


def test_the_list_makes_the_same_number_of_queries_however_many_gatherings(
    client, make_gathering, django_assert_max_num_queries
):
    for day in range(1, 4):
        make_gathering(f"Day {day}", starts_at=timezone.now() + timedelta(days=day))
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    for day in range(4, 12):
        make_gathering(f"Day {day}", starts_at=timezone.now() + timedelta(days=day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIST)


def test_a_gatherings_page_carries_schema_org_event_data(client, make_entry, make_gathering):
    organiser = make_entry("Moston Neighbours")
    gathering = make_gathering("Tea and talk", organiser=organiser, booking_link="https://b.org/")

    response = client.get(gathering.get_absolute_url())

    body = response.content.decode()
    start = body.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data = json.loads(body[start : body.index("</script>", start)])
    assert data["@type"] == "Event"
    assert data["name"] == "Tea and talk"
    assert data["organizer"]["name"] == "Moston Neighbours"
    assert data["offers"]["url"] == "https://b.org/"
    assert organiser.get_absolute_url() in body
    assert reverse("directory:gathering_ics", kwargs={"slug": gathering.slug}) in body


def test_an_online_gatherings_page_shows_the_link_only_when_it_is_open(client, make_gathering):
    closed = make_gathering(
        "Closed", format=Gathering.Format.ONLINE, online_link="https://meet.example.org/closed"
    )
    opened = make_gathering(
        "Open",
        format=Gathering.Format.ONLINE,
        online_link="https://meet.example.org/open",
        link_is_open=True,
    )

    closed_body = client.get(closed.get_absolute_url()).content.decode()
    assert "meet.example.org/closed" not in closed_body
    assert "The organiser sends the link to join" in closed_body
    assert "https://meet.example.org/open" in client.get(opened.get_absolute_url()).content.decode()


def test_the_organisers_profile_links_to_its_upcoming_gatherings(
    client, make_entry, make_gathering
):
    organiser = make_entry("Moston Neighbours")
    gathering = make_gathering("Tea and talk", organiser=organiser)
    make_gathering("Waiting", organiser=organiser, status=Gathering.Status.AWAITING_REVIEW)

    body = client.get(organiser.get_absolute_url()).content.decode()

    assert gathering.get_absolute_url() in body
    assert "Waiting" not in body


def test_the_navigation_links_to_the_gatherings(client, db):
    body = client.get(reverse("home")).content.decode()

    assert f'href="{LIST}"' in body


def test_a_gathering_called_past_does_not_hide_the_past_page(make_gathering):
    assert make_gathering("Past").slug == "past-gathering"
