"""The map's marker data: where the public entries are and of what kind, packed so that
100,000 entries stay well under 1 MB gzipped. Names and summaries load on demand when a
marker is opened (see views.map_point).

Entries that share a position (practitioners in one grid square, say) become one point
with a count, so stacked markers never hide one another. The unfiltered data is rebuilt
only when the directory changes: each request compares a cheap version (checked at most
once a second per process) and serves prebuilt, pregzipped bytes. Builds are shared
between app servers through the cache.
"""

import gzip
import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, F, Max, Min
from django.db.models.functions import Round

from relmap.pagecache import Version

from .geo import KM_PER_DEGREE_LATITUDE
from .models import Entry, EntryQuerySet

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
    etag: str
    last_modified: datetime | None
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


def build(entries: EntryQuerySet, *, version: str) -> MapData:
    body = pack(group_points(entries))
    return MapData(
        etag=etag_for(version),
        last_modified=entries.aggregate(latest=Max("updated_at"))["latest"],
        body=body,
        # Level 6 is nearly as small as 9 at a fraction of the time.
        gzipped=gzip.compress(body, compresslevel=6, mtime=0),
    )


def directory_version() -> str:
    """Changes whenever the public map could have: an entry saved (any status, since
    withdrawing or rejecting one changes what is public) or a public entry deleted."""
    latest = Entry.objects.aggregate(latest=Max("updated_at"))["latest"]
    return f"{Entry.objects.public().count()}:{latest.timestamp() if latest else 0}"


def etag_for(version: str) -> str:
    return hashlib.sha256(version.encode()).hexdigest()[:32]


class _ProcessCache:
    """What was last built in this process, and for which version."""

    def __init__(self):
        self.data: MapData | None = None
        self.index: tuple[str, dict] | None = None


_process_cache = _ProcessCache()
current_version = Version(directory_version)


def public_entry_count() -> int:
    """How many entries are public, as of the last version check (at most a second old)."""
    return int(current_version().split(":", 1)[0])


def last_changed() -> float:
    """When any entry last changed, as a Unix time, as of the last version check."""
    return float(current_version().split(":", 1)[1])


def per_version[T](name: str, compute: Callable[[], T], *, timeout: int = CACHE_SECONDS) -> T:
    """compute() once per version of the directory, shared between processes by the cache."""
    return cache.get_or_set(f"directory:{name}:{etag_for(current_version())}", compute, timeout)


def public_map_data() -> MapData:
    """The unfiltered map data for the current version of the directory."""
    version = current_version()
    data = _process_cache.data
    if data is None or data.etag != etag_for(version):
        data = per_version("map-data", lambda: build(Entry.objects.public(), version=version))
        _process_cache.data = data
    return data


def filtered_map_data(entries: EntryQuerySet, *, query: str) -> MapData:
    """Map data for a filtered view; cached per filter and directory version."""
    version = f"{current_version()}?{query}"
    return per_version(
        f"map-data:{etag_for(query)}",
        lambda: build(entries, version=version),
        timeout=FILTERED_CACHE_SECONDS,
    )


def _public_index() -> dict[tuple[int, int], list[tuple[float, float, int]]]:
    """Public positions by grid cell, built from the map data once per version."""
    data = public_map_data()
    if _process_cache.index is None or _process_cache.index[0] != data.etag:
        cells = defaultdict(list)
        for latitude, longitude, _kind, count in unpack(data.body):
            cells[_cell_of(latitude, longitude)].append((latitude, longitude, count))
        _process_cache.index = (data.etag, dict(cells))
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
