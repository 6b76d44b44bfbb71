"""What owners are told, and what is stored, at each step they take or a moderator takes on
their entry: an edit, withdrawing changes or the entry, erasing it, and the moderators'
decisions, which are emailed to the owner alone."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from directory import lifecycle
from directory.changes import PARTS
from directory.models import (
    EDITABLE_FIELDS,
    RELATED_FIELDS,
    ContactMessage,
    Entry,
    PendingChanges,
    Resource,
)
from tests.private_links import manage_links, manage_path

from .test_admin import decide_on_page, run_action, shown_messages
from .test_owner_emails import private_links_in
from .test_owner_journeys import owner_edit

pytestmark = pytest.mark.django_db

OWNER = "owner@example.org"
MODERATORS = ["moderators@example.org"]


@pytest.fixture
def open_door(make_entry, settings):
    """A published organisation with a theme and a shared resource; moderators listed."""
    settings.MODERATOR_EMAILS = MODERATORS
    entry = make_entry(
        "Open Door", summary="We open our door.", themes=["listening"], contact_email=OWNER
    )
    Resource.objects.create(entry=entry, title="Old guide", url="https://example.org/old")
    return entry


# The edit form as it shows the changes waiting (EntryForm.for_owner).
AS_WAITING = {"summary": "We open our door on Tuesdays.", "themes": "listening, tea"}


@pytest.fixture
def waiting(client, open_door):
    """Open Door with its owner's changes to the summary and themes waiting for review."""
    owner_edit(client, open_door, **AS_WAITING)
    mail.outbox.clear()
    return Entry.objects.get()


def page_text(response) -> str:
    """The page's words as a person reads them: tags dropped, spaces collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def is_private(response) -> bool:
    return (
        response["Cache-Control"] == "no-store"
        and response["X-Robots-Tag"] == "noindex"
        and response["Referrer-Policy"] == "same-origin"
    )


# --- After an edit: what is live, what waits ------------------------------------------------


def test_an_edit_of_a_published_entry_names_what_waits_and_says_nothing_else_changed(
    client, open_door
):
    response = owner_edit(
        client, open_door, summary="We open our door on Tuesdays.", themes="listening, tea"
    )

    stored = Entry.objects.get()
    assert stored.summary == "We open our door."
    assert stored.held_changes.fields == {"summary": "We open our door on Tuesdays."}
    assert stored.held_changes.themes == ["listening", "tea"]
    text = page_text(response)
    assert "Changes sent for review" in text
    assert "Waiting for a moderator: summary and themes. Nothing else changed." in text
    assert (
        "A moderator will check your changes; until they approve them, the map and your "
        "profile show your entry as it was. We will email you when they decide."
    ) in text
    # Each change, from what to what, in words an owner uses.
    assert "Summary Now: We open our door. After approval: We open our door on Tuesdays." in text
    assert "Themes Now: listening After approval: listening tea" in text


def test_a_second_edit_says_which_changes_are_new_and_which_were_waiting(client, waiting):
    response = owner_edit(client, waiting, name="Open Door Café", **AS_WAITING)

    text = page_text(response)
    assert (
        "Waiting for a moderator: name (just now), summary and themes (sent earlier). "
        "Nothing else changed."
    ) in text
    assert not mail.outbox  # the moderators were told about the first edit already


def test_taking_back_one_waiting_change_says_it_stays_as_published(client, waiting):
    response = owner_edit(client, waiting, summary="We open our door.", themes="listening, tea")

    assert Entry.objects.get().held_changes.fields == {}
    text = page_text(response)
    assert "Waiting for a moderator: themes. Back to the published version: summary." in text


def test_taking_back_every_waiting_change_says_nothing_waits_any_more(client, waiting):
    response = owner_edit(client, waiting, summary="We open our door.", themes="listening")

    assert Entry.objects.get().held_changes is None
    text = page_text(response)
    assert (
        "Your entry now matches the published version, so nothing waits for a moderator any "
        "more. Back to the published version: summary and themes."
    ) in text


def test_saving_an_untouched_form_names_the_changes_still_waiting(client, waiting):
    response = owner_edit(client, waiting, **AS_WAITING)

    text = page_text(response)
    assert "You did not change anything, so there was nothing to save." in text
    assert "Still waiting for a moderator from before: summary and themes." in text


def test_an_edit_before_review_is_applied_at_once_and_says_the_entry_is_not_public_yet(
    client, make_entry
):
    entry = make_entry("Open Door", status=Entry.Status.AWAITING_REVIEW)

    response = owner_edit(client, entry, summary="Lunch on Tuesdays.", website="https://od.org")

    stored = Entry.objects.get()
    assert (stored.summary, stored.website) == ("Lunch on Tuesdays.", "https://od.org")
    text = page_text(response)
    assert "Thank you: your entry is updated. Changed: summary and website." in text
    assert (
        "Your entry is not on the map yet: a moderator will review it as it is now, and we "
        "will email you when they decide."
    ) in text


def test_an_edit_of_a_rejected_entry_names_what_changed_and_that_it_went_back(client, make_entry):
    entry = make_entry("Open Door", status=Entry.Status.REJECTED)

    response = owner_edit(client, entry, summary="We run a lunch club.")

    assert Entry.objects.get().status == Entry.Status.AWAITING_REVIEW
    text = page_text(response)
    assert (
        "Thank you: your entry is updated and has gone back to our moderators for review. "
        "Changed: summary."
    ) in text


def test_a_place_change_is_shown_as_the_place_and_how_far_the_point_moves(client, open_door):
    response = owner_edit(client, open_door, place_name="Bath", latitude="", longitude="")

    text = page_text(response)
    assert "Waiting for a moderator: place and point on the map." in text
    assert (
        "Place Now: Manchester, England After approval: Bath, Bath and North East Somerset, England"
    ) in text
    assert (
        "Point on the map Now: 53.48080, -2.24260 "
        "After approval: 51.37510, -2.36170, about 235 km from before"
    ) in text


# --- The manage page and withdrawing the waiting changes -------------------------------------


def test_the_manage_page_shows_each_waiting_change_and_offers_to_withdraw_them(client, waiting):
    response = client.get(manage_path(waiting))

    text = page_text(response)
    assert "Changes waiting for a moderator" in text
    assert "Summary Now: We open our door. After approval: We open our door on Tuesdays." in text
    html = response.content.decode()
    assert manage_links(html, "href", "directory:manage_withdraw_changes") == [waiting]


def test_withdrawing_the_waiting_changes_asks_first(client, waiting):
    response = client.get(manage_path(waiting, "directory:manage_withdraw_changes"))

    assert response.status_code == 200 and is_private(response)
    text = page_text(response)
    assert "Withdraw your changes?" in text
    assert "Summary Now: We open our door. After approval: We open our door on Tuesdays." in text
    assert Entry.objects.get().held_changes is not None


def test_withdrawing_the_waiting_changes_drops_them_and_tells_nobody_else(client, waiting):
    response = client.post(manage_path(waiting, "directory:manage_withdraw_changes"))

    assert response.status_code == 200 and is_private(response)
    stored = Entry.objects.get()
    assert stored.held_changes is None
    assert (stored.summary, sorted(stored.themes.names())) == ("We open our door.", ["listening"])
    assert stored.history.latest().history_change_reason == "Owner withdrew the changes"
    assert not mail.outbox
    text = page_text(response)
    assert "Your changes are withdrawn" in text
    assert (
        "Withdrawn: summary and themes. Nothing waits for a moderator now, and your entry "
        "stays on the map as it was."
    ) in text


def test_withdrawing_changes_when_none_wait_changes_nothing_and_says_so(client, open_door):
    recorded = open_door.history.count()

    response = client.post(manage_path(open_door, "directory:manage_withdraw_changes"))

    assert Entry.objects.get().history.count() == recorded
    assert "No changes were waiting for a moderator, so there was nothing to withdraw." in (
        page_text(response)
    )


def test_a_new_edit_after_withdrawing_changes_tells_the_moderators_again(client, waiting):
    client.post(manage_path(waiting, "directory:manage_withdraw_changes"))

    owner_edit(client, Entry.objects.get(), name="Open Door Café")  # as the form now shows it

    assert [message.to for message in mail.outbox] == [MODERATORS]


# --- Withdrawing and erasing the entry ------------------------------------------------------


def test_withdrawing_the_entry_asks_first_and_changes_nothing_until_confirmed(client, open_door):
    response = client.get(manage_path(open_door, "directory:manage_withdraw"))

    assert response.status_code == 200 and is_private(response)
    assert Entry.objects.get().status == Entry.Status.PUBLISHED
    text = page_text(response)
    assert "Withdraw “Open Door” from the map?" in text
    assert "Yes, withdraw my entry" in text


def test_the_manage_page_links_to_the_withdraw_confirmation_instead_of_posting(client, open_door):
    html = client.get(manage_path(open_door)).content.decode()

    assert manage_links(html, "href", "directory:manage_withdraw") == [open_door]
    assert manage_links(html, "action", "directory:manage_withdraw") == []


def test_withdrawing_the_entry_hides_it_and_says_what_is_kept_and_how_to_come_back(
    client, open_door
):
    response = client.post(manage_path(open_door, "directory:manage_withdraw"))

    assert response.status_code == 200 and is_private(response)
    stored = Entry.objects.get()
    assert stored.status == Entry.Status.WITHDRAWN
    assert stored.resources.count() == 1
    assert client.get(open_door.get_absolute_url()).status_code == 404
    text = page_text(response)
    assert "Your entry is withdrawn" in text
    assert (
        "“Open Door” is no longer public: it is gone from the map, the list and search, its "
        "profile page and your shared resources are gone, and it is left out of the open data "
        "and feeds. Visitors can no longer write to you through the site."
    ) in text
    assert (
        "We keep what you wrote, your shared resources and your email address, so that you can "
        "come back."
    ) in text
    assert (
        "To come back, edit your entry from this private link: it goes back to a moderator for "
        "review, and we will email you when they decide."
    ) in text
    html = response.content.decode()
    assert manage_links(html, "href", "directory:manage_delete") == [open_door]


def test_withdrawing_an_entry_with_changes_waiting_says_they_are_kept(client, waiting):
    response = client.post(manage_path(waiting, "directory:manage_withdraw"))

    assert Entry.objects.get().held_changes is not None
    assert (
        "Your changes waiting for a moderator are kept too; they go with your entry if you "
        "send it back." in page_text(response)
    )


def test_withdrawing_an_entry_not_yet_published_says_it_will_not_be_reviewed(client, make_entry):
    entry = make_entry("Open Door", status=Entry.Status.AWAITING_REVIEW)

    response = client.post(manage_path(entry, "directory:manage_withdraw"))

    assert Entry.objects.get().status == Entry.Status.WITHDRAWN
    assert (
        "“Open Door” was not on the map yet, and a moderator will not review it now."
        in page_text(response)
    )


def test_an_entry_already_withdrawn_is_left_alone_and_the_page_says_so(client, make_entry):
    entry = make_entry("Open Door", status=Entry.Status.WITHDRAWN)
    before = Entry.objects.get().updated_at

    asking = client.get(manage_path(entry, "directory:manage_withdraw"))
    client.post(manage_path(entry, "directory:manage_withdraw"))

    assert "Your entry is already withdrawn." in page_text(asking)
    assert Entry.objects.get().updated_at == before


def test_erasing_asks_first_listing_everything_that_will_go(client, open_door):
    response = client.get(manage_path(open_door, "directory:manage_delete"))

    assert response.status_code == 200 and is_private(response)
    assert Entry.objects.exists()
    text = page_text(response)
    assert "Delete “Open Door” for good?" in text
    assert "your 1 shared resource" in text


def test_erasing_deletes_everything_and_says_what_went_and_that_links_stop(client, open_door):
    ContactMessage.objects.create(
        entry=open_door, sender_name="Sam", sender_email="sam@example.net", body="Hello"
    )
    manage_page = manage_path(open_door)

    response = client.post(manage_path(open_door, "directory:manage_delete"))

    assert response.status_code == 200 and is_private(response)
    assert not Entry.objects.exists() and not Resource.objects.exists()
    assert not ContactMessage.objects.exists()
    assert not Entry.history.filter(id=open_door.pk).exists()
    text = page_text(response)
    assert "Your entry is deleted" in text
    assert (
        "We have deleted “Open Door” and everything we held about it: what you wrote and your "
        "email address its history your 1 shared resource 1 message to you not yet delivered"
    ) in text
    assert (
        "Its profile page, this private link and every other link we sent you no longer work."
    ) in text
    assert client.get(manage_page).status_code == 404
    assert client.get(open_door.get_absolute_url()).status_code == 404


# --- Moderators' decisions, emailed to the owner --------------------------------------------


def test_approving_the_changes_emails_the_owner_what_is_now_on_the_map(
    client, admin_client, waiting
):
    response = decide_on_page(admin_client, waiting, "approve_changes")

    assert shown_messages(response) == [
        "Published the owner's changes to 1 entry and emailed its owner."
    ]
    assert Entry.objects.get().summary == "We open our door on Tuesdays."
    [email] = mail.outbox
    assert email.to == [OWNER] and email.reply_to == [] and email.cc == []
    assert email.subject == "Your changes are on the Relationships Map"
    assert (
        "A moderator has approved your changes to “Open Door” (summary and themes): they are "
        "on the map now." in email.body
    )
    assert settings.SITE_URL + waiting.get_absolute_url() in email.body
    assert private_links_in(email) == []
    assert settings.SITE_URL + reverse("directory:manage_request") in email.body


def test_rejecting_the_changes_asks_for_an_optional_reason_first(admin_client, waiting):
    asking = decide_on_page(admin_client, waiting, "reject_changes")

    assert asking.status_code == 200
    page = asking.content.decode()
    assert '<textarea name="reason"' in page
    assert "Reject and email the owner" in page
    assert Entry.objects.get().held_changes is not None
    assert not mail.outbox


def test_rejecting_the_changes_with_a_reason_emails_it_to_the_owner_alone(admin_client, waiting):
    reason = "Please keep the summary to what you do."

    response = decide_on_page(admin_client, waiting, "reject_changes", reason=reason)

    assert shown_messages(response) == [
        "Discarded the owner's changes to 1 entry and emailed its owner; the published "
        "version stays."
    ]
    stored = Entry.objects.get()
    assert stored.held_changes is None and stored.summary == "We open our door."
    [email] = mail.outbox
    assert email.to == [OWNER] and email.reply_to == [] and email.cc == []
    assert email.subject == "About your changes on the Relationships Map"
    assert (
        "A moderator has not approved your changes to “Open Door” (summary and themes), "
        "for this reason:" in email.body
    )
    assert reason in email.body and reason in email.alternatives[0][0]
    assert "Your entry stays on the map as it was." in email.body
    assert private_links_in(email) == []


def test_rejecting_the_changes_without_a_reason_sends_no_empty_reason(admin_client, waiting):
    run_action(admin_client, "reject_changes", [waiting], reason="")

    [email] = mail.outbox
    assert "A moderator has not approved your changes to “Open Door” (summary and themes)." in (
        email.body
    )
    assert "for this reason" not in email.body


def test_changes_that_cannot_be_published_are_not_announced(admin_client, open_door):
    Entry.objects.filter(pk=open_door.pk).update(
        pending_changes=PendingChanges(themes=["x" * 120]).to_json()
    )

    run_action(admin_client, "approve_changes", [open_door])

    assert Entry.objects.get().held_changes is not None
    assert not mail.outbox


def test_taking_a_published_entry_off_the_map_says_so_in_the_email(open_door):
    lifecycle.reject(entry=open_door, reason="This is not relational work.")

    [email] = mail.outbox
    assert "A moderator has taken “Open Door” off the Relationships Map" in email.body
    assert "not approved" not in email.body


def test_rejecting_a_new_entry_still_thanks_the_owner_for_adding_it(make_entry):
    entry = make_entry("Open Door", status=Entry.Status.AWAITING_REVIEW)

    lifecycle.reject(entry=entry, reason="Please say what you do.")

    [email] = mail.outbox
    assert "Thank you for adding “Open Door” to the Relationships Map." in email.body


def test_approving_changes_to_an_entry_off_the_map_does_not_say_they_are_on_it(waiting):
    lifecycle.withdraw(entry=waiting)

    lifecycle.approve_changes(entry=Entry.objects.get())

    [email] = mail.outbox
    assert (
        "A moderator has approved your changes to “Open Door” (summary and themes). Your entry "
        "is not on the map at the moment; they will show when it is back." in email.body
    )
    assert waiting.get_absolute_url() not in email.body


def test_every_field_an_owner_edits_is_in_exactly_one_part_of_the_changes_in_words():
    # Otherwise an edit to a field no part names would wait for review unseen.
    for name in EDITABLE_FIELDS:
        assert len([part for part in PARTS if name in part.fields]) == 1, name
    assert {part.key for part in PARTS if not part.fields} >= RELATED_FIELDS
