"""Connections: "we work with" between two entries, said by one side and confirmed by the
other. A connection is public only once both sides have said so and both entries are public;
either side can end it at once, and an erased entry takes its connections with it."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext_lazy as _

from .entries import Entry

MAX_PHRASE_LENGTH = 120


class ConnectionKind(models.TextChoices):
    PARTNERS = "partners", _("We work in partnership")
    REFERRALS = "referrals", _("We refer people to each other")
    FUNDING = "funding", _("Funding")
    NETWORK = "network", _("We belong to the same network")
    LEARNING = "learning", _("We learn from each other")
    OTHER = "other", _("Something else")


class ConnectionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for the other side to confirm")
    CONFIRMED = "confirmed", _("Confirmed by both sides")


class ConnectionQuerySet(models.QuerySet):
    def public(self):
        """The one visibility rule for connections: confirmed by both sides, between two
        public entries."""
        public_entries = Entry.objects.public()
        return self.filter(
            status=ConnectionStatus.CONFIRMED,
            proposer__in=public_entries,
            partner__in=public_entries,
        )

    def involving(self, entry: Entry):
        """Connections with `entry` on either side."""
        return self.filter(Q(proposer=entry) | Q(partner=entry))

    def awaiting_confirmation_by(self, entry: Entry):
        return self.filter(partner=entry, status=ConnectionStatus.PROPOSED)

    def lines(self) -> list[dict]:
        """Each connection here as a line between its two entries' public points (a
        practitioner's stays on its grid), read with values() so that drawing or exporting
        tens of thousands of them needs one query and no model instances."""
        ends = {"proposer": "from", "partner": "to"}
        fields = {
            f"{end}_{field}": F(f"{side}__{source}")
            for side, end in ends.items()
            for field, source in (
                ("id", "id"),
                ("slug", "slug"),
                ("name", "name"),
                ("kind", "kind"),
                ("latitude", "public_latitude"),
                ("longitude", "public_longitude"),
            )
        }
        return list(self.values("pk", "kind", "phrase", "confirmed_at", **fields))


class Connection(models.Model):
    Kind = ConnectionKind
    Status = ConnectionStatus

    # The side that said "we work with" and the side asked to confirm it. Once confirmed the
    # connection has no direction: both sides show it and either can end it.
    proposer = models.ForeignKey(
        Entry,
        on_delete=models.CASCADE,
        related_name="connections_proposed",
        verbose_name=_("said by"),
    )
    partner = models.ForeignKey(
        Entry,
        on_delete=models.CASCADE,
        related_name="connections_received",
        verbose_name=_("confirmed by"),
    )
    kind = models.CharField(
        _("how you work together"), max_length=20, choices=ConnectionKind.choices
    )
    phrase = models.CharField(
        _("in a few words"),
        max_length=MAX_PHRASE_LENGTH,
        blank=True,
        help_text=_("For example: “we run a weekly lunch club together”."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ConnectionStatus.choices,
        default=ConnectionStatus.PROPOSED,
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    objects = ConnectionQuerySet.as_manager()

    class Meta:
        ordering = ["-confirmed_at", "-created_at", "pk"]
        verbose_name = _("connection")
        verbose_name_plural = _("connections")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ConnectionStatus.values), name="connection_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ConnectionKind.values), name="connection_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(proposer=models.F("partner")), name="connection_not_to_itself"
            ),
            # One connection per pair, whichever side said it first.
            models.UniqueConstraint(
                Least("proposer", "partner"),
                Greatest("proposer", "partner"),
                name="connection_one_per_pair",
            ),
        ]

    def __str__(self):
        return f"{self.proposer} – {self.partner}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == ConnectionStatus.CONFIRMED

    def other_side(self, entry: Entry) -> Entry:
        """The entry at the other end from `entry`."""
        return self.partner if entry.pk == self.proposer_id else self.proposer
