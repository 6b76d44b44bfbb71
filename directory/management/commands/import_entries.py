"""Imports an existing directory from a CSV file, all rows or none (see directory/importing.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.importing import import_entries_from_csv


class Command(BaseCommand):
    help = (
        "Imports entries from a UTF-8 CSV file with a header row. Columns: name, kind "
        "(practitioner|organisation), summary, sectors (names or slugs, ';'-separated) and "
        "contact_email are required; place (a town or postcode) or latitude and longitude (used "
        "when both are given) say where; optional: description, inspiration, themes (';'), "
        "organisation_type, website, links (';', http/https only), status (awaiting_review, the "
        "default, or published). Every row is checked first and any error stops the import. A row "
        "whose contact_email and name match an existing entry updates it, so re-running is safe."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )

    def handle(self, *, file, dry_run, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        report = import_entries_from_csv(
            path=file,
            dry_run=dry_run,
            progress=self.stdout.write if options["verbosity"] else None,
        )
        if report.errors:
            raise CommandError(
                f"Nothing was imported; {len(report.errors)} problem(s) to fix:\n"
                + "\n".join(report.errors)
            )
        outcome = (
            f"created {report.created:,}, updated {report.updated:,}, "
            f"unchanged {report.unchanged:,} (of {report.rows:,} rows)."
        )
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"Dry run, nothing written. Would have {outcome}"))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported: {outcome}"))
