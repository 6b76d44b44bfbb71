"""Importing an existing directory from a CSV file (the `import_entries` command).

The file is UTF-8 with a header row; column names are case-insensitive and may come in any
order. Lists inside a cell are separated by ";".

    name               required, at most 120 characters
    kind               required: practitioner or organisation
    summary            required, at most 280 characters
    description        optional, at most 5,000 characters
    inspiration        optional, at most 2,000 characters
    sectors            required: one or more sector names or slugs, "Housing; arts-and-culture"
    themes             optional: "listening; peer support"
    organisation_type  optional, organisations only: charity, community_group, business,
                       social_enterprise, public_body, network or other
    place              a town or a postcode, looked up offline: gives the coordinates, the place
                       name and the region (a full postcode is stored as its district only)
    latitude,          optional: when both are given they are used instead of the place's
    longitude          coordinates, and without a place the nearest known town names it
    website            optional, an http:// or https:// address
    links              optional: up to 4 http:// or https:// addresses
    contact_email      required, private
    status             optional: awaiting_review (the default for new entries) or published;
                       left empty, an existing entry keeps its status

Every row is checked before anything is written, and one bad row stops the whole import, so
a file is either imported whole or not at all. A row whose contact email and name (ignoring
case) match an existing, non-demo entry updates that entry, so importing the same file again
changes nothing.
"""

import csv
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from .exports import from_spreadsheet_safe
from .forms.fields import HTTP_URL as http_url
from .geo import MAX_QUERY_LENGTH, Place, lookup_place, nearest_place, normalise_postcode
from .models import EDITABLE_FIELDS, MAX_LINKS, OWNER_FIELDS, ContentVersion, Entry, Sector

# The file's columns: what an owner writes (OWNER_FIELDS), but one "place" column (looked up,
# which gives the place name and region) and no choice of showing the exact location, which
# staff make in the admin; then the status to import at.
FILE_PLACE_COLUMN = {"place_name": "place"}
NOT_IN_THE_FILE = {"region", "show_exact_location"}
COLUMNS = [
    FILE_PLACE_COLUMN.get(name, name) for name in OWNER_FIELDS if name not in NOT_IN_THE_FILE
] + ["status"]
REQUIRED_COLUMNS = ["name", "kind", "summary", "sectors", "contact_email"]
IMPORT_STATUSES = [Entry.Status.AWAITING_REVIEW, Entry.Status.PUBLISHED]
LIST_SEPARATOR = ";"
PROGRESS_EVERY = 1_000
# The fields copied from a checked row onto an entry, compared to tell updated from unchanged:
# all an owner may edit but whether to show the exact location, which the file does not hold.
ENTRY_FIELDS = [name for name in EDITABLE_FIELDS if name != "show_exact_location"]


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class _Row:
    number: int
    values: dict
    sectors: list[Sector]
    themes: list[str]
    status: str
    existing_pk: int | None


class EntryRowForm(forms.ModelForm):
    """One CSV row. Model fields bring their own lengths, choices and validators; the rest
    are the file's own spellings (lists in one cell, a place instead of coordinates)."""

    sectors = forms.CharField()
    themes = forms.CharField(required=False)
    place = forms.CharField(required=False, max_length=MAX_QUERY_LENGTH)
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)
    links = forms.CharField(required=False)
    status = forms.ChoiceField(
        required=False, choices=[(s.value, s.label) for s in IMPORT_STATUSES]
    )

    class Meta:
        model = Entry
        fields = [
            "name",
            "kind",
            "summary",
            "description",
            "inspiration",
            "organisation_type",
            "website",
            "contact_email",
        ]

    def __init__(
        self,
        *args,
        sectors_by_key: dict[str, Sector],
        geocode: Callable[[str], Place | None],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.sectors_by_key = sectors_by_key
        self.geocode = geocode

    def clean_website(self):
        website = self.cleaned_data["website"]
        if website:
            http_url(website)
        return website

    def clean_sectors(self):
        names = _split(self.cleaned_data["sectors"])
        unknown = [name for name in names if name.casefold() not in self.sectors_by_key]
        if unknown:
            known = "; ".join(sorted({sector.name for sector in self.sectors_by_key.values()}))
            raise ValidationError(
                f"Unknown sector {', '.join(map(repr, unknown))} (known: {known or 'none yet'})."
            )
        return list({self.sectors_by_key[name.casefold()]: None for name in names})

    def clean_themes(self):
        themes = {}
        for theme in _split(self.cleaned_data["themes"]):
            if len(theme) > 100:
                raise ValidationError(f"Theme {theme[:20]!r}… is longer than 100 characters.")
            themes.setdefault(theme.casefold(), theme)
        return list(themes.values())

    def clean_links(self):
        links = _split(self.cleaned_data["links"])
        if len(links) > MAX_LINKS:
            raise ValidationError(f"Give at most {MAX_LINKS} links.")
        for link in links:
            http_url(link)
        return links

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Entry.Kind.PRACTITIONER and cleaned.get("organisation_type"):
            self.add_error("organisation_type", "Only organisations have an organisation type.")
        self._clean_location(cleaned)
        return cleaned

    def _clean_location(self, cleaned: dict) -> None:
        """Sets place_name, region, latitude and longitude, from the place or the numbers."""
        if self.has_error("latitude") or self.has_error("longitude") or self.has_error("place"):
            return
        text, latitude, longitude = cleaned["place"], cleaned["latitude"], cleaned["longitude"]
        if (latitude is None) != (longitude is None):
            self.add_error("latitude", "Give both latitude and longitude, or neither.")
            return
        found = self.geocode(text) if text else None
        if latitude is None:
            if found is None:
                self.add_error(
                    "place",
                    f"We could not find the place {text!r}."
                    if text
                    else "Give a place (a town or postcode), or latitude and longitude.",
                )
                return
            latitude, longitude = found.latitude, found.longitude
        # Coordinates too far from every known town need a place name in the file.
        nearest = found or nearest_place(latitude=latitude, longitude=longitude)
        if found:
            place_name = found.name
        elif text:
            # Only a postcode's district is kept: a full postcode would pin a home.
            postcode = normalise_postcode(text)
            place_name = postcode.split()[0] if postcode else text
        elif nearest:
            place_name = nearest.name
        else:
            self.add_error("place", "No known town is near these coordinates: give a place.")
            return
        cleaned["latitude"], cleaned["longitude"] = latitude, longitude
        cleaned["place_name"], cleaned["region"] = place_name, nearest.area if nearest else ""


def import_entries_from_csv(
    *, path: Path, dry_run: bool = False, progress: Callable[[str], None] | None = None
) -> ImportReport:
    """Check every row of the file, then (unless any row is wrong, or `dry_run`) create or
    update the entries in one transaction. The report lists every error by its row number
    in the file, the header being row 1."""
    report = ImportReport()
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            records = list(csv.reader(file))
    except UnicodeDecodeError:
        report.errors.append("The file is not UTF-8 text: save it as “CSV UTF-8”.")
        return report
    except csv.Error as error:
        report.errors.append(f"The file is not valid CSV: {error}.")
        return report
    if not records or not any(records[0]):
        report.errors.append("Row 1: the file is empty; the first row must name the columns.")
        return report
    header = [column.strip().lower() for column in records[0]]
    if header_errors := _check_header(header):
        report.errors.extend(f"Row 1: {error}" for error in header_errors)
        return report
    rows = _check_rows(header=header, records=records, report=report, progress=progress)
    if report.errors:
        return report
    if dry_run:
        _create_or_update(rows=rows, report=report, write=False)
        return report
    with transaction.atomic():
        _create_or_update(rows=rows, report=report, write=True, progress=progress)
        if report.created or report.updated:
            ContentVersion.bump(ContentVersion.Scope.DIRECTORY)
    return report


def _check_header(header: list[str]) -> list[str]:
    errors = []
    if unknown := [column for column in header if column and column not in COLUMNS]:
        errors.append(
            f"unknown column {', '.join(map(repr, unknown))}; the columns are {', '.join(COLUMNS)}."
        )
    if missing := [column for column in REQUIRED_COLUMNS if column not in header]:
        errors.append(f"missing column {', '.join(map(repr, missing))}.")
    if "place" not in header and not {"latitude", "longitude"} <= set(header):
        errors.append("give a place column, or latitude and longitude columns.")
    if repeated := sorted({column for column in header if column and header.count(column) > 1}):
        errors.append(f"repeated column {', '.join(map(repr, repeated))}.")
    return errors


def _check_rows(
    *,
    header: list[str],
    records: list[list[str]],
    report: ImportReport,
    progress: Callable[[str], None] | None,
) -> list[_Row]:
    sectors_by_key = {}
    for sector in Sector.objects.all():
        sectors_by_key[sector.slug.casefold()] = sector
        sectors_by_key[sector.name.casefold()] = sector
    existing = _existing_entries()
    # Files name the same towns many times over; look each up once per import.
    geocode = functools.cache(_first_place)
    seen: dict[tuple[str, str], int] = {}
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line, as spreadsheets often leave at the end
        report.rows += 1
        if progress and report.rows % PROGRESS_EVERY == 0:
            progress(f"Checked {report.rows:,} rows…")
        if len(record) > len(header):
            report.errors.append(f"Row {number}: more cells than the header has columns.")
            continue
        # Cells as the site's CSV export writes them read back as what they stood for.
        cells = (from_spreadsheet_safe(cell) for cell in record)
        data = dict.fromkeys(COLUMNS, "") | dict(zip(header, cells, strict=False))
        for column in ["kind", "status", "organisation_type"]:
            data[column] = "_".join(data[column].lower().replace("-", " ").split())
        form = EntryRowForm(data=data, sectors_by_key=sectors_by_key, geocode=geocode)
        if not form.is_valid():
            report.errors.extend(
                f"Row {number}: {name if name != '__all__' else 'row'}: {message}"
                for name, messages in form.errors.items()
                for message in messages
            )
            continue
        cleaned = form.cleaned_data
        key = _match_key(email=cleaned["contact_email"], name=cleaned["name"])
        if key in seen:
            report.errors.append(
                f"Row {number}: same name and contact email as row {seen[key]}; "
                "each entry may appear only once."
            )
            continue
        seen[key] = number
        matches = existing.get(key, [])
        if len(matches) > 1:
            report.errors.append(
                f"Row {number}: matches {len(matches)} existing entries "
                f"(ids {', '.join(map(str, matches))}); merge them in the admin first."
            )
            continue
        rows.append(
            _Row(
                number=number,
                values={name: cleaned[name] for name in ENTRY_FIELDS},
                sectors=cleaned["sectors"],
                themes=cleaned["themes"],
                status=cleaned["status"],
                existing_pk=matches[0] if matches else None,
            )
        )
    return rows


def _create_or_update(
    *,
    rows: list[_Row],
    report: ImportReport,
    write: bool,
    progress: Callable[[str], None] | None = None,
) -> None:
    """Decides each row's outcome (created, updated, unchanged) and, with `write`, saves it."""
    entries = (
        Entry.objects.prefetch_related("sectors", "themes")
        .filter(pk__in=[row.existing_pk for row in rows if row.existing_pk])
        .in_bulk()
    )
    for done, row in enumerate(rows, start=1):
        entry = entries.get(row.existing_pk) or Entry(status=Entry.Status.AWAITING_REVIEW)
        changed = _apply(row=row, entry=entry)
        if entry.pk is None:
            report.created += 1
        elif changed:
            report.updated += 1
        else:
            report.unchanged += 1
        if write and changed:
            entry.save()
            entry.sectors.set(row.sectors)
            entry.themes.set(row.themes)
        if write and progress and done % PROGRESS_EVERY == 0:
            progress(f"Saved {done:,} of {len(rows):,} rows…")


def _apply(*, row: _Row, entry: Entry) -> bool:
    """Copies the row onto the entry; True when anything differs from what it had."""
    values = row.values | ({"status": row.status} if row.status else {})
    changed = entry.pk is None
    for name, value in values.items():
        if getattr(entry, name) != value:
            setattr(entry, name, value)
            changed = True
    if entry.pk is not None:
        changed = (
            changed
            or not entry.has_exactly_sectors(sector.pk for sector in row.sectors)
            or not entry.has_exactly_themes(row.themes)
        )
    return changed


def _existing_entries() -> dict[tuple[str, str], list[int]]:
    """Real entries by (email, name), ignoring case; demo entries are never matched."""
    existing: dict[tuple[str, str], list[int]] = {}
    for pk, email, name in Entry.objects.filter(is_demo=False).values_list(
        "pk", "contact_email", "name"
    ):
        existing.setdefault(_match_key(email=email, name=name), []).append(pk)
    return existing


def _match_key(*, email: str, name: str) -> tuple[str, str]:
    return email.strip().casefold(), " ".join(name.split()).casefold()


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def _first_place(text: str) -> Place | None:
    candidates = lookup_place(text)
    return candidates[0] if candidates else None
