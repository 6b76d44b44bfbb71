"""Finding where a place is from what a person types: a town, a village or a UK postcode.

The lookup works without the internet, from GeoNames places and Code-Point Open postcode
districts bundled in directory/data/ (see its README.md; scripts/build_place_data.py makes
them). A full postcode resolves only to its district's centre, so the map never pins a home.
"""

import bisect
import functools
import hashlib
import http.client
import json
import logging
import math
import re
import unicodedata
import urllib.parse
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
PLACES_FILE = DATA_DIR / "places.tsv"
POSTCODE_DISTRICTS_FILE = DATA_DIR / "postcode_districts.tsv"

PLACE = "place"
POSTCODE_DISTRICT = "postcode district"
# The one limit on text a query string carries, here and in every listing's filters (a
# search, a place, a theme). 100 characters: the UK's longest place name has 58, and a search
# longer than a sentence finds nothing a shorter one would not. Longer text is cut, not refused.
MAX_QUERY_LENGTH = 100
KM_PER_DEGREE_LATITUDE = 111.32
# How far a point may be from a town or village for it to go by that place's name: a point
# picked on the join form's map, coordinates in an imported file, and the place picker all
# use this one rule.
PLACE_NAME_REACH_KM = 30

ONLINE_TIMEOUT_SECONDS = 5
# Nominatim's usage policy asks for results to be cached rather than fetched again.
ONLINE_CACHE_SECONDS = 60 * 60 * 24

# Shown after the view's own "not found" message, so it only suggests what to try instead.
UNKNOWN_PLACE_HELP = _(
    "Try a nearby town, the first half of a postcode (such as BA11), or pick the point on the map."
)

# Royal Mail's postcode shapes, with the letters each position may hold: A9, A99, AA9, AA99,
# A9A and AA9A outward codes (the district), then an inward code of a digit and two letters.
_OUTWARD = (
    r"[A-PR-UWYZ](?:[0-9][0-9]?|[A-HK-Y][0-9][0-9]?|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])"
)
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
POSTCODE_RE = re.compile(rf"(?P<outward>{_OUTWARD})(?P<inward>{_INWARD})?")
# A postcode cut short: the outward code and the start of the inward code ("M14 5", "M14 5A").
_PARTIAL_INWARD = r"[0-9][ABD-HJLNP-UW-Z]?"
OUTWARD_RE = re.compile(_OUTWARD)
PARTIAL_INWARD_RE = re.compile(_PARTIAL_INWARD)
PARTIAL_POSTCODE_RE = re.compile(rf"(?P<outward>{_OUTWARD})(?P<inward>{_PARTIAL_INWARD})")


@dataclass(frozen=True)
class Place:
    name: str
    area: str
    country_code: str
    latitude: float
    longitude: float
    kind: str
    population: int = 0
    # Why this place stands for what was typed, when that is not plain ("M14 5" found M14);
    # not part of what the place is, so a district equals itself with or without a note.
    note: str = field(default="", compare=False)

    @property
    def label(self) -> str:
        name = self.name
        if self.kind == POSTCODE_DISTRICT:
            name = gettext("%(district)s (postcode district)") % {"district": self.name}
        return f"{name}, {self.area}" if self.area else name


def normalise_postcode(text: str) -> str | None:
    compact = "".join(text.split()).upper()
    match = POSTCODE_RE.fullmatch(compact)
    if match is None:
        return None
    return " ".join(part for part in match.group("outward", "inward") if part)


@dataclass(frozen=True)
class PostcodeQuery:
    """What a postcode, whole or in part, is looked up as: its district (outward code), with
    a note for the person when that is less than they typed."""

    district: str
    note: str = ""


def parse_postcode(text: str) -> PostcodeQuery | None:
    """A district ("M14"), a full postcode ("M14 5AB") or one cut short ("M14 5", "m145"), as
    the district to look up; None for anything else. The bundled data has districts only, so
    a postcode sector is looked up as its district too, and the note says so."""
    typed = " ".join(text.split())
    text = typed.upper()
    outward, _space, inward = text.rpartition(" ")
    # With a space, the person has said where the outward code ends: "M1 5" is not M15.
    if outward and OUTWARD_RE.fullmatch(outward) and PARTIAL_INWARD_RE.fullmatch(inward):
        return _partial_postcode(typed=typed, district=outward)
    if postcode := normalise_postcode(text):
        district, _space, inward = postcode.partition(" ")
        if not inward:
            return PostcodeQuery(district=district)
        return PostcodeQuery(
            district=district,
            note=gettext(
                "We looked for postcode district %(district)s: a full postcode is only ever "
                "looked up as its district."
            )
            % {"district": district},
        )
    if match := PARTIAL_POSTCODE_RE.fullmatch(text.replace(" ", "")):
        return _partial_postcode(typed=typed, district=match.group("outward"))
    return None


def _partial_postcode(*, typed: str, district: str) -> PostcodeQuery:
    note = gettext(
        "“%(typed)s” is only part of a postcode: we looked for postcode district %(district)s."
    )
    return PostcodeQuery(district=district, note=note % {"typed": typed, "district": district})


def lookup_place(text: str, *, limit: int = 8) -> list[Place]:
    text = " ".join(text.split())
    if not text or len(text) > MAX_QUERY_LENGTH or limit < 1:
        return []
    postcode = parse_postcode(text)
    if postcode is None:
        found = _match_names(text=text, limit=limit)
    else:
        # Only the district is looked up, here and online, so a full postcode never leaves us.
        text = postcode.district
        district = _load_postcode_districts().get(text)
        found = [district] if district else []
    online_url = getattr(settings, "PLACE_LOOKUP_ONLINE_URL", "")
    if not found and online_url:
        found = _lookup_online(text=text, url=online_url, limit=limit)
    if postcode is not None and postcode.note:
        found = [replace(place, note=postcode.note) for place in found]
    return found[:limit]


def distance_km(latitude: float, longitude: float, other_latitude: float, other_longitude: float):
    """Equirectangular distance: exact enough within a country, and cheap."""
    lng_scale = math.cos(math.radians((latitude + other_latitude) / 2))
    return KM_PER_DEGREE_LATITUDE * math.hypot(
        latitude - other_latitude, (longitude - other_longitude) * lng_scale
    )


def is_within_reach(place: Place, *, latitude: float, longitude: float) -> bool:
    """Whether a point is close enough to `place` to go by its name."""
    return distance_km(place.latitude, place.longitude, latitude, longitude) <= PLACE_NAME_REACH_KM


def nearest_place(
    *, latitude: float, longitude: float, within_km: float = PLACE_NAME_REACH_KM
) -> Place | None:
    """The nearest known town or village within `within_km`, or None."""
    latitudes, places = _places_by_latitude()
    span = within_km / KM_PER_DEGREE_LATITUDE
    band = places[
        bisect.bisect_left(latitudes, latitude - span) : bisect.bisect_right(
            latitudes, latitude + span
        )
    ]
    distances = [
        (distance_km(place.latitude, place.longitude, latitude, longitude), place) for place in band
    ]
    distance, nearest = min(distances, key=lambda pair: pair[0], default=(0, None))
    return nearest if nearest and distance <= within_km else None


@functools.cache
def _places_by_latitude() -> tuple[list[float], list[Place]]:
    places = sorted(uk_and_ireland_places(), key=lambda place: place.latitude)
    return [place.latitude for place in places], places


def uk_and_ireland_places() -> list[Place]:
    return [place for _, place in _load_places()]


def _name_key(text: str) -> str:
    """Case, accents, punctuation and "Saint"/"St." folded, so "st ives" finds "St Ives"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"\W+", " ", re.sub(r"['’]", "", letters)).split()
    return " ".join("st" if word == "saint" else word for word in words)


def _match_names(*, text: str, limit: int) -> list[Place]:
    key = _name_key(text)
    if not key:
        return []
    # A scan of a few thousand short strings takes about a millisecond: no index needed.
    exact, starting = [], []
    for place_key, place in _load_places():
        if place_key == key:
            exact.append(place)
        elif place_key.startswith(key):
            starting.append(place)
    exact.sort(key=lambda place: -place.population)
    starting.sort(key=lambda place: -place.population)
    return (exact + starting)[:limit]


@functools.cache
def _load_places() -> tuple[tuple[str, Place], ...]:
    """Each place with its name key, read on first use and then kept for the process's life."""
    return tuple(
        (
            _name_key(name),
            Place(
                name=name,
                area=area,
                country_code=country_code,
                latitude=float(latitude),
                longitude=float(longitude),
                kind=PLACE,
                population=int(population),
            ),
        )
        for name, area, country_code, latitude, longitude, population in _read_tsv(path=PLACES_FILE)
    )


@functools.cache
def _load_postcode_districts() -> dict[str, Place]:
    return {
        district: Place(
            name=district,
            area=area,
            country_code="GB",
            latitude=float(latitude),
            longitude=float(longitude),
            kind=POSTCODE_DISTRICT,
        )
        for district, area, latitude, longitude in _read_tsv(path=POSTCODE_DISTRICTS_FILE)
    }


def _read_tsv(*, path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as file:
        next(file)  # the header
        return [line.rstrip("\n").split("\t") for line in file]


def _lookup_online(*, text: str, url: str, limit: int) -> list[Place]:
    """Ask a Nominatim-compatible geocoder; any failure means no candidates, never an error."""
    cache_key = "geo:online:" + hashlib.sha256(f"{url}|{limit}|{text}".encode()).hexdigest()
    cached = cache.get(cache_key)
    if cached is not None:
        return cached
    scheme, netloc, path, query, _fragment = urllib.parse.urlsplit(url)
    params = urllib.parse.parse_qsl(query) + [
        ("q", text),
        ("format", "jsonv2"),
        ("countrycodes", "gb,ie"),
        ("addressdetails", "1"),
        ("limit", str(limit)),
    ]
    request = urllib.request.Request(
        urllib.parse.urlunsplit((scheme, netloc, path, urllib.parse.urlencode(params), "")),
        headers={
            # Nominatim's policy requires a User-Agent that names the application.
            "User-Agent": f"{settings.SITE_NAME} ({settings.SITE_URL})",
            "Accept-Language": "en-GB,en",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=ONLINE_TIMEOUT_SECONDS) as response:
            results = json.load(response)
    except (OSError, ValueError, http.client.HTTPException) as error:
        # OSError covers refused connections, timeouts and HTTP errors; ValueError bad JSON.
        logger.warning("Online place lookup failed for %s: %s", netloc, error)
        return []
    if not isinstance(results, list):
        return []
    found = [place for result in results if (place := _place_from_nominatim(result))]
    cache.set(cache_key, found, ONLINE_CACHE_SECONDS)
    return found[:limit]


def _place_from_nominatim(result: object) -> Place | None:
    if not isinstance(result, dict):
        return None
    address = result.get("address")
    address = address if isinstance(address, dict) else {}
    country_code = str(address.get("country_code", "")).upper()
    display_parts = str(result.get("display_name", "")).split(", ")
    name = str(result.get("name") or display_parts[0]).strip()
    try:
        latitude, longitude = float(result["lat"]), float(result["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    if country_code not in {"GB", "IE"} or not name:
        return None
    area = ", ".join(str(address[part]) for part in ("county", "state") if address.get(part))
    return Place(
        name=name,
        area=area,
        country_code=country_code,
        latitude=round(latitude, 4),
        longitude=round(longitude, 4),
        kind=PLACE,
    )
