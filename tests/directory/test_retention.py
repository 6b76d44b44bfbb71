"""`purge_old_records` deletes exactly what the privacy notice says is kept no longer, from the
same settings, and nothing else."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from directory.models import ContactMessage, Entry, Report, TeamMessage
from directory.retention import purge_old_records

pytestmark = pytest.mark.django_db


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def make_message(*, handled_days_ago=None):
    message = TeamMessage.objects.create(sender_name="Sam", sender_email="s@x.org", body="Hi")
    if handled_days_ago is not None:
        TeamMessage.objects.filter(pk=message.pk).update(handled_at=days_ago(handled_days_ago))
    return message


def make_report(*, closed_days_ago=None, entry=None):
    report = Report.objects.create(
        entry=entry, page_path="/stories/x/", page_title="X", reason=Report.Reason.SPAM
    )
    if closed_days_ago is not None:
        Report.objects.filter(pk=report.pk).update(closed_at=days_ago(closed_days_ago))
    return report


def make_login(model, *, days_ago_: float, username="admin", **fields):
    record = model.objects.create(
        user_agent="Firefox", ip_address="192.0.2.1", username=username, http_accept="*/*",
        path_info="/admin/login/", **fields,
    )  # fmt: skip
    model.objects.filter(pk=record.pk).update(attempt_time=days_ago(days_ago_))
    return record


def make_task(*, status, finished_days_ago=None):
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {"kind": "confirm", "entry_id": 1}},
        task_path="directory.emails.deliver_entry_email",
        backend_name="default",
        run_after=days_ago(30),
        finished_at=days_ago(finished_days_ago) if finished_days_ago is not None else None,
    )


def surviving(model) -> set:
    return set(model.objects.values_list("pk", flat=True))


def test_each_kind_of_record_goes_only_once_its_period_is_over(make_entry, settings):
    settings.HANDLED_MESSAGE_DAYS = settings.CLOSED_REPORT_DAYS = 30
    settings.UNDELIVERED_MESSAGE_DAYS = 14
    settings.STAFF_LOGIN_LOG_DAYS = 90
    settings.FINISHED_TASK_DAYS = 14
    settings.AXES_COOLOFF_TIME = 1
    entry = make_entry("Open Door")

    make_message(handled_days_ago=31)
    recent_handled = make_message(handled_days_ago=29)
    unhandled = make_message()
    TeamMessage.objects.filter(pk=unhandled.pk).update(created_at=days_ago(1000))
    make_report(closed_days_ago=31)
    recent_closed = make_report(closed_days_ago=29)
    old_open = make_report(entry=entry)
    Report.objects.filter(pk=old_open.pk).update(created_at=days_ago(1000))
    undelivered = ContactMessage.objects.create(
        entry=entry, sender_name="Sam", sender_email="s@x.org", body="Hello"
    )
    ContactMessage.objects.filter(pk=undelivered.pk).update(created_at=days_ago(15))
    waiting = ContactMessage.objects.create(
        entry=entry, sender_name="Sam", sender_email="s@x.org", body="Hello"
    )
    make_login(AccessLog, days_ago_=91)
    recent_login = make_login(AccessLog, days_ago_=89)
    extra = {"get_data": "", "post_data": "", "failures_since_start": 1}
    make_login(AccessAttempt, days_ago_=2 / 24, username="old", **extra)
    live_attempt = make_login(AccessAttempt, days_ago_=0.5 / 24, username="new", **extra)
    make_task(status="SUCCESSFUL", finished_days_ago=15)
    recent_task = make_task(status="FAILED", finished_days_ago=13)
    queued_task = make_task(status="READY")

    counts = purge_old_records()

    assert surviving(TeamMessage) == {recent_handled.pk, unhandled.pk}
    assert surviving(Report) == {recent_closed.pk, old_open.pk}
    assert surviving(ContactMessage) == {waiting.pk}
    assert surviving(AccessLog) == {recent_login.pk}
    assert surviving(AccessAttempt) == {live_attempt.pk}
    assert surviving(DBTaskResult) == {recent_task.pk, queued_task.pk}
    assert counts == {
        "handled messages to the team": 1,
        "closed reports": 1,
        "undelivered messages to entries": 1,
        "staff login records": 1,
        "login failure records": 0,
        "failed logins past their lockout": 1,
        "finished email tasks": 1,
        "inactive entries": 0,
    }


def test_rejected_or_withdrawn_entries_left_untouched_are_erased_with_their_history(
    make_entry, settings
):
    settings.INACTIVE_ENTRY_DAYS = 365
    forgotten = make_entry("Forgotten", status=Entry.Status.REJECTED)
    withdrawn_lately = make_entry("Withdrawn lately", status=Entry.Status.WITHDRAWN)
    published_long_ago = make_entry("Published long ago")
    Entry.objects.filter(pk__in=[forgotten.pk, published_long_ago.pk]).update(
        updated_at=days_ago(366)
    )

    counts = purge_old_records()

    assert counts["inactive entries"] == 1
    assert surviving(Entry) == {withdrawn_lately.pk, published_long_ago.pk}
    assert not Entry.history.filter(id=forgotten.pk).exists()


def test_a_dry_run_counts_and_deletes_nothing(make_entry):
    make_message(handled_days_ago=10_000)
    make_entry("Forgotten", status=Entry.Status.REJECTED)
    Entry.objects.update(updated_at=days_ago(10_000))

    counts = purge_old_records(dry_run=True)

    assert counts["handled messages to the team"] == 1 and counts["inactive entries"] == 1
    assert TeamMessage.objects.exists() and Entry.objects.exists()


def test_the_command_reports_what_it_deleted(capsys):
    make_message(handled_days_ago=10_000)

    call_command("purge_old_records", "--dry-run")
    call_command("purge_old_records")

    dry, real = capsys.readouterr().out.splitlines()
    assert dry.startswith("Would delete 1 handled messages to the team, 0 closed reports")
    assert real.startswith("Deleted 1 handled messages to the team, 0 closed reports")
    assert not TeamMessage.objects.exists()


def test_the_notice_and_the_purge_read_the_same_setting(client, settings):
    settings.HANDLED_MESSAGE_DAYS = 5
    make_message(handled_days_ago=6)
    kept = make_message(handled_days_ago=4)

    purge_old_records()

    assert surviving(TeamMessage) == {kept.pk}
    assert "then for 5 days more" in client.get(reverse("privacy")).content.decode()
