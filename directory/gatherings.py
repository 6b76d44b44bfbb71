"""The life of a gathering: posted by an owner (or staff), reviewed, published, edited,
cancelled. Like directory.lifecycle for entries, each step that changes what the public
sees moves the directory's version forward in the same transaction, so that cached pages,
feeds and validators move with it."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .emails import EntryEmail, admin_url, send_entry_email
from .models import ContentVersion, Entry, Gathering, Sector

DIRECTORY = ContentVersion.Scope.DIRECTORY
APPROVABLE = {Gathering.Status.AWAITING_REVIEW, Gathering.Status.REJECTED}
REJECTABLE = {Gathering.Status.AWAITING_REVIEW, Gathering.Status.PUBLISHED}
CANCELLABLE = {Gathering.Status.AWAITING_REVIEW, Gathering.Status.PUBLISHED}


def submit(
    *,
    gathering: Gathering,
    organiser: Entry,
    sectors: list[Sector],
    themes: list[str],
    submission_id: str,
) -> Gathering:
    """Save an owner's new gathering; it waits for a moderator and nothing public changes.
    The same form sent again returns the gathering it stored."""
    if stored := Gathering.objects.filter(submission_id=submission_id).first():
        return stored
    gathering.organiser = organiser
    gathering.status = Gathering.Status.AWAITING_REVIEW
    gathering.submission_id = submission_id
    try:
        with transaction.atomic():
            gathering.save()
            gathering.sectors.set(sectors)
            gathering.themes.set(themes)
            tell_moderators(gathering)
    except IntegrityError:
        # Sent twice at once: the other request stored it.
        if stored := Gathering.objects.filter(submission_id=submission_id).first():
            return stored
        raise
    return gathering


def submit_owner_edit(*, gathering: Gathering, sectors: list[Sector], themes: list[str]) -> None:
    """Save an owner's edit. It goes back to review, so a published gathering leaves the
    public pages and feeds until a moderator approves the change."""
    was_public = gathering.status == Gathering.Status.PUBLISHED
    with transaction.atomic():
        if gathering.status != Gathering.Status.CANCELLED:
            gathering.status = Gathering.Status.AWAITING_REVIEW
        gathering.save()
        gathering.sectors.set(sectors)
        gathering.themes.set(themes)
        if was_public:
            ContentVersion.bump(DIRECTORY)
        if gathering.organiser_id and gathering.status == Gathering.Status.AWAITING_REVIEW:
            tell_moderators(gathering)


def tell_moderators(gathering: Gathering) -> None:
    """Queue the moderators' email about a gathering waiting for review (its organiser's)."""
    send_entry_email(
        kind=EntryEmail.REVIEW_GATHERING,
        entry=gathering.organiser,
        gathering_title=gathering.title,
        gathering_review_url=admin_url(gathering),
    )


def tell_organiser(gathering: Gathering, *, kind: EntryEmail, **extra: str) -> None:
    """Queue the email telling the organiser's owner what a moderator decided (the site's own
    gatherings have no organiser to tell). It carries no private link: owners forward these."""
    if gathering.organiser_id:
        send_entry_email(
            kind=kind,
            entry=gathering.organiser,
            gathering_title=gathering.title,
            gathering_url=settings.SITE_URL + gathering.get_absolute_url(),
            **extra,
        )


def approve(*, gathering: Gathering) -> None:
    """Publish it. Approving a gathering that was published before (an edit) raises its
    iCalendar SEQUENCE, so that calendars replace their copy."""
    with transaction.atomic():
        if gathering.published_at is not None:
            gathering.sequence += 1
        gathering.status = Gathering.Status.PUBLISHED
        gathering.rejection_reason = ""
        gathering.save()
        ContentVersion.bump(DIRECTORY)
        tell_organiser(gathering, kind=EntryEmail.GATHERING_APPROVED)


def reject(*, gathering: Gathering, reason: str) -> None:
    with transaction.atomic():
        gathering.status = Gathering.Status.REJECTED
        gathering.rejection_reason = reason
        gathering.save()
        ContentVersion.bump(DIRECTORY)
        tell_organiser(gathering, kind=EntryEmail.GATHERING_REJECTED, reason=reason)


def cancel(*, gathering: Gathering) -> None:
    """Cancel it. One that was published stays in the feeds for a while as cancelled
    (GatheringQuerySet.public), with a higher SEQUENCE, so that calendars drop it."""
    with transaction.atomic():
        gathering.status = Gathering.Status.CANCELLED
        gathering.cancelled_at = timezone.now()
        gathering.sequence += 1
        gathering.save()
        ContentVersion.bump(DIRECTORY)
