"""The moderators' export: the selected entries, or all of them, with their private fields,
downloaded from the admin by staff who hold the permission, and logged."""

import json
import logging

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory import lifecycle
from directory.models import Entry

pytestmark = pytest.mark.django_db

ACTION = "download_with_private_fields"


@pytest.fixture
def entries(make_entry):
    return [
        make_entry("Ada Listens", status=Entry.Status.AWAITING_REVIEW, contact_email="ada@x.org"),
        make_entry("Bea Befriends", contact_email="bea@x.org", themes=["listening"]),
        make_entry("Cal Convenes", status=Entry.Status.REJECTED, rejection_reason="A shop."),
    ]


@pytest.fixture
def staff_client(client, django_user_model):
    """Signs in a staff member who holds the given permissions of the directory."""

    def sign_in(*codenames: str, groups=()):
        user = django_user_model.objects.create_user("sam", "sam@example.org", is_staff=True)
        user.user_permissions.set(
            Permission.objects.filter(content_type__app_label="directory", codename__in=codenames)
        )
        user.groups.set(Group.objects.filter(name__in=groups))
        client.force_login(user)
        return client

    return sign_in


def download(client, chosen, **data):
    return client.post(
        reverse("admin:directory_entry_changelist") + "?status=all",
        {"action": ACTION, "index": 0, "_selected_action": [e.pk for e in chosen]} | data,
    )


def downloaded(response) -> list[dict]:
    return json.loads(b"".join(response.streaming_content))


def exports_logged(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "directory.admin"]


def test_a_moderator_downloads_the_selected_entries_with_their_private_fields(
    staff_client, entries, caplog
):
    client = staff_client(groups=["Moderators"])

    with caplog.at_level(logging.INFO, logger="directory.admin"):
        response = download(client, entries[:2])

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="entries-')
    assert "no-store" in response["Cache-Control"]  # the admin's own never_cache
    records = downloaded(response)
    assert records == [lifecycle.private_record(entry=entry) for entry in entries[:2]]
    assert [(r["name"], r["contact_email"]) for r in records] == [
        ("Ada Listens", "ada@x.org"),
        ("Bea Befriends", "bea@x.org"),
    ]
    assert records[0]["exact_latitude"] == entries[0].latitude
    assert records[1]["themes"] == ["listening"]
    assert exports_logged(caplog) == ["sam downloaded 2 entries with their private fields"]


def test_selecting_all_downloads_every_entry_whatever_its_status(staff_client, entries):
    client = staff_client(groups=["Moderators"])

    records = downloaded(download(client, entries[:1], select_across="1"))

    assert [(r["name"], r["status"]) for r in records] == [
        ("Ada Listens", "awaiting_review"),
        ("Bea Befriends", "published"),
        ("Cal Convenes", "rejected"),
    ]
    assert records[2]["rejection_reason"] == "A shop."


def test_staff_without_the_permission_are_not_offered_the_download(staff_client, entries, caplog):
    client = staff_client("view_entry", "change_entry")

    page = client.get(reverse("admin:directory_entry_changelist") + "?status=all")
    with caplog.at_level(logging.INFO, logger="directory.admin"):
        response = download(client, entries)

    assert ACTION not in page.content.decode()
    assert response.status_code == 302 and not response.streaming
    assert not exports_logged(caplog)


def test_the_download_makes_the_same_number_of_queries_however_many_entries(
    staff_client, entries, make_entry
):
    client = staff_client(groups=["Moderators"])

    def queries_for(chosen) -> int:
        with CaptureQueriesContext(connection) as queries:
            downloaded(download(client, chosen))
        return len(queries)

    few = queries_for(entries[:1])
    more = [make_entry(f"More {number}", themes=["care"]) for number in range(5)]

    assert queries_for(entries + more) == few
