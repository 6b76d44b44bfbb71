"""What visitors send the moderators: messages to the team ("Contact us") and reports on
pages. Each is stored and its email queued in one transaction, so that nothing is lost when
the mail server fails: the admin always has it."""

from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .emails import send_report, send_team_message
from .models import Entry, Report, TeamMessage

# An entry flagged by a report says so, and loses the flag once no report on it is open; a flag
# set for another reason (a likely duplicate) is left for a moderator to clear.
REPORTED_FLAG_REASON = "Reported by a visitor: see its open reports."
REPORT_LINK_SALT = "directory.inbox.report-link"


def receive_team_message(*, message: TeamMessage) -> TeamMessage:
    with transaction.atomic():
        message.save()
        send_team_message(message=message)
    return message


def mark_handled(*, messages, by) -> int:
    """Stamp who handled the messages not yet handled, and when. Returns how many."""
    return messages.unhandled().update(handled_at=timezone.now(), handled_by=by)


def report_link_token(*, path: str, title: str) -> str:
    """What a "Report this page" link carries: the page's path and title, signed, so that only
    pages that show the link can be reported, and the directory learns a story's title
    without importing the app that made it. Untimed, so a page is the same on every visit."""
    return signing.Signer(salt=REPORT_LINK_SALT).sign_object({"path": path, "title": title})


def reported_page(token: str) -> dict | None:
    """The path and title a report link carries, or None when it was not made by us."""
    try:
        page = signing.Signer(salt=REPORT_LINK_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    return page if isinstance(page, dict) and {"path", "title"} <= page.keys() else None


def file_report(*, report: Report) -> Report:
    """Store a report, flag its entry (if it is about one) and tell the moderators."""
    with transaction.atomic():
        report.save()
        if report.entry_id:
            # An update, not save(): a flag is for the moderators, not a change to the entry,
            # so it adds no history record and leaves the public map data alone.
            Entry.objects.filter(pk=report.entry_id, flagged=False).update(
                flagged=True, flag_reason=REPORTED_FLAG_REASON
            )
        send_report(report=report)
    return report


def close_reports(*, reports, by) -> int:
    """Close the open reports among `reports`, stamping who and when. Returns how many."""
    with transaction.atomic():
        open_reports = reports.open()
        entry_ids = set(open_reports.exclude(entry=None).values_list("entry_id", flat=True))
        closed = open_reports.update(closed_at=timezone.now(), closed_by=by)
        Entry.objects.filter(pk__in=entry_ids, flag_reason=REPORTED_FLAG_REASON).exclude(
            has_open_reports()
        ).update(flagged=False, flag_reason="")
    return closed


def has_open_reports() -> Exists:
    """For a query on entries: whether the entry has a report nobody has closed yet."""
    return Exists(Report.objects.open().filter(entry=OuterRef("pk")))
