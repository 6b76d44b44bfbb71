"""The iCalendar feeds (RFC 5545), read back with the `icalendar` parser: every upcoming
gathering, the same for any filter, and one per gathering to add to a calendar."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from directory import gatherings
from directory.models import Gathering

pytestmark = pytest.mark.django_db
FEED = reverse("directory:gatherings_ics")


def events_in(response) -> dict[str, icalendar.Event]:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_has_every_upcoming_public_gathering_and_nothing_else(client, make_gathering):
    make_gathering("Tomorrow", starts_at=timezone.now() + timedelta(days=1))
    make_gathering("Last week", starts_at=timezone.now() - timedelta(days=7))
    make_gathering("Waiting", status=Gathering.Status.AWAITING_REVIEW)

    assert list(events_in(client.get(FEED))) == ["Tomorrow"]


def test_an_event_carries_uid_sequence_stamp_and_its_time_zone(client, make_gathering):
    summer = timezone.now().replace(month=7, day=1, hour=17, minute=0, second=0, microsecond=0)
    gathering = make_gathering("Summer talk", starts_at=summer + timedelta(days=365))

    response = client.get(FEED)
    event = events_in(response)["Summer talk"]
    calendar = icalendar.Calendar.from_ical(response.content)

    assert str(event["uid"]) == gathering.uid
    assert event["sequence"] == 0
    assert event["status"] == "CONFIRMED"
    assert event["dtstamp"].dt.tzinfo is not None
    assert event["dtstart"].params["TZID"] == "Europe/London"
    assert event["dtstart"].dt == gathering.starts_at
    assert event["dtstart"].dt.hour == 18  # British Summer Time
    assert event["dtend"].dt == gathering.ends_at
    assert event["geo"].latitude == pytest.approx(53.4808)
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert str(event["url"]).endswith(gathering.get_absolute_url())


def test_the_feed_ends_lines_with_crlf_and_folds_long_ones(client, make_gathering):
    make_gathering("Long", description="A long description of the evening. " * 20)

    body = client.get(FEED).content

    lines = body.split(b"\r\n")
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # a folded continuation


def test_an_approved_edit_keeps_the_uid_and_raises_the_sequence(client, make_gathering):
    gathering = make_gathering("Tea and talk")
    before = events_in(client.get(FEED))["Tea and talk"]

    gathering.title = "Tea, cake and talk"
    gatherings.submit_owner_edit(gathering=gathering, sectors=[], themes=[])
    assert events_in(client.get(FEED)) == {}  # waiting for review: out of the feed
    gatherings.approve(gathering=gathering)
    after = events_in(client.get(FEED))["Tea, cake and talk"]

    assert str(after["uid"]) == str(before["uid"])
    assert after["sequence"] == before["sequence"] + 1


def test_a_cancelled_gathering_goes_out_as_cancelled_with_a_higher_sequence(client, make_gathering):
    gathering = make_gathering("Tea and talk")
    gatherings.cancel(gathering=gathering)

    event = events_in(client.get(FEED))["Tea and talk"]

    assert event["status"] == "CANCELLED"
    assert event["sequence"] == 1
    assert str(event["uid"]) == gathering.uid


def test_a_gathering_cancelled_long_ago_leaves_the_feed(client, make_gathering):
    gathering = make_gathering("Tea and talk")
    gatherings.cancel(gathering=gathering)
    Gathering.objects.filter(pk=gathering.pk).update(
        cancelled_at=timezone.now() - timedelta(days=31)
    )

    assert events_in(client.get(FEED)) == {}


def test_the_feed_follows_the_lists_filters(client, make_gathering, make_sector):
    make_gathering("Health tea")
    make_gathering("School circle", sectors=[make_sector("Education")])

    assert list(events_in(client.get(FEED, {"sector": "education"}))) == ["School circle"]
    assert len(events_in(client.get(FEED, {"sector": "unknown"}))) == 2


def test_add_to_calendar_gives_one_event(client, make_gathering):
    gathering = make_gathering("Tea and talk")
    make_gathering("Another")

    response = client.get(reverse("directory:gathering_ics", kwargs={"slug": gathering.slug}))

    assert list(events_in(response)) == ["Tea and talk"]


def test_a_closed_online_link_stays_out_of_the_calendar(client, make_gathering):
    make_gathering(
        "Online", format=Gathering.Format.ONLINE, online_link="https://meet.example.org/secret"
    )

    response = client.get(FEED)

    assert b"secret" not in response.content
    assert "The organiser sends the link" in str(events_in(response)["Online"]["description"])


def test_the_feed_answers_a_revalidation_with_304_until_something_changes(
    client, make_gathering, changed_a_minute_ago
):
    gathering = make_gathering("Tea and talk")
    changed_a_minute_ago()
    first = client.get(FEED)

    assert first["Access-Control-Allow-Origin"] == "*"
    assert client.get(FEED, headers={"if-none-match": first["ETag"]}).status_code == 304
    gatherings.cancel(gathering=gathering)
    assert client.get(FEED, headers={"if-none-match": first["ETag"]}).status_code == 200
