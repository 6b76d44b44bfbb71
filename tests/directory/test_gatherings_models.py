"""Gatherings: who may see one (one queryset rule), upcoming and past, the database's
invariants, and the moderation steps that move the directory's version and SEQUENCE."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from directory import gatherings
from directory.models import ContentVersion, Entry, Gathering

pytestmark = pytest.mark.django_db
DIRECTORY = ContentVersion.Scope.DIRECTORY


def directory_version() -> int:
    return ContentVersion.stamp(DIRECTORY).number


def titles(queryset) -> list[str]:
    return list(queryset.values_list("title", flat=True))


def test_only_published_gatherings_of_public_organisers_are_public(make_entry, make_gathering):
    hidden_owner = make_entry("Hidden Owner", status=Entry.Status.AWAITING_REVIEW)
    make_gathering("Open to all")
    make_gathering("By the site itself", organiser=None)
    make_gathering("Waiting", status=Gathering.Status.AWAITING_REVIEW)
    make_gathering("Turned down", status=Gathering.Status.REJECTED)
    make_gathering("By a hidden organiser", organiser=hidden_owner)

    assert sorted(titles(Gathering.objects.public())) == ["By the site itself", "Open to all"]


def test_a_cancelled_gathering_stays_public_for_a_while_only_if_it_was_published(
    make_gathering,
):
    recently = make_gathering("Recently called off")
    gatherings.cancel(gathering=recently)
    long_ago = make_gathering("Called off long ago")
    gatherings.cancel(gathering=long_ago)
    Gathering.objects.filter(pk=long_ago.pk).update(
        cancelled_at=timezone.now() - timedelta(days=31)
    )
    never_published = make_gathering("Never approved", status=Gathering.Status.AWAITING_REVIEW)
    gatherings.cancel(gathering=never_published)

    assert titles(Gathering.objects.public()) == ["Recently called off"]
    assert titles(Gathering.objects.public().going_ahead()) == []


def test_is_public_mirrors_the_queryset(make_entry, make_gathering):
    hidden_owner = make_entry("Hidden Owner", status=Entry.Status.REJECTED)
    shown = make_gathering("Shown")
    hidden = make_gathering("Hidden", organiser=hidden_owner)

    assert shown.is_public()
    assert not hidden.is_public()


def test_upcoming_are_soonest_first_and_past_most_recent_first(make_gathering):
    now = timezone.now()
    make_gathering("Next month", starts_at=now + timedelta(days=30))
    make_gathering("Tomorrow", starts_at=now + timedelta(days=1))
    make_gathering("Last year", starts_at=now - timedelta(days=365))
    make_gathering("Last week", starts_at=now - timedelta(days=7))
    # Started an hour ago, ends in an hour: still on, so still upcoming.
    make_gathering("Happening now", starts_at=now - timedelta(hours=1))

    assert titles(Gathering.objects.upcoming()) == ["Happening now", "Tomorrow", "Next month"]
    assert titles(Gathering.objects.past()) == ["Last week", "Last year"]


def test_near_keeps_in_person_gatherings_within_the_radius(make_gathering):
    make_gathering("In Manchester")
    make_gathering("In Leeds", latitude=53.8008, longitude=-1.5491)
    make_gathering("In London", latitude=51.5072, longitude=-0.1276)
    make_gathering("Online", format=Gathering.Format.ONLINE, online_link="https://example.org/")

    near_manchester = Gathering.objects.near(latitude=53.4808, longitude=-2.2426, radius_km=60)
    assert sorted(titles(near_manchester)) == ["In Leeds", "In Manchester"]


def test_an_online_gathering_keeps_no_point(make_gathering):
    online = make_gathering("Online", format=Gathering.Format.ONLINE)

    online.refresh_from_db()
    assert (online.latitude, online.longitude) == (None, None)


def test_the_database_refuses_an_in_person_gathering_without_a_point(make_gathering):
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_gathering("Nowhere", latitude=None, longitude=None)


def test_the_database_refuses_a_gathering_that_ends_before_it_starts(make_gathering):
    starts_at = timezone.now() + timedelta(days=2)
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_gathering("Backwards", starts_at=starts_at, ends_at=starts_at - timedelta(hours=1))


def test_slugs_are_unique_and_uids_stable(make_gathering):
    first = make_gathering("Tea and talk")
    second = make_gathering("Tea and talk")
    uid = first.uid

    first.title = "Tea, cake and talk"
    first.save()
    first.refresh_from_db()

    assert (first.slug, second.slug) == ("tea-and-talk", "tea-and-talk-2")
    assert first.uid == uid
    assert first.uid != second.uid


def test_approving_publishes_and_moves_the_directory_version(make_gathering):
    waiting = make_gathering("Waiting", status=Gathering.Status.AWAITING_REVIEW)
    before = directory_version()

    gatherings.approve(gathering=waiting)

    waiting.refresh_from_db()
    assert waiting.status == Gathering.Status.PUBLISHED
    assert waiting.published_at is not None
    assert waiting.sequence == 0
    assert directory_version() == before + 1


def test_an_edit_goes_back_to_review_and_its_approval_raises_the_sequence(make_gathering):
    published = make_gathering("Tea and talk")
    before = directory_version()

    published.title = "Tea and a longer talk"
    gatherings.submit_owner_edit(gathering=published, sectors=[], themes=["listening"])
    published.refresh_from_db()
    assert published.status == Gathering.Status.AWAITING_REVIEW
    assert not Gathering.objects.public().filter(pk=published.pk).exists()
    assert directory_version() == before + 1

    gatherings.approve(gathering=published)
    published.refresh_from_db()
    assert published.status == Gathering.Status.PUBLISHED
    assert published.sequence == 1
    assert list(published.themes.names()) == ["listening"]


def test_cancelling_raises_the_sequence_and_stamps_the_time(make_gathering):
    published = make_gathering("Tea and talk")
    before = directory_version()

    gatherings.cancel(gathering=published)

    published.refresh_from_db()
    assert published.status == Gathering.Status.CANCELLED
    assert published.sequence == 1
    assert published.cancelled_at is not None
    assert directory_version() == before + 1


def test_rejecting_records_the_reason_and_hides_it(make_gathering):
    published = make_gathering("Tea and talk")

    gatherings.reject(gathering=published, reason="Not a gathering about relationships.")

    published.refresh_from_db()
    assert published.status == Gathering.Status.REJECTED
    assert published.rejection_reason == "Not a gathering about relationships."
    assert not published.is_public()


def test_erasing_an_organiser_erases_its_gatherings(make_entry, make_gathering):
    from directory import lifecycle

    owner = make_entry("Moston Neighbours")
    make_gathering("Tea and talk", organiser=owner)

    lifecycle.erase(entry=owner)

    assert not Gathering.objects.exists()


def test_structured_data_is_a_schema_org_event_in_the_gatherings_time_zone(make_gathering):
    starts_at = timezone.now().replace(month=7, day=1, hour=17, minute=0, second=0, microsecond=0)
    summer = make_gathering("Summer talk", starts_at=starts_at + timedelta(days=365))

    data = summer.structured_data()

    assert data["@type"] == "Event"
    assert data["startDate"].endswith("+01:00")  # British Summer Time
    assert data["location"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 53.4808,
        "longitude": -2.2426,
    }
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"


def test_a_closed_online_link_is_not_in_the_structured_data(make_gathering):
    online = make_gathering(
        "Online", format=Gathering.Format.ONLINE, online_link="https://meet.example.org/secret"
    )

    assert "secret" not in str(online.structured_data())
    online.link_is_open = True
    assert online.structured_data()["location"]["url"] == "https://meet.example.org/secret"
