import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from directory.demo import DEFAULT_SECTOR_NAMES, build_demo_map
from directory.importing import import_entries_from_csv
from directory.models import Entry, Sector

# --- demo_map ---------------------------------------------------------------------------------


def demo_snapshot() -> list[tuple]:
    return list(
        Entry.objects.filter(is_demo=True)
        .order_by("contact_email")
        .values_list("name", "place_name", "latitude", "longitude", "kind")
    )


@pytest.mark.django_db
def test_demo_map_creates_the_requested_number_of_published_demo_entries():
    call_command("demo_map", count=25, seed=3, verbosity=0)

    entries = Entry.objects.all()
    assert entries.count() == 25
    assert all(entry.is_demo and entry.is_published for entry in entries)


@pytest.mark.django_db
def test_demo_entries_say_they_are_demos_and_have_undeliverable_emails():
    build_demo_map(count=10, seed=1)

    for entry in Entry.objects.all():
        assert entry.name.endswith(" (demo)")
        assert entry.slug.startswith("demo-")
        assert entry.contact_email.endswith("@example.invalid")
        assert "demonstration entry" in entry.description
        assert entry.website == ""


@pytest.mark.django_db
def test_same_seed_gives_the_same_names_and_coordinates():
    build_demo_map(count=30, seed=7)
    first = demo_snapshot()
    build_demo_map(count=30, seed=7, clear=True)

    assert demo_snapshot() == first


@pytest.mark.django_db
def test_another_seed_gives_other_entries():
    build_demo_map(count=30, seed=7)
    first = demo_snapshot()
    build_demo_map(count=30, seed=8, clear=True)

    assert demo_snapshot() != first


@pytest.mark.django_db
def test_clear_removes_only_demo_entries(make_entry):
    real = make_entry("Frome Befrienders")
    build_demo_map(count=10, seed=1)

    call_command("demo_map", clear=True, verbosity=0)

    assert list(Entry.objects.all()) == [real]


@pytest.mark.django_db
def test_a_dry_run_clear_removes_nothing():
    build_demo_map(count=10, seed=1)

    result = build_demo_map(count=0, clear=True, dry_run=True)

    assert result.removed == 10
    assert Entry.objects.count() == 10


@pytest.mark.django_db
def test_running_demo_map_twice_does_not_duplicate():
    build_demo_map(count=20, seed=1)
    result = build_demo_map(count=20, seed=1)

    assert result.created == 0
    assert Entry.objects.count() == 20
    assert Entry.objects.values("slug").distinct().count() == 20


@pytest.mark.django_db
def test_a_larger_count_adds_the_entries_a_single_run_would_have_made():
    build_demo_map(count=8, seed=2)
    build_demo_map(count=12, seed=2)
    topped_up = demo_snapshot()
    build_demo_map(count=12, seed=2, clear=True)

    assert demo_snapshot() == topped_up


@pytest.mark.django_db
def test_a_smaller_count_without_clear_leaves_demo_entries_alone():
    build_demo_map(count=12, seed=2)

    result = build_demo_map(count=5, seed=2)

    assert (result.created, result.existing) == (0, 12)
    assert Entry.objects.count() == 12


@pytest.mark.django_db
def test_practitioners_are_shown_away_from_their_exact_location():
    build_demo_map(count=40, seed=1)

    practitioners = Entry.objects.filter(kind=Entry.Kind.PRACTITIONER)
    assert practitioners.exists()
    for entry in practitioners:
        assert (entry.public_latitude, entry.public_longitude) != (entry.latitude, entry.longitude)
        assert (entry.public_latitude, entry.public_longitude) == entry.public_location()


@pytest.mark.django_db
def test_demo_entries_have_one_to_three_sectors_and_one_to_four_themes():
    build_demo_map(count=40, seed=1)

    for entry in Entry.objects.prefetch_related("sectors", "themes"):
        assert 1 <= len(entry.sectors.all()) <= 3
        assert 1 <= len(entry.themes.all()) <= 4
    organisations = Entry.objects.filter(kind=Entry.Kind.ORGANISATION)
    assert organisations.exists()
    assert not organisations.filter(organisation_type="").exists()


@pytest.mark.django_db
def test_demo_entries_are_in_great_britain_and_many_regions():
    build_demo_map(count=60, seed=1)

    entries = Entry.objects.all()
    assert all(49.8 < entry.latitude < 61 and -8.7 < entry.longitude < 2 for entry in entries)
    assert entries.values("region").distinct().count() == 60


@pytest.mark.django_db
def test_demo_map_creates_the_default_sectors_only_when_there_are_none(make_sector):
    build_demo_map(count=5, seed=1)
    assert sorted(Sector.objects.values_list("name", flat=True)) == sorted(DEFAULT_SECTOR_NAMES)

    build_demo_map(count=10, seed=1)
    assert Sector.objects.count() == len(DEFAULT_SECTOR_NAMES)


@pytest.mark.django_db
def test_demo_map_uses_the_existing_sectors(make_sector):
    housing = make_sector("Housing")

    build_demo_map(count=5, seed=1)

    assert list(Sector.objects.all()) == [housing]
    assert housing.entries.count() == 5


@pytest.mark.django_db
def test_demo_slugs_skip_a_slug_a_real_entry_already_has(make_entry):
    build_demo_map(count=1, seed=1)
    slug = Entry.objects.get().slug
    build_demo_map(count=0, seed=1, clear=True)
    make_entry("Someone real", slug=slug)

    build_demo_map(count=1, seed=1)

    assert Entry.objects.get(is_demo=True).slug == f"{slug}-2"


def test_demo_map_without_count_or_clear_is_an_error():
    with pytest.raises(CommandError, match="--count"):
        call_command("demo_map")


# --- import_entries ---------------------------------------------------------------------------

HEADER = [
    "name",
    "kind",
    "summary",
    "sectors",
    "themes",
    "organisation_type",
    "place",
    "website",
    "links",
    "contact_email",
    "status",
]


def row(**fields) -> dict:
    return {
        "name": "Frome Kitchen Table",
        "kind": "organisation",
        "summary": "Neighbours cooking and eating together every week.",
        "sectors": "Community and neighbourhood",
        "themes": "shared meals; Loneliness",
        "organisation_type": "community_group",
        "place": "Frome",
        "website": "https://example.org/",
        "links": "",
        "contact_email": "hello@example.org",
        "status": "",
    } | fields


def write_csv(path, rows: list[dict], header: list[str] = HEADER):
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def sectors(make_sector):
    return [make_sector("Community and neighbourhood"), make_sector("Health and care")]


def test_a_valid_file_imports_entries_with_sectors_themes_and_places(tmp_path, sectors):
    path = write_csv(
        tmp_path / "entries.csv",
        [
            row(),
            row(
                name="Sam Okoro",
                kind="Practitioner",
                summary="A counsellor who listens first.",
                sectors="health-and-care; Community and neighbourhood",
                themes="listening",
                organisation_type="",
                place="BA11 1AA",
                website="",
                links="https://example.org/sam; http://example.net/talks",
                contact_email="sam@example.org",
                status="published",
            ),
        ],
    )

    report = import_entries_from_csv(path=path)

    assert (report.errors, report.created, report.updated) == ([], 2, 0)
    kitchen = Entry.objects.get(name="Frome Kitchen Table")
    assert kitchen.kind == Entry.Kind.ORGANISATION
    assert kitchen.organisation_type == Entry.OrganisationType.COMMUNITY_GROUP
    assert kitchen.status == Entry.Status.AWAITING_REVIEW
    assert list(kitchen.sectors.all()) == [sectors[0]]
    assert sorted(kitchen.themes.names()) == ["Loneliness", "shared meals"]
    assert (kitchen.place_name, kitchen.region) == ("Frome", "Somerset, England")
    assert kitchen.latitude == pytest.approx(51.23, abs=0.01)
    assert kitchen.longitude == pytest.approx(-2.32, abs=0.01)
    sam = Entry.objects.get(name="Sam Okoro")
    assert sam.is_published
    assert sam.links == ["https://example.org/sam", "http://example.net/talks"]
    assert set(sam.sectors.all()) == set(sectors)
    # A full postcode is kept only as its district, so the profile never shows a home.
    assert sam.place_name == "BA11"
    assert sam.latitude == pytest.approx(51.23, abs=0.01)
    assert sam.public_latitude != sam.latitude


def test_latitude_and_longitude_are_used_when_both_are_given(tmp_path, sectors):
    header = [*HEADER, "latitude", "longitude"]
    path = write_csv(
        tmp_path / "entries.csv",
        [row(place="", latitude="51.3811", longitude="-2.359")],
        header=header,
    )

    import_entries_from_csv(path=path)

    entry = Entry.objects.get()
    assert (entry.latitude, entry.longitude) == (51.3811, -2.359)
    assert entry.place_name == "Bath"  # the nearest known town names it


def test_two_bad_rows_are_reported_by_row_number_and_nothing_is_imported(tmp_path, sectors):
    path = write_csv(
        tmp_path / "entries.csv",
        [row(), row(name="", contact_email="a@example.org"), row(kind="robot"), row(name="Fine")],
    )

    with pytest.raises(CommandError) as raised:
        call_command("import_entries", str(path), verbosity=0)

    message = str(raised.value)
    assert "Row 3: name:" in message
    assert "Row 4: kind:" in message
    assert "Row 2" not in message and "Row 5" not in message
    assert not Entry.objects.exists()


def test_every_kind_of_invalid_value_is_reported(tmp_path, sectors):
    path = write_csv(
        tmp_path / "entries.csv",
        [
            row(summary="x" * 281),
            row(name="B", status="rejected"),
            row(name="C", organisation_type="guild"),
            row(name="D", contact_email="not an email"),
            row(name="E", place="Nowhereville-on-Sea"),
            row(name="F", website="ftp://example.org/"),
            row(name="G", kind="practitioner"),
        ],
    )

    report = import_entries_from_csv(path=path)

    assert [error.split(":")[:2] for error in report.errors] == [
        ["Row 2", " summary"],
        ["Row 3", " status"],
        ["Row 4", " organisation_type"],
        ["Row 5", " contact_email"],
        ["Row 6", " place"],
        ["Row 7", " website"],
        ["Row 8", " organisation_type"],
    ]


def test_coordinates_out_of_range_are_rejected(tmp_path, sectors):
    header = [*HEADER, "latitude", "longitude"]
    path = write_csv(tmp_path / "e.csv", [row(latitude="95", longitude="-2")], header=header)

    report = import_entries_from_csv(path=path)

    assert report.errors and report.errors[0].startswith("Row 2: latitude:")


def test_a_dry_run_writes_nothing_but_says_what_would_happen(tmp_path, sectors):
    path = write_csv(tmp_path / "entries.csv", [row(), row(name="Another")])

    call_command("import_entries", str(path), dry_run=True, verbosity=0)
    report = import_entries_from_csv(path=path, dry_run=True)

    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert not Entry.objects.exists()


def test_importing_the_same_file_again_creates_no_duplicates(tmp_path, sectors):
    path = write_csv(tmp_path / "entries.csv", [row(), row(name="Another")])
    import_entries_from_csv(path=path)

    report = import_entries_from_csv(path=path)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert Entry.objects.count() == 2


def test_a_changed_row_updates_the_entry_with_the_same_email_and_name(tmp_path, sectors):
    import_entries_from_csv(path=write_csv(tmp_path / "first.csv", [row()]))
    entry = Entry.objects.get()
    entry.status = Entry.Status.PUBLISHED
    entry.save()

    changed = row(name="FROME KITCHEN TABLE", summary="Now twice a week.", themes="kindness")
    report = import_entries_from_csv(path=write_csv(tmp_path / "second.csv", [changed]))

    assert (report.created, report.updated) == (0, 1)
    entry.refresh_from_db()
    assert entry.summary == "Now twice a week."
    assert list(entry.themes.names()) == ["kindness"]
    assert entry.status == Entry.Status.PUBLISHED  # an empty status keeps the entry's own


def test_the_same_entry_twice_in_one_file_is_an_error(tmp_path, sectors):
    path = write_csv(tmp_path / "entries.csv", [row(), row(summary="Again.")])

    report = import_entries_from_csv(path=path)

    assert report.errors == [
        "Row 3: same name and contact email as row 2; each entry may appear only once."
    ]


def test_non_http_links_are_rejected(tmp_path, sectors):
    path = write_csv(
        tmp_path / "entries.csv", [row(links="https://example.org/ok; javascript:alert(1)")]
    )

    report = import_entries_from_csv(path=path)

    assert report.errors == ["Row 2: links: Enter a web address starting with http:// or https://."]
    assert not Entry.objects.exists()


def test_an_unknown_sector_is_rejected(tmp_path, sectors):
    path = write_csv(tmp_path / "entries.csv", [row(sectors="Housing; health-and-care")])

    report = import_entries_from_csv(path=path)

    assert len(report.errors) == 1
    assert report.errors[0].startswith("Row 2: sectors: Unknown sector 'Housing'")


def test_a_missing_column_is_reported_on_row_1(tmp_path, sectors):
    header = [column for column in HEADER if column != "summary"]
    path = write_csv(tmp_path / "entries.csv", [{"name": "X"}], header=header)

    report = import_entries_from_csv(path=path)

    assert report.errors == ["Row 1: missing column 'summary'."]


@pytest.mark.django_db
def test_import_never_updates_a_demo_entry(tmp_path, sectors):
    build_demo_map(count=1, seed=1)
    demo = Entry.objects.get()
    path = write_csv(tmp_path / "e.csv", [row(name=demo.name, contact_email=demo.contact_email)])

    report = import_entries_from_csv(path=path)

    assert (report.created, report.updated) == (1, 0)
    assert Entry.objects.filter(is_demo=True).get() == demo
