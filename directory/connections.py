"""The life of a connection: one owner says "we work with" another entry, the other side's
owner confirms it (or declines), and either side ends it at once. Each step runs in one
transaction; a step that changes what the public sees moves the directory's version forward
in it, and the emails it causes are queued in it too, so that neither is left half done."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .emails import EntryEmail, send_entry_email
from .models import Connection, ConnectionQuerySet, ContentVersion, Entry

DIRECTORY = ContentVersion.Scope.DIRECTORY
# Proposals an entry may have waiting at once: enough for any real network, and few enough
# that nobody can use proposals to send email to the whole directory.
MAX_OPEN_PROPOSALS = 20


class ConnectionRefused(ValidationError):
    """A step the rules do not allow, with a message for the owner who tried it."""


def propose(*, proposer: Entry, partner: Entry, kind: str, phrase: str = "") -> Connection:
    """Ask `partner` to confirm that it works with `proposer`. Nothing is public until it
    does; its owner is emailed a link to its own manage page, where it can answer."""
    with transaction.atomic():
        # The proposer's row is locked so that two proposals sent at once count each other.
        list(Entry.objects.select_for_update().filter(pk=proposer.pk).values_list("pk"))
        check_proposal(proposer=proposer, partner=partner)
        try:
            with transaction.atomic():
                connection = Connection.objects.create(
                    proposer=proposer, partner=partner, kind=kind, phrase=phrase
                )
        except IntegrityError:
            # The other side proposed the same pair at the same moment.
            if (existing := between(proposer, partner).first()) is None:
                raise
            message = already_connected(existing, proposer=proposer, partner=partner)
            raise ConnectionRefused(message) from None
        send_entry_email(
            kind=EntryEmail.CONNECTION_PROPOSED,
            entry=partner,
            proposer_name=proposer.name,
            proposer_url=settings.SITE_URL + proposer.get_absolute_url(),
            connection_kind=str(connection.get_kind_display()),
            phrase=phrase,
        )
    return connection


def check_proposal(*, proposer: Entry, partner: Entry) -> None:
    """Raise ConnectionRefused, saying why, unless `proposer` may ask `partner` now."""
    if proposer.pk == partner.pk:
        raise ConnectionRefused(_("An entry cannot be connected to itself."))
    if not (proposer.is_published and partner.is_published):
        raise ConnectionRefused(_("Both entries must be on the map before they can be connected."))
    if (existing := between(proposer, partner).first()) is not None:
        raise ConnectionRefused(already_connected(existing, proposer=proposer, partner=partner))
    waiting = Connection.objects.filter(proposer=proposer, status=Connection.Status.PROPOSED)
    if waiting.count() >= MAX_OPEN_PROPOSALS:
        raise ConnectionRefused(
            _(
                "You have %(count)s connections waiting for the other side to confirm. Once "
                "some are confirmed, or you cancel some, you can propose more."
            )
            % {"count": MAX_OPEN_PROPOSALS}
        )


def between(first: Entry, second: Entry):
    """The pair's connection, whichever side proposed it (there is at most one)."""
    return Connection.objects.filter(
        Q(proposer=first, partner=second) | Q(proposer=second, partner=first)
    )


def already_connected(existing: Connection, *, proposer: Entry, partner: Entry) -> str:
    """Why a second connection between the same pair is refused, in the proposer's terms."""
    if existing.is_confirmed:
        return _("You are already connected with %(name)s.") % {"name": partner.name}
    if existing.partner_id == proposer.pk:
        return _(
            "%(name)s has already asked to connect with you: confirm it under “Who you work with”."
        ) % {"name": partner.name}
    return _("You have already asked %(name)s; it has not answered yet.") % {"name": partner.name}


def confirm(*, connection: Connection, by: Entry) -> None:
    """The partner's owner confirms; the connection shows wherever both entries are public,
    and the proposer's owner is told."""
    if by.pk != connection.partner_id:
        raise ConnectionRefused(_("Only the entry that was asked can confirm a connection."))
    with transaction.atomic():
        confirmed = Connection.objects.filter(
            pk=connection.pk, status=Connection.Status.PROPOSED
        ).update(status=Connection.Status.CONFIRMED, confirmed_at=timezone.now())
        if not confirmed:
            return  # confirmed already (a second click) or ended meanwhile: nothing to do
        connection.refresh_from_db()
        if is_public(connection):
            ContentVersion.bump(DIRECTORY)
        send_entry_email(
            kind=EntryEmail.CONNECTION_CONFIRMED,
            entry=connection.proposer,
            partner_name=connection.partner.name,
            partner_url=settings.SITE_URL + connection.partner.get_absolute_url(),
        )


def end(*, connection: Connection, by: Entry | None) -> None:
    """Either side (or staff, `by=None`, in the admin) ends the connection at once: the row
    is deleted. It is also how the partner declines a proposal and the proposer cancels one."""
    if by is not None and by.pk not in {connection.proposer_id, connection.partner_id}:
        raise ConnectionRefused(_("Only the two entries can end their connection."))
    with transaction.atomic():
        was_public = is_public(connection)
        deleted, _rows = Connection.objects.filter(pk=connection.pk).delete()
        if deleted and was_public:
            ContentVersion.bump(DIRECTORY)


def is_public(connection: Connection) -> bool:
    """Whether the connection shows publicly: the same rule as Connection.objects.public()."""
    return Connection.objects.public().filter(pk=connection.pk).exists()


def seen_from(entry: Entry, connections: ConnectionQuerySet) -> list[Connection]:
    """Those of `connections` that involve `entry`, each with its `other` side (the entry at
    the far end from `entry`), read in one query however many there are."""
    rows = list(connections.involving(entry).select_related("proposer", "partner"))
    for row in rows:
        row.other = row.other_side(entry)
    return rows


@dataclass(frozen=True)
class OwnersConnections:
    """An entry's connections as its owner sees them on the manage page (see seen_from)."""

    confirmed: list[Connection]
    waiting_for_you: list[Connection]
    waiting_for_them: list[Connection]

    @classmethod
    def of(cls, entry: Entry) -> "OwnersConnections":
        rows = seen_from(entry, Connection.objects.all())
        proposed = [row for row in rows if not row.is_confirmed]
        return cls(
            confirmed=[row for row in rows if row.is_confirmed],
            waiting_for_you=[row for row in proposed if row.partner_id == entry.pk],
            waiting_for_them=[row for row in proposed if row.proposer_id == entry.pk],
        )
