"""The directory in open standards, each output read back by the real tool or checked
against the standard's own published schema (vendored under directory/standards/)."""

import csv
import hashlib
import io
import json
import threading
import uuid
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser
import geojson
import jsonschema
import mf2py
import pytest
import rfc3986
import rfc3986.exceptions
import rfc3986.validators
from django.core.management import CommandError, call_command
from django.urls import reverse
from frictionless import Package
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from directory import lifecycle, murmurations, openreferral
from directory.datapackage import FIELDS
from directory.exports import CSV_COLUMNS
from directory.models import Entry, PendingChanges
from tests.private_links import manage_path

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parents[2] / "directory" / "standards" / "schemas"


# --- Validators over the vendored schemas -----------------------------------------------------


def _murmurations_file(uri: str) -> Resource:
    # The library's schemas `$ref` their fields as ../fields/<name>.json from their $id.
    folder, name = uri.rstrip("/").split("/")[-2:]
    contents = json.loads((SCHEMAS / "murmurations" / folder / name).read_text())
    return Resource.from_contents(contents, default_specification=DRAFT7)


def murmurations_validator(schema_name: str) -> jsonschema.Draft7Validator:
    schema = json.loads((SCHEMAS / "murmurations" / "schemas" / f"{schema_name}.json").read_text())
    return jsonschema.Draft7Validator(schema, registry=Registry(retrieve=_murmurations_file))


def _format_checker() -> jsonschema.FormatChecker:
    """jsonschema's own checks (uuid, email) plus uri and date-time, which it leaves to
    optional packages: rfc3986 here, and Python's ISO 8601 parser with a required offset."""
    checker = jsonschema.FormatChecker()

    absolute = rfc3986.validators.Validator().require_presence_of("scheme", "host")

    @checker.checks("uri", raises=rfc3986.exceptions.ValidationError)
    def is_uri(value) -> bool:
        absolute.check_validity_of("scheme", "host", "path").validate(rfc3986.uri_reference(value))
        return True

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value) -> bool:
        return datetime.fromisoformat(value).tzinfo is not None

    return checker


def openreferral_validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / "openreferral" / f"{name}.json").read_text())
    return jsonschema.Draft202012Validator(schema, format_checker=_format_checker())


def assert_valid_page(body: dict, *, item_schema: str) -> None:
    openreferral_validator("page").validate(body)
    items = openreferral_validator(item_schema)
    for item in body["contents"]:
        items.validate(item)


# --- Murmurations -----------------------------------------------------------------------------


@pytest.fixture
def organisation(make_entry, make_sector):
    return make_entry(
        "Open Door Trust",
        sectors=[make_sector("Health and care"), make_sector("Community")],
        themes=["listening", "loneliness"],
        organisation_type=Entry.OrganisationType.CHARITY,
        description="We run a drop-in.\n\nEveryone is welcome.",
        website="https://opendoor.example",
        links=[
            "https://social.example/@opendoor",
            "ftp://files.example/",
            "https://opendoor.example",
        ],
        contact_email="private.trust@example.org",
    )


@pytest.fixture
def practitioner(make_entry):
    return make_entry(
        "Pat Practitioner",
        kind=Entry.Kind.PRACTITIONER,
        themes=["listening"],
        place_name="Llanfairpwllgwyngyll" * 6,  # 120 characters, beyond the schema's 100
        region="Anglesey, Wales",
        latitude=53.523417,
        longitude=-2.176389,
        contact_email="private.person@example.org",
    )


def test_organisation_profile_is_valid_under_the_organizations_schema(client, organisation):
    response = client.get(reverse("directory:murmurations_profile", args=[organisation.slug]))

    profile = response.json()
    murmurations_validator("organizations_schema-v1.0.0").validate(profile)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert profile["linked_schemas"] == ["organizations_schema-v1.0.0"]
    assert profile["name"] == "Open Door Trust"
    assert profile["primary_url"] == "https://opendoor.example"
    assert profile["description"].startswith(organisation.summary)
    assert profile["tags"] == [
        "Relationships Map", "Organisation", "Charity", "Community", "Health and care",
        "listening", "loneliness",
    ]  # fmt: skip
    assert [item["url"] for item in profile["urls"]] == [
        "http://127.0.0.1:8000" + organisation.get_absolute_url(),
        "https://opendoor.example",
        "https://social.example/@opendoor",
    ]
    assert profile["full_address"] == "Manchester, England"
    assert profile["geolocation"] == {
        "lat": organisation.public_latitude,
        "lon": organisation.public_longitude,
    }
    assert "private.trust" not in response.content.decode()


def test_practitioner_profile_is_valid_under_the_people_schema_at_the_approximate_point(
    client, practitioner
):
    response = client.get(reverse("directory:murmurations_profile", args=[practitioner.slug]))

    profile = response.json()
    murmurations_validator("people_schema-v0.1.0").validate(profile)
    assert profile["linked_schemas"] == ["people_schema-v0.1.0"]
    assert profile["primary_url"] == "http://127.0.0.1:8000" + practitioner.get_absolute_url()
    assert profile["geolocation"] == {
        "lat": practitioner.public_latitude,
        "lon": practitioner.public_longitude,
    }
    assert (practitioner.public_latitude, practitioner.public_longitude) != (53.523417, -2.176389)
    assert profile["locality"] == practitioner.place_name[:100]
    assert profile["region"] == "Anglesey, Wales"
    body = response.content.decode()
    assert "private.person" not in body
    assert "53.5234" not in body and "-2.1763" not in body


def test_profile_offers_the_contact_form_only_when_the_entry_accepts_messages(client, make_entry):
    open_door = make_entry("Open Door")
    quiet = make_entry("Quiet Place", accepts_messages=False)

    welcoming = client.get(reverse("directory:murmurations_profile", args=[open_door.slug]))
    private = client.get(reverse("directory:murmurations_profile", args=[quiet.slug]))

    contact_url = reverse("directory:contact", args=[open_door.slug])
    assert welcoming.json()["contact_details"] == {
        "contact_form": "http://127.0.0.1:8000" + contact_url
    }
    assert "contact_details" not in private.json()


def test_murmurations_index_lists_every_public_profile_and_each_one_validates(
    client, organisation, practitioner, make_entry
):
    make_entry("Still Pending", status=Entry.Status.AWAITING_REVIEW)

    index = client.get(reverse("directory:murmurations_index"))

    rows = json.loads(b"".join(index.streaming_content))["profiles"]
    assert [row["profile_url"] for row in rows] == [
        murmurations.profile_url(organisation),
        murmurations.profile_url(practitioner),
    ]
    for row in rows:
        profile = client.get(row["profile_url"].removeprefix("http://127.0.0.1:8000")).json()
        murmurations_validator(row["linked_schemas"][0]).validate(profile)
        assert isinstance(row["last_updated"], int)


class StandInIndex:
    """A Murmurations index on this machine that records what it is told, answering each
    request with `status`."""

    def __init__(self, status: int = 200):
        self.requests: list[tuple[str, str, dict | None]] = []
        index = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                self.answer(body)

            def do_DELETE(self):
                self.answer(None)

            def answer(self, body):
                index.requests.append((self.command, self.path, body))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"data":{}}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v2"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stand_in_index(settings, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    index = StandInIndex()
    settings.MURMURATIONS_INDEX_URL = index.url
    yield index
    index.close()


def test_registering_posts_every_public_profile_and_deletes_withdrawn_ones(
    stand_in_index, organisation, practitioner, make_entry, capsys
):
    withdrawn = make_entry("Gone Away")
    lifecycle.withdraw(entry=withdrawn)
    make_entry("Never Published", status=Entry.Status.AWAITING_CONFIRMATION)

    call_command("register_murmurations")

    gone_url = murmurations.profile_url(withdrawn)
    assert stand_in_index.requests == [
        ("POST", "/v2/nodes", {"profile_url": murmurations.profile_url(organisation)}),
        ("POST", "/v2/nodes", {"profile_url": murmurations.profile_url(practitioner)}),
        ("DELETE", "/v2/nodes/" + hashlib.sha256(gone_url.encode()).hexdigest(), None),
    ]
    assert "Told the index of 2 profiles and 1 removals." in capsys.readouterr().out


def test_registering_sends_nothing_unless_the_index_is_set(
    stand_in_index, settings, organisation, capsys
):
    settings.MURMURATIONS_INDEX_URL = ""

    call_command("register_murmurations")

    output = capsys.readouterr().out
    assert stand_in_index.requests == []
    assert f"POST {murmurations.profile_url(organisation)}" in output
    assert "MURMURATIONS_INDEX_URL is not set: nothing was sent." in output


def test_a_refusing_index_makes_the_command_fail_after_trying_every_profile(
    settings, monkeypatch, organisation, practitioner
):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    refusing = StandInIndex(status=503)
    settings.MURMURATIONS_INDEX_URL = refusing.url
    try:
        with pytest.raises(CommandError, match="did not accept 2 requests"):
            call_command("register_murmurations")
    finally:
        refusing.close()
    assert len(refusing.requests) == 2


# --- Open Referral UK -------------------------------------------------------------------------


def test_organisations_are_a_valid_open_referral_page(client, organisation, practitioner):
    response = client.get(reverse("directory:openreferral_organizations"))

    body = response.json()
    assert_valid_page(body, item_schema="organization_list")
    assert body["total_items"] == 1
    assert [item["name"] for item in body["contents"]] == ["Open Door Trust"]
    item = body["contents"][0]
    assert item["website"] == "https://opendoor.example"
    assert item["uri"] == "http://127.0.0.1:8000" + organisation.get_absolute_url()
    assert "email" not in item
    assert "private.trust" not in response.content.decode()
    assert "Pat Practitioner" not in response.content.decode()


def test_services_are_a_valid_open_referral_page_with_their_organisation(
    client, organisation, practitioner
):
    body = client.get(reverse("directory:openreferral_services")).json()

    assert_valid_page(body, item_schema="service_list")
    [service] = body["contents"]
    assert service["name"] == "Open Door Trust"
    assert service["status"] == "active"
    assert service["url"] == "http://127.0.0.1:8000" + organisation.get_absolute_url()
    assert service["organization"]["id"] == service["organization_id"]
    assert service["organization_id"] == openreferral.record_id(
        organisation.pk, record_type="organization"
    )


def test_open_referral_pages_follow_the_profiles_paging_fields(client, make_entry):
    for number in range(5):
        make_entry(f"Group {number}")

    first = client.get(reverse("directory:openreferral_services"), {"per_page": 2}).json()
    last = client.get(reverse("directory:openreferral_services"), {"per_page": 2, "page": 3}).json()
    beyond = client.get(reverse("directory:openreferral_services"), {"per_page": 2, "page": 4})

    assert {key: first[key] for key in first if key != "contents"} == {
        "total_items": 5, "total_pages": 3, "page_number": 1, "size": 2,
        "first_page": True, "last_page": False, "empty": False,
    }  # fmt: skip
    assert [item["name"] for item in last["contents"]] == ["Group 4"]
    assert (last["size"], last["first_page"], last["last_page"]) == (1, False, True)
    assert_valid_page(beyond.json(), item_schema="service_list")
    assert (beyond.json()["empty"], beyond.json()["contents"]) == (True, [])


def test_open_referral_search_finds_organisations_by_their_words(client, make_entry):
    make_entry("Garden Club", summary="We grow vegetables together.")
    make_entry("Choir", summary="We sing.")

    body = client.get(reverse("directory:openreferral_services"), {"search": "vegetables"}).json()

    assert [item["name"] for item in body["contents"]] == ["Garden Club"]


@pytest.mark.parametrize(
    "query",
    [{"page": "0"}, {"page": "two"}, {"page": "-1"}, {"per_page": "501"}, {"per_page": "9" * 5000}],
)
def test_bad_paging_is_a_clear_400(client, make_entry, query):
    make_entry()

    response = client.get(reverse("directory:openreferral_organizations"), query)

    assert response.status_code == 400
    assert "must be a whole number" in response.content.decode()


def test_single_organisation_and_service_are_found_by_their_ids(client, organisation):
    listed = client.get(reverse("directory:openreferral_services")).json()["contents"][0]

    service = client.get(reverse("directory:openreferral_service", args=[listed["id"]]))
    owner = client.get(
        reverse("directory:openreferral_organization", args=[listed["organization_id"]])
    )

    openreferral_validator("service_list").validate(service.json())
    openreferral_validator("organization_list").validate(owner.json())
    assert service.json() == listed
    assert owner.json() == listed["organization"]


def test_ids_stay_the_same_and_unknown_ids_are_not_found(client, organisation, practitioner):
    first = client.get(reverse("directory:openreferral_organizations")).json()["contents"][0]["id"]
    organisation.summary = "A new summary."
    organisation.save()
    again = client.get(reverse("directory:openreferral_organizations")).json()["contents"][0]["id"]
    service_id = openreferral.record_id(organisation.pk, record_type="service")
    person_id = openreferral.record_id(practitioner.pk, record_type="organization")

    assert first == again
    assert (
        client.get(reverse("directory:openreferral_organization", args=[service_id])).status_code
        == 404
    )
    assert (
        client.get(reverse("directory:openreferral_organization", args=[person_id])).status_code
        == 404
    )
    assert (
        client.get(reverse("directory:openreferral_service", args=[uuid.uuid4()])).status_code
        == 404
    )


def test_open_referral_root_describes_the_api(client):
    body = client.get(reverse("directory:openreferral")).json()

    assert body["version"] == "3.0"
    assert body["openapi_url"].endswith("/openapi.json")


def test_open_referral_lists_run_a_constant_number_of_queries(
    client, make_entry, django_assert_num_queries
):
    for number in range(30):
        make_entry(f"Group {number}")

    with django_assert_num_queries(3):  # the directory's version, the count and the page
        client.get(reverse("directory:openreferral_services"), {"per_page": 30})


def test_every_new_endpoint_answers_head_as_well_as_get(client, organisation):
    service_id = openreferral.record_id(organisation.pk, record_type="service")
    organisation_id = openreferral.record_id(organisation.pk, record_type="organization")
    urls = [
        reverse("directory:murmurations_profile", args=[organisation.slug]),
        reverse("directory:murmurations_index"),
        reverse("directory:openreferral"),
        reverse("directory:openreferral_organizations"),
        reverse("directory:openreferral_organization", args=[organisation_id]),
        reverse("directory:openreferral_services"),
        reverse("directory:openreferral_service", args=[service_id]),
        reverse("directory:datapackage"),
    ]

    for url in urls:
        get, head = client.get(url), client.head(url)
        assert (get.status_code, head.status_code) == (200, 200), url
        assert head["Content-Type"] == get["Content-Type"] == "application/json", url
        assert client.post(url).status_code == 405, url


# --- Across an entry's life -------------------------------------------------------------------


def test_approved_edits_show_in_the_standards_and_a_withdrawal_removes_the_entry(
    client, organisation
):
    profile_path = reverse("directory:murmurations_profile", args=[organisation.slug])
    lifecycle.submit_owner_changes(
        entry=organisation,
        changes=PendingChanges(fields={"summary": "Now open on Sundays too."}),
    )
    held = client.get(profile_path).json()
    lifecycle.approve_changes(entry=Entry.objects.get(pk=organisation.pk))
    approved = client.get(profile_path).json()
    service = client.get(reverse("directory:openreferral_services")).json()["contents"][0]
    client.post(manage_path(organisation, "directory:manage_withdraw"))

    assert not held["description"].startswith("Now open on Sundays too.")
    assert approved["description"].startswith("Now open on Sundays too.")
    assert service["description"].startswith("Now open on Sundays too.")
    assert Entry.objects.get(pk=organisation.pk).status == Entry.Status.WITHDRAWN
    assert client.get(profile_path).status_code == 404
    index = json.loads(
        b"".join(client.get(reverse("directory:murmurations_index")).streaming_content)
    )
    assert index["profiles"] == []
    assert client.get(reverse("directory:openreferral_services")).json()["total_items"] == 0
    assert (
        client.get(reverse("directory:openreferral_service", args=[service["id"]])).status_code
        == 404
    )


# --- h-card microformats ----------------------------------------------------------------------


def h_cards(response) -> list[dict]:
    """Every h-card on the page, nested ones included, as mf2py parses them."""
    parsed = mf2py.parse(
        doc=response.content.decode(), url="http://testserver" + response.request["PATH_INFO"]
    )
    found, stack = [], list(parsed["items"])
    while stack:
        item = stack.pop(0)
        if "h-card" in item["type"]:
            found.append(item)
        stack += item.get("children", [])
    return found


def test_profile_is_an_h_card_with_its_public_fields(client, organisation):
    response = client.get(organisation.get_absolute_url())

    card = next(c for c in h_cards(response) if c["properties"]["name"] == ["Open Door Trust"])
    properties = card["properties"]
    assert properties["org"] == ["Open Door Trust"]
    assert properties["note"] == [organisation.summary]
    assert properties["locality"] == ["Manchester"]
    assert properties["region"] == ["England"]
    assert properties["category"] == ["Community", "Health and care", "listening", "loneliness"]
    assert "http://127.0.0.1:8000" + organisation.get_absolute_url() in properties["url"]
    assert "https://opendoor.example" in properties["url"]
    assert "email" not in properties and "geo" not in properties


def test_practitioner_profile_is_a_person_h_card_without_a_point(client, practitioner):
    response = client.get(practitioner.get_absolute_url())

    [card] = [c for c in h_cards(response) if c["properties"]["name"] == ["Pat Practitioner"]]
    assert "org" not in card["properties"]
    assert {"geo", "latitude", "longitude", "email"}.isdisjoint(card["properties"])


def test_map_list_and_results_list_mark_each_entry_as_an_h_card(client, organisation, practitioner):
    for response in [
        client.get(reverse("directory:map")),
        client.get(reverse("directory:map_results"), {"q": "Open Door"}),
    ]:
        cards = {c["properties"]["name"][0]: c["properties"] for c in h_cards(response)}
        shown = (
            ["Open Door Trust", "Pat Practitioner"]
            if "q" not in response.request["QUERY_STRING"]
            else ["Open Door Trust"]
        )
        assert sorted(cards) == sorted(shown)
        trust = cards["Open Door Trust"]
        assert trust["org"] == ["Open Door Trust"]
        assert trust["url"] == ["http://testserver" + organisation.get_absolute_url()]
        assert trust["note"] == [organisation.summary]
        assert (trust["locality"], trust["region"]) == (["Manchester"], ["England"])
        if "Pat Practitioner" in cards:
            assert "org" not in cards["Pat Practitioner"]


# --- The data package -------------------------------------------------------------------------


def test_data_package_describes_every_csv_column_and_nothing_else():
    assert list(FIELDS) == CSV_COLUMNS
    assert all(field["description"] and field["type"] for field in FIELDS.values())


def test_data_package_is_valid_and_a_real_export_passes_it(
    client, organisation, practitioner, tmp_path, settings
):
    descriptor = client.get(reverse("directory:datapackage")).json()
    assert [error.message for error in Package.metadata_validate(descriptor)] == []
    csv_export = client.get(reverse("directory:entries_csv")).content
    # Each file, downloaded beside the descriptor as someone checking it would.
    files = {
        "entries-csv": "directory:entries_csv",
        "entries-geojson": "directory:entries_geojson",
        "connections-geojson": "directory:connections_geojson",
        "connections-kumu": "directory:connections_kumu",
        "connections-graphml": "directory:connections_graphml",
    }
    assert [resource["name"] for resource in descriptor["resources"]] == list(files)
    for resource in descriptor["resources"]:
        assert resource["path"] == settings.SITE_URL + reverse(files[resource["name"]])
        resource["path"] = f"{resource['name']}.{resource['format']}"
        (tmp_path / resource["path"]).write_bytes(
            client.get(reverse(files[resource["name"]])).content
        )

    report = Package(descriptor, basepath=str(tmp_path)).validate()

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert descriptor["licenses"] == [
        {"title": settings.OPEN_DATA_LICENCE_NAME, "path": settings.OPEN_DATA_LICENCE_URL}
    ]
    rows = list(csv.DictReader(io.StringIO(csv_export.decode())))
    assert {row["name"] for row in rows} == {"Open Door Trust", "Pat Practitioner"}


def test_data_package_licence_follows_the_settings(client, settings):
    settings.OPEN_DATA_LICENCE_NAME = "Open Data Commons Open Database License"
    settings.OPEN_DATA_LICENCE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"

    descriptor = client.get(reverse("directory:datapackage")).json()

    assert descriptor["licenses"] == [
        {
            "title": "Open Data Commons Open Database License",
            "path": "https://opendatacommons.org/licenses/odbl/1-0/",
        }
    ]


def test_open_data_page_links_the_data_package_and_describes_the_dataset(client, settings):
    response = client.get(reverse("directory:open_data"))

    body = response.content.decode()
    assert f'href="{reverse("directory:datapackage")}"' in body
    dataset = json_ld_of(body, "Dataset")
    assert dataset["license"] == settings.OPEN_DATA_LICENCE_URL
    assert [d["contentUrl"] for d in dataset["distribution"]] == [
        settings.SITE_URL + reverse(name)
        for name in [
            "directory:entries_csv",
            "directory:entries_geojson",
            "directory:connections_geojson",
            "directory:connections_kumu",
            "directory:connections_graphml",
            "directory:datapackage",
        ]
    ]


# --- The licence inside each export ---------------------------------------------------------


@pytest.mark.parametrize("query", [{}, {"kind": "organisation"}])
def test_the_geojson_export_states_its_licence_and_attribution(
    client, organisation, settings, query
):
    settings.OPEN_DATA_LICENCE_NAME = "Open Data Commons Open Database License"
    settings.OPEN_DATA_LICENCE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"

    response = client.get(reverse("directory:entries_geojson"), query)

    collection = geojson.loads(response.content.decode())
    assert collection.is_valid, collection.errors()
    assert collection["license"] == {
        "name": "Open Data Commons Open Database License",
        "url": "https://opendatacommons.org/licenses/odbl/1-0/",
    }
    assert settings.SITE_URL + reverse("directory:open_data") in collection["attribution"]
    assert [f["properties"]["name"] for f in collection["features"]] == ["Open Door Trust"]


@pytest.mark.parametrize("layer", ["stories:map_layer", "directory:gatherings_geojson"])
def test_the_maps_layers_state_the_same_licence_and_attribution(client, db, settings, layer):
    settings.OPEN_DATA_LICENCE_NAME = "Open Data Commons Open Database License"
    settings.OPEN_DATA_LICENCE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"

    collection = geojson.loads(client.get(reverse(layer)).content.decode())

    assert collection.is_valid, collection.errors()
    assert collection["license"]["url"] == "https://opendatacommons.org/licenses/odbl/1-0/"
    assert settings.SITE_URL + reverse("directory:open_data") in collection["attribution"]


def test_the_csv_export_links_the_data_package_that_describes_it(client, organisation, settings):
    response = client.get(reverse("directory:entries_csv"))
    head = client.head(reverse("directory:entries_csv"))

    described_by = settings.SITE_URL + reverse("directory:datapackage")
    expected = f'<{described_by}>; rel="describedby"; type="application/json"'
    assert response["Link"] == head["Link"] == expected


# --- schema.org JSON-LD -----------------------------------------------------------------------


def json_ld_of(html: str, type_name: str) -> dict:
    """The JSON-LD object (or @graph member) of a schema.org type in a page."""
    documents = [
        json.loads(block.split(">", 1)[1].split("</script>", 1)[0])
        for block in html.split('<script type="application/ld+json"')[1:]
    ]
    nodes = [node for doc in documents for node in doc.get("@graph", [doc])]
    return next(node for node in nodes if node["@type"] == type_name)


def test_home_page_describes_the_site_and_its_organisation(client, settings):
    body = client.get(reverse("home")).content.decode()

    website = json_ld_of(body, "WebSite")
    organisation = json_ld_of(body, "Organization")
    assert website["url"] == settings.SITE_URL + "/"
    assert website["publisher"] == {"@id": organisation["@id"]}
    assert website["potentialAction"]["target"] == (
        settings.SITE_URL + reverse("directory:map") + "?q={search_term_string}"
    )


# --- Atom feeds -------------------------------------------------------------------------------


def assert_plain_text_atom_with_authors(content: bytes) -> feedparser.FeedParserDict:
    """The feed parses cleanly, the site is its author and every entry's, summaries are plain
    text (a "<" stays a "<"), and ids are tag URIs."""
    feed = feedparser.parse(content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.author == "Relationships Map"
    assert feed.entries
    for entry in feed.entries:
        assert entry.author == "Relationships Map"
        assert entry.summary_detail.type == "text/plain"
        assert entry.id.startswith("tag:127.0.0.1,")
    return feed


def test_entries_feed_is_valid_atom_with_authors_and_plain_text_summaries(client, make_entry):
    make_entry("Open Door", summary="Tea & <cake> for everyone.")

    feed = assert_plain_text_atom_with_authors(
        client.get(reverse("directory:entries_feed")).content
    )

    assert feed.entries[0].summary == "Tea & <cake> for everyone."


@pytest.mark.parametrize("url_name", ["directory:entries_feed", "stories:feed"])
def test_feeds_link_to_themselves_from_site_url_not_the_host_header(client, settings, url_name):
    feed = feedparser.parse(client.get(reverse(url_name), HTTP_HOST="localhost").content)

    [self_link] = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_link == settings.SITE_URL + reverse(url_name)


def test_entry_ids_in_the_feed_survive_an_edit(client, make_entry):
    entry = make_entry("Open Door")
    before = feedparser.parse(client.get(reverse("directory:entries_feed")).content)
    entry.name = "Open Door Trust"
    entry.save()

    after = feedparser.parse(client.get(reverse("directory:entries_feed")).content)

    assert [e.id for e in after.entries] == [e.id for e in before.entries]
    assert after.entries[0].title == "Open Door Trust"


@pytest.mark.parametrize("url_name", ["home", "directory:map", "directory:open_data"])
def test_entries_feed_is_discoverable_from_the_page_head(client, url_name):
    html = client.get(reverse(url_name)).content.decode()

    head = html.split("</head>", 1)[0]
    assert (
        '<link rel="alternate" type="application/atom+xml" title="New on the Relationships Map" '
        f'href="{reverse("directory:entries_feed")}">'
    ) in head
