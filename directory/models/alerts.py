"""Alerts: a visitor's standing request to hear, by email, what became public in an area or
a field since their last digest. The address is private: it is never shown or shared."""

import secrets
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from ..geo import KM_PER_DEGREE_LATITUDE, distance_km


def new_alert_key() -> str:
    return secrets.token_urlsafe(16)


class AlertFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class AlertSubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed_expired(self):
        """Never confirmed within UNCONFIRMED_ENTRY_DAYS: the rule unconfirmed entries obey."""
        cutoff = timezone.now() - timedelta(days=settings.UNCONFIRMED_ENTRY_DAYS)
        return self.filter(confirmed_at__isnull=True, created_at__lt=cutoff)


class AlertSubscription(models.Model):
    Frequency = AlertFrequency

    email = models.EmailField(_("email address (private)"), max_length=254)
    # The area: a place and a radius, or a box of the map (south, west, north, east), or
    # neither, for anywhere.
    place_name = models.CharField(_("place"), max_length=120, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    radius_km = models.PositiveSmallIntegerField(_("radius (km)"), null=True, blank=True)
    south = models.FloatField(null=True, blank=True)
    west = models.FloatField(null=True, blank=True)
    north = models.FloatField(null=True, blank=True)
    east = models.FloatField(null=True, blank=True)
    sectors = models.ManyToManyField(
        "directory.Sector", blank=True, related_name="+", verbose_name=_("sectors")
    )
    themes = models.ManyToManyField(Tag, blank=True, related_name="+", verbose_name=_("themes"))
    wants_stories = models.BooleanField(_("new stories"), default=False)
    wants_gatherings = models.BooleanField(_("new gatherings"), default=False)
    frequency = models.CharField(
        _("how often"), max_length=10, choices=AlertFrequency.choices, default="weekly"
    )
    # Part of every private link: deleting the row, or a new key, stops them all.
    key = models.CharField(max_length=32, default=new_alert_key, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    # The high-water mark: everything made public up to here has been sent (or was public
    # before the subscription began).
    sent_up_to = models.DateTimeField(_("sent up to"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)

    objects = AlertSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")
        indexes = [models.Index(fields=["frequency", "confirmed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=AlertFrequency.values), name="alert_frequency_valid"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="alert_point_in_range",
            ),
            models.CheckConstraint(
                condition=Q(south__isnull=True) | Q(south__lte=F("north")),
                name="alert_box_south_of_north",
            ),
        ]

    def __str__(self):
        return f"{self.get_frequency_display()} alert {self.pk}"

    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def has_place(self) -> bool:
        return self.latitude is not None and self.longitude is not None and bool(self.radius_km)

    @property
    def has_box(self) -> bool:
        return None not in (self.south, self.west, self.north, self.east)

    @cached_property
    def sector_names(self) -> frozenset[str]:
        return frozenset(sector.name for sector in self.sectors.all())

    @cached_property
    def theme_names(self) -> frozenset[str]:
        return frozenset(theme.name for theme in self.themes.all())

    def wants_topics(self, *, sectors: frozenset[str], themes: frozenset[str]) -> bool:
        """In a chosen sector (if any were chosen) and with a chosen theme (if any)."""
        return (not self.sector_names or bool(self.sector_names & sectors)) and (
            not self.theme_names or bool(self.theme_names & themes)
        )

    def latitude_band(self) -> tuple[float, float] | None:
        """The latitudes the area spans (None: anywhere), so that a digest need only look at
        the entries between them."""
        if self.has_place:
            reach = self.radius_km / KM_PER_DEGREE_LATITUDE
            return self.latitude - reach, self.latitude + reach
        if self.has_box:
            return self.south, self.north
        return None

    def covers_point(self, latitude: float, longitude: float) -> bool:
        """Whether a public point lies in the area (anywhere, when it has none)."""
        if self.has_place:
            return distance_km(self.latitude, self.longitude, latitude, longitude) <= self.radius_km
        if self.has_box:
            return self.south <= latitude <= self.north and self.west <= longitude <= self.east
        return True
