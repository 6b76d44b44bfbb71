"""The owner's private link: edit, switch messages, withdraw, erase, download, relink."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from directory import lifecycle
from directory.mapdata.wire import unpack
from directory.models import Entry
from tests.private_links import manage_path

from .conftest import edit_data

pytestmark = pytest.mark.django_db


def test_the_private_link_shows_the_entry_privately(client, make_entry):
    entry = make_entry("Open Door")

    response = client.get(manage_path(entry))

    assert response.status_code == 200
    assert "Manage “Open Door”" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"  # the token never leaves the site


def test_edits_to_a_published_entry_wait_for_review_while_the_old_version_stays(
    client, make_entry, settings
):
    settings.MODERATOR_EMAILS = ["moderators@example.org"]
    entry = make_entry("Open Door")

    client.post(manage_path(entry, "directory:manage_edit"), edit_data(entry, name="New Name"))

    entry.refresh_from_db()
    assert entry.name == "Open Door" and entry.status == "published"
    assert entry.pending_changes["fields"]["name"] == "New Name"
    assert "Open Door" in client.get(entry.get_absolute_url()).content.decode()
    assert "Changes to review" in mail.outbox[0].subject
    assert mail.outbox[0].to == ["moderators@example.org"]

    lifecycle.approve_changes(entry=entry)
    assert Entry.objects.get().name == "New Name"


def test_edits_to_an_entry_under_review_apply_at_once(client, make_entry):
    entry = make_entry("Open Door", status=Entry.Status.AWAITING_REVIEW)

    client.post(manage_path(entry, "directory:manage_edit"), edit_data(entry, name="Renamed"))

    assert Entry.objects.get().name == "Renamed"


def test_the_contact_form_can_be_switched_off_and_on(client, make_entry):
    entry = make_entry()

    client.post(manage_path(entry, "directory:manage_messages"))
    off = Entry.objects.get().accepts_messages
    client.post(manage_path(entry, "directory:manage_messages"), {"accepts": "on"})

    assert (off, Entry.objects.get().accepts_messages) == (False, True)


def test_withdrawing_hides_the_entry_at_once(client, make_entry):
    entry = make_entry("Open Door")

    client.post(manage_path(entry, "directory:manage_withdraw"))

    assert client.get(entry.get_absolute_url()).status_code == 404
    assert unpack(client.get(reverse("directory:map_data")).content) == []


def test_deleting_erases_the_entry_and_its_history_at_once(client, make_entry):
    entry = make_entry("Open Door")
    path = manage_path(entry)
    entry.name = "Edited once"
    entry.save()

    client.post(manage_path(entry, "directory:manage_delete"))

    assert not Entry.objects.exists()
    assert not Entry.history.filter(id=entry.pk).exists()
    assert client.get(path).status_code == 404  # the link now gets the friendly page


def test_the_owner_can_download_everything_held_as_json(client, make_entry):
    entry = make_entry("Open Door", contact_email="owner@example.org")

    response = client.get(manage_path(entry, "directory:manage_data"))

    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert data["entry"]["contact_email"] == "owner@example.org"
    assert data["entry"]["exact_latitude"] == entry.latitude
    assert data["history"][0]["change"] == "Created"


def test_asking_for_a_link_answers_the_same_for_known_and_unknown_addresses(client, make_entry):
    entry = make_entry(contact_email="known@example.org")
    old_path = manage_path(entry)

    known = client.post(reverse("directory:manage_request"), {"email": "Known@example.org"})
    unknown = client.post(reverse("directory:manage_request"), {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert client.get(known["Location"]).content == client.get(unknown["Location"]).content
    assert [message.to for message in mail.outbox] == [["known@example.org"]]
    assert client.get(old_path).status_code == 200  # asking takes nothing from the owner
    new_url = [word for word in mail.outbox[0].body.split() if "/manage/" in word][0]
    assert client.get(new_url.split("8000", 1)[-1]).status_code == 200


def test_asking_for_links_is_rate_limited(client, settings):
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"manage-link": "1/h"}
    client.post(reverse("directory:manage_request"), {"email": "a@example.org"})

    response = client.post(reverse("directory:manage_request"), {"email": "a@example.org"})

    assert response.status_code == 429
    assert "please try again after" in response.content.decode()


@pytest.mark.parametrize("token", ["nonsense", "a:b:c"])
def test_a_tampered_link_gets_the_friendly_page(client, token):
    response = client.get(reverse("directory:manage", kwargs={"token": token}))

    assert response.status_code == 404
    assert "Email me a new link" in response.content.decode()


def test_an_expired_link_gets_the_friendly_page(client, make_entry, settings):
    entry = make_entry()
    path = manage_path(entry)
    settings.MANAGE_LINK_DAYS = -1

    assert client.get(path).status_code == 404


def test_unconfirmed_entries_are_purged_after_the_set_number_of_days(make_entry, settings):
    settings.UNCONFIRMED_ENTRY_DAYS = 7
    old = make_entry("Old", status=Entry.Status.AWAITING_CONFIRMATION)
    Entry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    make_entry("Recent", status=Entry.Status.AWAITING_CONFIRMATION)
    make_entry("Published long ago")

    call_command("purge_unconfirmed", "--dry-run", verbosity=0)
    assert Entry.objects.count() == 3
    call_command("purge_unconfirmed", verbosity=0)

    assert sorted(Entry.objects.values_list("name", flat=True)) == ["Published long ago", "Recent"]
