from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from directory.worker import requeue_stale_tasks


class Command(BaseCommand):
    help = (
        "Puts back in the queue the tasks left RUNNING for longer than TASK_LEASE_SECONDS by a "
        "worker that died. run_worker does this by itself; this is for a worker started some "
        "other way, or to do it now."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--lease",
            type=float,
            default=settings.TASK_LEASE_SECONDS,
            help="Seconds after which a running task is taken to be abandoned.",
        )

    def handle(self, *, lease, **options):
        count = requeue_stale_tasks(lease=timedelta(seconds=lease))
        self.stdout.write(self.style.SUCCESS(f"Put {count} stale task(s) back in the queue."))
