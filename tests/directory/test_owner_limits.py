"""What a stranger cannot do to an owner: kill their links by asking for new ones, or flood
the moderators through an owner's pages."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from directory import lifecycle
from directory.models import Entry
from tests.private_links import manage_path

from .conftest import edit_data
from .test_meeting import resource_row, resources_data

pytestmark = pytest.mark.django_db

MODERATORS = ["moderators@example.org"]


def path_in(message) -> str:
    [url] = re.findall(r"https?://\S+/manage/\S+", message.body)
    return "/manage/" + url.split("/manage/", 1)[1]


def test_asking_for_a_new_link_leaves_the_owners_links_working(client, make_entry):
    entry = make_entry("Open Door", contact_email="owner@example.org")
    earlier = manage_path(entry)

    for _attempt in range(3):
        client.post(reverse("directory:manage_request"), {"email": "owner@example.org"})

    assert client.get(earlier).status_code == 200
    assert [client.get(path_in(message)).status_code for message in mail.outbox] == [200] * 3
    assert "older links keep working" in mail.outbox[0].body


def test_erasing_an_entry_stops_every_link_to_it(client, make_entry):
    entry = make_entry("Open Door", contact_email="owner@example.org")
    earlier = manage_path(entry)
    client.post(reverse("directory:manage_request"), {"email": "owner@example.org"})
    emailed = path_in(mail.outbox[0])

    client.post(manage_path(entry, "directory:manage_delete"))

    assert client.get(earlier).status_code == client.get(emailed).status_code == 404


def test_an_owner_can_stop_every_older_link_and_get_a_new_one(client, make_entry):
    entry = make_entry("Open Door", contact_email="owner@example.org")
    earlier, current = manage_path(entry), manage_path(entry)

    response = client.post(manage_path(entry, "directory:manage_new_link"))

    assert response.status_code == 200
    assert "stopped working" in response.content.decode()
    assert client.get(earlier).status_code == client.get(current).status_code == 404
    [message] = mail.outbox
    assert message.to == ["owner@example.org"]
    assert client.get(path_in(message)).status_code == 200


@pytest.fixture
def two_edits_an_hour(settings):
    settings.MODERATOR_EMAILS = MODERATORS
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"owner-edit": "2/h"}


def test_owner_edits_over_the_limit_are_refused_and_keep_what_was_typed(
    client, make_entry, two_edits_an_hour
):
    entry = make_entry("Open Door", status=Entry.Status.AWAITING_REVIEW)
    edit = manage_path(entry, "directory:manage_edit")
    for number in range(2):
        client.post(edit, edit_data(entry, summary=f"Edit number {number}."))

    response = client.post(edit, edit_data(entry, summary="One edit too many."))

    html = response.content.decode()
    assert response.status_code == 429
    assert "please try again after" in html
    assert "One edit too many." in html
    assert Entry.objects.get().summary == "Edit number 1."


def test_shared_resources_and_the_messages_switch_count_as_owner_edits(
    client, make_entry, two_edits_an_hour
):
    entry = make_entry("Open Door", status=Entry.Status.AWAITING_REVIEW)
    client.post(manage_path(entry, "directory:manage_messages"))  # off
    client.post(
        manage_path(entry, "directory:manage_resources"), resources_data(resource_row("Guide"))
    )

    switch = client.post(manage_path(entry, "directory:manage_messages"), {"accepts": "on"})
    resources = client.post(
        manage_path(entry, "directory:manage_resources"), resources_data(resource_row("Other"))
    )

    assert switch.status_code == resources.status_code == 429
    stored = Entry.objects.get()
    assert stored.accepts_messages is False
    assert list(stored.resources.values_list("title", flat=True)) == ["Guide"]
    assert 'value="Other"' in resources.content.decode()


def test_an_owner_may_always_withdraw_or_erase_whatever_the_limit(
    client, make_entry, two_edits_an_hour
):
    entry = make_entry("Open Door")
    edit = manage_path(entry, "directory:manage_edit")
    for number in range(3):
        client.post(edit, edit_data(entry, name=f"N{number}"))

    client.post(manage_path(entry, "directory:manage_withdraw"))
    assert Entry.objects.get().status == Entry.Status.WITHDRAWN
    client.post(manage_path(entry, "directory:manage_delete"))
    assert not Entry.objects.exists()


def test_the_moderators_hear_once_about_changes_however_often_the_owner_edits(
    client, make_entry, settings
):
    settings.MODERATOR_EMAILS = MODERATORS
    entry = make_entry("Open Door")
    for number in range(5):
        client.post(
            manage_path(entry, "directory:manage_edit"),
            edit_data(entry, summary=f"Version {number}."),
        )
        client.post(
            manage_path(entry, "directory:manage_resources"),
            resources_data(resource_row(f"Guide {number}")),
        )

    assert [message.subject for message in mail.outbox] == ["Changes to review: Open Door"]
    held = Entry.objects.get().held_changes
    assert held.fields["summary"] == "Version 4."
    assert [resource["title"] for resource in held.resources] == ["Guide 4"]

    lifecycle.approve_changes(entry=Entry.objects.get())
    client.post(manage_path(entry, "directory:manage_edit"), edit_data(entry, summary="Later."))

    assert [message.subject for message in mail.outbox[1:]] == [
        "Your changes are on the Relationships Map",  # to the owner
        "Changes to review: Open Door",
    ]
