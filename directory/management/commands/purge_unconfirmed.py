from django.conf import settings
from django.core.management.base import BaseCommand

from directory.alerts import purge_unconfirmed_alerts
from directory.lifecycle import purge_unconfirmed


class Command(BaseCommand):
    help = (
        "Deletes entries and alerts whose email address was never confirmed, "
        "UNCONFIRMED_ENTRY_DAYS after they were submitted: we keep no personal data nobody has "
        "vouched for. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many would go; delete nothing."
        )

    def handle(self, *, dry_run, **options):
        count = purge_unconfirmed(dry_run=dry_run)
        alerts = purge_unconfirmed_alerts(dry_run=dry_run)
        days = settings.UNCONFIRMED_ENTRY_DAYS
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {count} entries unconfirmed after {days} days.")
        )
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {alerts} alerts unconfirmed after {days} days.")
        )
