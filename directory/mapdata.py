"""The map's marker data: each public entry's id, public position and kind, packed so that
100,000 entries stay well under 1 MB gzipped. Names and summaries load per marker, on demand.

The unfiltered data is rebuilt only when the directory changes: every request compares a
cheap version (checked at most once a second per process) and serves prebuilt, pregzipped
bytes. Builds are shared between app servers through the cache.
"""

import gzip
import hashlib
import json
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max

from .models import Entry, EntryQuerySet

# Positions go over the wire as integers of 1/10,000 degree (about 11 m).
COORDINATE_SCALE = 10_000
CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class MapData:
    etag: str
    last_modified: datetime | None
    body: bytes
    gzipped: bytes
    count: int


def pack(rows: list[tuple[int, float, float, str]]) -> bytes:
    """Rows of (id, latitude, longitude, kind), sorted by id, as compact JSON: ids as
    differences from the previous id (mostly 1, which gzip squeezes to almost nothing),
    positions as scaled integers, kinds as one letter each."""
    ids, latitudes, longitudes, kinds = [], [], [], []
    previous_id = 0
    for entry_id, latitude, longitude, kind in rows:
        ids.append(entry_id - previous_id)
        previous_id = entry_id
        latitudes.append(round(latitude * COORDINATE_SCALE))
        longitudes.append(round(longitude * COORDINATE_SCALE))
        kinds.append(kind[0])
    payload = {
        "count": len(ids),
        "scale": COORDINATE_SCALE,
        "id_deltas": ids,
        "lat": latitudes,
        "lng": longitudes,
        "kinds": "".join(kinds),
    }
    return json.dumps(payload, separators=(",", ":")).encode()


def unpack(body: bytes) -> list[tuple[int, float, float, str]]:
    """The inverse of pack(), for tests and benchmarks; the browser does the same in JS."""
    payload = json.loads(body)
    rows, entry_id = [], 0
    for delta, lat, lng, kind in zip(
        payload["id_deltas"], payload["lat"], payload["lng"], payload["kinds"], strict=True
    ):
        entry_id += delta
        rows.append((entry_id, lat / payload["scale"], lng / payload["scale"], kind))
    return rows


def build(entries: EntryQuerySet, *, version: str) -> MapData:
    rows = list(
        entries.order_by("pk").values_list("pk", "public_latitude", "public_longitude", "kind")
    )
    body = pack(rows)
    return MapData(
        etag=etag_for(version),
        last_modified=entries.aggregate(latest=Max("updated_at"))["latest"],
        body=body,
        # Level 6 is nearly as small as 9 at a fraction of the time.
        gzipped=gzip.compress(body, compresslevel=6, mtime=0),
        count=len(rows),
    )


def directory_version() -> str:
    """Changes whenever the public map could have: an entry saved (any status, since
    withdrawing or rejecting one changes what is public) or a public entry deleted."""
    latest = Entry.objects.aggregate(latest=Max("updated_at"))["latest"]
    return f"{Entry.objects.public().count()}:{latest.timestamp() if latest else 0}"


class _ProcessCache:
    """The last version seen and the data built for it, kept in this process."""

    def __init__(self):
        self.lock = threading.Lock()
        self.version: str | None = None
        self.checked_at = 0.0
        self.data: MapData | None = None

    def current_version(self) -> str:
        with self.lock:
            now = time.monotonic()
            interval = getattr(settings, "MAP_DATA_VERSION_CHECK_SECONDS", 1.0)
            if self.version is None or now - self.checked_at >= interval:
                self.version, self.checked_at = directory_version(), now
            return self.version


_process_cache = _ProcessCache()


def current_version() -> str:
    return _process_cache.current_version()


def public_entry_count() -> int:
    """How many entries are public, as of the last version check (at most a second old)."""
    return int(current_version().split(":", 1)[0])


def public_map_data() -> MapData:
    """The unfiltered map data for the current version of the directory."""
    version = current_version()
    data = _process_cache.data
    if data is not None and data.etag == etag_for(version):
        return data
    key = f"directory:map-data:{etag_for(version)}"
    data = cache.get(key)
    if data is None:
        data = build(Entry.objects.public(), version=version)
        cache.set(key, data, CACHE_SECONDS)
    _process_cache.data = data
    return data


def filtered_map_data(entries: EntryQuerySet, *, query: str) -> MapData:
    """Map data for a filtered view; cached per filter and directory version."""
    version = f"{current_version()}?{query}"
    key = f"directory:map-data:{etag_for(version)}"
    data = cache.get(key)
    if data is None:
        data = build(entries, version=version)
        cache.set(key, data, 5 * 60)
    return data


def etag_for(version: str) -> str:
    return hashlib.sha256(version.encode()).hexdigest()[:32]
