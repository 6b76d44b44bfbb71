"""The open data exports (every public entry as GeoJSON and CSV, and the public network of
connections), prebuilt.

Serialising 100,000 entries takes seconds, far too long for each request. Instead a snapshot
is built once per version of the directory and shared between app servers through the cache:
for each format, the whole unfiltered file, gzipped, and where each entry's piece of it
lies. The unfiltered export is those bytes as they are; a filtered one asks the database
only for the matching ids (a cheap query) and joins their pieces. The task worker builds
each snapshot (one build at a time, under a lock in the cache), and until it is ready the
last one is served: exports may be cached for five minutes anyway, and a filtered export
never shows an entry that is no longer public.
"""

import csv
import gzip
import json
import re
import time
from array import array
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.tasks import task

from relmap.pagecache import Stamp

from . import connection_exports, mapdata
from .models import PUBLIC_RECORD_KEYS, Entry, EntryQuerySet, geojson_feature_of
from .open_data import open_data_members

CSV_COLUMNS = PUBLIC_RECORD_KEYS
# A build takes seconds at 100,000 entries; a builder that died frees the lock after this.
BUILD_LOCK_SECONDS = 300
# How long a request waits for the very first snapshot while the task worker builds it
# (EXPORT_BUILD_WAIT_SECONDS overrides it, for tests).
BUILD_WAIT_SECONDS = 20
LOCK_KEY = "exports:building"
LATEST_KEY = "exports:latest"


class ExportUnavailable(Exception):
    """No snapshot exists yet and the first one is still being built."""


@dataclass(frozen=True)
class ExportFile:
    """One format of the export: the unfiltered file gzipped, and where each entry's piece
    lies in the file once unzipped (ids[i]'s piece is body[starts[i]:ends[i]])."""

    gzipped: bytes
    head: bytes
    separator: bytes
    tail: bytes
    ids: array
    starts: array
    ends: array

    @classmethod
    def from_pieces(
        cls, pieces: list[tuple[int, bytes]], *, head: bytes, separator: bytes, tail: bytes
    ) -> "ExportFile":
        ids, starts, ends = array("q"), array("q"), array("q")
        position = len(head)
        for entry_id, piece in pieces:
            ids.append(entry_id)
            starts.append(position)
            ends.append(position + len(piece))
            position += len(piece) + len(separator)
        body = head + separator.join(piece for _id, piece in pieces) + tail
        # Level 6 is nearly as small as 9 at a fraction of the time.
        gzipped = gzip.compress(body, compresslevel=6, mtime=0)
        return cls(gzipped, head, separator, tail, ids, starts, ends)

    @classmethod
    def whole(cls, body: bytes) -> "ExportFile":
        """A file that is only ever served whole (the connections' exports)."""
        return cls.from_pieces([], head=body, separator=b"", tail=b"")

    @cached_property
    def body(self) -> bytes:
        """The whole file, unzipped once per process, and only if a request needs it."""
        return gzip.decompress(self.gzipped)

    @cached_property
    def _index(self) -> dict[int, int]:
        return {entry_id: index for index, entry_id in enumerate(self.ids)}

    def only(self, entry_ids) -> bytes:
        """The file holding just these entries, in the order given. An id published after
        this snapshot was built is left out until the next one."""
        body, index = self.body, self._index
        positions = (index[entry_id] for entry_id in entry_ids if entry_id in index)
        pieces = (body[self.starts[i] : self.ends[i]] for i in positions)
        return self.head + self.separator.join(pieces) + self.tail


@dataclass(frozen=True)
class Snapshot:
    # The directory's version the snapshot was built for: it holds that version or a later
    # one, since the build reads the entries after the version was read.
    stamp: Stamp
    geojson: ExportFile
    csv: ExportFile
    # The public network (directory/connection_exports.py), built with the entries' files so
    # that none of them is ever built while a visitor waits.
    connections_geojson: ExportFile
    connections_kumu: ExportFile
    connections_graphml: ExportFile


def build(entries: EntryQuerySet, *, stamp: Stamp) -> Snapshot:
    records = entries.public_records()
    features = [
        (record["id"], json.dumps(geojson_feature_of(record), separators=(",", ":")).encode())
        for record in records
    ]
    return Snapshot(
        stamp=stamp,
        geojson=ExportFile.from_pieces(features, head=_geojson_head(), separator=b",", tail=b"]}"),
        csv=ExportFile.from_pieces(
            [(record["id"], _csv_line(_csv_values(record))) for record in records],
            head=_header_writer.writerow(CSV_COLUMNS).encode(),
            separator=b"",
            tail=b"",
        ),
        connections_geojson=ExportFile.whole(connection_exports.geojson()),
        connections_kumu=ExportFile.whole(connection_exports.kumu()),
        connections_graphml=ExportFile.whole(connection_exports.graphml()),
    )


def _geojson_head() -> bytes:
    """The FeatureCollection up to its first feature."""
    return json.dumps(open_data_members(), separators=(",", ":")).encode()[:-1] + b',"features":['


class _Line:
    """A file-like object whose write() hands back what csv.writer gives it."""

    def write(self, text: str) -> str:
        return text


# Every text cell in quotes (numbers, booleans and empty values as they are), so that a
# neutralised cell is quoted too, as OWASP's advice on CSV injection asks.
_csv_writer = csv.writer(_Line(), quoting=csv.QUOTE_STRINGS)
_header_writer = csv.writer(_Line())
# A cell starting with one of these is a formula to a spreadsheet; after any apostrophes, so
# that one already there still reads back as it was.
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def spreadsheet_safe(value: str) -> str:
    """The text as a cell no spreadsheet runs: an apostrophe before a formula's first
    character (OWASP, CSV injection). from_spreadsheet_safe() undoes it exactly."""
    return "'" + value if FORMULA_START.match(value) else value


def from_spreadsheet_safe(value: str) -> str:
    """The text a spreadsheet_safe() cell stood for."""
    return value[1:] if value.startswith("'") and FORMULA_START.match(value[1:]) else value


def _csv_line(values: list) -> bytes:
    return _csv_writer.writerow(values).encode()


def _csv_values(record: dict) -> list:
    lists = {name: "; ".join(record[name]) for name in ["sectors", "themes", "links"]}
    values = (lists.get(name, record[name]) for name in CSV_COLUMNS)
    return [spreadsheet_safe(value) if isinstance(value, str) else value for value in values]


class _ProcessCopy:
    """The snapshot this process last used, so that a request costs no trip to the cache."""

    snapshot: Snapshot | None = None


_process = _ProcessCopy()


def _key(stamp: Stamp | str) -> str:
    # The head holds the licence, so a new one in the settings is a new snapshot.
    return f"exports:{mapdata.etag_for(f'{stamp}|{_geojson_head()!r}')}"


def current_snapshot() -> Snapshot:
    """The snapshot for the directory's current version or, while the task worker builds
    that one, the last one built."""
    stamp = mapdata.current_version()
    held = _process.snapshot
    if held is None or held.stamp != stamp:
        held = cache.get(_key(stamp)) or _while_building(stamp, held)
        _process.snapshot = held
    return held


def _while_building(stamp: Stamp, held: Snapshot | None) -> Snapshot:
    if cache.add(LOCK_KEY, str(stamp), timeout=BUILD_LOCK_SECONDS):
        build_snapshot.enqueue(version=str(stamp))  # runs at once with the immediate backend
    wait = getattr(settings, "EXPORT_BUILD_WAIT_SECONDS", BUILD_WAIT_SECONDS)
    deadline = time.monotonic() + wait
    while True:
        latest = cache.get(LATEST_KEY)
        if found := cache.get(_key(stamp)) or held or (latest and cache.get(_key(latest))):
            return found
        if time.monotonic() >= deadline:
            raise ExportUnavailable
        time.sleep(0.25)


@task()
def build_snapshot(*, version: str) -> None:
    """Build the exports for this version of the directory, share them, free the lock."""
    try:
        # Read as the build starts: the entries it reads are of this version or later.
        stamp = Stamp.parse(version)
        snapshot = build(Entry.objects.public(), stamp=stamp)
        cache.set(_key(stamp), snapshot, mapdata.CACHE_SECONDS)
        cache.set(LATEST_KEY, version, mapdata.CACHE_SECONDS)
    finally:
        cache.delete(LOCK_KEY)
