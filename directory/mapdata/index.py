"""The public entries as points on the map, and a grid over them for finding how far one
must look for nearby entries.

Entries that share a position (practitioners in one grid square, say) become one point
with a count, so stacked markers never hide one another. The same points are sent to the
map (wire.py) and searched for kindred spirits (radius_holding), never read back from the
bytes sent.
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, F, Max, Min
from django.db.models.functions import Round

from ..geo import KM_PER_DEGREE_LATITUDE
from ..models import EntryQuerySet

# Positions are grouped, and sent, as integers of 1/10,000 degree (about 11 m).
COORDINATE_SCALE = 10_000
# Points are kept in bands of 0.1 degree of latitude, west to east within a band, so that
# each coordinate differs little from the previous one and the wire format compresses well.
SORT_BAND = COORDINATE_SCALE // 10
# Cells of the grid used to find how far one must look for nearby entries.
CELL_DEGREES = 0.05


class Point(NamedTuple):
    lat: int  # in 1/COORDINATE_SCALE degree
    lng: int
    kind: str  # "p" practitioners, "o" organisations, "m" both at one spot
    count: int


def group_points(entries: EntryQuerySet) -> list[Point]:
    """The entries as points. The database does the grouping, which is several times faster
    than Python at 100,000 entries."""
    rows = (
        entries.annotate(
            lat=Round(F("public_latitude") * COORDINATE_SCALE),
            lng=Round(F("public_longitude") * COORDINATE_SCALE),
        )
        .values("lat", "lng")
        .annotate(count=Count("pk"), first_kind=Min("kind"), last_kind=Max("kind"))
        .order_by()
        .values_list("lat", "lng", "first_kind", "last_kind", "count")
    )
    points = [
        Point(int(lat), int(lng), first[0] if first == last else "m", count)
        for lat, lng, first, last, count in rows
    ]
    return sorted(points, key=lambda point: (point.lat // SORT_BAND, point.lng, point.lat))


@dataclass(frozen=True)
class Grid:
    """Positions in degrees, with their counts, by grid cell."""

    cells: dict[tuple[int, int], list[tuple[float, float, int]]]
    total: int  # entries in all cells

    @classmethod
    def of(cls, points: list[Point]) -> "Grid":
        cells = defaultdict(list)
        for point in points:
            latitude, longitude = point.lat / COORDINATE_SCALE, point.lng / COORDINATE_SCALE
            cells[_cell_of(latitude, longitude)].append((latitude, longitude, point.count))
        return cls(cells=dict(cells), total=sum(point.count for point in points))


def _cell_of(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude / CELL_DEGREES), math.floor(longitude / CELL_DEGREES)


def radius_in(grid: Grid, *, latitude: float, longitude: float, entries: int) -> float | None:
    """The distance in km within which at least `entries` entries of the grid lie around a
    point, or None when the grid holds no more than that."""
    if grid.total <= entries:
        return None
    cells = grid.cells
    centre_lat, centre_lng = _cell_of(latitude, longitude)
    lng_scale = math.cos(math.radians(latitude))
    found, total, ring, enough_at_ring = [], 0, 0, None
    # Grow square rings of cells until they hold enough, then one ring more, so that the
    # positions nearer than the farthest one counted have all been seen.
    while enough_at_ring is None or ring <= enough_at_ring + 1:
        for i in range(centre_lat - ring, centre_lat + ring + 1):
            for j in range(centre_lng - ring, centre_lng + ring + 1):
                if max(abs(i - centre_lat), abs(j - centre_lng)) == ring:
                    for position in cells.get((i, j), ()):
                        found.append(position)
                        total += position[2]
        if enough_at_ring is None and total >= entries:
            enough_at_ring = ring
        ring += 1
    nearest = sorted(
        (math.hypot(lat - latitude, (lng - longitude) * lng_scale), count)
        for lat, lng, count in found
    )
    total = 0
    for distance, count in nearest:
        total += count
        if total >= entries:
            return (distance + 0.0001) * KM_PER_DEGREE_LATITUDE
    return None
