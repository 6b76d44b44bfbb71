"""The task worker that sends the site's emails, made to deliver each at least once.

django_tasks_db's `db_worker` claims a task by marking it RUNNING and stops on the first
database error, so a worker killed mid-send, or one that meets a database outage, leaves the
email unsent for ever. Here a task RUNNING for longer than TASK_LEASE_SECONDS is taken to
belong to a worker that died and is put back in the queue; a database outage is waited out
(the task it interrupted goes back in the queue); and the worker runs db_worker's own loop
in passes, one each time the queue is empty, so that it can look for such tasks between them.
An email may then be sent twice; it is never lost.
"""

import contextlib
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models import Q
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# What a lost or refused database connection raises.
DATABASE_OUTAGE_ERRORS = (OperationalError, InterfaceError)
OUTAGE_ERROR_PATHS = {
    f"{error.__module__}.{error.__qualname__}" for error in DATABASE_OUTAGE_ERRORS
}


def requeue_stale_tasks(*, lease: timedelta | None = None) -> int:
    """Put back in the queue every task RUNNING for longer than the lease: its worker died
    (killed, or its machine lost) before it could record the outcome. Returns how many."""
    if lease is None:
        lease = timedelta(seconds=settings.TASK_LEASE_SECONDS)
    stale = DBTaskResult.objects.running().filter(started_at__lt=timezone.now() - lease)
    stale_ids = list(stale.values_list("pk", flat=True))
    # Filtered again in the update, so that a task finished meanwhile stays finished.
    count = stale.filter(pk__in=stale_ids).update(
        status=TaskResultStatus.READY, run_after=timezone.now()
    )
    if count:
        logger.warning("Put %s stale task(s) back in the queue: %s", count, stale_ids)
    return count


def requeue_interrupted_task(*, task_id) -> bool:
    """Put back a task that a database outage cut short, whether it was left RUNNING or
    recorded as failed with the outage's error."""
    interrupted = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.RUNNING)
        | Q(status=TaskResultStatus.FAILED, exception_class_path__in=OUTAGE_ERROR_PATHS),
        pk=task_id,
    )
    requeued = bool(interrupted.update(status=TaskResultStatus.READY, run_after=timezone.now()))
    if requeued:
        logger.warning("Put task %s, cut short by the database outage, back in the queue", task_id)
    return requeued


class QuietPasses(logging.Filter):
    """db_worker announces each start and each empty queue, which here is every pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(("Starting worker", "No more tasks to run"))


class ResilientWorker(Worker):
    def __init__(self, *, batch: bool, **options):
        # Each pass of db_worker's loop runs until the queue is empty ("batch"); `once`
        # keeps the caller's own --batch, which stops after the first pass.
        super().__init__(batch=True, **options)
        self.once = batch
        self.lease = timedelta(seconds=settings.TASK_LEASE_SECONDS)
        self.next_stale_check = 0.0
        self.interrupted_task_ids = set()

    def run(self) -> None:
        logging.getLogger("django_tasks_db").addFilter(QuietPasses())
        logger.info("Worker %s started (lease %s)", self.worker_id, self.lease)
        delay = None  # seconds to wait before trying the database again; None when it answers
        while self.running:
            try:
                self.recover()
                super().run()
            except DATABASE_OUTAGE_ERRORS as error:
                delay = min(delay * 2 if delay else 0.5, settings.WORKER_RETRY_MAX_SECONDS)
                logger.warning("Database unavailable (%s); trying again in %ss", error, delay)
                # A broken connection must not be reused; the next query opens a new one.
                with contextlib.suppress(DatabaseError):
                    connection.close()
                time.sleep(delay)
                continue
            if delay is not None:
                logger.info("Database available again; carrying on")
                delay = None
            self.startup_delay = False  # only before the first pass
            if self.once or (self.max_tasks is not None and self._run_tasks >= self.max_tasks):
                return
            time.sleep(self.interval)

    def recover(self) -> None:
        """Between passes: the tasks an outage interrupted, then (now and then) the tasks of
        workers that died, go back in the queue."""
        for task_id in list(self.interrupted_task_ids):
            requeue_interrupted_task(task_id=task_id)
            self.interrupted_task_ids.discard(task_id)
        if time.monotonic() >= self.next_stale_check:
            requeue_stale_tasks(lease=self.lease)
            self.next_stale_check = time.monotonic() + self.lease.total_seconds() / 4

    def run_task(self, db_task_result: DBTaskResult) -> None:
        # If the outage outlasts db_worker's own retries of recording the outcome, the error
        # leaves run_task with the task still RUNNING; recover() puts it back afterwards.
        self.interrupted_task_ids.add(db_task_result.pk)
        super().run_task(db_task_result)
        if db_task_result.exception_class_path not in OUTAGE_ERROR_PATHS:
            self.interrupted_task_ids.discard(db_task_result.pk)
