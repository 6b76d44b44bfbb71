"""The map's data, in three parts: the public entries as points and a grid over them
(index.py), the packed bytes the map's script reads (wire.py), and what is built once per
version of the directory and shared between processes (versions.py). The names below are
the ones the rest of the site uses.
"""

from .index import COORDINATE_SCALE
from .versions import (
    CACHE_SECONDS,
    as_read_now,
    current_version,
    etag_for,
    filtered_map_data,
    per_version,
    public_entry_count,
    public_map_data,
    radius_holding,
)

__all__ = [
    "CACHE_SECONDS",
    "COORDINATE_SCALE",
    "as_read_now",
    "current_version",
    "etag_for",
    "filtered_map_data",
    "per_version",
    "public_entry_count",
    "public_map_data",
    "radius_holding",
]
