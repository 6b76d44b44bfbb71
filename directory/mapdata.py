"""The map's marker data: where the public entries are and of what kind, packed so that
100,000 entries stay well under 1 MB gzipped. Names and summaries load on demand when a
marker is opened (see views.map_point).

Entries that share a position (practitioners in one grid square, say) become one point
with a count, so stacked markers never hide one another. The unfiltered data is rebuilt
only when the directory changes: each request compares the directory's version
(ContentVersion, read at most once a second per process) and serves prebuilt, pregzipped
bytes. Builds are shared
between app servers through the cache.
"""

import gzip
import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, F, Max, Min
from django.db.models.functions import Round

from relmap.pagecache import Stamp, Version

from .geo import KM_PER_DEGREE_LATITUDE
from .models import ContentVersion, Entry, EntryQuerySet

# Positions go over the wire as integers of 1/10,000 degree (about 11 m).
COORDINATE_SCALE = 10_000
# Points are sent in bands of 0.1 degree of latitude, west to east within a band, so that
# each coordinate differs little from the previous one and compresses well.
SORT_BAND = COORDINATE_SCALE // 10
CACHE_SECONDS = 24 * 60 * 60
FILTERED_CACHE_SECONDS = 5 * 60
# Cells of the in-memory index used to find how far one must look for nearby entries.
INDEX_CELL_DEGREES = 0.05


@dataclass(frozen=True)
class MapData:
    stamp: Stamp  # the directory's version it was built for (or a later one)
    body: bytes
    gzipped: bytes


def group_points(entries: EntryQuerySet) -> list[tuple[int, int, str, int]]:
    """The entries as points (lat, lng in 1/10,000 degree, kind letter, count): "p"
    practitioners, "o" organisations, "m" both at one spot. The database does the grouping,
    which is several times faster than Python at 100,000 entries."""
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
        (int(lat), int(lng), first[0] if first == last else "m", count)
        for lat, lng, first, last, count in rows
    ]
    return sorted(points, key=lambda point: (point[0] // SORT_BAND, point[1], point[0]))


def pack(points: list[tuple[int, int, str, int]]) -> bytes:
    """Points as JSON arrays of differences from the previous point, one letter per kind."""
    latitudes, longitudes, previous = [], [], (0, 0)
    for lat, lng, _kind, _count in points:
        latitudes.append(lat - previous[0])
        longitudes.append(lng - previous[1])
        previous = (lat, lng)
    payload = {
        "scale": COORDINATE_SCALE,
        "lat": latitudes,
        "lng": longitudes,
        "kinds": "".join(point[2] for point in points),
        "counts": [point[3] for point in points],
    }
    return json.dumps(payload, separators=(",", ":")).encode()


def unpack(body: bytes) -> list[tuple[float, float, str, int]]:
    """The inverse of pack(), for tests and benchmarks; static/js/map.js does the same."""
    payload = json.loads(body)
    points, lat, lng = [], 0, 0
    for dlat, dlng, kind, count in zip(
        payload["lat"], payload["lng"], payload["kinds"], payload["counts"], strict=True
    ):
        lat, lng = lat + dlat, lng + dlng
        points.append((lat / payload["scale"], lng / payload["scale"], kind, count))
    return points


def build(entries: EntryQuerySet, *, stamp: Stamp) -> MapData:
    body = pack(group_points(entries))
    return MapData(
        stamp=stamp,
        body=body,
        # Level 6 is nearly as small as 9 at a fraction of the time.
        gzipped=gzip.compress(body, compresslevel=6, mtime=0),
    )


def directory_stamp() -> Stamp:
    return ContentVersion.stamp(ContentVersion.Scope.DIRECTORY)


def etag_for(version: str) -> str:
    return hashlib.sha256(version.encode()).hexdigest()[:32]


class _ProcessCache:
    """What was last built in this process, and for which version."""

    def __init__(self):
        self.data: MapData | None = None
        self.index: tuple[Stamp, dict] | None = None
        self.count: tuple[Stamp, int] | None = None


_process_cache = _ProcessCache()
# The directory's version as this process last read it (at most a second ago).
current_version = Version(directory_stamp)


def as_read_now(stamp: Stamp) -> Stamp:
    """The stamp as this process last read it, while it is still the current version: the
    later reading lets its Last-Modified be sent sooner."""
    current = current_version()
    return current if current == stamp else stamp


def public_entry_count() -> int:
    """How many entries are public, counted once per version of the directory: counting
    100,000 rows was the slowest work of the pages that show the number."""
    stamp = current_version()
    if _process_cache.count is None or _process_cache.count[0] != stamp:
        _process_cache.count = (stamp, per_version("count", Entry.objects.public().count, stamp))
    return _process_cache.count[1]


def per_version[T](
    name: str, compute: Callable[[], T], stamp: Stamp | None = None, *, timeout=CACHE_SECONDS
) -> T:
    """compute() once per version of the directory (the current one unless given), shared
    between processes by the cache. The version is read before compute() reads anything, so
    what is kept under it is never older than it."""
    stamp = stamp or current_version()
    return cache.get_or_set(f"directory:{name}:{etag_for(str(stamp))}", compute, timeout)


def public_map_data() -> MapData:
    """The unfiltered map data for the current version of the directory."""
    stamp = current_version()
    data = _process_cache.data
    if data is None or data.stamp != stamp:
        data = per_version("map-data", lambda: build(Entry.objects.public(), stamp=stamp), stamp)
        _process_cache.data = data
    return data


def filtered_map_data(entries: EntryQuerySet, *, query: str) -> MapData:
    """Map data for a filtered view; cached per filter and directory version."""
    stamp = current_version()
    return per_version(
        f"map-data:{etag_for(query)}",
        lambda: build(entries, stamp=stamp),
        stamp,
        timeout=FILTERED_CACHE_SECONDS,
    )


def _public_index() -> dict[tuple[int, int], list[tuple[float, float, int]]]:
    """Public positions by grid cell, built from the map data once per version."""
    data = public_map_data()
    if _process_cache.index is None or _process_cache.index[0] != data.stamp:
        cells = defaultdict(list)
        for latitude, longitude, _kind, count in unpack(data.body):
            cells[_cell_of(latitude, longitude)].append((latitude, longitude, count))
        _process_cache.index = (data.stamp, dict(cells))
    return _process_cache.index[1]


def _cell_of(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude / INDEX_CELL_DEGREES), math.floor(longitude / INDEX_CELL_DEGREES)


def radius_holding(*, latitude: float, longitude: float, entries: int) -> float | None:
    """The distance in km within which at least `entries` public entries lie around a point,
    or None when the whole directory holds fewer. Searching only that far keeps queries for
    nearby entries small however crowded a city is."""
    if public_entry_count() <= entries:
        return None
    cells = _public_index()
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
