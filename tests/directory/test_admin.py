"""The moderators' admin: the review queue, decisions with their emails, an owner's held
changes, the location map, history, the Moderators group and the login lockout."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from playwright.sync_api import expect

from directory import lifecycle
from directory.admin import CHANGE_FORM_ACTION_FIELD
from directory.models import Entry, PendingChanges, Resource

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unguessable passphrase"
AWAITING_REVIEW = Entry.Status.AWAITING_REVIEW


def changelist(query: str = "") -> str:
    return reverse("admin:directory_entry_changelist") + query


def change_page(entry) -> str:
    return reverse("admin:directory_entry_change", args=[entry.pk])


def listed_names(response) -> list[str]:
    return sorted(entry.name for entry in response.context["cl"].result_list)


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def run_action(client, action, entries, *, query="?status=all", **data):
    return client.post(
        changelist(query),
        {"action": action, "index": 0, "_selected_action": [e.pk for e in entries]} | data,
        follow=True,
    )


def decide_on_page(client, entry, action, **data):
    """An action taken on one entry's own page (the held-changes buttons post this)."""
    return client.post(
        change_page(entry),
        {CHANGE_FORM_ACTION_FIELD: action, "_selected_action": [entry.pk]} | data,
        follow=True,
    )


def change_form_data(entry, **changes) -> dict:
    data = {
        "kind": entry.kind,
        "name": entry.name,
        "slug": entry.slug,
        "summary": entry.summary,
        "description": entry.description,
        "inspiration": entry.inspiration,
        "sectors": [str(pk) for pk in entry.sectors.values_list("pk", flat=True)],
        "themes": ", ".join(entry.themes.names()),
        "organisation_type": entry.organisation_type,
        "place_name": entry.place_name,
        "region": entry.region,
        "latitude": str(entry.latitude),
        "longitude": str(entry.longitude),
        "show_exact_location": "on",
        "website": entry.website,
        "links": json.dumps(entry.links),
        "contact_email": entry.contact_email,
        "accepts_messages": "on",
        "flag_reason": entry.flag_reason,
        "resources-TOTAL_FORMS": "0",
        "resources-INITIAL_FORMS": "0",
        "resources-MIN_NUM_FORMS": "0",
        "resources-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    return data | changes


@pytest.fixture
def queue(make_entry):
    return {
        "Ada Listens": make_entry("Ada Listens", status=AWAITING_REVIEW),
        "Bea Befriends": make_entry(
            "Bea Befriends", status=AWAITING_REVIEW, contact_email="bea@example.org"
        ),
        "Cal Convenes": make_entry("Cal Convenes", status=Entry.Status.PUBLISHED),
        "Dee Declined": make_entry("Dee Declined", status=Entry.Status.REJECTED),
    }


@pytest.fixture
def held_changes(make_entry, make_sector):
    """A published entry whose owner has sent changes that wait for review."""
    entry = make_entry("Open Door", summary="We open our door.", themes=["listening"])
    Resource.objects.create(entry=entry, title="Old guide", url="https://example.org/old")
    lifecycle.submit_owner_changes(
        entry=entry,
        changes=PendingChanges(
            fields={"name": "Open Door", "summary": "We open our door every Tuesday."},
            sectors=[make_sector("Housing").pk],
            themes=["listening", "hospitality"],
            resources=[{"title": "New guide", "url": "https://example.org/new", "note": ""}],
        ),
    )
    mail.outbox.clear()  # the moderators' notice is not what these tests are about
    return entry


# --- The list ---------------------------------------------------------------------------------


def test_the_entry_list_opens_on_the_review_queue_with_counts_per_status(admin_client, queue):
    response = admin_client.get(changelist())

    assert response.status_code == 200
    assert listed_names(response) == ["Ada Listens", "Bea Befriends"]
    assert response.context["title"] == "Entries awaiting review"
    page = response.content.decode()
    assert "Awaiting review (2)" in page
    assert "Published (1)" in page
    assert "Rejected (1)" in page
    assert "All (4)" in page


def test_choosing_all_statuses_lists_every_entry_newest_first(admin_client, queue):
    response = admin_client.get(changelist("?status=all"))

    names = [entry.name for entry in response.context["cl"].result_list]
    assert names == ["Dee Declined", "Cal Convenes", "Bea Befriends", "Ada Listens"]


def test_the_flagged_filter_narrows_the_list(admin_client, make_entry):
    make_entry("Twice Submitted", status=AWAITING_REVIEW, flagged=True, flag_reason="Twin")
    make_entry("Only Once", status=AWAITING_REVIEW)

    response = admin_client.get(changelist("?flagged__exact=1"))

    assert listed_names(response) == ["Twice Submitted"]


def test_the_changes_pending_filter_finds_published_entries_with_held_changes(
    admin_client, queue, held_changes
):
    queue_page = admin_client.get(changelist())
    assert "1 entry has changes from its owner awaiting review" in queue_page.content.decode()

    response = admin_client.get(changelist("?status=all&pending=yes"))

    assert listed_names(response) == ["Open Door"]


def test_a_search_by_email_finds_an_entry_whatever_its_status(admin_client, make_entry):
    make_entry("Quiet Corner", status=Entry.Status.PUBLISHED, contact_email="pat@example.org")
    make_entry("Loud Hall", status=AWAITING_REVIEW, contact_email="sam@example.org")

    response = admin_client.get(changelist("?q=pat@example.org"))

    assert listed_names(response) == ["Quiet Corner"]


def test_the_list_makes_the_same_number_of_queries_however_many_entries(admin_client, make_entry):
    def queries_for_the_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(changelist("?status=all")).status_code == 200
        return len(queries)

    make_entry("First", status=AWAITING_REVIEW)
    few = queries_for_the_list()
    for number in range(5):
        make_entry(f"More {number}", status=AWAITING_REVIEW, pending_changes={"fields": {}})

    assert queries_for_the_list() == few


# --- Decisions --------------------------------------------------------------------------------


def test_bulk_approve_publishes_and_emails_each_submitter_a_profile_link(
    admin_client, queue, make_entry, settings
):
    unconfirmed = make_entry("Not Yet", status=Entry.Status.AWAITING_CONFIRMATION)
    chosen = [queue["Ada Listens"], queue["Bea Befriends"], unconfirmed]

    response = run_action(admin_client, "approve", chosen)

    for entry in chosen:
        entry.refresh_from_db()
    assert [entry.status for entry in chosen] == [
        Entry.Status.PUBLISHED,
        Entry.Status.PUBLISHED,
        Entry.Status.AWAITING_CONFIRMATION,
    ]
    assert sorted(message.to[0] for message in mail.outbox) == [
        "bea@example.org",
        "hello@example.org",
    ]
    for message in mail.outbox:
        entry = next(e for e in chosen if e.contact_email == message.to[0])
        assert settings.SITE_URL + entry.get_absolute_url() in message.body
    assert shown_messages(response) == [
        "Published 2 entries and emailed each submitter a link to the profile.",
        "Left 1 entry alone: only entries awaiting review or rejected can be approved.",
    ]


def test_approving_from_the_review_queue_acts_on_the_entries_shown(admin_client, queue):
    response = run_action(admin_client, "approve", [queue["Ada Listens"]], query="")

    assert response.status_code == 200
    assert Entry.objects.get(name="Ada Listens").is_published
    assert listed_names(response) == ["Bea Befriends"]


def test_bulk_reject_asks_for_a_reason_then_rejects_and_emails_it(admin_client, queue):
    chosen = [queue["Ada Listens"], queue["Bea Befriends"]]

    asking = run_action(admin_client, "reject", chosen, query="")

    assert asking.status_code == 200
    assert asking.templates[0].name == "admin/directory/entry/reject_confirmation.html"
    assert '<textarea name="reason"' in asking.content.decode()
    assert Entry.objects.filter(status=AWAITING_REVIEW).count() == 2
    assert not mail.outbox

    reason = "Please say how your work puts relationships first."
    response = run_action(admin_client, "reject", chosen, query="", reason=reason)

    for entry in chosen:
        entry.refresh_from_db()
        assert entry.status == Entry.Status.REJECTED
        assert entry.rejection_reason == reason
    assert sorted(message.to[0] for message in mail.outbox) == [
        "bea@example.org",
        "hello@example.org",
    ]
    assert all(reason in message.body for message in mail.outbox)
    assert shown_messages(response) == [
        "Rejected 2 entries and emailed the reason to each submitter."
    ]


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_rejecting_without_a_usable_reason_shows_an_error_and_changes_nothing(
    admin_client, queue, reason
):
    response = run_action(admin_client, "reject", [queue["Ada Listens"]], reason=reason)

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert 'class="errorlist' in response.content.decode()
    assert Entry.objects.get(name="Ada Listens").status == AWAITING_REVIEW
    assert not mail.outbox


def test_an_entry_can_be_rejected_from_its_own_page(admin_client, queue):
    entry = queue["Ada Listens"]

    asking = decide_on_page(admin_client, entry, "reject")
    assert f'name="{CHANGE_FORM_ACTION_FIELD}" value="reject"' in asking.content.decode()

    response = decide_on_page(admin_client, entry, "reject", reason="Not relational work.")

    assert response.redirect_chain[-1][0] == change_page(entry)
    entry.refresh_from_db()
    assert entry.status == Entry.Status.REJECTED
    assert [message.to for message in mail.outbox] == [["hello@example.org"]]


def test_approving_held_changes_publishes_them_only_then(client, admin_client, held_changes):
    profile = held_changes.get_absolute_url()
    assert "We open our door." in client.get(profile).content.decode()

    response = decide_on_page(admin_client, held_changes, "approve_changes")

    assert shown_messages(response) == [
        "Published the owner's changes to 1 entry and emailed its owner."
    ]
    held_changes.refresh_from_db()
    assert held_changes.pending_changes is None
    assert held_changes.summary == "We open our door every Tuesday."
    assert sorted(held_changes.themes.names()) == ["hospitality", "listening"]
    assert list(held_changes.sectors.values_list("name", flat=True)) == ["Housing"]
    assert list(held_changes.resources.values_list("title", flat=True)) == ["New guide"]
    assert "We open our door every Tuesday." in client.get(profile).content.decode()


def test_rejecting_held_changes_keeps_the_published_version(client, admin_client, held_changes):
    response = run_action(
        admin_client, "reject_changes", [held_changes], query="?status=all&pending=yes", reason=""
    )

    assert shown_messages(response) == [
        "Discarded the owner's changes to 1 entry and emailed its owner; the published "
        "version stays."
    ]
    held_changes.refresh_from_db()
    assert held_changes.pending_changes is None
    assert held_changes.summary == "We open our door."
    assert list(held_changes.resources.values_list("title", flat=True)) == ["Old guide"]
    assert "We open our door." in client.get(held_changes.get_absolute_url()).content.decode()


def test_change_actions_leave_entries_without_held_changes_alone(admin_client, queue):
    response = run_action(admin_client, "approve_changes", [queue["Cal Convenes"]])

    assert shown_messages(response) == ["Left 1 entry alone: it has no changes awaiting review."]


# --- The change form --------------------------------------------------------------------------


def test_the_change_form_shows_held_changes_field_by_field_with_decision_buttons(
    admin_client, held_changes
):
    response = admin_client.get(change_page(held_changes))

    rows = {row["label"]: row for row in response.context["pending_changes"]["rows"]}
    assert list(rows) == ["Summary", "Sectors", "Themes", "Shared resources"]  # name unchanged
    assert rows["Summary"]["current"] == "We open our door."
    assert rows["Summary"]["proposed"] == "We open our door every Tuesday."
    assert rows["Sectors"]["current"] == ["Health and care"]
    assert rows["Sectors"]["proposed"] == ["Housing"]
    assert rows["Themes"]["proposed"] == ["hospitality", "listening"]
    assert rows["Shared resources"]["proposed"] == ["New guide (https://example.org/new)"]
    page = response.content.decode()
    assert "Changes awaiting review" in page
    assert "<li>hospitality</li>" in page
    for action in ["approve_changes", "reject_changes"]:
        assert f'name="{CHANGE_FORM_ACTION_FIELD}" value="{action}"' in page


def test_the_change_form_carries_the_map_settings_and_hides_private_fields(
    admin_client, make_entry, settings
):
    entry = make_entry("Moston Neighbours")

    response = admin_client.get(change_page(entry))

    page = response.content.decode()
    config_json = re.search(
        r'<script id="admin-map-config" type="application/json">(.*?)</script>', page
    ).group(1)
    config = json.loads(config_json)
    _name, tile_url, tile_options = settings.LEAFLET_CONFIG["TILES"][0]
    assert config["tileUrl"] == tile_url
    assert config["attribution"] == tile_options["attribution"]
    assert "leaflet/leaflet.js" in page
    assert "js/admin-location.js" in page
    assert 'name="latitude"' in page
    assert 'name="public_latitude"' not in page  # shown, not editable
    assert 'name="status"' not in page  # changed only by the actions, which email
    assert entry.manage_key not in page
    assert "pending_changes" not in response.context["adminform"].form.fields
    assert "Changes awaiting review" not in page


def test_a_staff_edit_is_recorded_with_who_and_what(admin_client, admin_user, make_entry):
    entry = make_entry("Moston Neighbours")

    response = admin_client.post(
        change_page(entry), change_form_data(entry, name="Moston Good Neighbours", latitude="53.5")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    entry.refresh_from_db()
    assert entry.name == "Moston Good Neighbours"
    assert entry.public_latitude != 53.4808  # derived again from the corrected location
    latest = entry.history.filter(history_change_reason="Edited in the admin").latest()
    assert latest.history_user == admin_user
    assert {"name", "latitude"} <= set(latest.diff_against(latest.prev_record).changed_fields)


def test_a_moderation_decision_is_recorded_with_the_moderator(client, moderator, queue):
    client.force_login(moderator)

    run_action(client, "approve", [queue["Ada Listens"]], query="")

    latest = queue["Ada Listens"].history.latest()
    assert latest.history_user == moderator
    assert latest.history_change_reason == "Approved"
    assert latest.status == Entry.Status.PUBLISHED


def test_the_history_page_lists_each_change_with_its_author(admin_client, admin_user, queue):
    entry = queue["Ada Listens"]
    run_action(admin_client, "approve", [entry], query="")

    response = admin_client.get(reverse("admin:directory_entry_history", args=[entry.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Approved" in page
    assert admin_user.username in page
    assert 'style="' not in page


def test_an_old_version_can_be_viewed_but_not_restored(admin_client, queue):
    entry = queue["Ada Listens"]
    first = entry.history.earliest()
    url = reverse("admin:directory_entry_simple_history", args=[entry.pk, first.history_id])

    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, change_form_data(entry)).status_code == 405


def test_deleting_an_entry_in_the_admin_erases_it_with_its_history(admin_client, queue):
    entry = queue["Ada Listens"]

    response = admin_client.post(
        reverse("admin:directory_entry_delete", args=[entry.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Entry.objects.filter(pk=entry.pk).exists()
    assert not Entry.history.filter(id=entry.pk).exists()


# --- Moderators -------------------------------------------------------------------------------


def test_the_moderators_group_has_exactly_the_permissions_it_needs():
    group = Group.objects.get(name="Moderators")

    assert sorted(group.permissions.values_list("codename", flat=True)) == [
        "add_gathering",
        "change_connection",
        "change_entry",
        "change_gathering",
        "change_report",
        "change_resource",
        "change_teammessage",
        "delete_connection",
        "delete_resource",
        "export_entries",
        "view_connection",
        "view_entry",
        "view_gathering",
        "view_historicalentry",
        "view_report",
        "view_resource",
        "view_sector",
        "view_teammessage",
    ]


def test_a_moderator_can_review_and_approve_but_not_add_or_delete(client, moderator, queue):
    client.force_login(moderator)
    entry = queue["Ada Listens"]

    listing = client.get(changelist())
    assert listing.status_code == 200
    actions = dict(listing.context["action_form"].fields["action"].choices)
    assert "approve" in actions and "reject" in actions
    assert "delete_selected" not in actions
    assert client.get(change_page(entry)).status_code == 200
    history = reverse("admin:directory_entry_history", args=[entry.pk])
    assert client.get(history).status_code == 200

    run_action(client, "approve", [entry], query="")
    entry.refresh_from_db()
    assert entry.is_published

    delete_page = reverse("admin:directory_entry_delete", args=[entry.pk])
    assert client.get(delete_page).status_code == 403
    assert client.post(delete_page, {"post": "yes"}).status_code == 403
    assert Entry.objects.filter(pk=entry.pk).exists()
    assert client.get(reverse("admin:directory_entry_add")).status_code == 403


# --- Resources and sectors --------------------------------------------------------------------


def test_resources_are_listed_with_their_entry_and_found_by_its_name(admin_client, make_entry):
    entry = make_entry("Open Door")
    Resource.objects.create(entry=entry, title="A guide", url="https://example.org/guide")
    Resource.objects.create(
        entry=make_entry("Elsewhere"), title="Other", url="https://example.org/other"
    )

    response = admin_client.get(reverse("admin:directory_resource_changelist") + "?q=open+door")

    assert [resource.title for resource in response.context["cl"].result_list] == ["A guide"]
    assert "https://example.org/guide" in response.content.decode()


def test_the_sector_list_orders_sectors_in_place(admin_client, make_sector):
    make_sector("Housing")

    response = admin_client.get(reverse("admin:directory_sector_changelist"))

    assert response.status_code == 200
    assert 'name="form-0-display_order"' in response.content.decode()


# --- Signing in -------------------------------------------------------------------------------


def sign_in(client, username, password):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
    )


def test_the_right_password_before_the_limit_signs_in(client, moderator):
    for _attempt in range(4):
        assert sign_in(client, "morgan", "wrong").status_code == 200

    response = sign_in(client, "morgan", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_five_failed_sign_ins_lock_out_the_sixth_even_with_the_right_password(client, moderator):
    for _attempt in range(5):
        sign_in(client, "morgan", "wrong")

    response = sign_in(client, "morgan", PASSWORD)

    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


# --- In a browser -----------------------------------------------------------------------------


@pytest.mark.browser
def test_the_map_on_the_change_form_moves_the_marker_and_the_numbers_on_a_click(
    page, page_problems, django_user_model, make_entry
):
    django_user_model.objects.create_superuser("admin", "admin@example.org", PASSWORD)
    entry = make_entry("Moston Neighbours", latitude=53.4808, longitude=-2.2426)
    page.goto(reverse("admin:login") + "?next=" + change_page(entry))
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    marker = page.locator(".admin-location-map .leaflet-marker-icon")
    expect(marker).to_be_visible()
    latitude, longitude = page.locator("#id_latitude"), page.locator("#id_longitude")
    expect(latitude).to_have_value("53.4808")
    before = marker.bounding_box()

    page.locator(".admin-location-map").click(position={"x": 60, "y": 60})

    expect(latitude).not_to_have_value("53.4808")
    expect(longitude).not_to_have_value("-2.2426")
    assert marker.bounding_box() != before
    for value in [latitude.input_value(), longitude.input_value()]:
        assert len(value.split(".")[1]) <= 6
    assert float(latitude.input_value()) > 53.4808  # up and to the left of the marker
    assert float(longitude.input_value()) < -2.2426
    assert not page_problems, page_problems
