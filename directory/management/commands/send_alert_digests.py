from django.core.management.base import BaseCommand

from directory.alerts import send_digests
from directory.models import AlertSubscription


class Command(BaseCommand):
    help = (
        "Queues the alert digests of one frequency for the task worker, in batches: each "
        "subscriber hears only what became public since their last digest, and nothing when "
        "nothing is new. Run it daily with --frequency daily and weekly with --frequency weekly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency", required=True, choices=AlertSubscription.Frequency.values
        )

    def handle(self, *, frequency, **options):
        batches = send_digests(frequency=frequency)
        self.stdout.write(self.style.SUCCESS(f"Queued {batches} batches of {frequency} digests."))
