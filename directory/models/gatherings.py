"""Gatherings: events and workshops posted by an entry's owner or by staff, moderated like
entries. A gathering's place is public by nature (people are invited to it), so it is shown
where it is; an online gathering has no point."""

import math
import uuid
import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from ..geo import KM_PER_DEGREE_LATITUDE
from .entries import Entry
from .taxonomy import Sector

DEFAULT_TIME_ZONE = "Europe/London"
# A cancelled gathering stays in the feeds this long, marked cancelled, so that calendars
# that subscribed remove it; after that it is gone from every public output.
CANCELLED_SHOWN_DAYS = 30


def new_uid() -> str:
    """The iCalendar UID (RFC 5545, 3.8.4.7): made once, never changed, not tied to the
    site's address, which may move."""
    return f"{uuid.uuid4()}@relationships-map"


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class GatheringStatus(models.TextChoices):
    AWAITING_REVIEW = "awaiting_review", _("Awaiting review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class GatheringFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class GatheringQuerySet(models.QuerySet):
    def public(self):
        """The one visibility rule for gatherings: approved (published, or cancelled after it
        was published, for CANCELLED_SHOWN_DAYS), and by a public organiser if it has one."""
        cancelled_since = timezone.now() - timedelta(days=CANCELLED_SHOWN_DAYS)
        return self.filter(
            Q(status=GatheringStatus.PUBLISHED)
            | Q(
                status=GatheringStatus.CANCELLED,
                published_at__isnull=False,
                cancelled_at__gte=cancelled_since,
            ),
            Q(organiser__isnull=True) | Q(organiser__in=Entry.objects.public()),
        )

    def going_ahead(self):
        return self.filter(status=GatheringStatus.PUBLISHED)

    def upcoming(self):
        """Not yet over, soonest first."""
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")

    def past(self):
        """Over, most recent first."""
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-pk")

    def in_person(self):
        return self.filter(format=GatheringFormat.IN_PERSON)

    def online(self):
        return self.filter(format=GatheringFormat.ONLINE)

    def in_sector(self, sector: Sector):
        return self.filter(sectors=sector)

    def with_theme(self, theme_slug: str):
        return self.filter(themes__slug=theme_slug)

    def near(self, *, latitude: float, longitude: float, radius_km: float):
        """In-person gatherings within radius_km, by the same equirectangular
        distance as EntryQuerySet.near (plain arithmetic, so SQLite and PostgreSQL agree)."""
        lng_scale = max(math.cos(math.radians(latitude)), 0.01)
        dlat = F("latitude") - latitude
        dlng = (F("longitude") - longitude) * lng_scale
        return (
            self.in_person()
            .alias(distance_sq=dlat * dlat + dlng * dlng)
            .filter(distance_sq__lte=(radius_km / KM_PER_DEGREE_LATITUDE) ** 2)
        )


class Gathering(models.Model):
    Status = GatheringStatus
    Format = GatheringFormat

    title = models.CharField(_("title"), max_length=140)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    description = models.TextField(_("description"), max_length=5000)
    # Stored in UTC; shown and written to calendars in the gathering's own time zone.
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=DEFAULT_TIME_ZONE, choices=time_zone_choices
    )
    format = models.CharField(
        _("in person or online"),
        max_length=12,
        choices=GatheringFormat.choices,
        default=GatheringFormat.IN_PERSON,
    )
    place_name = models.CharField(_("place"), max_length=120, blank=True)
    region = models.CharField(_("country or region"), max_length=80, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    online_link = models.URLField(_("link to join online"), max_length=300, blank=True)
    link_is_open = models.BooleanField(
        _("show the link on the page"),
        default=False,
        help_text=_("Otherwise the page says that the organiser sends the link to those coming."),
    )
    organiser = models.ForeignKey(
        Entry,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="gatherings",
        verbose_name=_("organiser"),
        help_text=_("The entry that organises it; none for the site's own gatherings."),
    )
    sectors = models.ManyToManyField(
        Sector, related_name="gatherings", blank=True, verbose_name=_("sectors")
    )
    themes = TaggableManager(_("themes"), blank=True)
    booking_link = models.URLField(_("booking link"), max_length=300, blank=True)
    capacity_note = models.CharField(_("places or booking note"), max_length=200, blank=True)
    recording_link = models.URLField(_("recording"), max_length=300, blank=True)
    notes = models.TextField(_("notes afterwards"), max_length=5000, blank=True)

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=GatheringStatus.choices,
        default=GatheringStatus.AWAITING_REVIEW,
    )
    rejection_reason = models.TextField(_("reason for rejection"), max_length=2000, blank=True)
    # iCalendar: the UID never changes; SEQUENCE rises with each published change, so that
    # calendars replace their copy (RFC 5545, 3.8.7.4).
    uid = models.CharField(max_length=100, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    # The owner's form's id (directory.forms.bots.IssuedForm), so that the same form sent
    # twice posts one gathering.
    submission_id = models.CharField(
        max_length=32, null=True, blank=True, unique=True, editable=False
    )
    is_demo = models.BooleanField(_("demo gathering"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    objects = GatheringQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("gathering")
        verbose_name_plural = _("gatherings")
        indexes = [models.Index(fields=["status", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=GatheringStatus.values), name="gathering_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(format__in=GatheringFormat.values), name="gathering_format_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="gathering_ends_after_it_starts",
            ),
            models.CheckConstraint(
                # A NULL would pass a range check: the point must be there and in range.
                condition=Q(format=GatheringFormat.ONLINE)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="gathering_in_person_has_a_point",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Keep the row consistent: a stable slug, no point for an online gathering, the time
        # it was first published.
        if not self.slug:
            self.slug = self.unique_slug()
        if self.status == GatheringStatus.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.format == GatheringFormat.ONLINE:
            self.latitude = self.longitude = None
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:gathering", kwargs={"slug": self.slug})

    def unique_slug(self) -> str:
        base = slugify(self.title)[:140] or "gathering"
        if base == "past":  # /gatherings/past/ lists the past gatherings
            base = "past-gathering"
        slug, suffix = base, 2
        while Gathering.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, suffix = f"{base}-{suffix}", suffix + 1
        return slug

    def is_public(self) -> bool:
        """Mirrors GatheringQuerySet.public() for a single gathering."""
        return Gathering.objects.public().filter(pk=self.pk).exists()

    @property
    def is_online(self) -> bool:
        return self.format == GatheringFormat.ONLINE

    @property
    def is_cancelled(self) -> bool:
        return self.status == GatheringStatus.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.zone)

    @property
    def starts_in_words(self) -> str:
        """When it starts, as the clock reads where it happens: "Thursday 1 July 2031, 18:30"."""
        return date_format(self.local_start, "l j F Y, H:i")

    @property
    def open_link(self) -> str:
        """The online link when the organiser chose to show it openly; otherwise nothing."""
        return self.online_link if self.is_online and self.link_is_open else ""

    def absolute_url(self) -> str:
        return settings.SITE_URL + self.get_absolute_url()

    def owner_record(self) -> dict:
        """Everything held about the gathering, for its organiser's data download."""
        record = {
            name: getattr(self, name)
            for name in [
                "title", "slug", "description", "starts_at", "ends_at", "time_zone", "format",
                "place_name", "region", "latitude", "longitude", "online_link", "link_is_open",
                "booking_link", "capacity_note", "recording_link", "notes", "status",
                "rejection_reason", "uid", "sequence", "created_at", "published_at",
                "cancelled_at",
            ]
        }  # fmt: skip
        return {
            name: value.isoformat() if isinstance(value, datetime) else value
            for name, value in record.items()
        } | {"themes": sorted(self.themes.names())}

    def structured_data(self) -> dict:
        """schema.org Event JSON-LD for the page: public fields only."""
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": self.title,
            "description": self.description,
            "startDate": self.local_start.isoformat(),
            "endDate": self.local_end.isoformat(),
            "url": self.absolute_url(),
            "eventStatus": "https://schema.org/EventCancelled"
            if self.is_cancelled
            else "https://schema.org/EventScheduled",
        }
        if self.is_online:
            data["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
            data["location"] = {"@type": "VirtualLocation", "url": self.open_link or data["url"]}
        else:
            data["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
            data["location"] = {
                "@type": "Place",
                "name": self.place_name,
                "address": {
                    "@type": "PostalAddress",
                    "addressLocality": self.place_name,
                    "addressRegion": self.region,
                },
                "geo": {
                    "@type": "GeoCoordinates",
                    "latitude": self.latitude,
                    "longitude": self.longitude,
                },
            }
        if self.organiser_id:
            data["organizer"] = {
                "@type": "Organization",
                "name": self.organiser.name,
                "url": settings.SITE_URL + self.organiser.get_absolute_url(),
            }
        if self.booking_link:
            data["offers"] = {"@type": "Offer", "url": self.booking_link}
        if self.recording_link:
            data["recordedIn"] = {"@type": "CreativeWork", "url": self.recording_link}
        return data

    def geojson_feature(self) -> dict:
        # GeoJSON (RFC 7946) puts longitude first.
        return {
            "type": "Feature",
            "id": self.pk,
            "geometry": {"type": "Point", "coordinates": [self.longitude, self.latitude]},
            "properties": {
                "title": self.title,
                # The map's popup shows it under the title.
                "summary": f"{self.starts_in_words}, {self.place_name}",
                "starts_at": self.local_start.isoformat(),
                "ends_at": self.local_end.isoformat(),
                "place": self.place_name,
                "url": self.absolute_url(),
                "demo": self.is_demo,
            },
        }
