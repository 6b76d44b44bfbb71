"""An owner posts, edits and cancels gatherings from the entry's private link; each waits for
a moderator, and the owner is told so."""

import secrets

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from directory import gatherings
from directory.models import Entry, Gathering

from .conftest import started
from .test_managing import manage_path

pytestmark = pytest.mark.django_db


def post_path(entry) -> str:
    return manage_path(entry) + "gatherings/new/"


def gathering_data(**changes) -> dict:
    return {
        "title": "Tea and talk",
        "description": "An evening about neighbourliness.",
        "starts_at": "2031-07-01T18:30",
        "ends_at": "2031-07-01T20:00",
        "time_zone": "Europe/London",
        "format": "in_person",
        "place_name": "Burnage",
        "latitude": "",
        "longitude": "",
        "themes": "listening, neighbours",
        "booking_link": "https://book.example.org/tea",
        "capacity_note": "Twenty places",
        # Each call is a new form, given out a minute ago.
        "started": started(nonce=secrets.token_hex(8)),
    } | changes


def test_an_owner_posts_a_gathering_that_waits_for_a_moderator(client, make_entry):
    owner = make_entry("Moston Neighbours")

    response = client.post(post_path(owner), gathering_data())

    assert response.status_code == 200
    assert "is waiting for a moderator" in response.content.decode()
    stored = Gathering.objects.get()
    assert stored.organiser == owner
    assert stored.status == Gathering.Status.AWAITING_REVIEW
    assert (stored.place_name, stored.region) == ("Burnage", "Manchester, England")
    assert (stored.latitude, stored.longitude) == (53.4327, -2.1997)
    # 18:30 in London in July is 17:30 UTC.
    assert stored.starts_at == timezone.datetime(2031, 7, 1, 17, 30, tzinfo=timezone.UTC)
    assert sorted(stored.themes.names()) == ["listening", "neighbours"]
    assert not stored.is_public()
    assert client.get(stored.get_absolute_url()).status_code == 404


def test_the_same_form_sent_twice_posts_one_gathering(client, make_entry, moderator, mailoutbox):
    owner = make_entry("Moston Neighbours")
    data = gathering_data()

    first = client.post(post_path(owner), data)
    second = client.post(post_path(owner), data)

    assert first.status_code == second.status_code == 200
    assert "is waiting for a moderator" in second.content.decode()
    assert Gathering.objects.count() == 1
    assert len(mailoutbox) == 1  # the moderators hear of it once
    # A new form is a new gathering.
    client.post(post_path(owner), gathering_data(title="Another tea"))
    assert Gathering.objects.count() == 2


def test_the_form_given_out_carries_its_stamp_and_a_forged_one_is_refused(client, make_entry):
    owner = make_entry("Moston Neighbours")

    assert 'name="started"' in client.get(post_path(owner)).content.decode()
    response = client.post(post_path(owner), gathering_data(started="forged"))

    assert response.status_code == 200
    assert "This form could not be checked" in response.content.decode()
    assert 'value="Tea and talk"' in response.content.decode()
    assert not Gathering.objects.exists()


def test_a_gathering_abroad_is_stored_in_utc_from_its_own_time_zone(client, make_entry):
    owner = make_entry("Moston Neighbours")

    client.post(
        post_path(owner),
        gathering_data(
            format="online",
            online_link="https://meet.example.org/x",
            time_zone="America/New_York",
            starts_at="2031-01-10T09:00",
            ends_at="2031-01-10T10:00",
        ),
    )

    stored = Gathering.objects.get()
    assert stored.starts_at == timezone.datetime(2031, 1, 10, 14, 0, tzinfo=timezone.UTC)
    assert (stored.latitude, stored.longitude) == (None, None)


def test_a_form_with_mistakes_says_what_to_fix_and_keeps_what_was_typed(client, make_entry):
    owner = make_entry("Moston Neighbours")

    response = client.post(
        post_path(owner),
        gathering_data(
            ends_at="2031-07-01T17:00",
            place_name="Nowhere-on-earth-ville",
            booking_link="ftp://example.org/tea",
        ),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["ends_at"] == ["The gathering cannot end before it starts."]
    assert "We could not find “Nowhere-on-earth-ville”" in errors["place_name"][0]
    assert errors["booking_link"][0].startswith("“ftp://example.org/tea” is not a web address.")
    assert 'value="Tea and talk"' in response.content.decode()
    assert not Gathering.objects.exists()


def test_an_online_gathering_needs_its_link(client, make_entry):
    owner = make_entry("Moston Neighbours")

    response = client.post(post_path(owner), gathering_data(format="online", online_link=""))

    assert response.context["form"].errors["online_link"] == [
        "Please give the link where people join."
    ]


def test_editing_a_published_gathering_sends_it_back_and_approval_updates_calendars(
    client, make_entry, make_gathering
):
    owner = make_entry("Moston Neighbours")
    gathering = make_gathering("Tea and talk", organiser=owner)
    edit = manage_path(owner) + f"gatherings/{gathering.pk}/edit/"
    form_page = client.get(edit)
    assert form_page.status_code == 200
    assert "taken off the gatherings pages" in form_page.content.decode()

    client.post(edit, gathering_data(title="Tea, cake and talk"))
    gathering.refresh_from_db()
    assert gathering.status == Gathering.Status.AWAITING_REVIEW
    assert gathering.title == "Tea, cake and talk"
    assert client.get(gathering.get_absolute_url()).status_code == 404

    gatherings.approve(gathering=gathering)
    feed = icalendar.Calendar.from_ical(client.get(reverse("directory:gatherings_ics")).content)
    [event] = feed.walk("VEVENT")
    assert (str(event["summary"]), event["sequence"]) == ("Tea, cake and talk", 1)


def test_an_owner_cancels_a_gathering(client, make_entry, make_gathering):
    owner = make_entry("Moston Neighbours")
    gathering = make_gathering("Tea and talk", organiser=owner)

    response = client.post(manage_path(owner) + f"gatherings/{gathering.pk}/cancel/")

    assert response.status_code == 302
    gathering.refresh_from_db()
    assert gathering.status == Gathering.Status.CANCELLED


def test_an_owner_cannot_touch_another_entrys_gathering(client, make_entry, make_gathering):
    owner = make_entry("Moston Neighbours")
    other = make_gathering("Someone else's", organiser=make_entry("Other Group"))

    assert client.get(manage_path(owner) + f"gatherings/{other.pk}/edit/").status_code == 404
    assert client.post(manage_path(owner) + f"gatherings/{other.pk}/cancel/").status_code == 404
    other.refresh_from_db()
    assert other.status == Gathering.Status.PUBLISHED


def test_the_manage_page_lists_the_owners_gatherings_with_their_status(
    client, make_entry, make_gathering
):
    owner = make_entry("Moston Neighbours", status=Entry.Status.PUBLISHED)
    make_gathering("Tea and talk", organiser=owner, status=Gathering.Status.AWAITING_REVIEW)

    body = client.get(manage_path(owner)).content.decode()

    assert "Tea and talk" in body
    assert "Awaiting review." in body
    assert "Post a gathering" in body


def test_a_bad_link_gets_the_friendly_page(client, db):
    response = client.get("/manage/not-a-token/gatherings/new/")

    assert response.status_code == 404


def test_the_moderators_are_emailed_a_link_to_review_a_posted_gathering(
    client, make_entry, moderator, mailoutbox, settings
):
    owner = make_entry("Moston Neighbours")

    client.post(post_path(owner), gathering_data())

    gathering = Gathering.objects.get()
    [email] = mailoutbox
    assert email.to == [moderator.email]
    assert email.subject == "Gathering to review: Tea and talk"
    review = settings.SITE_URL + reverse("admin:directory_gathering_change", args=[gathering.pk])
    assert review in email.body
    assert owner.contact_email not in email.body


def test_the_owners_data_download_holds_their_gatherings(client, make_entry, make_gathering):
    owner = make_entry("Moston Neighbours")
    make_gathering(
        "Online talk",
        organiser=owner,
        format=Gathering.Format.ONLINE,
        online_link="https://meet.example.org/ours",
        themes=["listening"],
    )

    data = client.get(manage_path(owner) + "data.json").json()

    [gathering] = data["gatherings"]
    assert gathering["title"] == "Online talk"
    assert gathering["online_link"] == "https://meet.example.org/ours"
    assert gathering["themes"] == ["listening"]
