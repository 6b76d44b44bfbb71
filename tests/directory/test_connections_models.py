import pytest
from django.db import IntegrityError, transaction

from directory.models import Connection, Entry


@pytest.fixture
def two_entries(make_entry):
    return make_entry("Fallowfield Friends"), make_entry("Frome Friends")


def test_a_pair_has_one_connection_whichever_side_said_it_first(two_entries):
    first, second = two_entries
    Connection.objects.create(proposer=first, partner=second, kind=Connection.Kind.PARTNERS)

    with pytest.raises(IntegrityError), transaction.atomic():
        Connection.objects.create(proposer=second, partner=first, kind=Connection.Kind.FUNDING)

    assert Connection.objects.count() == 1


def test_an_entry_cannot_be_connected_to_itself(two_entries):
    first, _ = two_entries

    with pytest.raises(IntegrityError), transaction.atomic():
        Connection.objects.create(proposer=first, partner=first, kind=Connection.Kind.PARTNERS)


def test_only_a_confirmed_connection_between_two_public_entries_is_public(make_entry):
    proposer, partner = make_entry("Fallowfield Friends"), make_entry("Frome Friends")
    hidden = make_entry("Hidden Helpers", status=Entry.Status.AWAITING_REVIEW)
    proposed = Connection.objects.create(
        proposer=proposer, partner=partner, kind=Connection.Kind.PARTNERS
    )
    assert list(Connection.objects.public()) == []

    proposed.status = Connection.Status.CONFIRMED
    proposed.save()
    Connection.objects.create(
        proposer=proposer,
        partner=hidden,
        kind=Connection.Kind.LEARNING,
        status=Connection.Status.CONFIRMED,
    )

    assert list(Connection.objects.public()) == [proposed]


def test_erasing_an_entry_removes_its_connections(two_entries):
    first, second = two_entries
    Connection.objects.create(proposer=first, partner=second, kind=Connection.Kind.PARTNERS)

    second.delete()

    assert not Connection.objects.exists()
