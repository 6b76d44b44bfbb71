"""What is built once per version of the directory: the map data, its points and their grid,
the public entry count. Each request compares the directory's version (ContentVersion, read
at most once a second per process) and serves what was built for it; builds are shared
between app servers through the cache. The HTTP side (validators, 304s, an ETag per content
coding) is relmap.pagecache's.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache

from relmap.pagecache import Stamp, Version

from ..models import ContentVersion, Entry, EntryQuerySet
from .index import Grid, Point, group_points, radius_in
from .wire import MapData, build

CACHE_SECONDS = 24 * 60 * 60
FILTERED_CACHE_SECONDS = 5 * 60


def directory_stamp() -> Stamp:
    return ContentVersion.stamp(ContentVersion.Scope.DIRECTORY)


def etag_for(version: str) -> str:
    return hashlib.sha256(version.encode()).hexdigest()[:32]


class _ProcessCache:
    """What was last built in this process, and for which version."""

    def __init__(self):
        self.data: MapData | None = None
        self.grid: tuple[Stamp, Grid] | None = None
        self.count: tuple[Stamp, int] | None = None


_process_cache = _ProcessCache()
# The directory's version as this process last read it (at most a second ago).
current_version = Version(directory_stamp)


def as_read_now(stamp: Stamp) -> Stamp:
    """The stamp as this process last read it, while it is still the current version: the
    later reading lets its Last-Modified be sent sooner."""
    current = current_version()
    return current if current == stamp else stamp


def per_version[T](
    name: str, compute: Callable[[], T], stamp: Stamp | None = None, *, timeout=CACHE_SECONDS
) -> T:
    """compute() once per version of the directory (the current one unless given), shared
    between processes by the cache. The version is read before compute() reads anything, so
    what is kept under it is never older than it."""
    stamp = stamp or current_version()
    return cache.get_or_set(f"directory:{name}:{etag_for(str(stamp))}", compute, timeout)


def public_entry_count() -> int:
    """How many entries are public, counted once per version of the directory: counting
    100,000 rows was the slowest work of the pages that show the number."""
    stamp = current_version()
    if _process_cache.count is None or _process_cache.count[0] != stamp:
        _process_cache.count = (stamp, per_version("count", Entry.objects.public().count, stamp))
    return _process_cache.count[1]


def _public_points(stamp: Stamp) -> list[Point]:
    return per_version("map-points", lambda: group_points(Entry.objects.public()), stamp)


def public_map_data() -> MapData:
    """The unfiltered map data for the current version of the directory."""
    stamp = current_version()
    data = _process_cache.data
    if data is None or data.stamp != stamp:
        data = per_version("map-data", lambda: build(_public_points(stamp), stamp=stamp), stamp)
        _process_cache.data = data
    return data


def filtered_map_data(entries: EntryQuerySet, *, query: str) -> MapData:
    """Map data for a filtered view; cached per filter and directory version."""
    stamp = current_version()
    return per_version(
        f"map-data:{etag_for(query)}",
        lambda: build(group_points(entries), stamp=stamp),
        stamp,
        timeout=FILTERED_CACHE_SECONDS,
    )


def radius_holding(*, latitude: float, longitude: float, entries: int) -> float | None:
    """The distance in km within which at least `entries` public entries lie around a point,
    or None when the whole directory holds no more. Searching only that far keeps queries for
    nearby entries small however crowded a city is."""
    if public_entry_count() <= entries:
        return None
    stamp = current_version()
    if _process_cache.grid is None or _process_cache.grid[0] != stamp:
        _process_cache.grid = (stamp, Grid.of(_public_points(stamp)))
    grid = _process_cache.grid[1]
    return radius_in(grid, latitude=latitude, longitude=longitude, entries=entries)
