"""Who works with whom, from Connection.objects.public() alone (confirmed connections between
public entries, each end at its entry's public point): the lines for the map, read once per
version of the directory and cut to the part of the map in view for each request (the map
draws them only when zoomed in far enough to read them, MIN_ZOOM); and an entry's
neighbourhood two steps out, for its network page.
"""

import json
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Case, F, Q, When
from django.utils.translation import gettext

from relmap.pagecache import Stamp

from ..forms.filters import Bounds
from ..models import Connection, Entry
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
    # Only the ends' public points, read as tuples: lines() would also read both entries'
    # names and slugs, which the map never shows, and take three times as long at 50,000.
    rows = Connection.objects.public().values_list(
        "pk",
        "proposer__public_latitude",
        "proposer__public_longitude",
        "partner__public_latitude",
        "partner__public_longitude",
        "kind",
    )
    lines = []
    for pk, *ends, kind in rows:
        line = Line(*map(_scaled, ends), kind)
        # Two practitioners in one grid square share their public point: nothing to draw.
        if line[:2] != line[2:4]:
            lines.append((_length(line), pk, line))
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


# --- An entry's neighbourhood, two steps out (the network page) ------------------------------

# At most this many entries two steps out are shown: the page says so, and how many more
# there are. Read through at most SECOND_STEP_ROWS connections, newest first.
SECOND_STEP_ENTRIES = 50
SECOND_STEP_ROWS = 300
# A guard, not a rule people meet: nobody on the map has nearly this many.
FIRST_STEP_ROWS = 200


@dataclass
class Neighbour:
    """An entry connected to another, with how they said they work together, and (one step
    out) the entries it works with in turn."""

    slug: str
    name: str
    kind: str  # the entry's kind: practitioner or organisation
    latitude: float  # its public point
    longitude: float
    how: str  # the connection's kind, in words
    phrase: str
    further: list["Neighbour"]


@dataclass
class Neighbourhood:
    first_step: list[Neighbour]
    second_step_count: int  # distinct entries two steps out
    second_step_shown: int

    @property
    def second_step_hidden(self) -> int:
        return self.second_step_count - self.second_step_shown

    def map_data(self, entry: Entry) -> dict:
        """The entry, its neighbours and the lines between them for the small map (json_script):
        public points only, each line with its step."""
        points = {entry.slug: _point(entry.name, entry.public_latitude, entry.public_longitude)}
        lines = []
        for near in self.first_step:
            points[near.slug] = _point(near.name, near.latitude, near.longitude, step=1)
            lines.append(
                [entry.public_latitude, entry.public_longitude, near.latitude, near.longitude, 1]
            )
            for far in near.further:
                points.setdefault(far.slug, _point(far.name, far.latitude, far.longitude, step=2))
                lines.append([near.latitude, near.longitude, far.latitude, far.longitude, 2])
        return {"points": list(points.values()), "lines": lines}


def _point(name: str, latitude: float, longitude: float, *, step: int = 0) -> dict:
    return {"name": name, "latitude": latitude, "longitude": longitude, "step": step}


def _neighbour(line: dict, *, of: str) -> Neighbour:
    """The end of `line` that is not the entry with slug `of`."""
    end = "to" if line["from_slug"] == of else "from"
    return Neighbour(
        slug=line[f"{end}_slug"],
        name=line[f"{end}_name"],
        kind=line[f"{end}_kind"],
        latitude=line[f"{end}_latitude"],
        longitude=line[f"{end}_longitude"],
        how=Connection.Kind(line["kind"]).label,
        phrase=line["phrase"],
        further=[],
    )


def neighbourhood_of(entry: Entry) -> Neighbourhood:
    """The entry's public connections and theirs, in at most three queries whatever their
    number: the first step, the second step (bounded), and, only when the bound was reached,
    how many entries two steps out there are in all. The second step is found by the first
    step's ids themselves, not a subquery, which the database would misjudge and answer by
    reading every connection."""
    public = Connection.objects.public()
    first_rows = public.involving(entry)[:FIRST_STEP_ROWS].lines()
    first_step = [_neighbour(line, of=entry.slug) for line in first_rows]
    by_slug = {near.slug: near for near in first_step}
    nearer = {entry.slug, *by_slug}
    neighbour_ids = [
        line["to_id"] if line["from_id"] == entry.pk else line["from_id"] for line in first_rows
    ]
    beyond = public.filter(Q(proposer__in=neighbour_ids) | Q(partner__in=neighbour_ids)).exclude(
        Q(proposer=entry) | Q(partner=entry)
    )
    rows = beyond[:SECOND_STEP_ROWS].lines() if by_slug else []
    shown = set()
    for line in rows:
        if line["from_slug"] in nearer and line["to_slug"] in nearer:
            continue  # two of the entry's own neighbours: both are one step out
        near_slug = line["from_slug"] if line["from_slug"] in by_slug else line["to_slug"]
        far = _neighbour(line, of=near_slug)
        if far.slug not in shown and len(shown) == SECOND_STEP_ENTRIES:
            continue
        shown.add(far.slug)
        by_slug[near_slug].further.append(far)
    for near in first_step:
        near.further.sort(key=lambda far: far.name.casefold())
    first_step.sort(key=lambda near: near.name.casefold())
    count = len(shown)
    if len(rows) == SECOND_STEP_ROWS or count == SECOND_STEP_ENTRIES:
        between_neighbours = Q(proposer__in=neighbour_ids, partner__in=neighbour_ids)
        far_ends = _other_ends(beyond.exclude(between_neighbours), Q(proposer__in=neighbour_ids))
        count = far_ends.distinct().count()
    return Neighbourhood(
        first_step=first_step, second_step_count=count, second_step_shown=len(shown)
    )


def _other_ends(connections, near_is_proposer: Q):
    """The ids of the entries at the far end of each connection, when `near_is_proposer`
    says on which side the near end is."""
    return (
        connections.annotate(
            far=Case(When(near_is_proposer, then=F("partner")), default=F("proposer"))
        )
        .order_by()
        .values_list("far", flat=True)
    )
