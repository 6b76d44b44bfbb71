"""The entry: a practitioner or an organisation on the map, with the queryset that holds
every rule for which entries a listing shows."""

import math
import secrets
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from ..geo import KM_PER_DEGREE_LATITUDE
from .choices import EntryKind, EntryStatus, OrganisationType
from .entry_fields import LOCATION_FIELDS, PUBLIC_RECORD_FIELDS
from .pending import PendingChanges
from .records import (
    APPROXIMATE_GRID_KM,
    geojson_feature_of,
    location_is_approximate,
    public_record_of,
    snap_to_grid,
)
from .taxonomy import Sector

MAX_LINKS = 4


def new_manage_key() -> str:
    return secrets.token_urlsafe(16)


class EntryQuerySet(models.QuerySet):
    def public(self):
        """The one visibility rule: only published entries are ever shown publicly."""
        return self.filter(status=Entry.Status.PUBLISHED)

    def public_records(self) -> list[dict]:
        """public_record() of every entry here, in order, read with values() instead of model
        instances and prefetches: several times faster at 100,000 entries."""
        ids = self.values("pk")
        sectors, themes = defaultdict(list), defaultdict(list)
        for entry_id, name in (
            Entry.sectors.through.objects.filter(entry_id__in=ids)
            .order_by("sector__display_order", "sector__name")
            .values_list("entry_id", "sector__name")
        ):
            sectors[entry_id].append(name)
        for entry_id, name in Entry.themes.through.objects.filter(
            content_type__app_label=Entry._meta.app_label,
            content_type__model=Entry._meta.model_name,
            object_id__in=ids,
        ).values_list("object_id", "tag__name"):
            themes[entry_id].append(name)
        return [
            public_record_of(row, sectors=sectors[row["id"]], themes=themes[row["id"]])
            for row in self.values(*PUBLIC_RECORD_FIELDS)
        ]

    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def in_sector(self, sector: "Sector"):
        return self.filter(sectors=sector)

    def with_theme(self, theme_slug: str):
        return self.filter(themes__slug=theme_slug)

    def matching(self, text: str):
        """Free text over name, summary, description, place and themes (all words must match)."""
        queryset = self
        for word in text.split():
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(summary__icontains=word)
                | Q(description__icontains=word)
                | Q(place_name__icontains=word)
                | Q(region__icontains=word)
                | Q(pk__in=Entry.objects.filter(themes__name__icontains=word).values("pk"))
            )
        return queryset

    def in_bounds(self, *, south: float, west: float, north: float, east: float):
        return self.filter(
            public_latitude__gte=south,
            public_latitude__lte=north,
            public_longitude__gte=west,
            public_longitude__lte=east,
        )

    def at_point(self, *, latitude: float, longitude: float, tolerance: float):
        return self.filter(
            public_latitude__range=(latitude - tolerance, latitude + tolerance),
            public_longitude__range=(longitude - tolerance, longitude + tolerance),
        )

    def kindred_to(self, entry: "Entry", *, within_km: float | None, limit: int = 6):
        """Entries sharing a sector or a theme with `entry`, nearest first, looking no further
        than `within_km` (None: anywhere), which keeps the query small in a crowded city."""
        shares_a_sector = Exists(
            Entry.sectors.through.objects.filter(
                entry_id=OuterRef("pk"), sector_id__in=[sector.pk for sector in entry.sectors.all()]
            )
        )
        shares_a_theme = Exists(
            Entry.themes.through.objects.filter(
                content_type__app_label=Entry._meta.app_label,
                content_type__model=Entry._meta.model_name,
                object_id=OuterRef("pk"),
                tag_id__in=[theme.pk for theme in entry.themes.all()],
            )
        )
        return (
            self.exclude(pk=entry.pk)
            .filter(shares_a_sector | shares_a_theme)
            .near(
                latitude=entry.public_latitude,
                longitude=entry.public_longitude,
                radius_km=within_km,
            )[:limit]
        )

    def near(self, *, latitude: float, longitude: float, radius_km: float | None = None):
        """Nearest first, by an equirectangular distance: exact enough within a country, and
        plain arithmetic, so it runs the same on SQLite and PostgreSQL. `distance_sq` is in
        squared degrees of latitude; `radius_km` keeps only entries within that distance."""
        lng_scale = math.cos(math.radians(latitude))
        queryset = self
        if radius_km is not None:
            lat_span = radius_km / KM_PER_DEGREE_LATITUDE
            lng_span = lat_span / max(lng_scale, 0.01)
            queryset = queryset.in_bounds(
                south=latitude - lat_span,
                north=latitude + lat_span,
                west=longitude - lng_span,
                east=longitude + lng_span,
            )
        dlat = F("public_latitude") - latitude
        dlng = (F("public_longitude") - longitude) * lng_scale
        queryset = queryset.alias(distance_sq=dlat * dlat + dlng * dlng)
        if radius_km is not None:
            queryset = queryset.filter(distance_sq__lte=(radius_km / KM_PER_DEGREE_LATITUDE) ** 2)
        return queryset.order_by("distance_sq", "pk")


class Entry(models.Model):
    Kind = EntryKind
    Status = EntryStatus
    OrganisationType = OrganisationType

    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    summary = models.CharField(_("summary"), max_length=280)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    inspiration = models.TextField(_("what inspires your practice"), max_length=2000, blank=True)
    sectors = models.ManyToManyField(Sector, related_name="entries", verbose_name=_("sectors"))
    themes = TaggableManager(_("themes"), blank=True)
    organisation_type = models.CharField(
        _("organisation type"), max_length=20, choices=OrganisationType.choices, blank=True
    )

    place_name = models.CharField(_("place"), max_length=120)
    region = models.CharField(_("country or region"), max_length=80, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    show_exact_location = models.BooleanField(
        _("show the exact location"),
        default=True,
        help_text=_("Organisations only; practitioners are always shown approximately."),
    )
    # Derived once in save(): what the public sees. Never the exact point of a practitioner.
    public_latitude = models.FloatField(_("public latitude"), editable=False)
    public_longitude = models.FloatField(_("public longitude"), editable=False)

    website = models.URLField(_("website"), max_length=300, blank=True)
    links = models.JSONField(_("other links"), default=list, blank=True)
    contact_email = models.EmailField(_("contact email (private)"), max_length=254)

    status = models.CharField(
        _("status"),
        max_length=24,
        choices=EntryStatus.choices,
        default=EntryStatus.AWAITING_CONFIRMATION,
    )
    is_demo = models.BooleanField(_("demo entry"), default=False)
    accepts_messages = models.BooleanField(
        _("accepts messages"),
        default=True,
        help_text=_("Whether visitors can write to the entry through the site."),
    )
    flagged = models.BooleanField(_("flagged for moderators"), default=False)
    flag_reason = models.CharField(_("why it was flagged"), max_length=200, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), max_length=2000, blank=True)
    # The owner's edits to a published entry, held for review while the published version
    # stays public: PendingChanges as JSON, read through held_changes.
    pending_changes = models.JSONField(_("changes awaiting review"), null=True, blank=True)
    # The join form's id, stored with the entry, so that only a stored submission uses it up
    # and the same form sent twice makes one entry.
    submission_id = models.CharField(
        max_length=32, null=True, blank=True, unique=True, editable=False
    )
    # Part of every private link: a new key makes every older link stop working.
    manage_key = models.CharField(max_length=32, default=new_manage_key, editable=False)
    confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = EntryQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[sectors],
        excluded_fields=["manage_key", "submission_id", "public_latitude", "public_longitude"],
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        permissions = [
            ("export_entries", _("Can download entries with their private fields")),
        ]
        indexes = [
            models.Index(fields=["status", "name"]),
            models.Index(fields=["status", "public_latitude", "public_longitude"]),
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["updated_at"]),  # the map data's version check
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(public_latitude__gte=-90, public_latitude__lte=90),
                name="entry_latitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180)
                & Q(public_longitude__gte=-180, public_longitude__lte=180),
                name="entry_longitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=EntryStatus.values), name="entry_status_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=EntryKind.values), name="entry_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Keep the row consistent: derived location, a stable slug, the publication time.
        # A save of some fields only touches the public location if they decide it.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or LOCATION_FIELDS.intersection(update_fields):
            self.public_latitude, self.public_longitude = self.public_location()
            if update_fields:
                kwargs["update_fields"] = {*update_fields, "public_latitude", "public_longitude"}
        if not self.slug:
            self.slug = self.unique_slug()
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:entry", kwargs={"slug": self.slug})

    def public_record(self) -> dict:
        """Every public field, for the open data exports. Sectors and themes should be
        prefetched. Never the exact location of a practitioner, never the email."""
        row = {name: getattr(self, name) for name in PUBLIC_RECORD_FIELDS}
        return public_record_of(
            row,
            sectors=[sector.name for sector in self.sectors.all()],
            themes=[theme.name for theme in self.themes.all()],
        )

    def geojson_feature(self) -> dict:
        return geojson_feature_of(self.public_record())

    def structured_data(self) -> dict:
        """schema.org JSON-LD for the profile page: public fields only."""
        data = {
            "@context": "https://schema.org",
            "@type": "Person" if self.kind == self.Kind.PRACTITIONER else "Organization",
            "name": self.name,
            "description": self.summary,
            "url": settings.SITE_URL + self.get_absolute_url(),
            "address": {
                "@type": "PostalAddress",
                "addressLocality": self.place_name,
                "addressRegion": self.region,
            },
            "knowsAbout": sorted(theme.name for theme in self.themes.all()),
        }
        if same_as := [url for url in [self.website, *self.links] if url]:
            data["sameAs"] = same_as
        return data

    @property
    def held_changes(self) -> "PendingChanges | None":
        """The owner's edits waiting for a moderator, if any."""
        return PendingChanges.from_json(self.pending_changes)

    def has_exactly_sectors(self, sector_ids: Iterable[int]) -> bool:
        """Whether these are the entry's sectors, no more and no fewer: the one test of
        whether an owner's edit or an import changes them. Uses prefetched sectors."""
        return set(sector_ids) == {sector.pk for sector in self.sectors.all()}

    def has_exactly_themes(self, names: Iterable[str]) -> bool:
        """As has_exactly_sectors, for themes, which are told apart regardless of case as
        taggit finds them."""
        return {name.casefold() for name in names} == {
            theme.name.casefold() for theme in self.themes.all()
        }

    # Each status as a question, so that templates and views ask the entry rather than
    # compare strings. is_published mirrors EntryQuerySet.public(), the visibility rule.
    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_awaiting_confirmation(self) -> bool:
        return self.status == self.Status.AWAITING_CONFIRMATION

    @property
    def is_awaiting_review(self) -> bool:
        return self.status == self.Status.AWAITING_REVIEW

    @property
    def is_rejected(self) -> bool:
        return self.status == self.Status.REJECTED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    @property
    def is_organisation(self) -> bool:
        return self.kind == self.Kind.ORGANISATION

    @property
    def is_approximate(self) -> bool:
        return location_is_approximate(self.kind, self.show_exact_location)

    def public_location(self) -> tuple[float, float]:
        if self.is_approximate:
            return snap_to_grid(self.latitude, self.longitude, km=APPROXIMATE_GRID_KM)
        return round(self.latitude, 6), round(self.longitude, 6)

    def unique_slug(self) -> str:
        base = slugify(self.name)[:120] or "entry"
        slug, suffix = base, 2
        while Entry.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, suffix = f"{base}-{suffix}", suffix + 1
        return slug
