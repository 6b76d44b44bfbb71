"""The task worker delivers every email at least once: a task whose worker died is run again
once its lease runs out, and one still within its lease is left to its worker."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from directory.models import Entry
from tests.mail_queue import run_worker


@pytest.fixture
def queued_email(client, join_data, settings):
    """A visitor has joined; the confirmation email waits in the database queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.TASK_LEASE_SECONDS = 60
    client.post(reverse("directory:join"), join_data())
    return DBTaskResult.objects.get()


def claimed_by_a_worker_that_died(task: DBTaskResult, *, seconds_ago: float) -> None:
    """What a worker killed mid-send leaves behind: the task claimed, RUNNING, never finished."""
    task.claim("worker-that-died")
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=timezone.now() - timedelta(seconds=seconds_ago)
    )


# Real transactions: the worker calls close_old_connections(), which closes a connection
# it finds inside a test's wrapping transaction (on PostgreSQL).
@pytest.mark.django_db(transaction=True)
def test_an_email_whose_worker_died_mid_send_is_sent_once_its_lease_runs_out(queued_email):
    claimed_by_a_worker_that_died(queued_email, seconds_ago=61)

    run_worker()

    [confirmation] = mail.outbox
    assert confirmation.to == ["pat@example.org"]
    queued_email.refresh_from_db()
    assert queued_email.status == "SUCCESSFUL"
    assert queued_email.worker_ids[0] == "worker-that-died"
    assert len(queued_email.worker_ids) == 2
    assert Entry.objects.get().contact_email == "pat@example.org"


@pytest.mark.django_db(transaction=True)
def test_an_email_within_its_lease_is_left_to_the_worker_sending_it(queued_email):
    claimed_by_a_worker_that_died(queued_email, seconds_ago=30)

    run_worker()

    assert not mail.outbox
    queued_email.refresh_from_db()
    assert queued_email.status == "RUNNING"
    assert queued_email.worker_ids == ["worker-that-died"]


@pytest.mark.django_db(transaction=True)
def test_requeue_stale_tasks_puts_back_only_the_tasks_past_their_lease(queued_email, join_data):
    claimed_by_a_worker_that_died(queued_email, seconds_ago=61)
    other = DBTaskResult.objects.create(
        args_kwargs=queued_email.args_kwargs,
        task_path=queued_email.task_path,
        backend_name=queued_email.backend_name,
    )
    claimed_by_a_worker_that_died(other, seconds_ago=5)

    call_command("requeue_stale_tasks", "--lease", "60", verbosity=0)

    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses == {queued_email.pk: "READY", other.pk: "RUNNING"}
