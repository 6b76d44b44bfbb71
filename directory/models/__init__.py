import functools
import math
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import Tag

from relmap.pagecache import Stamp

from ..geo import KM_PER_DEGREE_LATITUDE

# Practitioners are shown on a grid of about 1 km so that nobody can find their door.
APPROXIMATE_GRID_KM = 1.0
MAX_LINKS = 4
# Themes are stored as taggit tags, whose name and slug hold 100 characters; a slug can grow
# when Unicode is normalised or a number is added to make it unique, so a theme stays well
# inside that.
MAX_THEMES = 10
MAX_THEME_LENGTH = 50
MAX_THEME_SLUG_LENGTH = 90
# Fields an owner may change; on a published entry they wait for review (PendingChanges).
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
# The fields the public location is worked out from.
LOCATION_FIELDS = {"kind", "latitude", "longitude", "show_exact_location"}


class Sector(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.CharField(_("short description"), max_length=240, blank=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name


def new_manage_key() -> str:
    return secrets.token_urlsafe(16)


def snap_to_grid(latitude: float, longitude: float, *, km: float) -> tuple[float, float]:
    """The centre of the ~km square grid cell holding the point: stable, never random."""
    lat_step = km / KM_PER_DEGREE_LATITUDE
    snapped_lat = (math.floor(latitude / lat_step) + 0.5) * lat_step
    # Degrees of longitude shrink towards the poles; size cells by the cell's own latitude.
    lng_step = lat_step / max(math.cos(math.radians(snapped_lat)), 0.01)
    snapped_lng = (math.floor(longitude / lng_step) + 0.5) * lng_step
    return round(min(max(snapped_lat, -90), 90), 5), round(min(max(snapped_lng, -180), 180), 5)


def check_themes(names: list[str]) -> None:
    """Raise ValidationError unless these themes can all be stored and found again."""
    if len(names) > MAX_THEMES:
        raise ValidationError(
            _("Please give at most %(count)s themes: you gave %(given)s."),
            params={"count": MAX_THEMES, "given": len(names)},
        )
    for name in names:
        if len(name) > MAX_THEME_LENGTH:
            raise ValidationError(
                _(
                    "Please keep each theme to %(count)s characters or fewer: “%(theme)s…” has "
                    "%(length)s."
                ),
                params={"count": MAX_THEME_LENGTH, "theme": name[:30], "length": len(name)},
            )
        if len(Tag().slugify(name)) > MAX_THEME_SLUG_LENGTH:
            # Rare: a short theme whose letters each become several in a web address.
            raise ValidationError(
                _("Please write the theme “%(theme)s…” more simply, or shorten it."),
                params={"theme": name[:30]},
            )


def location_is_approximate(kind: str, show_exact_location: bool) -> bool:
    return kind == EntryKind.PRACTITIONER or not show_exact_location


# The fields a public record is made from, so that exports can read them with values().
PUBLIC_RECORD_FIELDS = [
    "id", "name", "slug", "kind", "organisation_type", "summary", "description", "inspiration",
    "place_name", "region", "public_latitude", "public_longitude", "show_exact_location",
    "website", "links", "published_at", "is_demo",
]  # fmt: skip


def public_record_of(row: dict, *, sectors: list[str], themes: list[str]) -> dict:
    """An entry's public record from its PUBLIC_RECORD_FIELDS: the one serialisation of
    what the open data shows. Never the exact location of a practitioner, never the email."""
    return {
        "id": row["id"],
        "name": row["name"],
        "kind": row["kind"],
        "organisation_type": row["organisation_type"],
        "summary": row["summary"],
        "description": row["description"],
        "inspiration": row["inspiration"],
        "sectors": sectors,
        "themes": sorted(themes),
        "place": row["place_name"],
        "region": row["region"],
        "latitude": row["public_latitude"],
        "longitude": row["public_longitude"],
        "location_is_approximate": location_is_approximate(row["kind"], row["show_exact_location"]),
        "website": row["website"],
        "links": row["links"],
        "url": settings.SITE_URL + _profile_path_template().replace("{slug}", row["slug"]),
        "published_at": row["published_at"].isoformat() if row["published_at"] else None,
        "demo": row["is_demo"],
    }


@functools.cache
def _profile_path_template() -> str:
    """reverse() once: it costs seconds when the exports call it for 100,000 entries."""
    return reverse("directory:entry", kwargs={"slug": "--slug--"}).replace("--slug--", "{slug}")


def geojson_feature_of(record: dict) -> dict:
    latitude, longitude = record["latitude"], record["longitude"]
    properties = {k: v for k, v in record.items() if k not in {"latitude", "longitude"}}
    # GeoJSON (RFC 7946) puts longitude first.
    geometry = {"type": "Point", "coordinates": [longitude, latitude]}
    return {"type": "Feature", "id": record["id"], "geometry": geometry, "properties": properties}


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


class EntryKind(models.TextChoices):
    PRACTITIONER = "practitioner", _("Practitioner")
    ORGANISATION = "organisation", _("Organisation")


class EntryStatus(models.TextChoices):
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting email confirmation")
    AWAITING_REVIEW = "awaiting_review", _("Awaiting review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OrganisationType(models.TextChoices):
    CHARITY = "charity", _("Charity")
    COMMUNITY_GROUP = "community_group", _("Community group")
    BUSINESS = "business", _("Business")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    PUBLIC_BODY = "public_body", _("Public body")
    NETWORK = "network", _("Network")
    OTHER = "other", _("Other")


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

    def is_public(self) -> bool:
        """Mirrors EntryQuerySet.public() for a single entry."""
        return self.status == self.Status.PUBLISHED

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


@dataclass(frozen=True)
class PendingChanges:
    """An owner's edit of a published entry, held until a moderator approves it, stored as
    JSON in Entry.pending_changes. A part left as None was not edited; `fields` holds only
    the editable fields the edit gave. False when it holds nothing at all."""

    fields: dict = field(default_factory=dict)
    sectors: list[int] | None = None
    themes: list[str] | None = None
    resources: list[dict] | None = None
    # When the owner last changed them: not part of what they propose.
    submitted_at: datetime | None = field(default=None, compare=False)

    PARTS = ("sectors", "themes", "resources")

    @classmethod
    def from_json(cls, data: dict | None) -> "PendingChanges | None":
        if data is None:
            return None
        submitted_at = data.get("submitted_at")
        return cls(
            fields={
                name: value
                for name, value in data.get("fields", {}).items()
                if name in EDITABLE_FIELDS
            },
            sectors=data.get("sectors"),
            themes=data.get("themes"),
            resources=data.get("resources"),
            submitted_at=datetime.fromisoformat(submitted_at) if submitted_at else None,
        )

    def to_json(self) -> dict:
        data = {"fields": self.fields}
        data |= {
            part: getattr(self, part) for part in self.PARTS if getattr(self, part) is not None
        }
        if self.submitted_at:
            data["submitted_at"] = self.submitted_at.isoformat()
        return data

    def __bool__(self) -> bool:
        return bool(self.fields) or any(getattr(self, part) is not None for part in self.PARTS)

    def then(self, later: "PendingChanges") -> "PendingChanges":
        """These changes with a later edit on top: whatever the later edit gave, it decides."""
        return PendingChanges(
            fields=self.fields | later.fields,
            **{
                part: getattr(later, part)
                if getattr(later, part) is not None
                else getattr(self, part)
                for part in self.PARTS
            },
            submitted_at=later.submitted_at or self.submitted_at,
        )

    def differences(self, entry: Entry) -> "PendingChanges":
        """Only what differs from the entry as it is, in a form that compares equal for equal
        proposals: the one place that decides whether an edit changes anything."""
        sectors = themes = resources = None
        if self.sectors is not None and set(self.sectors) != {s.pk for s in entry.sectors.all()}:
            sectors = sorted(self.sectors)
        if self.themes is not None and {t.casefold() for t in self.themes} != {
            t.casefold() for t in entry.themes.names()
        }:
            themes = sorted(self.themes, key=str.casefold)
        if self.resources is not None:
            proposed = [
                shared | {"themes": sorted(shared.get("themes", []))} for shared in self.resources
            ]
            current = [
                {"title": r.title, "url": r.url, "note": r.note, "themes": sorted(r.themes.names())}
                for r in entry.resources.all()
            ]
            resources = proposed if proposed != current else None
        return PendingChanges(
            fields={
                name: value for name, value in self.fields.items() if getattr(entry, name) != value
            },
            sectors=sectors,
            themes=themes,
            resources=resources,
            submitted_at=self.submitted_at,
        )

    def check(self) -> None:
        """Raise ValidationError if these changes cannot be stored (held before the forms
        checked themes, they may hold one too long to keep)."""
        check_themes(self.themes or [])
        for shared in self.resources or []:
            check_themes(shared.get("themes", []))


class ResourceQuerySet(models.QuerySet):
    def public(self):
        """A resource is public exactly when the entry that shared it is."""
        return self.filter(entry__in=Entry.objects.public())

    def with_theme(self, theme_slug: str):
        return self.filter(themes__slug=theme_slug)

    def in_sector(self, sector: Sector):
        return self.filter(entry__sectors=sector)


class Resource(models.Model):
    """An idea or resource an entry shares: a link with a title and a one-line note."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(_("title"), max_length=120)
    url = models.URLField(_("link"), max_length=300)
    note = models.CharField(_("one-line note"), max_length=200, blank=True)
    themes = TaggableManager(_("themes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("shared resource")
        verbose_name_plural = _("shared resources")

    def __str__(self):
        return self.title


class ContentVersion(models.Model):
    """A number that moves forward on every change to what the public sees of one part of
    the site, and when it last moved. Caches, page caches, export snapshots and HTTP
    validators key on it, so that nothing withdrawn is served after its change: unlike the
    newest updated_at, it moves on a withdrawal or an erasure too. Bumped by bump(), in the
    same transaction as the change, by the code that makes it (directory.moderation, the
    admin, the import and content commands)."""

    class Scope(models.TextChoices):
        DIRECTORY = "directory", _("the directory: entries, resources, sectors and themes")
        STORIES = "stories", _("stories and evidence")

    scope = models.CharField(max_length=20, primary_key=True, choices=Scope.choices)
    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("content version")

    def __str__(self):
        return f"{self.scope} {self.number}"

    @classmethod
    def bump(cls, scope: "ContentVersion.Scope") -> None:
        """Move the scope's version forward: call it inside the transaction that changes
        something public. The row is updated in place (it stays locked until the commit), so
        changes made at the same moment each move the number."""
        now = timezone.now()
        with transaction.atomic():
            if cls.objects.filter(scope=scope).update(number=F("number") + 1, changed_at=now):
                return
            try:  # a database flushed by the tests, or migrated before the row existed
                with transaction.atomic():
                    cls.objects.create(scope=scope, number=1, changed_at=now)
            except IntegrityError:
                cls.objects.filter(scope=scope).update(number=F("number") + 1, changed_at=now)

    @classmethod
    def stamp(cls, scope: "ContentVersion.Scope") -> Stamp:
        row = cls.objects.filter(scope=scope).values_list("number", "changed_at").first()
        if row is None:
            return Stamp(0, 0.0)
        return Stamp(row[0], row[1].timestamp())


class ContactMessage(models.Model):
    """A visitor's message to an entry, kept only until the email relaying it is sent."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    sender_name = models.CharField(_("your name"), max_length=120)
    sender_email = models.EmailField(_("your email address"), max_length=254)
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.sender_name} to {self.entry}"


def stamped_by(verbose_name) -> models.ForeignKey:
    """The staff member who dealt with a record; the record stays if their account goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class TeamMessageQuerySet(models.QuerySet):
    def unhandled(self):
        return self.filter(handled_at__isnull=True)


class TeamMessage(models.Model):
    """A visitor's message to the team through "Contact us". Kept here as well as emailed, so
    that none is lost when mail fails; staff mark it handled once they have dealt with it."""

    sender_name = models.CharField(_("your name"), max_length=120)
    sender_email = models.EmailField(_("your email address"), max_length=254)
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = stamped_by(_("handled by"))

    objects = TeamMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message to the team")
        verbose_name_plural = _("messages to the team")

    def __str__(self):
        return f"{self.sender_name} <{self.sender_email}>"


class ReportReason(models.TextChoices):
    WRONG = "wrong", _("The information is wrong or out of date")
    OFF_TOPIC = "off_topic", _("It does not belong on this site")
    HARMFUL = "harmful", _("It is offensive, harmful or unkind")
    SPAM = "spam", _("It is spam or advertising")
    IMPERSONATION = "impersonation", _("It pretends to be someone else")
    PRIVATE = "private", _("It shows someone's private information")
    OTHER = "other", _("Something else")


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class Report(models.Model):
    """A visitor's report that a page breaks the rules. A report on a profile is linked to
    its entry; a report on any other page (a story) keeps only the page's path and title,
    because the directory must not know the apps that made those pages."""

    Reason = ReportReason

    entry = models.ForeignKey(
        Entry,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("entry"),
    )
    page_path = models.CharField(_("page"), max_length=300)
    page_title = models.CharField(_("page title"), max_length=200)
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    details = models.TextField(_("details"), max_length=2000, blank=True)
    reporter_email = models.EmailField(_("reporter's email address"), max_length=254, blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = stamped_by(_("closed by"))

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["closed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=ReportReason.values), name="report_reason_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.page_title}"

    def is_open(self) -> bool:
        """Mirrors ReportQuerySet.open() for a single report."""
        return self.closed_at is None


from .alerts import AlertSubscription  # noqa: E402, F401
