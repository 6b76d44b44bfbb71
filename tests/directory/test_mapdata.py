import pytest

from directory import lifecycle, mapdata
from directory.mapdata import index, wire
from directory.models import Entry, snap_to_grid

pytestmark = pytest.mark.django_db


def test_points_group_entries_by_position_with_their_kinds_and_counts(make_entry):
    make_entry("Hub", latitude=53.4808, longitude=-2.2426)
    make_entry("Pat", latitude=51.5, longitude=-0.12, kind=Entry.Kind.PRACTITIONER)
    # A practitioner is shown at the centre of their grid square; an organisation there
    # shares the spot.
    centre = snap_to_grid(55.9533, -3.1883, km=1.0)
    make_entry("Sam", latitude=55.9533, longitude=-3.1883, kind=Entry.Kind.PRACTITIONER)
    make_entry("Group", latitude=centre[0], longitude=centre[1])

    points = wire.unpack(wire.pack(index.group_points(Entry.objects.public())))

    pat = snap_to_grid(51.5, -0.12, km=1.0)
    assert sorted(points) == [
        (pytest.approx(pat[0], abs=1e-4), pytest.approx(pat[1], abs=1e-4), "p", 1),
        (53.4808, -2.2426, "o", 1),
        (pytest.approx(centre[0], abs=1e-4), pytest.approx(centre[1], abs=1e-4), "m", 2),
    ]


def test_public_map_data_is_rebuilt_when_the_directory_changes(make_entry):
    entry = make_entry()
    before = mapdata.public_map_data()

    lifecycle.withdraw(entry=entry)
    after = mapdata.public_map_data()

    assert before.stamp != after.stamp
    assert wire.unpack(after.body) == []


def test_radius_holding_is_none_when_the_directory_is_small(make_entry):
    make_entry()

    assert mapdata.radius_holding(latitude=53.48, longitude=-2.24, entries=150) is None


def test_radius_holding_reaches_just_far_enough_for_the_entries_asked(make_entry):
    # Five entries 1, 2, 3, 4 and 5 km north of a point (0.009 degrees is about 1 km).
    for km in range(1, 6):
        make_entry(f"{km} km north", latitude=53.0 + km * 0.009, longitude=-2.0)

    radius = mapdata.radius_holding(latitude=53.0, longitude=-2.0, entries=3)

    assert 2.9 < radius < 3.2
