"""The leak tests of test_visibility.py, for connections: a proposal nobody confirmed, or a
connection with a side withdrawn, taken down, sent back for review or erased, appears in no
public output, even one a client fetched while the connection was still shown."""

import pytest
from django.urls import reverse

from directory import connections, lifecycle
from directory.models import ContentVersion, Entry

from .test_visibility import body_of

pytestmark = pytest.mark.django_db

SHOWN_PHRASE = "We share a lunch club"
HIDDEN_PHRASE = "We share a secret handshake"


def public_outputs(shown: Entry) -> list[str]:
    """Every public output that shows connections, or could mention one, around `shown`."""
    return [
        reverse("home"),
        reverse("directory:map"),
        reverse("directory:open_data"),
        reverse("directory:entries_geojson"),
        reverse("directory:entries_csv"),
        reverse("directory:entries_feed"),
        reverse("directory:murmurations_index"),
        "/sitemap.xml",
        "/sitemap-entries.xml",
        *connection_outputs(shown),
    ]


def connection_outputs(shown: Entry) -> list[str]:
    """The outputs that list connections: the exports, and the profiles of `shown`."""
    return [
        reverse("directory:connections_geojson"),
        reverse("directory:connections_kumu"),
        reverse("directory:connections_graphml"),
        shown.get_absolute_url(),
        reverse("directory:murmurations_profile", args=[shown.slug]),
    ]


def hide(hidden: Entry, how: str) -> None:
    match how:
        case "withdrawn":
            lifecycle.withdraw(entry=hidden)
        case "taken_down":
            lifecycle.reject(entry=hidden, reason="Not what the map is for.")
        case "awaiting_review":
            Entry.objects.filter(pk=hidden.pk).update(status=Entry.Status.AWAITING_REVIEW)
            ContentVersion.bump(ContentVersion.Scope.DIRECTORY)
        case "erased":
            lifecycle.erase(entry=hidden)


@pytest.mark.parametrize("how", ["withdrawn", "taken_down", "awaiting_review", "erased"])
@pytest.mark.parametrize("hidden_side", ["proposer", "partner"])
def test_a_connection_with_a_hidden_side_leaves_every_public_output(
    client, make_entry, how, hidden_side
):
    shown, friend = make_entry("Fallowfield Friends"), make_entry("Frome Friends")
    # In no sector, so that it is never among the shown entry's kindred spirits.
    hidden = make_entry("Hidden Helpers", sectors=[])
    visible = connections.propose(
        proposer=shown, partner=friend, kind="partners", phrase=SHOWN_PHRASE
    )
    connections.confirm(connection=visible, by=friend)
    sides = [shown, hidden] if hidden_side == "partner" else [hidden, shown]
    going = connections.propose(
        proposer=sides[0], partner=sides[1], kind="learning", phrase=HIDDEN_PHRASE
    )
    connections.confirm(connection=going, by=sides[1])
    before = {url: body_of(client.get(url)) for url in connection_outputs(shown)}
    assert all(HIDDEN_PHRASE in body or "hidden-helpers" in body for body in before.values())

    hide(hidden, how)

    for url in public_outputs(shown):
        response = client.get(url)
        assert response.status_code == 200, url
        body = body_of(response)
        assert HIDDEN_PHRASE not in body, url
        assert "Hidden Helpers" not in body and "hidden-helpers" not in body, url
    for url in connection_outputs(shown)[:3]:
        assert "Frome Friends" in body_of(client.get(url)), url  # the visible one stays


def test_a_proposal_nobody_confirmed_appears_in_no_public_output(client, make_entry):
    shown, asked = make_entry("Fallowfield Friends"), make_entry("Asked Helpers", sectors=[])
    connections.propose(proposer=shown, partner=asked, kind="learning", phrase=HIDDEN_PHRASE)

    for url in [*public_outputs(shown), *connection_outputs(asked)]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert HIDDEN_PHRASE not in body_of(response), url
    for url in connection_outputs(shown):
        assert "asked-helpers" not in body_of(client.get(url)), url
    assert "Who they work with" not in body_of(client.get(shown.get_absolute_url()))
