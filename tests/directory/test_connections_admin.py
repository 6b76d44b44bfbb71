"""Connections in the admin: staff see who says they work with whom and whether it shows,
find them, correct the words, and end one; they cannot make one up."""

import pytest
from django.urls import reverse

from directory import connections
from directory.models import Connection, ContentVersion, Entry

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:directory_connection_changelist")


@pytest.fixture
def three(make_entry):
    fallowfield, frome, leeds = (
        make_entry("Fallowfield Friends"),
        make_entry("Frome Friends"),
        make_entry("Leeds Listeners"),
    )
    shown = connections.propose(
        proposer=fallowfield, partner=frome, kind="partners", phrase="Lunch club"
    )
    connections.confirm(connection=shown, by=frome)
    waiting = connections.propose(proposer=leeds, partner=fallowfield, kind="learning")
    return shown, waiting


def test_the_list_shows_each_connection_and_whether_it_is_shown(admin_client, three):
    shown, waiting = three

    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    rows = {row.pk: row.is_shown for row in response.context["cl"].result_list}
    assert rows == {shown.pk: True, waiting.pk: False}
    html = response.content.decode()
    assert "Fallowfield Friends – Frome Friends" in html
    assert "Leeds Listeners – Fallowfield Friends" in html


def test_staff_filter_by_status_and_search_by_either_name_or_the_phrase(admin_client, three):
    shown, waiting = three

    def listed(query: dict) -> set[int]:
        response = admin_client.get(CHANGELIST, query)
        return {row.pk for row in response.context["cl"].result_list}

    assert listed({"status__exact": "proposed"}) == {waiting.pk}
    assert listed({"q": "frome"}) == {shown.pk}
    assert listed({"q": "lunch club"}) == {shown.pk}
    assert listed({"q": "leeds"}) == {waiting.pk}


def test_a_moderator_ends_a_connection_and_the_public_version_moves(client, moderator, three):
    shown, waiting = three
    before = ContentVersion.stamp(ContentVersion.Scope.DIRECTORY).number
    client.force_login(moderator)

    response = client.post(
        CHANGELIST,
        {"action": "end", "index": 0, "_selected_action": [shown.pk]},
        follow=True,
    )

    assert [str(message) for message in response.context["messages"]] == [
        "Ended 1; neither side’s profile lists it now."
    ]
    assert list(Connection.objects.all()) == [waiting]
    assert ContentVersion.stamp(ContentVersion.Scope.DIRECTORY).number > before


def test_staff_correct_the_phrase_but_cannot_change_who_or_add_one(admin_client, three):
    shown, _waiting = three
    other = Entry.objects.get(name="Leeds Listeners")
    before = ContentVersion.stamp(ContentVersion.Scope.DIRECTORY).number

    admin_client.post(
        reverse("admin:directory_connection_change", args=[shown.pk]),
        {"kind": "funding", "phrase": "A lunch club", "partner": other.pk},
    )

    shown.refresh_from_db()
    assert (shown.kind, shown.phrase, shown.partner.name) == (
        "funding",
        "A lunch club",
        "Frome Friends",
    )
    assert ContentVersion.stamp(ContentVersion.Scope.DIRECTORY).number > before
    assert admin_client.get(reverse("admin:directory_connection_add")).status_code == 403
