"""One rule for when a point goes by a town's name, shared by the place picker, the join
form and the importer."""

import csv

import pytest
from django.urls import reverse

from directory.importing import import_entries_from_csv
from directory.models import Entry

COLUMNS = ["name", "kind", "summary", "sectors", "contact_email", "place"]
pytestmark = pytest.mark.django_db

# At sea off Devon, about 27 km from Salcombe, the nearest town in the bundled data.
OFF_SALCOMBE = {"latitude": "50.0", "longitude": "-3.7"}


def test_the_place_picker_names_a_point_27_km_from_a_town_after_it(client):
    response = client.get(
        reverse("directory:places"),
        {"lat": OFF_SALCOMBE["latitude"], "lng": OFF_SALCOMBE["longitude"]},
    )

    assert [place["name"] for place in response.json()["places"]] == ["Salcombe"]


def test_the_importer_names_a_point_27_km_from_a_town_as_the_picker_does(tmp_path, make_sector):
    make_sector("Community and neighbourhood")
    path = tmp_path / "entries.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=[*COLUMNS, "latitude", "longitude"])
        writer.writeheader()
        writer.writerow(
            {
                "name": "Sea Swimmers",
                "kind": "organisation",
                "summary": "Swimming together all year round.",
                "sectors": "Community and neighbourhood",
                "contact_email": "swim@example.org",
                "place": "",
                **OFF_SALCOMBE,
            }
        )

    report = import_entries_from_csv(path=path)

    assert report.errors == []
    entry = Entry.objects.get()
    assert (entry.place_name, entry.latitude, entry.longitude) == ("Salcombe", 50.0, -3.7)
