"""The open data exports are prebuilt once per version of the directory (directory/exports.py)
and stay the same public records, filtered or not."""

import csv
import gzip
import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from directory import exports, lifecycle
from directory.importing import COLUMNS, import_entries_from_csv
from directory.models import Entry

pytestmark = pytest.mark.django_db


def geojson_names(response) -> list[str]:
    return [feature["properties"]["name"] for feature in json.loads(response.content)["features"]]


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_every_feature_is_the_entrys_own_public_record(client, make_entry, make_sector):
    care, arts = make_sector("Health and care"), make_sector("Arts and culture", display_order=9)
    make_entry("Open Door", sectors=[arts, care], themes=["listening", "food"], is_demo=True)
    make_entry("Siân Jones", kind=Entry.Kind.PRACTITIONER, latitude=51.48, longitude=-3.18)

    response = client.get(reverse("directory:entries_geojson"))

    expected = [
        entry.geojson_feature()
        for entry in Entry.objects.public().prefetch_related("sectors", "themes")
    ]
    assert json.loads(response.content)["features"] == expected


def test_csv_rows_hold_the_same_records_including_letters_beyond_ascii(client, make_entry):
    make_entry("Siân's Kitchen", summary="Cawl, bara brith and “a chat”", themes=["food"])
    make_entry("Zoë Circle")

    rows = csv_rows(client.get(reverse("directory:entries_csv")))
    filtered = csv_rows(client.get(reverse("directory:entries_csv"), {"q": "Kitchen"}))

    assert [row["name"] for row in rows] == ["Siân's Kitchen", "Zoë Circle"]
    assert filtered == rows[:1]
    assert filtered[0]["summary"] == "Cawl, bara brith and “a chat”"


def test_a_filtered_export_holds_only_the_matching_entries_in_the_lists_order(client, make_entry):
    make_entry("Leeds Listeners", latitude=53.80, longitude=-1.55)
    make_entry("York Neighbours", latitude=53.96, longitude=-1.08)
    make_entry("Brighton Circle", latitude=50.82, longitude=-0.14)

    near_york = client.get(
        reverse("directory:entries_geojson"), {"lat": "53.96", "lng": "-1.08", "radius": "100"}
    )
    by_text = client.get(reverse("directory:entries_csv"), {"q": "Circle"})

    assert geojson_names(near_york) == ["York Neighbours", "Leeds Listeners"]
    assert [row["name"] for row in csv_rows(by_text)] == ["Brighton Circle"]


def test_a_filter_matching_nothing_is_an_empty_but_valid_file(client, make_entry):
    make_entry()

    geojson = client.get(reverse("directory:entries_geojson"), {"q": "nobody-at-all"})
    table = client.get(reverse("directory:entries_csv"), {"q": "nobody-at-all"})

    collection = json.loads(geojson.content)
    assert (collection["type"], collection["features"]) == ("FeatureCollection", [])
    assert table.content.decode().splitlines() == [",".join(exports.CSV_COLUMNS)]


@pytest.mark.parametrize("url_name", ["directory:entries_geojson", "directory:entries_csv"])
def test_the_unfiltered_export_comes_pregzipped_to_clients_that_accept_it(
    client, make_entry, url_name
):
    make_entry("Open Door")

    plain = client.get(reverse(url_name))
    zipped = client.get(reverse(url_name), HTTP_ACCEPT_ENCODING="gzip, deflate")

    assert zipped["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    assert gzip.decompress(zipped.content) == plain.content
    assert "Accept-Encoding" in zipped["Vary"]
    assert zipped["Access-Control-Allow-Origin"] == "*"


def test_changes_to_the_directory_reach_the_next_export(client, make_entry, save_published):
    kept, withdrawn = make_entry("Kept Entry"), make_entry("Withdrawn Entry")
    first = client.get(reverse("directory:entries_geojson"))

    lifecycle.withdraw(entry=withdrawn)
    kept.name = "Kept and Renamed"
    save_published(kept)
    second = client.get(reverse("directory:entries_geojson"))

    assert geojson_names(first) == ["Kept Entry", "Withdrawn Entry"]
    assert geojson_names(second) == ["Kept and Renamed"]
    assert first["ETag"] != second["ETag"]


@pytest.mark.parametrize("url_name", ["directory:entries_geojson", "directory:entries_csv"])
def test_a_repeated_export_reads_no_entry_data_from_the_database(client, make_entry, url_name):
    for number in range(5):
        make_entry(f"Entry {number}", themes=["listening"])
    client.get(reverse(url_name))

    with CaptureQueriesContext(connection) as unfiltered:
        client.get(reverse(url_name))
    with CaptureQueriesContext(connection) as filtered:
        client.get(reverse(url_name), {"kind": "organisation"})

    # Only the directory's version check (and, filtered, the matching ids): never the
    # entries' text, sectors or themes, which the snapshot already holds.
    read = " ".join(query["sql"] for query in [*unfiltered, *filtered]).lower()
    assert "summary" not in read
    assert "directory_sector" not in read
    assert "taggit" not in read
    assert len(unfiltered) == 2


def test_while_another_process_builds_the_last_export_is_served(client, make_entry, save_published):
    entry = make_entry("Before the Change")
    before = client.get(reverse("directory:entries_geojson"))
    cache.add(exports.LOCK_KEY, "another process", timeout=60)

    entry.name = "After the Change"
    save_published(entry)
    during = client.get(reverse("directory:entries_geojson"))
    cache.delete(exports.LOCK_KEY)
    after = client.get(reverse("directory:entries_geojson"))

    assert geojson_names(during) == ["Before the Change"]
    assert during["ETag"] == before["ETag"]
    assert geojson_names(after) == ["After the Change"]


def test_with_no_export_yet_and_another_process_building_it_the_answer_is_try_later(
    client, make_entry, settings
):
    settings.EXPORT_BUILD_WAIT_SECONDS = 0
    make_entry()
    exports._process.snapshot = None
    cache.add(exports.LOCK_KEY, "another process", timeout=60)

    response = client.get(reverse("directory:entries_csv"))

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "try again" in response.content.decode()


# Real transactions: the worker closes connections it finds in a test's wrapping transaction.
@pytest.mark.django_db(transaction=True)
def test_the_task_worker_builds_each_new_export_once_and_the_last_is_served_meanwhile(
    client, make_entry, save_published, settings
):
    entry = make_entry("Before the Change")
    client.get(reverse("directory:entries_geojson"))  # built at once: the immediate backend
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    entry.name = "After the Change"
    save_published(entry)
    meanwhile = [client.get(reverse("directory:entries_geojson")) for _ in range(3)]
    queued = DBTaskResult.objects.count()
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    after = client.get(reverse("directory:entries_geojson"))

    assert [geojson_names(response) for response in meanwhile] == [["Before the Change"]] * 3
    assert queued == 1
    assert geojson_names(after) == ["After the Change"]


# --- Cells a spreadsheet would run (OWASP: CSV injection) --------------------------------

HOSTILE = {
    "name": '=HYPERLINK("https://evil.example","Click")',
    "summary": "+44 is our number, and -1 our floor",
    "description": "-2+3 is what we say",
    "inspiration": "@SUM(1+1)*cmd|' /C calc'!A0",
}


def test_cells_a_spreadsheet_would_run_are_quoted_behind_an_apostrophe(client, make_entry):
    make_entry(**HOSTILE, place_name="\tManchester", region="\rEngland", themes=["=theme"])

    raw = client.get(reverse("directory:entries_csv")).content.decode()
    filtered = client.get(reverse("directory:entries_csv"), {"kind": "organisation"})
    row = csv_rows(filtered)[0]

    for value in [*HOSTILE.values(), "\tManchester", "\rEngland", "=theme"]:
        quoted = value.replace('"', '""')  # as CSV writes a quotation mark in a cell
        assert f"\"'{quoted}" in raw  # quoted, and an apostrophe first
    assert row["name"] == "'" + HOSTILE["name"]
    assert row["themes"] == "'=theme"
    assert row["longitude"] == "-2.2426"  # numbers are numbers, negative or not
    assert csv_rows(client.get(reverse("directory:entries_csv")))[0] == row


def test_an_apostrophe_already_first_survives_the_round_trip(client, make_entry):
    make_entry("'=quoted already", summary="'plain apostrophe")

    row = csv_rows(client.get(reverse("directory:entries_csv")))[0]

    assert row["name"] == "''=quoted already"
    assert row["summary"] == "'plain apostrophe"  # nothing a spreadsheet would run


def test_the_import_reads_an_exported_file_back_unchanged(
    client, make_entry, make_sector, tmp_path
):
    make_entry(
        **HOSTILE,
        sectors=[make_sector("Health and care")],
        themes=["listening"],
        website="https://example.org/",
    )
    exported = csv_rows(client.get(reverse("directory:entries_csv")))
    columns = [c for c in COLUMNS if c in exported[0]] + ["contact_email"]
    path = tmp_path / "from-the-export.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(row | {"contact_email": "new@example.org"} for row in exported)
    Entry.objects.all().delete()

    report = import_entries_from_csv(path=path)

    assert report.errors == []
    imported = Entry.objects.get()
    for field, value in HOSTILE.items():
        assert getattr(imported, field) == value, field


def test_the_csv_columns_keep_the_order_published_users_rely_on(client, make_entry):
    make_entry()

    header = client.get(reverse("directory:entries_csv")).content.decode().splitlines()[0]

    assert header == (
        "id,name,kind,organisation_type,summary,description,inspiration,sectors,themes,place,"
        "region,latitude,longitude,location_is_approximate,website,links,url,published_at,demo"
    )


def test_the_json_download_lists_each_record_in_the_csvs_column_order(client, make_entry):
    make_entry()

    collection = json.loads(client.get(reverse("directory:entries_geojson")).content)

    [feature] = collection["features"]
    columns = [name for name in exports.CSV_COLUMNS if name not in {"latitude", "longitude"}]
    assert list(feature["properties"]) == columns
