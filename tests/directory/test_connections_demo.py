"""`manage.py demo_map` joins nearby demo entries with confirmed connections, about one for
every two entries, the same ones for the same seed, and never touches a real entry."""

import pytest
from django.core.management import call_command

from directory.demo import build_demo_map
from directory.demo_connections import CELL_DEGREES, MAX_RING, build_demo_connections
from directory.models import Connection

pytestmark = pytest.mark.django_db


def demo_pairs() -> set[tuple]:
    return set(Connection.objects.values_list("proposer__slug", "partner__slug", "kind", "phrase"))


def test_demo_map_joins_about_half_of_the_demo_entries_to_a_neighbour(make_entry):
    real = make_entry("Real Neighbours")

    call_command("demo_map", count=80, seed=1, verbosity=0)

    made = Connection.objects.select_related("proposer", "partner")
    assert 20 <= made.count() <= 50
    assert made.count() == Connection.objects.public().count()
    for connection in made:
        assert connection.proposer.is_demo and connection.partner.is_demo
        for axis in ["public_latitude", "public_longitude"]:
            ends = [getattr(connection.proposer, axis), getattr(connection.partner, axis)]
            assert abs(ends[0] - ends[1]) < (MAX_RING + 1) * CELL_DEGREES
    assert not Connection.objects.involving(real).exists()


def test_the_same_seed_gives_the_same_connections_and_a_second_run_adds_none():
    build_demo_map(count=60, seed=4)
    build_demo_connections(seed=4)
    first = demo_pairs()

    assert build_demo_connections(seed=4) == 0
    build_demo_map(count=60, seed=4, clear=True)
    assert not Connection.objects.exists()  # they went with their entries
    build_demo_connections(seed=4)

    assert demo_pairs() == first
    build_demo_map(count=60, seed=4, clear=True)
    build_demo_connections(seed=5)
    assert demo_pairs() != first


def test_a_dry_run_counts_without_writing():
    build_demo_map(count=40, seed=2)

    would = build_demo_connections(seed=2, dry_run=True)

    assert would > 0 and not Connection.objects.exists()
    assert build_demo_connections(seed=2) == would
