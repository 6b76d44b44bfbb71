"""How long the site keeps what it holds, in one place: the privacy notice quotes these
periods, and `manage.py purge_old_records` deletes what has outlived them, so the two cannot
drift apart. Entries never confirmed are purged by `purge_unconfirmed` (directory.lifecycle).
"""

import math
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_ratelimit.core import _split_rate
from django_tasks_db.models import DBTaskResult

from .lifecycle import erase
from .models import ContactMessage, Entry, Report, TeamMessage

# Entries hidden from the public that their owner may still restore or correct.
INACTIVE_STATUSES = [Entry.Status.REJECTED, Entry.Status.WITHDRAWN]


def periods() -> dict[str, int]:
    """Every retention period the privacy notice states, from the settings the code obeys."""
    return {
        "unconfirmed_entry_days": settings.UNCONFIRMED_ENTRY_DAYS,
        "manage_link_days": settings.MANAGE_LINK_DAYS,
        "inactive_entry_days": settings.INACTIVE_ENTRY_DAYS,
        "undelivered_message_days": settings.UNDELIVERED_MESSAGE_DAYS,
        "handled_message_days": settings.HANDLED_MESSAGE_DAYS,
        "closed_report_days": settings.CLOSED_REPORT_DAYS,
        "staff_login_log_days": settings.STAFF_LOGIN_LOG_DAYS,
        "failed_login_hours": settings.AXES_COOLOFF_TIME,
        "finished_task_days": settings.FINISHED_TASK_DAYS,
        "server_log_days": settings.SERVER_LOG_DAYS,
        # django-ratelimit's counters live in the cache until their window ends.
        "rate_limit_hours": math.ceil(
            max(_split_rate(rate)[1] for rate in settings.RATE_LIMITS.values()) / 3600
        ),
    }


def expired_records() -> dict[str, object]:
    """What has outlived its period, by a name for the report: querysets to delete."""
    now = timezone.now()

    def days_ago(days: int):
        return now - timedelta(days=days)

    return {
        "handled messages to the team": TeamMessage.objects.filter(
            handled_at__lt=days_ago(settings.HANDLED_MESSAGE_DAYS)
        ),
        "closed reports": Report.objects.filter(
            closed_at__lt=days_ago(settings.CLOSED_REPORT_DAYS)
        ),
        # A relayed message is deleted once delivered; these are ones that never could be.
        "undelivered messages to entries": ContactMessage.objects.filter(
            created_at__lt=days_ago(settings.UNDELIVERED_MESSAGE_DAYS)
        ),
        "staff login records": AccessLog.objects.filter(
            attempt_time__lt=days_ago(settings.STAFF_LOGIN_LOG_DAYS)
        ),
        "login failure records": AccessFailureLog.objects.filter(
            attempt_time__lt=days_ago(settings.STAFF_LOGIN_LOG_DAYS)
        ),
        # django-axes deletes these itself only at the next login attempt.
        "failed logins past their lockout": AccessAttempt.objects.filter(
            attempt_time__lt=now - timedelta(hours=settings.AXES_COOLOFF_TIME)
        ),
        "finished email tasks": DBTaskResult.objects.finished().filter(
            finished_at__lt=days_ago(settings.FINISHED_TASK_DAYS)
        ),
    }


def inactive_entries():
    """Rejected or withdrawn entries nobody has touched for INACTIVE_ENTRY_DAYS."""
    cutoff = timezone.now() - timedelta(days=settings.INACTIVE_ENTRY_DAYS)
    return Entry.objects.filter(status__in=INACTIVE_STATUSES, updated_at__lt=cutoff)


def purge_old_records(*, dry_run: bool = False) -> dict[str, int]:
    """Delete everything past its retention period; how many of each went (or would go)."""
    if dry_run:
        counts = {name: records.count() for name, records in expired_records().items()}
        return counts | {"inactive entries": inactive_entries().count()}
    counts = {}
    with transaction.atomic():
        for name, records in expired_records().items():
            # Only the records themselves: what cascades with them is not counted.
            counts[name] = records.delete()[1].get(records.model._meta.label, 0)
        # Erased as an owner would erase them, history and all.
        inactive = list(inactive_entries())
        for entry in inactive:
            erase(entry=entry)
        counts["inactive entries"] = len(inactive)
    return counts
