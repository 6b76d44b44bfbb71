"""What the public sees of an entry: its location (never a practitioner's door), and the one
public record every open-data output serialises."""

import functools
import math

from django.conf import settings
from django.urls import reverse

from ..geo import KM_PER_DEGREE_LATITUDE
from .choices import EntryKind

# Practitioners are shown on a grid of about 1 km so that nobody can find their door.
APPROXIMATE_GRID_KM = 1.0


def snap_to_grid(latitude: float, longitude: float, *, km: float) -> tuple[float, float]:
    """The centre of the ~km square grid cell holding the point: stable, never random."""
    lat_step = km / KM_PER_DEGREE_LATITUDE
    snapped_lat = (math.floor(latitude / lat_step) + 0.5) * lat_step
    # Degrees of longitude shrink towards the poles; size cells by the cell's own latitude.
    lng_step = lat_step / max(math.cos(math.radians(snapped_lat)), 0.01)
    snapped_lng = (math.floor(longitude / lng_step) + 0.5) * lng_step
    return round(min(max(snapped_lat, -90), 90), 5), round(min(max(snapped_lng, -180), 180), 5)


def location_is_approximate(kind: str, show_exact_location: bool) -> bool:
    return kind == EntryKind.PRACTITIONER or not show_exact_location


def public_record_of(row: dict, *, sectors: list[str], themes: list[str]) -> dict:
    """An entry's public record from its PUBLIC_RECORD_FIELDS: the one serialisation of
    what the open data shows. Never the exact location of a practitioner, never the email."""
    return {
        "id": row["id"],
        "name": row["name"],
        "kind": row["kind"],
        "organisation_type": row["organisation_type"],
        "summary": row["summary"],
        "description": row["description"],
        "inspiration": row["inspiration"],
        "sectors": sectors,
        "themes": sorted(themes),
        "place": row["place_name"],
        "region": row["region"],
        "latitude": row["public_latitude"],
        "longitude": row["public_longitude"],
        "location_is_approximate": location_is_approximate(row["kind"], row["show_exact_location"]),
        "website": row["website"],
        "links": row["links"],
        "url": profile_url(row["slug"]),
        "published_at": row["published_at"].isoformat() if row["published_at"] else None,
        "demo": row["is_demo"],
    }


def profile_url(slug: str) -> str:
    """The absolute address of the profile with this slug, without a reverse() each time."""
    return settings.SITE_URL + _profile_path_template().replace("{slug}", slug)


@functools.cache
def _profile_path_template() -> str:
    """reverse() once: it costs seconds when the exports call it for 100,000 entries."""
    return reverse("directory:entry", kwargs={"slug": "--slug--"}).replace("--slug--", "{slug}")


def geojson_feature_of(record: dict) -> dict:
    latitude, longitude = record["latitude"], record["longitude"]
    properties = {k: v for k, v in record.items() if k not in {"latitude", "longitude"}}
    # GeoJSON (RFC 7946) puts longitude first.
    geometry = {"type": "Point", "coordinates": [longitude, latitude]}
    return {"type": "Feature", "id": record["id"], "geometry": geometry, "properties": properties}
