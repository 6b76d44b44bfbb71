"""The open data described for machines: a Frictionless Data Package (datapackage.json) for
the GeoJSON and CSV exports and the connections between entries, and the same facts as a
schema.org Dataset for search engines. Every field of the exports is described here once,
with its type."""

from django.conf import settings
from django.urls import reverse

from .exports import CSV_COLUMNS
from .models import Entry, OrganisationType

TITLE = "Relationships Map: practitioners and organisations"
DESCRIPTION = (
    "Every published entry on the Relationships Map: practitioners and organisations across "
    "the UK who put relationships first. Email addresses are never included, and "
    "practitioners are shown only at an approximate point."
)
# Each public field of the exports (Entry.public_record): its Table Schema type, what it
# means, and any constraint. The CSV's columns come in the order of CSV_COLUMNS; a test
# checks that the two lists name the same fields.
FIELDS: dict[str, dict] = {
    "id": {
        "type": "integer",
        "description": "The entry's number on the map. It never changes.",
        "constraints": {"required": True, "unique": True},
    },
    "name": {
        "type": "string",
        "description": "The practitioner's or organisation's name.",
        "constraints": {"required": True},
    },
    "kind": {
        "type": "string",
        "description": "Whether the entry is a practitioner (a person) or an organisation.",
        "constraints": {"required": True, "enum": Entry.Kind.values},
    },
    "organisation_type": {
        "type": "string",
        "description": "For organisations, what kind of organisation it is; empty otherwise.",
        "constraints": {"enum": OrganisationType.values},
    },
    "summary": {
        "type": "string",
        "description": "A sentence or two about the entry's work, in its own words.",
        "constraints": {"required": True},
    },
    "description": {
        "type": "string",
        "description": "A longer description in the entry's own words; may be empty.",
    },
    "inspiration": {
        "type": "string",
        "description": "What inspires the entry's practice, in its own words; may be empty.",
    },
    "sectors": {
        "type": "string",
        "description": "The sectors the entry works in. In the CSV, separated by a semicolon "
        "and a space; in the GeoJSON, a list.",
    },
    "themes": {
        "type": "string",
        "description": "Themes the entry chose, in alphabetical order. In the CSV, separated "
        "by a semicolon and a space; in the GeoJSON, a list.",
    },
    "place": {
        "type": "string",
        "description": "The town, village or postcode district the entry gave.",
        "constraints": {"required": True},
    },
    "region": {
        "type": "string",
        "description": "The county and country of the place, such as Somerset, England; "
        "may be empty.",
    },
    "latitude": {
        "type": "number",
        "description": "Latitude (WGS 84) of the point the map shows. Practitioners, and "
        "organisations that asked, are shown at the centre of a square of about 1 km, never "
        "at their exact point. In the GeoJSON, part of the geometry.",
        "constraints": {"required": True, "minimum": -90, "maximum": 90},
    },
    "longitude": {
        "type": "number",
        "description": "Longitude (WGS 84) of the same point. In the GeoJSON, part of the "
        "geometry (longitude first).",
        "constraints": {"required": True, "minimum": -180, "maximum": 180},
    },
    "location_is_approximate": {
        "type": "boolean",
        "description": "True when latitude and longitude are the approximate point.",
        "constraints": {"required": True},
    },
    "website": {
        "type": "string",
        "format": "uri",
        "description": "The entry's website; may be empty.",
    },
    "links": {
        "type": "string",
        "description": "Other links the entry gave. In the CSV, separated by a semicolon and "
        "a space; in the GeoJSON, a list.",
    },
    "url": {
        "type": "string",
        "format": "uri",
        "description": "The entry's page on the map, where anyone can write to it.",
        "constraints": {"required": True},
    },
    "published_at": {
        "type": "datetime",
        "description": "When the entry was first published, in ISO 8601 with its UTC offset.",
    },
    "demo": {
        "type": "boolean",
        "description": "True for a demonstration entry, which is not a real person or "
        "organisation.",
        "constraints": {"required": True},
    },
}
SOURCES = [
    {"title": "Entries written by the practitioners and organisations themselves"},
    {"title": "GeoNames place names (CC BY 4.0)", "path": "https://www.geonames.org/"},
    {
        "title": "Code-Point Open postcode district centres (Open Government Licence)",
        "path": "https://www.ordnancesurvey.co.uk/products/code-point-open",
    },
]


# The public connections between entries: confirmed by both sides, both entries public.
CONNECTIONS_DESCRIPTION = (
    "Only connections both entries have confirmed, while both are published; an individual's "
    "end is at the same approximate point as on the map."
)
CONNECTION_FILES = [
    (
        "connections-geojson",
        "Connections between entries (GeoJSON)",
        "directory:connections_geojson",
        "geojson",
        "application/geo+json",
        "A FeatureCollection of LineStrings from one entry's point to the other's. Each "
        "feature's properties: from and to (each a name and the entry's page), kind, "
        "kind_label and phrase (the entries' own words; may be empty).",
    ),
    (
        "connections-kumu",
        "Connections between entries (Kumu blueprint)",
        "directory:connections_kumu",
        "json",
        "application/json",
        "Kumu's JSON: elements (the connected entries, identified by their pages' addresses) "
        "and connections between them.",
    ),
    (
        "connections-graphml",
        "Connections between entries (GraphML)",
        "directory:connections_graphml",
        "graphml",
        "application/graphml+xml",
        "An undirected GraphML graph: a node per connected entry (name, kind, url, latitude, "
        "longitude) and an edge per connection (kind, kind_label, phrase, confirmed_at).",
    ),
]


def _connection_resources() -> list[dict]:
    return [
        {
            "name": name,
            "title": title,
            "description": f"{description} {CONNECTIONS_DESCRIPTION}",
            "path": _absolute(url_name),
            "format": file_format,
            "mediatype": mediatype,
            "encoding": "utf-8",
        }
        for name, title, url_name, file_format, mediatype, description in CONNECTION_FILES
    ]


def data_package() -> dict:
    """The datapackage.json descriptor, with absolute paths from SITE_URL."""
    return {
        "name": "relationships-map-entries",
        "title": TITLE,
        "description": DESCRIPTION,
        "homepage": _absolute("directory:open_data"),
        "profile": "data-package",
        "licenses": [_licence()],
        "sources": SOURCES,
        "resources": [
            {
                "name": "entries-csv",
                "title": "Entries (CSV)",
                "path": _absolute("directory:entries_csv"),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [{"name": name, **FIELDS[name]} for name in CSV_COLUMNS],
                    "primaryKey": ["id"],
                },
            },
            {
                "name": "entries-geojson",
                "title": "Entries (GeoJSON)",
                "description": (
                    "The same entries as a GeoJSON FeatureCollection (RFC 7946). Each "
                    "feature's properties are the CSV's fields except latitude and longitude, "
                    "which form its Point geometry; sectors, themes and links are lists."
                ),
                "path": _absolute("directory:entries_geojson"),
                "format": "geojson",
                "mediatype": "application/geo+json",
                "encoding": "utf-8",
            },
            *_connection_resources(),
        ],
    }


def dataset_structured_data() -> dict:
    """schema.org JSON-LD for the open data page: the same dataset, its licence and files."""
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": TITLE,
        "description": DESCRIPTION,
        "url": _absolute("directory:open_data"),
        "license": settings.OPEN_DATA_LICENCE_URL,
        "isAccessibleForFree": True,
        "creator": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": settings.SITE_URL + "/",
        },
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": "text/csv",
                "contentUrl": _absolute("directory:entries_csv"),
            },
            {
                "@type": "DataDownload",
                "encodingFormat": "application/geo+json",
                "contentUrl": _absolute("directory:entries_geojson"),
            },
            *(
                {
                    "@type": "DataDownload",
                    "encodingFormat": mediatype,
                    "contentUrl": _absolute(url_name),
                    "description": title,
                }
                for _name, title, url_name, _format, mediatype, _description in CONNECTION_FILES
            ),
            {
                "@type": "DataDownload",
                "encodingFormat": "application/json",
                "contentUrl": _absolute("directory:datapackage"),
                "description": "Frictionless Data Package describing the files",
            },
        ],
    }


def _licence() -> dict:
    return {"title": settings.OPEN_DATA_LICENCE_NAME, "path": settings.OPEN_DATA_LICENCE_URL}


def _absolute(url_name: str) -> str:
    return settings.SITE_URL + reverse(url_name)
