"""The public connections as lines for the map: read once per version of the directory
(from Connection.objects.public(), so only confirmed connections between public entries,
each end at its entry's public point), then cut to the part of the map in view for each
request. The map draws them only when zoomed in far enough to read them (MIN_ZOOM).
"""

import json
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext

from relmap.pagecache import Stamp

from ..forms.filters import Bounds
from ..models import Connection
from .index import COORDINATE_SCALE
from .versions import current_version, per_version

# At most this many lines in one answer, the shortest first: more would be a tangle nobody
# could read and slow to draw; the answer says how many there were, and the map says so.
MAX_LINES = 2000
# The map's zoom from which lines are drawn: about a county across a laptop's screen.
MIN_ZOOM = 10


class Line(NamedTuple):
    lat1: int  # in 1/COORDINATE_SCALE degree
    lng1: int
    lat2: int
    lng2: int
    kind: str


class EndIndex(NamedTuple):
    """The lines' numbers sorted by the latitude of one of their ends, and those latitudes,
    so that the lines with that end in a band of latitude are found by bisection."""

    order: list[int]
    latitudes: list[int]


@dataclass(frozen=True)
class LineIndex:
    stamp: Stamp  # the directory's version it was built for
    lines: list[Line]  # shortest first
    ends: tuple[EndIndex, EndIndex]

    def count_and_lines_in(self, bounds: Bounds, *, limit: int = MAX_LINES):
        """How many lines have at least one end in `bounds`, and the shortest `limit` of
        them."""
        south, north = _scaled(bounds.south), _scaled(bounds.north)
        west, east = _scaled(bounds.west), _scaled(bounds.east)
        found = set()
        for end, index in enumerate(self.ends):
            start = bisect_left(index.latitudes, south)
            stop = bisect_right(index.latitudes, north)
            for number in index.order[start:stop]:
                longitude = self.lines[number][2 * end + 1]
                if west <= longitude <= east:
                    found.add(number)
        return len(found), [self.lines[number] for number in sorted(found)[:limit]]


def _scaled(degrees: float) -> int:
    return round(degrees * COORDINATE_SCALE)


def build_index(stamp: Stamp) -> LineIndex:
    lines = []
    for row in Connection.objects.public().lines():
        line = Line(
            _scaled(row["from_latitude"]),
            _scaled(row["from_longitude"]),
            _scaled(row["to_latitude"]),
            _scaled(row["to_longitude"]),
            row["kind"],
        )
        # Two practitioners in one grid square share their public point: nothing to draw.
        if line[:2] != line[2:4]:
            lines.append((_length(line), row["pk"], line))
    lines = [line for _order, _pk, line in sorted(lines)]
    ends = tuple(
        EndIndex(order, [lines[number][2 * end] for number in order])
        for end in (0, 1)
        for order in [sorted(range(len(lines)), key=lambda number: lines[number][2 * end])]
    )
    return LineIndex(stamp=stamp, lines=lines, ends=ends)


def _length(line: Line) -> float:
    """Roughly proportional to the distance: enough to order lines by length."""
    latitude = math.radians((line.lat1 + line.lat2) / 2 / COORDINATE_SCALE)
    return math.hypot(line.lat2 - line.lat1, (line.lng2 - line.lng1) * math.cos(latitude))


class _ProcessMemo:
    """The index this process built or fetched last: unpickling tens of thousands of lines
    from the shared cache on every request would cost more than cutting them."""

    index: LineIndex | None = None


def public_line_index() -> LineIndex:
    """The lines of the current version of the directory, built once per version and shared
    between processes by the cache (mapdata.per_version)."""
    stamp = current_version()
    index = _ProcessMemo.index
    if index is None or index.stamp != stamp:
        index = per_version("connection-lines", lambda: build_index(stamp), stamp)
        _ProcessMemo.index = index
    return index


def lines_answer(index: LineIndex, bounds: Bounds) -> bytes:
    """The lines with at least one end in `bounds`, as the map's script reads them: each
    [lat1, lng1, lat2, lng2, kind] in 1/scale degree, the kinds' names, how many lines
    there are in all and how many an answer holds at most."""
    total, lines = index.count_and_lines_in(bounds)
    payload = {
        "scale": COORDINATE_SCALE,
        "kinds": {kind.value: gettext(kind.label) for kind in Connection.Kind},
        "lines": lines,
        "total": total,
        "limit": MAX_LINES,
    }
    return json.dumps(payload, separators=(",", ":")).encode()
