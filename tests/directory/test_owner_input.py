"""Themes that cannot be stored get a field error everywhere an owner types them, and a form
that was not stored can be sent again: only a stored submission uses up its id."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from directory import lifecycle
from directory.models import Entry, PendingChanges
from tests.private_links import manage_path

from .conftest import edit_data, started
from .test_admin import run_action
from .test_meeting import resource_row, resources_data

pytestmark = pytest.mark.django_db

OVERLONG_THEME = "relationship-centred-practice-" * 4  # 120 characters: more than a theme holds
TOO_MANY_THEMES = ", ".join(f"theme {number}" for number in range(11))


@pytest.mark.parametrize(
    ("themes", "message"),
    [
        (OVERLONG_THEME, "Please keep each theme to 50 characters or fewer"),
        ("listening, " + "x" * 51, "Please keep each theme to 50 characters or fewer"),
        (TOO_MANY_THEMES, "Please give at most 10 themes"),
    ],
)
def test_themes_that_cannot_be_kept_get_a_field_error_when_joining(
    client, join_data, themes, message
):
    response = client.post(reverse("directory:join"), join_data(themes=themes))

    assert response.status_code == 200
    assert message in str(response.context["form"].errors["themes"])
    html = response.content.decode()
    assert 'id="id_themes_error"' in html
    assert "My grandmother." in html  # what was typed is kept
    assert not Entry.objects.exists() and not mail.outbox


def test_a_corrected_resend_of_a_refused_form_is_stored(client, join_data):
    data = join_data(started=started(nonce="resent"))
    client.post(reverse("directory:join"), data | {"themes": OVERLONG_THEME})

    response = client.post(reverse("directory:join"), data | {"themes": "listening"})

    assert response.status_code == 302
    entry = Entry.objects.get()
    assert list(entry.themes.names()) == ["listening"]
    assert [message.to for message in mail.outbox] == [["pat@example.org"]]


def refuse_new_entries():
    """Make the database itself refuse to store an entry, as a full disk or a lost
    connection would, until the returned function is called."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_entry() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'refused for the test'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_entry BEFORE INSERT ON directory_entry "
                "FOR EACH ROW EXECUTE FUNCTION refuse_entry()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse_entry BEFORE INSERT ON directory_entry "
                "BEGIN SELECT RAISE(ABORT, 'refused for the test'); END"
            )

    def accept_again():
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TRIGGER refuse_entry ON directory_entry"
                if connection.vendor == "postgresql"
                else "DROP TRIGGER refuse_entry"
            )

    return accept_again


def test_a_submission_the_database_refused_can_be_sent_again(client, join_data):
    data = join_data(started=started(nonce="refused"))
    accept_again = refuse_new_entries()
    client.raise_request_exception = False
    failed = client.post(reverse("directory:join"), data)
    accept_again()

    resent = client.post(reverse("directory:join"), data)
    clicked_again = client.post(reverse("directory:join"), data)

    assert failed.status_code == 500
    assert resent.status_code == clicked_again.status_code == 302
    assert Entry.objects.count() == 1 and len(mail.outbox) == 1


@pytest.mark.parametrize("page", ["directory:manage_edit", "directory:manage_resources"])
def test_an_overlong_theme_gets_a_field_error_where_an_owner_edits(client, make_entry, page):
    entry = make_entry("Open Door", themes=["listening"])
    data = {
        "directory:manage_edit": edit_data(entry, themes=OVERLONG_THEME),
        "directory:manage_resources": resources_data(resource_row(themes=OVERLONG_THEME)),
    }[page]

    response = client.post(manage_path(entry, page), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Please keep each theme to 50 characters or fewer" in html
    assert re.search(r'href="#id_(resources-0-)?themes"', html)
    stored = Entry.objects.get()
    assert stored.pending_changes is None and not stored.resources.exists() and not mail.outbox


def test_held_changes_with_an_overlong_theme_are_left_for_the_moderator_to_reject(
    client, admin_client, make_entry
):
    """Changes held before themes were checked can still carry one; approving them must
    explain, not fail."""
    entry = make_entry("Open Door", themes=["listening"])
    Entry.objects.filter(pk=entry.pk).update(
        pending_changes=PendingChanges(themes=[OVERLONG_THEME]).to_json()
    )

    response = run_action(admin_client, "approve_changes", [entry])

    assert response.status_code == 200
    [problem] = [str(message) for message in response.context["messages"]]
    assert problem.startswith("Could not publish the changes to “Open Door”: Please keep each")
    entry.refresh_from_db()
    assert list(entry.themes.names()) == ["listening"] and entry.held_changes is not None
    run_action(admin_client, "reject_changes", [entry], reason="")
    assert Entry.objects.get().held_changes is None


def test_approving_held_changes_with_themes_that_fit_still_works(make_entry):
    entry = make_entry("Open Door", themes=["listening"])
    lifecycle.submit_owner_changes(entry=entry, changes=PendingChanges(themes=["walking"]))

    lifecycle.approve_changes(entry=Entry.objects.get())

    assert list(Entry.objects.get().themes.names()) == ["walking"]
