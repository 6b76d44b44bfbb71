"""The public network as open data: GeoJSON lines between the public points, Kumu's JSON
blueprint and GraphML, each with the licence, only confirmed connections between public
entries, and the same validators, CORS and caching as the other exports."""

import json
import xml.etree.ElementTree as ET

import geojson
import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from directory import connections
from directory.models import Connection, Entry

from .test_standards import murmurations_validator

pytestmark = pytest.mark.django_db

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
EXPORTS = [
    "directory:connections_geojson",
    "directory:connections_kumu",
    "directory:connections_graphml",
]


@pytest.fixture
def network(make_entry):
    """Three public entries in a line (a practitioner in the middle), one proposal, and a
    confirmed connection to an entry since withdrawn."""
    frome = make_entry("Frome Friends", latitude=51.2283, longitude=-2.3221)
    ann = make_entry(
        "Ann Listener", kind=Entry.Kind.PRACTITIONER, latitude=53.44401, longitude=-2.22003
    )
    leeds = make_entry("Leeds Listeners", latitude=53.8008, longitude=-1.5491)
    asked = make_entry("Asked But Silent")
    gone = make_entry("Since Withdrawn")
    for proposer, partner, kind, phrase in [
        (frome, ann, "referrals", "We send people to Ann"),
        (leeds, ann, "learning", ""),
        (frome, gone, "partners", ""),
    ]:
        connection = connections.propose(
            proposer=proposer, partner=partner, kind=kind, phrase=phrase
        )
        connections.confirm(connection=connection, by=partner)
    connections.propose(proposer=leeds, partner=asked, kind="network")
    Entry.objects.filter(pk=gone.pk).update(status=Entry.Status.WITHDRAWN)
    ann.refresh_from_db()
    return {"frome": frome, "ann": ann, "leeds": leeds}


def absolute(settings, entry) -> str:
    return settings.SITE_URL + entry.get_absolute_url()


def test_geojson_holds_a_line_between_the_public_points_of_each_public_connection(
    client, network, settings
):
    response = client.get(reverse("directory:connections_geojson"))

    assert response["Content-Type"] == "application/geo+json"
    collection = geojson.loads(response.content.decode())
    assert collection.is_valid, collection.errors()
    frome, ann = network["frome"], network["ann"]
    first, second = collection["features"]
    assert first["geometry"] == {
        "type": "LineString",
        # Longitude first; the practitioner at its public grid point, not its own.
        "coordinates": [[-2.3221, 51.2283], [ann.public_longitude, ann.public_latitude]],
    }
    assert [ann.public_longitude, ann.public_latitude] != [-2.22003, 53.44401]
    assert first["properties"] == {
        "from": {"name": "Frome Friends", "url": absolute(settings, frome)},
        "to": {"name": "Ann Listener", "url": absolute(settings, ann)},
        "kind": "referrals",
        "kind_label": "We refer people to each other",
        "phrase": "We send people to Ann",
    }
    assert second["properties"]["from"]["name"] == "Leeds Listeners"
    names = response.content.decode()
    assert "Asked But Silent" not in names and "Since Withdrawn" not in names


def test_every_export_states_the_licence_of_the_entries_export(client, network, settings):
    settings.OPEN_DATA_LICENCE_NAME = "Open Data Commons Open Database License"
    settings.OPEN_DATA_LICENCE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
    entries = json.loads(client.get(reverse("directory:entries_geojson")).content)

    lines = json.loads(client.get(reverse("directory:connections_geojson")).content)
    kumu = json.loads(client.get(reverse("directory:connections_kumu")).content)
    graph = ET.fromstring(client.get(reverse("directory:connections_graphml")).content)

    for export in [lines, kumu]:
        assert export["license"] == entries["license"]
        assert export["attribution"] == entries["attribution"]
    graph_data = {
        data.get("key"): data.text
        for data in graph.find(f"{GRAPHML}graph").findall(f"{GRAPHML}data")
    }
    assert graph_data == {
        "graph_licence": "Open Data Commons Open Database License",
        "graph_licence_url": "https://opendatacommons.org/licenses/odbl/1-0/",
        "graph_attribution": entries["attribution"],
    }


def test_kumu_elements_are_the_connected_public_entries_and_connections_join_them(
    client, network, settings
):
    blueprint = json.loads(client.get(reverse("directory:connections_kumu")).content)

    elements = {element["id"]: element for element in blueprint["elements"]}
    frome, ann, leeds = network["frome"], network["ann"], network["leeds"]
    assert list(elements) == [absolute(settings, entry) for entry in (frome, ann, leeds)]
    assert elements[absolute(settings, ann)] | {"tags": None} == {
        "id": absolute(settings, ann),
        "label": "Ann Listener",
        "type": "Practitioner",
        "description": "Ann Listener brings neighbours together.",
        "tags": None,
        "place": "Manchester",
        "url": absolute(settings, ann),
    }
    assert elements[absolute(settings, ann)]["tags"] == ["Health and care"]
    assert blueprint["connections"][0] | {"id": None} == {
        "id": None,
        "from": absolute(settings, frome),
        "to": absolute(settings, ann),
        "type": "We refer people to each other",
        "description": "We send people to Ann",
        "direction": "undirected",
    }
    for connection in blueprint["connections"]:
        assert {connection["from"], connection["to"]} <= set(elements)


def test_graphml_is_an_undirected_graph_whose_every_attribute_is_declared(client, network):
    response = client.get(reverse("directory:connections_graphml"))

    assert response["Content-Type"] == "application/graphml+xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = ET.fromstring(response.content)
    assert root.tag == f"{GRAPHML}graphml"
    keys = {key.get("id"): key for key in root.findall(f"{GRAPHML}key")}
    for key in keys.values():
        assert key.get("for") in {"graph", "node", "edge"}
        assert key.get("attr.type") in {"string", "double"}
    # GraphML puts the keys before the graph.
    assert [child.tag for child in root][-1] == f"{GRAPHML}graph"
    [graph] = root.findall(f"{GRAPHML}graph")
    assert graph.get("edgedefault") == "undirected"
    for domain in ["node", "edge"]:
        for element in graph.findall(f"{GRAPHML}{domain}"):
            for data in element.findall(f"{GRAPHML}data"):
                assert keys[data.get("key")].get("for") == domain

    nodes = {
        node.get("id"): {d.get("key"): d.text for d in node.findall(f"{GRAPHML}data")}
        for node in graph.findall(f"{GRAPHML}node")
    }
    ann = network["ann"]
    assert set(nodes) == {"frome-friends", ann.slug, "leeds-listeners"}
    assert float(nodes[ann.slug]["node_latitude"]) == ann.public_latitude
    assert nodes[ann.slug]["node_kind"] == "practitioner"
    edges = graph.findall(f"{GRAPHML}edge")
    assert [(edge.get("source"), edge.get("target")) for edge in edges] == [
        ("frome-friends", ann.slug),
        ("leeds-listeners", ann.slug),
    ]
    first = {d.get("key"): d.text for d in edges[0].findall(f"{GRAPHML}data")}
    assert first["edge_phrase"] == "We send people to Ann"
    assert first["edge_kind_label"] == "We refer people to each other"


@pytest.mark.parametrize("url_name", EXPORTS)
def test_an_empty_network_is_still_a_valid_file(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    if url_name.endswith("graphml"):
        assert ET.fromstring(response.content).find(f"{GRAPHML}graph") is not None
    else:
        body = json.loads(response.content)
        assert body.get("features", body.get("connections")) == []


@pytest.mark.parametrize("url_name", EXPORTS)
def test_a_confirmation_or_an_ending_reaches_the_next_export_with_new_validators(
    client, network, url_name, make_entry
):
    bristol = make_entry("Bristol Befrienders")
    first = client.get(reverse(url_name))
    proposal = connections.propose(proposer=bristol, partner=network["frome"], kind="funding")

    unchanged = client.get(reverse(url_name), HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304  # a proposal shows nowhere

    connections.confirm(connection=proposal, by=network["frome"])
    confirmed = client.get(reverse(url_name), HTTP_IF_NONE_MATCH=first["ETag"])
    assert confirmed.status_code == 200 and b"Bristol Befrienders" in confirmed.content

    connections.end(connection=Connection.objects.get(pk=proposal.pk), by=bristol)
    ended = client.get(reverse(url_name), HTTP_IF_NONE_MATCH=confirmed["ETag"])
    assert ended.status_code == 200 and b"Bristol Befrienders" not in ended.content


@pytest.mark.parametrize("url_name", EXPORTS)
def test_each_export_is_open_to_any_site_and_cacheable_for_five_minutes(client, network, url_name):
    response = client.get(reverse(url_name))

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert client.head(reverse(url_name))["ETag"] == response["ETag"]


def test_the_open_data_page_lists_the_network_files_and_defines_each_kind(client):
    html = client.get(reverse("directory:open_data")).content.decode()

    for url_name in EXPORTS:
        assert f'href="{reverse(url_name)}"' in html
    for kind in Connection.Kind:
        assert f'id="connection-kind-{kind.value}"' in html
        assert str(kind.label) in html


# --- Murmurations ---------------------------------------------------------------------------


def murmurations_of(client, entry) -> dict:
    return client.get(reverse("directory:murmurations_profile", args=[entry.slug])).json()


def test_murmurations_profiles_list_public_connections_as_valid_relationships(
    client, network, settings, make_entry
):
    frome, ann, leeds = network["frome"], network["ann"], network["leeds"]
    Entry.objects.filter(pk=leeds.pk).update(website="https://leeds.example")

    organisation = murmurations_of(client, frome)
    person = murmurations_of(client, ann)

    murmurations_validator("organizations_schema-v1.0.0").validate(organisation)
    murmurations_validator("people_schema-v0.1.0").validate(person)
    open_data = settings.SITE_URL + reverse("directory:open_data")
    # Frome's proposal to an entry that never answered, and its withdrawn partner, are absent.
    assert organisation["relationships"] == [
        {
            "predicate_url": f"{open_data}#connection-kind-referrals",
            "object_url": absolute(settings, ann),
        }
    ]
    # The other side's primary URL is its website where it has one, as in its own profile.
    assert sorted(person["relationships"], key=lambda item: item["object_url"]) == [
        {"predicate": "We refer people to each other", "object_url": absolute(settings, frome)},
        {"predicate": "We learn from each other", "object_url": "https://leeds.example"},
    ]
    assert murmurations_of(client, leeds)["relationships"][0]["object_url"] == (
        absolute(settings, ann)
    )


def test_a_profile_without_public_connections_has_no_relationships(client, make_entry):
    alone = make_entry("On Its Own")
    asked = make_entry("Asked")
    connections.propose(proposer=alone, partner=asked, kind="partners")

    assert "relationships" not in murmurations_of(client, alone)


# Real transactions: the worker closes connections it finds in a test's wrapping transaction.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("export", EXPORTS)
def test_the_task_worker_builds_them_and_a_request_never_does(client, make_entry, settings, export):
    first, second = make_entry("Frome Friends"), make_entry("Leeds Listeners")
    client.get(reverse(export))  # built at once: the immediate backend
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    connection = connections.propose(proposer=first, partner=second, kind="partners")
    connections.confirm(connection=connection, by=second)
    meanwhile = client.get(reverse(export)).content.decode()
    queued = DBTaskResult.objects.filter(task_path="directory.exports.build_snapshot").count()
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    after = client.get(reverse(export)).content.decode()

    # Until the worker has built the new version, the last one is served, as it was.
    assert "Leeds Listeners" not in meanwhile
    assert queued == 1
    assert "Leeds Listeners" in after
