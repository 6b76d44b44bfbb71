"""The life of an entry: submitted, confirmed, reviewed, edited by its owner, withdrawn or
erased. Each step that changes an entry and sends an email does both in one transaction."""

import difflib
import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import links
from .emails import send_entry_email
from .models import Entry, Resource, Sector

# Fields an owner may change; staff review them field by field on a published entry.
EDITABLE_FIELDS = [
    "kind",
    "name",
    "summary",
    "description",
    "inspiration",
    "organisation_type",
    "place_name",
    "region",
    "latitude",
    "longitude",
    "show_exact_location",
    "website",
    "links",
    "contact_email",
]
DUPLICATE_NAME_SIMILARITY = 0.85


def submit_entry(*, entry: Entry, sectors: list[Sector], themes: list[str]) -> Entry:
    """Save a new entry from the join form, flag a likely duplicate for the moderators, and
    queue the confirmation email, all or nothing."""
    entry.status = Entry.Status.AWAITING_CONFIRMATION
    if duplicate := likely_duplicate_of(entry):
        entry.flagged = True
        entry.flag_reason = f"Same email and a similar name to entry #{duplicate.pk} “{duplicate}”."
    with transaction.atomic():
        entry._change_reason = "Submitted through the join form"
        entry.save()
        entry.sectors.set(sectors)
        entry.themes.set(themes)
        send_entry_email(kind="confirm", entry=entry)
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
        send_entry_email(kind="review_entry", entry=entry)
    return True


def approve(*, entry: Entry) -> None:
    with transaction.atomic():
        entry.status = Entry.Status.PUBLISHED
        entry.rejection_reason = ""
        entry._change_reason = "Approved"
        entry.save()
        send_entry_email(kind="approved", entry=entry)


def reject(*, entry: Entry, reason: str) -> None:
    with transaction.atomic():
        entry.status = Entry.Status.REJECTED
        entry.rejection_reason = reason
        entry._change_reason = "Rejected"
        entry.save()
        send_entry_email(kind="rejected", entry=entry, reason=reason)


def submit_owner_changes(*, entry: Entry, changes: dict) -> bool:
    """Apply an owner's edit, or hold it for review while the entry is published (the
    published version stays public meanwhile). True when held."""
    if not changes_anything(entry=entry, changes=changes):
        return False
    with transaction.atomic():
        if entry.status == Entry.Status.PUBLISHED:
            # Merged, so that edits to the entry and to its resources can wait together.
            entry.pending_changes = (
                (entry.pending_changes or {})
                | changes
                | {"submitted_at": timezone.now().isoformat()}
            )
            entry._change_reason = "Owner submitted changes for review"
            entry.save(update_fields=["pending_changes", "updated_at"])
            send_entry_email(kind="review_changes", entry=entry)
            return True
        apply_changes(entry=entry, changes=changes)
        entry._change_reason = "Edited by the owner"
        if entry.status in {Entry.Status.REJECTED, Entry.Status.WITHDRAWN}:
            entry.status = Entry.Status.AWAITING_REVIEW  # back to the moderators
        entry.save()
        return False


def changes_anything(*, entry: Entry, changes: dict) -> bool:
    """Whether an owner's edit differs from the entry as it is (saving an untouched form
    should not trouble the moderators)."""
    if any(getattr(entry, name) != value for name, value in changes.get("fields", {}).items()):
        return True
    if "sectors" in changes and set(changes["sectors"]) != {s.pk for s in entry.sectors.all()}:
        return True
    if "themes" in changes and {t.lower() for t in changes["themes"]} != {
        t.lower() for t in entry.themes.names()
    }:
        return True
    if "resources" in changes:
        current = [
            {"title": r.title, "url": r.url, "note": r.note, "themes": sorted(r.themes.names())}
            for r in entry.resources.all()
        ]
        proposed = [r | {"themes": sorted(r.get("themes", []))} for r in changes["resources"]]
        return current != proposed
    return False


def apply_changes(*, entry: Entry, changes: dict) -> None:
    """Copy held or submitted changes onto the entry; the caller saves it."""
    for name, value in changes.get("fields", {}).items():
        if name in EDITABLE_FIELDS:
            setattr(entry, name, value)
    if "sectors" in changes:
        entry.sectors.set(Sector.objects.filter(pk__in=changes["sectors"]))
    if "themes" in changes:
        entry.themes.set(changes["themes"])
    if "resources" in changes:
        entry.resources.all().delete()
        for shared in changes["resources"]:
            resource = Resource.objects.create(
                entry=entry, title=shared["title"], url=shared["url"], note=shared.get("note", "")
            )
            resource.themes.set(shared.get("themes", []))
    entry.pending_changes = None


def approve_changes(*, entry: Entry) -> None:
    if not entry.pending_changes:
        return
    with transaction.atomic():
        apply_changes(entry=entry, changes=entry.pending_changes)
        entry._change_reason = "Owner's changes approved"
        entry.save()


def reject_changes(*, entry: Entry) -> None:
    entry.pending_changes = None
    entry._change_reason = "Owner's changes rejected"
    entry.save(update_fields=["pending_changes", "updated_at"])


def withdraw(*, entry: Entry) -> None:
    entry.status = Entry.Status.WITHDRAWN
    entry._change_reason = "Withdrawn by the owner"
    entry.save(update_fields=["status", "updated_at"])


def set_accepts_messages(*, entry: Entry, accepts: bool) -> None:
    entry.accepts_messages = accepts
    entry._change_reason = "Contact form switched " + ("on" if accepts else "off")
    entry.save(update_fields=["accepts_messages", "updated_at"])


def erase(*, entry: Entry) -> None:
    """The right to erasure: the entry, its history, resources and undelivered messages,
    gone at once. Links to it stop working because there is nothing left to find."""
    with transaction.atomic():
        entry_id = entry.pk
        entry.delete()  # cascades to resources, messages and tags
        # After the delete, which itself adds a "deleted" record to the history.
        Entry.history.filter(id=entry_id).delete()


def private_record(entry: Entry) -> dict:
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


def personal_data(entry: Entry) -> dict:
    """Everything held about an entry, for its owner to download."""
    return {
        "entry": private_record(entry),
        "resources": [
            {"title": r.title, "url": r.url, "note": r.note} for r in entry.resources.all()
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


def send_management_links(*, email: str) -> int:
    """Email a fresh management link for each entry with this address; older links stop
    working. Returns how many were sent (the caller must not tell the visitor)."""
    entries = list(Entry.objects.filter(contact_email__iexact=email.strip()))
    with transaction.atomic():
        for entry in entries:
            links.replace_management_key(entry)
            send_entry_email(kind="manage_link", entry=entry)
    return len(entries)


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
