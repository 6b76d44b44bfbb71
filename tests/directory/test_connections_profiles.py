"""Profiles list an entry's public connections: the other side linked, how they work
together and the phrase; never a proposal, nor one whose other side is off the map; and the
page's queries do not grow with the number of connections."""

import pytest

from directory import connections
from directory.models import Connection, Entry

from .test_views import PROFILE_QUERIES

pytestmark = pytest.mark.django_db


def connect(proposer, partner, *, kind="partners", phrase="", confirmed=True) -> Connection:
    connection = connections.propose(proposer=proposer, partner=partner, kind=kind, phrase=phrase)
    if confirmed:
        connections.confirm(connection=connection, by=partner)
    return connection


def test_a_profile_lists_its_confirmed_connections_from_either_side(client, make_entry):
    fallowfield = make_entry("Fallowfield Friends")
    frome, leeds = make_entry("Frome Friends"), make_entry("Leeds Listeners")
    connect(fallowfield, frome, kind="referrals", phrase="We send people to each other")
    connect(leeds, fallowfield, kind="learning")

    html = client.get(fallowfield.get_absolute_url()).content.decode()

    assert "Who they work with" in html
    assert (
        f'<a href="{frome.get_absolute_url()}">Frome Friends</a>: We refer people to each '
        "other, “We send people to each other”"
    ) in html
    assert (
        f'<a href="{leeds.get_absolute_url()}">Leeds Listeners</a>: We learn from each other'
        in (html)
    )
    # And the other side's profile lists it too.
    assert (
        "Fallowfield Friends</a>: We refer people"
        in client.get(frome.get_absolute_url()).content.decode()
    )


def test_a_proposal_and_a_connection_to_an_entry_off_the_map_are_not_listed(client, make_entry):
    fallowfield = make_entry("Fallowfield Friends")
    # In no sector, so that neither shows among the kindred spirits either.
    asked = make_entry("Asked But Silent", sectors=[])
    withdrawn = make_entry("Since Withdrawn", sectors=[])
    connect(fallowfield, asked, confirmed=False)
    connect(fallowfield, withdrawn)
    Entry.objects.filter(pk=withdrawn.pk).update(status=Entry.Status.WITHDRAWN)

    html = client.get(fallowfield.get_absolute_url()).content.decode()

    assert "Who they work with" not in html
    assert "Asked But Silent" not in html and "Since Withdrawn" not in html


def test_the_profile_runs_one_query_for_its_connections_however_many_there_are(
    client, make_entry, django_assert_num_queries
):
    hub = make_entry("Fallowfield Friends")
    connect(hub, make_entry("Partner 0"))
    with django_assert_num_queries(PROFILE_QUERIES):
        client.get(hub.get_absolute_url())

    for number in range(1, 12):
        connect(make_entry(f"Partner {number}"), hub)

    with django_assert_num_queries(PROFILE_QUERIES) as counted:
        response = client.get(hub.get_absolute_url())
    assert response.content.decode().count('<li><a href="/entries/partner-') == 12
    assert len(counted.captured_queries) == PROFILE_QUERIES
