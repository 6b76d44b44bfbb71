"""The public network of connections as open data, in three shapes: GeoJSON lines between
the entries' public points (a practitioner's end stays on its grid), Kumu's JSON blueprint,
and GraphML for network tools. Each starts from Connection.objects.public(), the one
visibility rule, and carries the open data licence. The task worker builds them with the
entries' exports, once per version of the directory (directory/exports.py)."""

import json
import xml.etree.ElementTree as ET

from django.db.models import Q

from .models import Connection, ConnectionKind, Entry, EntryKind
from .models.records import profile_url
from .open_data import feature_collection, licence_members

GRAPHML_NAMESPACE = "http://graphml.graphdrawing.org/xmlns"
GRAPHML_SCHEMA = "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"
# GraphML's declared attributes: (for, id, type). The ids are the names a tool shows.
GRAPHML_KEYS = [
    ("graph", "licence", "string"),
    ("graph", "licence_url", "string"),
    ("graph", "attribution", "string"),
    ("node", "name", "string"),
    ("node", "kind", "string"),
    ("node", "url", "string"),
    ("node", "latitude", "double"),
    ("node", "longitude", "double"),
    ("edge", "kind", "string"),
    ("edge", "kind_label", "string"),
    ("edge", "phrase", "string"),
    ("edge", "confirmed_at", "string"),
]


def public_lines() -> list[dict]:
    """Every public connection as a line (ConnectionQuerySet.lines), oldest first."""
    return Connection.objects.public().order_by("pk").lines()


def connected_public_entries():
    """The public entries at either end of a public connection."""
    public = Connection.objects.public()
    at_an_end = Q(pk__in=public.values("proposer")) | Q(pk__in=public.values("partner"))
    return Entry.objects.public().filter(at_an_end).order_by("pk")


def _ends(line: dict, end: str) -> dict:
    return {"name": line[f"{end}_name"], "url": profile_url(line[f"{end}_slug"])}


def geojson() -> bytes:
    """A FeatureCollection of LineStrings, one per public connection, with the licence."""
    features = [
        {
            "type": "Feature",
            "id": line["pk"],
            # GeoJSON (RFC 7946) puts longitude first.
            "geometry": {
                "type": "LineString",
                "coordinates": [
                    [line["from_longitude"], line["from_latitude"]],
                    [line["to_longitude"], line["to_latitude"]],
                ],
            },
            "properties": {
                "from": _ends(line, "from"),
                "to": _ends(line, "to"),
                "kind": line["kind"],
                "kind_label": str(ConnectionKind(line["kind"]).label),
                "phrase": line["phrase"],
            },
        }
        for line in public_lines()
    ]
    return json.dumps(feature_collection(features), separators=(",", ":")).encode()


def kumu() -> bytes:
    """Kumu's blueprint: the connected public entries as elements, the connections between
    them (undirected: both sides said so) as connections, with the licence."""
    elements = [
        {
            "id": record["url"],
            "label": record["name"],
            "type": str(EntryKind(record["kind"]).label),
            "description": record["summary"],
            "tags": record["sectors"] + record["themes"],
            "place": record["place"],
            "url": record["url"],
        }
        for record in connected_public_entries().public_records()
    ]
    connections = [
        {
            "id": f"connection-{line['pk']}",
            "from": profile_url(line["from_slug"]),
            "to": profile_url(line["to_slug"]),
            "type": str(ConnectionKind(line["kind"]).label),
            "description": line["phrase"],
            "direction": "undirected",
        }
        for line in public_lines()
    ]
    blueprint = {**licence_members(), "elements": elements, "connections": connections}
    return json.dumps(blueprint, separators=(",", ":")).encode()


def graphml() -> bytes:
    """GraphML (http://graphml.graphdrawing.org/): an undirected graph whose attributes are
    each declared with a <key>, the licence among the graph's own."""
    ET.register_namespace("", GRAPHML_NAMESPACE)
    root = ET.Element(
        _tag("graphml"),
        {f"{{{XSI_NAMESPACE}}}schemaLocation": f"{GRAPHML_NAMESPACE} {GRAPHML_SCHEMA}"},
    )
    for domain, name, kind in GRAPHML_KEYS:
        ET.SubElement(
            root,
            _tag("key"),
            {"id": f"{domain}_{name}", "for": domain, "attr.name": name, "attr.type": kind},
        )
    graph = ET.SubElement(root, _tag("graph"), {"id": "connections", "edgedefault": "undirected"})
    licence = licence_members()
    _data(graph, "graph_licence", licence["license"]["name"])
    _data(graph, "graph_licence_url", licence["license"]["url"])
    _data(graph, "graph_attribution", licence["attribution"])
    lines = public_lines()
    nodes = {}
    for line in lines:
        for end in ("from", "to"):
            nodes.setdefault(line[f"{end}_slug"], {"end": end, "line": line})
    for slug, found in nodes.items():
        line, end = found["line"], found["end"]
        node = ET.SubElement(graph, _tag("node"), {"id": slug})
        _data(node, "node_name", line[f"{end}_name"])
        _data(node, "node_kind", line[f"{end}_kind"])
        _data(node, "node_url", profile_url(slug))
        _data(node, "node_latitude", repr(line[f"{end}_latitude"]))
        _data(node, "node_longitude", repr(line[f"{end}_longitude"]))
    for line in lines:
        edge = ET.SubElement(
            graph,
            _tag("edge"),
            {
                "id": f"connection-{line['pk']}",
                "source": line["from_slug"],
                "target": line["to_slug"],
            },
        )
        _data(edge, "edge_kind", line["kind"])
        _data(edge, "edge_kind_label", str(ConnectionKind(line["kind"]).label))
        _data(edge, "edge_phrase", line["phrase"])
        confirmed_at = line["confirmed_at"]
        _data(edge, "edge_confirmed_at", confirmed_at.isoformat() if confirmed_at else "")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _tag(name: str) -> str:
    return f"{{{GRAPHML_NAMESPACE}}}{name}"


def _data(parent: ET.Element, key: str, value: str) -> None:
    ET.SubElement(parent, _tag("data"), {"key": key}).text = value
