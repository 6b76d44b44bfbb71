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


def test_a_connections_line_joins_the_two_entries_public_points(make_entry):
    practitioner = make_entry(
        "Ann Practitioner", kind=Entry.Kind.PRACTITIONER, latitude=53.44401, longitude=-2.22003
    )
    organisation = make_entry("Frome Friends", latitude=51.2283, longitude=-2.3221)
    Connection.objects.create(
        proposer=practitioner,
        partner=organisation,
        kind=Connection.Kind.REFERRALS,
        status=Connection.Status.CONFIRMED,
    )

    (line,) = Connection.objects.public().lines()

    assert (line["from_latitude"], line["from_longitude"]) == (
        practitioner.public_latitude,
        practitioner.public_longitude,
    )
    assert (line["from_latitude"], line["from_longitude"]) != (53.44401, -2.22003)
    assert (line["to_latitude"], line["to_longitude"]) == (51.2283, -2.3221)
    assert (line["from_slug"], line["to_slug"], line["kind"]) == (
        practitioner.slug,
        organisation.slug,
        Connection.Kind.REFERRALS,
    )
