"""What every open-data file states wherever it goes: the licence and the attribution it
asks for (settings.OPEN_DATA_LICENCE_NAME and _URL)."""

from django.conf import settings
from django.urls import reverse


def open_data_members() -> dict:
    """A GeoJSON FeatureCollection's licence and the attribution it asks for, as foreign
    members (RFC 7946, 6.1), so that every file states them wherever it goes."""
    open_data = settings.SITE_URL + reverse("directory:open_data")
    return {
        "type": "FeatureCollection",
        "license": {"name": settings.OPEN_DATA_LICENCE_NAME, "url": settings.OPEN_DATA_LICENCE_URL},
        "attribution": f"{settings.SITE_NAME}, {open_data}",
    }


def feature_collection(features: list[dict]) -> dict:
    """A FeatureCollection of the site's open data (the map's layers), licence included."""
    return open_data_members() | {"features": features}


def licence_members() -> dict:
    """The licence and attribution, for the files that are not GeoJSON."""
    return {key: value for key, value in open_data_members().items() if key != "type"}
