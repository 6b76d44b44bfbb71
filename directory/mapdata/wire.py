"""The map's marker data as it goes over the wire: positions and kinds only, packed so that
100,000 entries stay well under 1 MB gzipped. Names and summaries load on demand when a
marker is opened (see views.map.map_point); static/js/map.js unpacks it.
"""

import gzip
import json
from dataclasses import dataclass

from relmap.pagecache import Stamp

from .index import COORDINATE_SCALE, Point


@dataclass(frozen=True)
class MapData:
    stamp: Stamp  # the directory's version it was built for (or a later one)
    body: bytes
    gzipped: bytes


def pack(points: list[Point]) -> bytes:
    """Points as JSON arrays of differences from the previous point, one letter per kind."""
    latitudes, longitudes, previous = [], [], (0, 0)
    for point in points:
        latitudes.append(point.lat - previous[0])
        longitudes.append(point.lng - previous[1])
        previous = (point.lat, point.lng)
    payload = {
        "scale": COORDINATE_SCALE,
        "lat": latitudes,
        "lng": longitudes,
        "kinds": "".join(point.kind for point in points),
        "counts": [point.count for point in points],
    }
    return json.dumps(payload, separators=(",", ":")).encode()


def unpack(body: bytes) -> list[tuple[float, float, str, int]]:
    """The inverse of pack() in degrees, for tests and benchmarks; static/js/map.js does the
    same."""
    payload = json.loads(body)
    points, lat, lng = [], 0, 0
    for dlat, dlng, kind, count in zip(
        payload["lat"], payload["lng"], payload["kinds"], payload["counts"], strict=True
    ):
        lat, lng = lat + dlat, lng + dlng
        points.append((lat / payload["scale"], lng / payload["scale"], kind, count))
    return points


def build(points: list[Point], *, stamp: Stamp) -> MapData:
    body = pack(points)
    return MapData(
        stamp=stamp,
        body=body,
        # Level 6 is nearly as small as 9 at a fraction of the time.
        gzipped=gzip.compress(body, compresslevel=6, mtime=0),
    )
