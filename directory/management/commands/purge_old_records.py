from django.core.management.base import BaseCommand

from directory.retention import purge_old_records


class Command(BaseCommand):
    help = (
        "Deletes what the privacy notice says we keep no longer: handled messages to the team, "
        "closed reports, undelivered messages, old login records, finished email tasks, and "
        "rejected or withdrawn entries left untouched. The periods are settings (see the "
        "README). Run it daily, beside purge_unconfirmed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many would go; delete nothing."
        )

    def handle(self, *, dry_run, **options):
        counts = purge_old_records(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"{verb} {summary}."))
