import pytest

from directory import mapdata
from directory.models import Entry

pytestmark = pytest.mark.django_db


def test_pack_and_unpack_round_trip_positions_kinds_and_counts():
    points = mapdata.group_points(
        [(53.4808, -2.2426, "organisation"), (51.5, -0.12, "practitioner")]
        + [(55.9533, -3.1883, "practitioner"), (55.9533, -3.1883, "organisation")]
    )

    unpacked = mapdata.unpack(mapdata.pack(points))

    assert sorted(unpacked) == [
        (51.5, -0.12, "p", 1),
        (53.4808, -2.2426, "o", 1),
        (55.9533, -3.1883, "m", 2),
    ]


def test_public_map_data_is_rebuilt_when_the_directory_changes(make_entry):
    entry = make_entry()
    before = mapdata.public_map_data()

    entry.status = Entry.Status.WITHDRAWN
    entry.save()
    after = mapdata.public_map_data()

    assert before.etag != after.etag
    assert mapdata.unpack(after.body) == []


def test_radius_holding_is_none_when_the_directory_is_small(make_entry):
    make_entry()

    assert mapdata.radius_holding(latitude=53.48, longitude=-2.24, entries=150) is None


def test_radius_holding_reaches_just_far_enough_for_the_entries_asked(make_entry):
    # Five entries 1, 2, 3, 4 and 5 km north of a point (0.009 degrees is about 1 km).
    for km in range(1, 6):
        make_entry(f"{km} km north", latitude=53.0 + km * 0.009, longitude=-2.0)

    radius = mapdata.radius_holding(latitude=53.0, longitude=-2.0, entries=3)

    assert 2.9 < radius < 3.2
