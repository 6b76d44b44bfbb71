"""A connection's life through directory.connections: proposed by one side, confirmed or
declined by the other, ended by either; what each step stores, whom it tells, and when the
directory's version (and so every public output) moves."""

import pytest
from django.core import mail
from django.urls import resolve

from directory import connections, lifecycle, tokens
from directory.connections import MAX_OPEN_PROPOSALS, ConnectionRefused
from directory.models import Connection, ContentVersion, Entry

from .test_owner_emails import private_links_in, urls_in

pytestmark = pytest.mark.django_db
DIRECTORY = ContentVersion.Scope.DIRECTORY


def directory_version() -> int:
    return ContentVersion.stamp(DIRECTORY).number


@pytest.fixture
def fallowfield(make_entry):
    return make_entry("Fallowfield Friends", contact_email="fallowfield@example.org")


@pytest.fixture
def frome(make_entry):
    return make_entry("Frome Friends", contact_email="frome@example.org")


def propose(proposer, partner, **fields) -> Connection:
    return connections.propose(
        proposer=proposer,
        partner=partner,
        kind=fields.get("kind", Connection.Kind.PARTNERS),
        phrase=fields.get("phrase", ""),
    )


def test_a_proposal_waits_unseen_and_asks_the_partner_from_its_own_manage_page(fallowfield, frome):
    before = directory_version()

    proposal = propose(fallowfield, frome, phrase="We run a lunch club together")

    stored = Connection.objects.get()
    assert (stored.proposer, stored.partner, stored.status) == (
        fallowfield,
        frome,
        Connection.Status.PROPOSED,
    )
    assert stored == proposal and stored.phrase == "We run a lunch club together"
    assert not Connection.objects.public().exists()
    assert directory_version() == before
    [message] = mail.outbox
    assert message.to == ["frome@example.org"] and message.reply_to == []
    assert message.subject == "Fallowfield Friends says it works with you"
    assert "We run a lunch club together" in message.body
    assert "We work in partnership" in message.body
    # Its one private link is to the partner's own manage page, never the proposer's.
    assert private_links_in(message) == ["manage"] * 2  # in the text and in the HTML
    manage_links = [url for url in urls_in(message) if "/manage/" in url]
    assert {tokens.entry_to_manage(resolve_token(url)) for url in manage_links} == {frome}


def resolve_token(url: str) -> str:
    return resolve("/manage/" + url.split("/manage/", 1)[1]).kwargs["token"]


def test_confirming_makes_it_public_moves_the_version_and_tells_the_proposer(fallowfield, frome):
    proposal = propose(fallowfield, frome)
    before = directory_version()

    connections.confirm(connection=proposal, by=frome)

    stored = Connection.objects.get()
    assert stored.status == Connection.Status.CONFIRMED and stored.confirmed_at is not None
    assert list(Connection.objects.public()) == [stored]
    assert directory_version() > before
    told = mail.outbox[-1]
    assert told.to == ["fallowfield@example.org"]
    assert told.subject == "Frome Friends confirmed that you work together"
    assert frome.get_absolute_url() in told.body
    assert private_links_in(told) == []


def test_only_the_side_that_was_asked_can_confirm(fallowfield, frome, make_entry):
    proposal = propose(fallowfield, frome)

    for someone_else in [fallowfield, make_entry("Bystanders")]:
        with pytest.raises(ConnectionRefused):
            connections.confirm(connection=proposal, by=someone_else)

    assert Connection.objects.get().status == Connection.Status.PROPOSED


def test_a_second_confirmation_changes_nothing_and_sends_nothing(fallowfield, frome):
    proposal = propose(fallowfield, frome)
    connections.confirm(connection=proposal, by=frome)
    sent, version = len(mail.outbox), directory_version()

    connections.confirm(connection=proposal, by=frome)

    assert (len(mail.outbox), directory_version()) == (sent, version)


@pytest.mark.parametrize("side", ["proposer", "partner"])
def test_either_side_ends_a_confirmed_connection_at_once(fallowfield, frome, side):
    proposal = propose(fallowfield, frome)
    connections.confirm(connection=proposal, by=frome)
    before = directory_version()

    connections.end(connection=proposal, by=getattr(proposal, side))

    assert not Connection.objects.exists()
    assert directory_version() > before


def test_declining_or_cancelling_a_proposal_deletes_it_without_touching_the_public_version(
    fallowfield, frome, make_entry
):
    declined = propose(fallowfield, frome)
    cancelled = propose(fallowfield, make_entry("Leeds Listeners"))
    before = directory_version()

    connections.end(connection=declined, by=frome)
    connections.end(connection=cancelled, by=fallowfield)

    assert not Connection.objects.exists()
    assert directory_version() == before


def test_nobody_else_can_end_a_connection(fallowfield, frome, make_entry):
    proposal = propose(fallowfield, frome)

    with pytest.raises(ConnectionRefused):
        connections.end(connection=proposal, by=make_entry("Bystanders"))

    assert Connection.objects.exists()


def test_an_entry_cannot_propose_to_itself(fallowfield):
    with pytest.raises(ConnectionRefused, match="cannot be connected to itself"):
        propose(fallowfield, fallowfield)

    assert not Connection.objects.exists() and mail.outbox == []


@pytest.mark.parametrize("hidden_side", ["proposer", "partner"])
@pytest.mark.parametrize(
    "status", [Entry.Status.AWAITING_REVIEW, Entry.Status.WITHDRAWN, Entry.Status.REJECTED]
)
def test_both_entries_must_be_public_to_propose(make_entry, hidden_side, status):
    sides = {
        "proposer": make_entry("Fallowfield Friends"),
        "partner": make_entry("Frome Friends"),
    }
    Entry.objects.filter(pk=sides[hidden_side].pk).update(status=status)
    sides[hidden_side].refresh_from_db()

    with pytest.raises(ConnectionRefused, match="Both entries must be on the map"):
        propose(sides["proposer"], sides["partner"])

    assert not Connection.objects.exists() and mail.outbox == []


def test_a_pair_cannot_be_proposed_twice_in_either_direction_and_each_refusal_says_why(
    fallowfield, frome
):
    proposal = propose(fallowfield, frome)

    with pytest.raises(ConnectionRefused, match="You have already asked Frome Friends"):
        propose(fallowfield, frome)
    with pytest.raises(
        ConnectionRefused, match="Fallowfield Friends has already asked to connect with you"
    ):
        propose(frome, fallowfield)
    connections.confirm(connection=proposal, by=frome)
    with pytest.raises(ConnectionRefused, match="already connected with Fallowfield Friends"):
        propose(frome, fallowfield)

    assert Connection.objects.count() == 1
    assert len(mail.outbox) == 2  # the one proposal and its confirmation


def test_open_proposals_are_capped_until_some_are_answered(fallowfield, make_entry):
    partners = [make_entry(f"Partner {number}") for number in range(MAX_OPEN_PROPOSALS + 1)]
    for partner in partners[:MAX_OPEN_PROPOSALS]:
        propose(fallowfield, partner)

    with pytest.raises(ConnectionRefused, match=f"You have {MAX_OPEN_PROPOSALS} connections"):
        propose(fallowfield, partners[-1])
    assert Connection.objects.count() == MAX_OPEN_PROPOSALS

    first = Connection.objects.get(partner=partners[0])
    connections.confirm(connection=first, by=partners[0])
    propose(fallowfield, partners[-1])
    assert Connection.objects.filter(status=Connection.Status.PROPOSED).count() == (
        MAX_OPEN_PROPOSALS
    )


def test_erasing_either_entry_erases_its_connections(fallowfield, frome, make_entry):
    leeds = make_entry("Leeds Listeners")
    confirmed = propose(fallowfield, frome)
    connections.confirm(connection=confirmed, by=frome)
    propose(leeds, frome)

    lifecycle.erase(entry=frome)

    assert not Connection.objects.exists()


def test_withdrawing_an_entry_hides_its_connections_until_it_is_back(fallowfield, frome):
    proposal = propose(fallowfield, frome)
    connections.confirm(connection=proposal, by=frome)

    lifecycle.withdraw(entry=frome)
    assert not Connection.objects.public().exists()
    assert Connection.objects.get().is_confirmed  # kept, so that it returns with the entry

    Entry.objects.filter(pk=frome.pk).update(status=Entry.Status.PUBLISHED)
    assert list(Connection.objects.public()) == [proposal]


def test_confirming_with_a_withdrawn_proposer_keeps_it_hidden_and_the_version_still(
    fallowfield, frome
):
    proposal = propose(fallowfield, frome)
    lifecycle.withdraw(entry=fallowfield)
    before = directory_version()

    connections.confirm(connection=proposal, by=frome)

    assert Connection.objects.get().is_confirmed
    assert not Connection.objects.public().exists()
    assert directory_version() == before


def test_the_manage_page_lists_sort_each_connection_by_who_must_act(fallowfield, frome, make_entry):
    leeds, bristol = make_entry("Leeds Listeners"), make_entry("Bristol Befrienders")
    confirmed = propose(fallowfield, frome)
    connections.confirm(connection=confirmed, by=frome)
    asked_by_leeds = propose(leeds, fallowfield)
    asked_bristol = propose(fallowfield, bristol)

    seen = connections.OwnersConnections.of(fallowfield)

    assert seen.confirmed == [confirmed]
    assert seen.waiting_for_you == [asked_by_leeds]
    assert seen.waiting_for_them == [asked_bristol]
