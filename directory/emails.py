"""The directory's emails, sent through the task queue so that no request waits on the mail
server and a failed send is tried again later.

Tasks carry only ids and short texts; each email is rendered when it is sent, from
templates/emails/<kind>_subject.txt, <kind>.txt and <kind>.html, with absolute links built
from SITE_URL. With the database task backend (production) the task row is written in the
same transaction as the entry it is about, so an entry never exists without its email.
"""

import logging
import smtplib
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, mailers
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from relmap.context_processors import site_context

from . import tokens
from .models import ContactMessage, Entry, Report, TeamMessage

logger = logging.getLogger(__name__)

SEND_ERRORS = (smtplib.SMTPException, OSError)


class EntryEmail(StrEnum):
    """The emails about an entry, each named after its templates (emails/<name>.txt)."""

    CONFIRM = "confirm"
    REVIEW_ENTRY = "review_entry"
    APPROVED = "approved"
    REJECTED = "rejected"
    MANAGE_LINK = "manage_link"
    REVIEW_CHANGES = "review_changes"
    CHANGES_APPROVED = "changes_approved"
    CHANGES_REJECTED = "changes_rejected"
    REVIEW_GATHERING = "review_gathering"
    GATHERING_APPROVED = "gathering_approved"
    GATHERING_REJECTED = "gathering_rejected"
    CONNECTION_PROPOSED = "connection_proposed"
    CONNECTION_CONFIRMED = "connection_confirmed"


# Who receives each.
TO_OWNER = {
    EntryEmail.CONFIRM,
    EntryEmail.APPROVED,
    EntryEmail.REJECTED,
    EntryEmail.MANAGE_LINK,
    EntryEmail.CHANGES_APPROVED,
    EntryEmail.CHANGES_REJECTED,
    EntryEmail.GATHERING_APPROVED,
    EntryEmail.GATHERING_REJECTED,
    EntryEmail.CONNECTION_PROPOSED,
    EntryEmail.CONNECTION_CONFIRMED,
}
TO_MODERATORS = {EntryEmail.REVIEW_ENTRY, EntryEmail.REVIEW_CHANGES, EntryEmail.REVIEW_GATHERING}
# The only emails that carry the owner's private links (confirm, manage, and the data
# download under it): each goes to the owner alone, from us, with nobody else to reply to,
# and needs them. The approval is the email owners forward, so it carries none; the contact
# relay, which a visitor will receive a reply to, never does. Nor do the decisions on an
# owner's changes: the owner edited from their link moments ago, so still has it, and the
# entry is public meanwhile, so a decision forwarded to a colleague ("can you fix this?")
# must not hand over a live entry. A proposed connection is answered from the partner's own
# manage page, so its email carries that link, to the partner's owner alone; the proposer
# hears of the confirmation without one, since that is news an owner passes on.
WITH_PRIVATE_LINKS = {
    EntryEmail.CONFIRM,
    EntryEmail.REJECTED,
    EntryEmail.MANAGE_LINK,
    EntryEmail.CONNECTION_PROPOSED,
}


def send_entry_email(*, kind: EntryEmail, entry: Entry, **extra: str) -> None:
    """Queue an email about an entry. Call it inside the transaction that changed the entry."""
    deliver_entry_email.enqueue(kind=kind, entry_id=entry.pk, **extra)


def send_contact_message(*, message: ContactMessage) -> None:
    deliver_contact_message.enqueue(message_id=message.pk)


def send_team_message(*, message: TeamMessage) -> None:
    deliver_team_message.enqueue(message_id=message.pk)


def send_report(*, report: Report) -> None:
    deliver_report.enqueue(report_id=report.pk)


@task()
def deliver_entry_email(*, kind: str, entry_id: int, attempt: int = 1, **extra: str) -> str:
    entry = Entry.objects.filter(pk=entry_id).first()
    if entry is None:
        return "entry deleted: nothing to send"
    if kind in TO_OWNER:
        recipients = [entry.contact_email]
    elif kind in TO_MODERATORS:
        recipients = moderator_addresses()
    else:
        raise ValueError(f"unknown email kind {kind!r}")
    context = {"entry": entry, **extra} | links_for(kind, entry)
    message = render_email(kind=kind, context=context, to=recipients)
    send_or_retry(
        message, task=deliver_entry_email, attempt=attempt, kind=kind, entry_id=entry_id, **extra
    )
    return "sent"


@task()
def deliver_contact_message(*, message_id: int, attempt: int = 1) -> str:
    message = ContactMessage.objects.select_related("entry").filter(pk=message_id).first()
    if message is None:
        return "message gone: nothing to send"
    email = render_email(
        kind="contact",
        context={"message": message, "entry": message.entry} | public_links(message.entry),
        to=[message.entry.contact_email],
        reply_to=[message.sender_email],
    )
    send_or_retry(email, task=deliver_contact_message, attempt=attempt, message_id=message_id)
    # The message is kept only until it has been delivered.
    message.delete()
    return "sent"


@task()
def deliver_team_message(*, message_id: int, attempt: int = 1) -> str:
    message = TeamMessage.objects.filter(pk=message_id).first()
    if message is None:
        return "message gone: nothing to send"
    email = render_email(
        kind="team_message",
        context={"message": message, "review_url": admin_url(message)},
        to=moderator_addresses(),
        reply_to=[message.sender_email],
    )
    # Unlike a relayed message, this one stays in the admin after sending.
    send_or_retry(email, task=deliver_team_message, attempt=attempt, message_id=message_id)
    return "sent"


@task()
def deliver_report(*, report_id: int, attempt: int = 1) -> str:
    report = Report.objects.select_related("entry").filter(pk=report_id).first()
    if report is None:
        return "report gone: nothing to send"
    email = render_email(
        kind="report",
        context={
            "report": report,
            "page_url": settings.SITE_URL + report.page_path,
            "review_url": admin_url(report),
        },
        to=moderator_addresses(),
        reply_to=[report.reporter_email] if report.reporter_email else [],
    )
    send_or_retry(email, task=deliver_report, attempt=attempt, report_id=report_id)
    return "sent"


def render_email(*, kind: str, context: dict, to: list[str], reply_to=()) -> EmailMultiAlternatives:
    context = {**site_context(), **context}
    subject = " ".join(render_to_string(f"emails/{kind}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{kind}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=list(reply_to),
    )
    message.attach_alternative(render_to_string(f"emails/{kind}.html", context), "text/html")
    return message


def links_for(kind: str, entry: Entry) -> dict[str, str]:
    """The links an email of this kind may carry, by who reads it."""
    if kind in TO_MODERATORS:
        admin_url = reverse("admin:directory_entry_change", args=[entry.pk])
        return public_links(entry) | {"review_url": settings.SITE_URL + admin_url}
    if kind in WITH_PRIVATE_LINKS:
        return public_links(entry) | {
            "confirm_url": tokens.confirmation_url(entry),
            "manage_url": tokens.management_url(entry),
        }
    return public_links(entry)


def public_links(entry: Entry) -> dict[str, str]:
    """Links anyone may hold: the profile, and the page where an owner asks for a link."""
    return {
        "profile_url": settings.SITE_URL + entry.get_absolute_url(),
        "manage_request_url": settings.SITE_URL + reverse("directory:manage_request"),
    }


def admin_url(record) -> str:
    """The absolute address of a record's page in the admin."""
    opts = record._meta
    return settings.SITE_URL + reverse(
        f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]
    )


def moderator_addresses() -> list[str]:
    if settings.MODERATOR_EMAILS:
        return list(settings.MODERATOR_EMAILS)
    can_moderate = (
        Q(is_superuser=True)
        | Q(groups__permissions__codename="change_entry")
        | Q(user_permissions__codename="change_entry")
    )
    users = get_user_model().objects.filter(can_moderate, is_active=True, is_staff=True)
    return sorted({email for email in users.values_list("email", flat=True) if email})


def send_or_retry(message: EmailMultiAlternatives, *, task, attempt: int, **arguments) -> None:
    """Send now; if the mail server fails, queue the same task to try again later (when the
    task backend can run tasks later) and re-raise so that this attempt shows as failed."""
    if not message.to:
        return
    try:
        mailers.default.send_messages([message])
    except SEND_ERRORS:
        backend = task.get_backend()
        delays = settings.EMAIL_RETRY_DELAYS
        if attempt <= len(delays) and backend.supports_defer:
            run_after = timezone.now() + timedelta(seconds=delays[attempt - 1])
            task.using(run_after=run_after).enqueue(attempt=attempt + 1, **arguments)
        else:
            logger.error("Giving up on an email after %s attempts: %s", attempt, message.subject)
        raise
