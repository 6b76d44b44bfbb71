from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from directory.murmurations import register_with_index


class Command(BaseCommand):
    help = (
        "Tells the Murmurations index (MURMURATIONS_INDEX_URL) about every public entry's "
        "profile, and that the profiles of entries withdrawn or rejected since are gone, so "
        "that the network's maps stay current. Run it after changes, or daily. Without "
        "MURMURATIONS_INDEX_URL it only lists what it would send: the site never calls the "
        "index unless that setting is set."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(self, *, dry_run, **options):
        index_url = settings.MURMURATIONS_INDEX_URL
        dry_run = dry_run or not index_url
        registration = register_with_index(index_url=index_url, dry_run=dry_run)
        for url in registration.posted:
            self.stdout.write(f"POST {url}")
        for url in registration.deleted:
            self.stdout.write(f"DELETE {url}")
        if not index_url:
            self.stdout.write("MURMURATIONS_INDEX_URL is not set: nothing was sent.")
        verb = "Would tell" if dry_run else "Told"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} the index of {len(registration.posted)} profiles and "
                f"{len(registration.deleted)} removals."
            )
        )
        if registration.failed:
            raise CommandError(
                f"The index did not accept {len(registration.failed)} requests; see the log."
            )
