"""The life of an entry, in the order it happens:

    join      submit_entry          awaiting confirmation, confirmation emailed
    confirm   confirm_email         awaiting review, moderators told
    review    approve / reject      published (or taken down), owner told
    change    submit_owner_changes  applied, or held as PendingChanges while published;
              approve_changes / reject_changes / withdraw_changes decide what was held
    withdraw  withdraw              hidden, kept so that its owner can send it back
    erase     erase                 gone, history included (purge_unconfirmed for the
                                    never confirmed)

and what an owner's private link offers besides (the contact switch, new links, their data).
Each step that changes an entry and sends an email does both in one transaction; each step
that changes what the public sees moves the directory's version forward in that transaction
too (ContentVersion.bump), so that no cache or client keeps the old answer. changes.py says
in words what an edit changes; PendingChanges decides it.
"""

import difflib
import re
from dataclasses import dataclass, field, replace
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import connections, tokens
from .changes import what_changes
from .emails import EntryEmail, send_entry_email
from .models import (
    Connection,
    ContactMessage,
    ContentVersion,
    Entry,
    PendingChanges,
    Resource,
    Sector,
)

DUPLICATE_NAME_SIMILARITY = 0.85
DIRECTORY = ContentVersion.Scope.DIRECTORY


class EditOutcome(StrEnum):
    """What became of an owner's edit, so that the page can say so truthfully."""

    UNCHANGED = "unchanged"  # nothing differed from what the form showed
    APPLIED = "applied"  # an entry not yet published, changed at once
    SENT_FOR_REVIEW = "sent_for_review"  # a rejected or withdrawn entry, back for review
    HELD = "held"  # a published entry: the changes wait for a moderator
    MATCHES_PUBLISHED = "matches_published"  # the owner undid the changes that waited


@dataclass(frozen=True)
class EditResult:
    """What became of an owner's edit, with the changes on either side of it, so that the
    page can say which parts changed and which wait (changes.EditInWords)."""

    outcome: EditOutcome
    # What waited for a moderator before the edit; empty when nothing did.
    before: PendingChanges = field(default_factory=PendingChanges)
    # What the edit applied, or, for a published entry, what waits now.
    after: PendingChanges = field(default_factory=PendingChanges)


@dataclass(frozen=True)
class Erasure:
    """What erasing an entry deleted, for the page that tells its owner."""

    name: str
    resources: int
    messages: int


# Join and confirm.


def submit_entry(
    *, entry: Entry, sectors: list[Sector], themes: list[str], submission_id: str
) -> Entry:
    """Save a new entry from the join form, flag a likely duplicate for the moderators, and
    queue the confirmation email, all or nothing. The form's id is stored with the entry:
    the same form sent again returns the stored entry, and one that failed can be resent."""
    if stored := Entry.objects.filter(submission_id=submission_id).first():
        return stored
    entry.status = Entry.Status.AWAITING_CONFIRMATION
    entry.submission_id = submission_id
    if duplicate := likely_duplicate_of(entry):
        entry.flagged = True
        entry.flag_reason = f"Same email and a similar name to entry #{duplicate.pk} “{duplicate}”."
    try:
        with transaction.atomic():
            entry._change_reason = "Submitted through the join form"
            entry.save()
            entry.sectors.set(sectors)
            entry.themes.set(themes)
            send_entry_email(kind=EntryEmail.CONFIRM, entry=entry)
    except IntegrityError:
        # Sent twice at once: the other request stored it.
        if stored := Entry.objects.filter(submission_id=submission_id).first():
            return stored
        raise
    return entry


def likely_duplicate_of(entry: Entry) -> Entry | None:
    others = Entry.objects.filter(contact_email__iexact=entry.contact_email).exclude(pk=entry.pk)
    for other in others.only("pk", "name"):
        similarity = difflib.SequenceMatcher(None, _simple(entry.name), _simple(other.name))
        if similarity.ratio() >= DUPLICATE_NAME_SIMILARITY:
            return other
    return None


def _simple(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def confirm_email(*, entry: Entry) -> bool:
    """Move a newly confirmed entry to the review queue and tell the moderators. False when
    it was already confirmed (a second click on the link changes nothing)."""
    if entry.status != Entry.Status.AWAITING_CONFIRMATION:
        return False
    with transaction.atomic():
        entry.status = Entry.Status.AWAITING_REVIEW
        entry.confirmed_at = timezone.now()
        entry._change_reason = "Email address confirmed"
        entry.save()
        send_entry_email(kind=EntryEmail.REVIEW_ENTRY, entry=entry)
    return True


# Review: publish or reject.


def approve(*, entry: Entry) -> None:
    with transaction.atomic():
        entry.status = Entry.Status.PUBLISHED
        entry.rejection_reason = ""
        entry._change_reason = "Approved"
        entry.save()
        ContentVersion.bump(DIRECTORY)
        send_entry_email(kind=EntryEmail.APPROVED, entry=entry)


def reject(*, entry: Entry, reason: str) -> None:
    # A published entry is taken off the map; its owner is told that, not "not approved".
    occasion = {"occasion": "taken_down"} if entry.is_published else {}
    with transaction.atomic():
        entry.status = Entry.Status.REJECTED
        entry.rejection_reason = reason
        entry._change_reason = "Rejected"
        entry.save()
        ContentVersion.bump(DIRECTORY)
        send_entry_email(kind=EntryEmail.REJECTED, entry=entry, reason=reason, **occasion)


# Change: an owner's edit, applied or held for review, and the decision on what was held.


def submit_owner_changes(*, entry: Entry, changes: PendingChanges) -> EditResult:
    """Apply an owner's edit, or hold it for review while the entry is published (the
    published version stays public meanwhile, untouched). Changes already waiting are kept
    under the new ones, so that edits to the entry and to its resources wait together."""
    if entry.status == Entry.Status.PUBLISHED:
        return _hold_changes(entry=entry, changes=changes)
    proposed = (entry.held_changes or PendingChanges()).then(changes).differences(entry)
    # Saving a withdrawn entry is how its owner asks for it back, changed or not.
    if not proposed and entry.status != Entry.Status.WITHDRAWN:
        return EditResult(EditOutcome.UNCHANGED)
    with transaction.atomic():
        apply_changes(entry=entry, changes=proposed)
        entry._change_reason = "Edited by the owner"
        if entry.status not in {Entry.Status.REJECTED, Entry.Status.WITHDRAWN}:
            entry.save()
            return EditResult(EditOutcome.APPLIED, after=proposed)
        entry.status = Entry.Status.AWAITING_REVIEW
        entry.save()
        send_entry_email(kind=EntryEmail.REVIEW_ENTRY, entry=entry, occasion="edited")
    return EditResult(EditOutcome.SENT_FOR_REVIEW, after=proposed)


def _hold_changes(*, entry: Entry, changes: PendingChanges) -> EditResult:
    with transaction.atomic():
        # Edits sent at once tell the moderators once.
        _read_held_changes_locked(entry)
        told = entry.pending_changes is not None
        waiting = entry.held_changes or PendingChanges()
        proposed = waiting.then(changes).differences(entry)
        before = waiting.differences(entry)
        if proposed == before:
            return EditResult(EditOutcome.UNCHANGED, before=before, after=before)
        if proposed:
            entry.pending_changes = replace(proposed, submitted_at=timezone.now()).to_json()
            entry._change_reason = "Owner submitted changes for review"
        else:
            entry.pending_changes = None
            entry._change_reason = "Owner undid the changes awaiting review"
        # Nothing public changes, so neither does updated_at (the sitemap, feeds and map
        # data report it); the history records the published values with what waits.
        entry.save(update_fields=["pending_changes"])
        if proposed and not told:
            send_entry_email(kind=EntryEmail.REVIEW_CHANGES, entry=entry)
    outcome = EditOutcome.HELD if proposed else EditOutcome.MATCHES_PUBLISHED
    return EditResult(outcome, before=before, after=proposed)


def apply_changes(*, entry: Entry, changes: PendingChanges) -> None:
    """Copy held or submitted changes onto the entry; the caller saves it. Raises
    ValidationError, before changing anything, if they cannot be stored."""
    changes.check()
    for name, value in changes.fields.items():
        setattr(entry, name, value)
    if changes.sectors is not None:
        entry.sectors.set(Sector.objects.filter(pk__in=changes.sectors))
    if changes.themes is not None:
        entry.themes.set(changes.themes)
    if changes.resources is not None:
        entry.resources.all().delete()
        for shared in changes.resources:
            resource = Resource.objects.create(
                entry=entry, title=shared["title"], url=shared["url"], note=shared.get("note", "")
            )
            resource.themes.set(shared.get("themes", []))
    entry.pending_changes = None


def approve_changes(*, entry: Entry) -> None:
    """Publish the owner's held changes and tell the owner which parts are now public.
    Raises ValidationError, changing and sending nothing, if they cannot be stored."""
    if (held := entry.held_changes) is None:
        return
    with transaction.atomic():
        approved = held.differences(entry)
        apply_changes(entry=entry, changes=approved)
        entry._change_reason = "Owner's changes approved"
        entry.save()
        ContentVersion.bump(DIRECTORY)
        send_entry_email(
            kind=EntryEmail.CHANGES_APPROVED,
            entry=entry,
            changed=what_changes(approved),
        )


def reject_changes(*, entry: Entry, reason: str = "") -> None:
    """Drop the owner's held changes, keeping the published version, and tell the owner
    which parts were not approved, and why when the moderator says."""
    with transaction.atomic():
        if (rejected := _drop_held_changes(entry, why="Owner's changes rejected")) is None:
            return
        send_entry_email(
            kind=EntryEmail.CHANGES_REJECTED,
            entry=entry,
            changed=what_changes(rejected),
            reason=reason,
        )


def withdraw_changes(*, entry: Entry) -> PendingChanges | None:
    """Drop the held changes at their owner's request; None when none were waiting. The
    moderators are not told: the entry simply leaves their list of changes to review."""
    with transaction.atomic():
        return _drop_held_changes(entry, why="Owner withdrew the changes")


def _drop_held_changes(entry: Entry, *, why: str) -> PendingChanges | None:
    """Clear what waits for review; the dropped changes, or None when none were waiting.
    An edit sent at the same moment is either dropped with the rest or waits after."""
    _read_held_changes_locked(entry)
    if (held := entry.held_changes) is None:
        return None
    dropped = held.differences(entry)
    entry.pending_changes = None
    entry._change_reason = why
    entry.save(update_fields=["pending_changes"])
    return dropped


def _read_held_changes_locked(entry: Entry) -> None:
    """Read what waits for review afresh, locking the row until the transaction ends."""
    entry.pending_changes = (
        Entry.objects.select_for_update().values_list("pending_changes", flat=True).get(pk=entry.pk)
    )


# Withdraw and erase.


def withdraw(*, entry: Entry) -> None:
    """Hide the entry from every public output, keeping it (and any changes waiting for
    review) so that its owner can send it back."""
    if entry.status == Entry.Status.WITHDRAWN:
        return
    entry.status = Entry.Status.WITHDRAWN
    entry._change_reason = "Withdrawn by the owner"
    with transaction.atomic():
        entry.save(update_fields=["status", "updated_at"])
        ContentVersion.bump(DIRECTORY)


def erase(*, entry: Entry) -> Erasure:
    """The right to erasure: the entry, its history, resources and undelivered messages,
    gone at once. Links to it stop working because there is nothing left to find."""
    with transaction.atomic():
        erasure = Erasure(
            name=entry.name,
            resources=entry.resources.count(),
            messages=ContactMessage.objects.filter(entry=entry).count(),
        )
        entry_id = entry.pk
        entry.delete()  # cascades to resources, messages and tags
        # After the delete, which itself adds a "deleted" record to the history.
        Entry.history.filter(id=entry_id).delete()
        ContentVersion.bump(DIRECTORY)
    return erasure


def purge_unconfirmed(*, dry_run: bool = False) -> int:
    """Delete entries whose email was never confirmed within UNCONFIRMED_ENTRY_DAYS."""
    cutoff = timezone.now() - timedelta(days=settings.UNCONFIRMED_ENTRY_DAYS)
    stale = Entry.objects.filter(status=Entry.Status.AWAITING_CONFIRMATION, created_at__lt=cutoff)
    if dry_run:
        return stale.count()
    with transaction.atomic():
        count = 0
        for entry in stale:
            erase(entry=entry)
            count += 1
    return count


# What an owner's private link offers besides.


def set_accepts_messages(*, entry: Entry, accepts: bool) -> None:
    """Switch the contact form on the entry's profile on or off."""
    entry.accepts_messages = accepts
    entry._change_reason = "Contact form switched " + ("on" if accepts else "off")
    with transaction.atomic():
        entry.save(update_fields=["accepts_messages", "updated_at"])
        ContentVersion.bump(DIRECTORY)


def send_management_links(*, email: str) -> int:
    """Email a management link for each entry with this address. Older links keep working:
    anyone may ask, so asking must not take anything from the owner. Returns how many were
    sent (the caller must not tell the visitor)."""
    entries = list(Entry.objects.filter(contact_email__iexact=email.strip()))
    with transaction.atomic():
        for entry in entries:
            send_entry_email(kind=EntryEmail.MANAGE_LINK, entry=entry)
    return len(entries)


def replace_management_links(*, entry: Entry) -> None:
    """Stop every management link sent so far and email the owner a new one: for an owner
    who thinks a link has reached someone else."""
    with transaction.atomic():
        tokens.replace_management_key(entry)
        send_entry_email(kind=EntryEmail.MANAGE_LINK, entry=entry, replaced="yes")


def private_record(*, entry: Entry) -> dict:
    """Every field held about an entry, private ones included: for its owner's download and
    the moderators' export. Sectors and themes should be prefetched."""
    return entry.public_record() | {
        "status": entry.status,
        "contact_email": entry.contact_email,
        "exact_latitude": entry.latitude,
        "exact_longitude": entry.longitude,
        "accepts_messages": entry.accepts_messages,
        "created_at": entry.created_at.isoformat(),
        "updated_at": entry.updated_at.isoformat(),
        "confirmed_at": entry.confirmed_at.isoformat() if entry.confirmed_at else None,
        "rejection_reason": entry.rejection_reason,
        "changes_awaiting_review": entry.pending_changes,
    }


def personal_data(*, entry: Entry) -> dict:
    """Everything held about an entry, for its owner to download."""
    return {
        "entry": private_record(entry=entry),
        "resources": [
            {"title": r.title, "url": r.url, "note": r.note} for r in entry.resources.all()
        ],
        "gatherings": [gathering.owner_record() for gathering in entry.gatherings.all()],
        "connections": [
            {
                "with": connection.other.name,
                "proposed_by_you": connection.proposer_id == entry.pk,
                "kind": connection.kind,
                "phrase": connection.phrase,
                "status": connection.status,
                "proposed_at": connection.created_at.isoformat(),
                "confirmed_at": connection.confirmed_at and connection.confirmed_at.isoformat(),
            }
            for connection in connections.seen_from(entry, Connection.objects.all())
        ],
        "history": [
            {
                "date": record.history_date.isoformat(),
                "change": record.get_history_type_display(),
                "reason": record.history_change_reason or "",
                "by_staff": record.history_user_id is not None,
            }
            for record in entry.history.order_by("history_date")
        ],
    }
