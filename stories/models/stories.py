"""The case stories: a story, its sections and themes, and the choices that describe the
organisation it tells of."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import ItemBase, TagBase

from directory.models import Entry, Sector


class StoryTheme(TagBase):
    """A theme for stories only. Entries' themes live in taggit's shared tables, whose keys
    we cannot know; the stories fixture needs fixed keys to load idempotently, and staff
    keep this short, curated vocabulary apart from whatever visitors type."""

    class Meta:
        ordering = ["name"]
        verbose_name = _("story theme")
        verbose_name_plural = _("story themes")


class TaggedStory(ItemBase):
    tag = models.ForeignKey(StoryTheme, on_delete=models.CASCADE, related_name="tagged_stories")
    content_object = models.ForeignKey(
        "Story", on_delete=models.CASCADE, related_name="tagged_themes"
    )

    class Meta:
        verbose_name = _("story's theme")
        verbose_name_plural = _("stories' themes")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="story_theme_once")
        ]


class Scale(models.TextChoices):
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    TOWN_OR_CITY = "town_or_city", _("Town or city")
    REGION = "region", _("Region")
    NATIONAL = "national", _("National")
    INTERNATIONAL = "international", _("International")


# Called a type, as on Entry (Entry.OrganisationType), so that one idea has one name; the
# list differs because stories are also told of public services. The field keeps its
# stored name, organisation_kind, until the admin that lists it is changed with it.
class OrganisationType(models.TextChoices):
    BUSINESS = "business", _("Business")
    COMMUNITY_GROUP = "community_group", _("Community group")
    CHARITY = "charity", _("Charity")
    STATE_INSTITUTION = "state_institution", _("Local authority or state institution")
    HEALTH_BODY = "health_body", _("NHS or health body")
    NETWORK = "network", _("Network")
    OTHER = "other", _("Other")


class StoryQuerySet(models.QuerySet):
    def published(self):
        """The one visibility rule: only published stories are ever shown publicly."""
        return self.filter(published=True)

    def in_sector(self, sector: Sector):
        return self.filter(sectors=sector)

    def with_theme(self, theme: StoryTheme):
        return self.filter(themes=theme)

    def at_scale(self, scale: str):
        return self.filter(scale=scale)

    def of_organisation_type(self, organisation_type: str):
        return self.filter(organisation_kind=organisation_type)

    def located(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def for_cards(self):
        """What a story card shows beyond the row itself, fetched in one more query."""
        return self.prefetch_related("sectors")

    def related_to(self, story: "Story"):
        """Stories sharing a sector or a theme with `story`, never `story` itself."""
        shares_a_sector = Exists(
            Story.sectors.through.objects.filter(
                story_id=OuterRef("pk"), sector_id__in=[sector.pk for sector in story.sectors.all()]
            )
        )
        shares_a_theme = Exists(
            TaggedStory.objects.filter(
                content_object_id=OuterRef("pk"),
                tag_id__in=[theme.pk for theme in story.themes.all()],
            )
        )
        return self.exclude(pk=story.pk).filter(shares_a_sector | shares_a_theme)


# Images are a path, not an upload: ImageField needs Pillow, which we do not install, and
# the Content Security Policy shows images from our own origin only.
site_image_path = RegexValidator(
    r"^/(static|media)/[^\s\"'<>?#]+$",
    _("Give a path on this site starting with /static/ or /media/, e.g. /static/img/story.jpg."),
)


class Story(models.Model):
    Scale = Scale
    OrganisationType = OrganisationType

    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    strapline = models.CharField(
        _("strapline"), max_length=200, help_text=_("One line under the title.")
    )
    summary = models.CharField(
        _("summary"),
        max_length=400,
        help_text=_("Two or three sentences for the feed, search engines and the map."),
    )
    sectors = models.ManyToManyField(Sector, related_name="stories", verbose_name=_("sectors"))
    themes = TaggableManager(_("themes"), through=TaggedStory, blank=True)
    # Both facets stay empty ("not stated") until the story's subject is confirmed: a guess
    # shown as a fact would mislead a reader more than a gap does.
    scale = models.CharField(_("scale"), max_length=20, choices=Scale.choices, blank=True)
    organisation_kind = models.CharField(
        _("kind of organisation"), max_length=20, choices=OrganisationType.choices, blank=True
    )
    organisation_name = models.CharField(
        _("organisation"),
        max_length=160,
        blank=True,
        help_text=_("Leave empty until the organisation has agreed to be named."),
    )

    place_name = models.CharField(_("place"), max_length=120, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    related_entries = models.ManyToManyField(
        Entry,
        related_name="stories",
        blank=True,
        verbose_name=_("related map entries"),
        help_text=_("Only entries published on the map are ever shown."),
    )

    pull_quote = models.TextField(
        _("pull quote"),
        max_length=600,
        blank=True,
        help_text=_("Only a real quotation that its speaker has agreed to."),
    )
    pull_quote_attribution = models.CharField(_("quote attribution"), max_length=160, blank=True)
    image_url = models.CharField(
        _("image path"), max_length=300, blank=True, validators=[site_image_path]
    )
    image_alt = models.CharField(_("image description (alt text)"), max_length=240, blank=True)
    image_credit = models.CharField(_("image credit"), max_length=160, blank=True)

    published = models.BooleanField(_("published"), default=False)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["display_order", "title"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="story_latitude_and_longitude_together",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="story_latitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="story_longitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(scale__in=["", *Scale.values]), name="story_scale_valid"
            ),
            models.CheckConstraint(
                condition=Q(organisation_kind__in=["", *OrganisationType.values]),
                name="story_organisation_kind_valid",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Keep the row consistent: the feed dates a story from when it first went public.
        if self.published and self.published_at is None:
            self.published_at = timezone.now()
            if update_fields := kwargs.get("update_fields"):
                kwargs["update_fields"] = {*update_fields, "published_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("stories:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if (self.latitude is None) != (self.longitude is None):
            message = _("Give both latitude and longitude, or neither.")
            errors["latitude" if self.latitude is None else "longitude"] = message
        if self.image_url and not self.image_alt:
            errors["image_alt"] = _("Describe the image for people who cannot see it.")
        if self.pull_quote_attribution and not self.pull_quote:
            errors["pull_quote"] = _("An attribution needs a quotation.")
        if errors:
            raise ValidationError(errors)

    def is_published(self) -> bool:
        """Mirrors StoryQuerySet.published() for a single story."""
        return self.published

    def map_location(self) -> dict | None:
        """The story's point for its page's small map (static/js/map.js), if it has one."""
        if self.latitude is None or self.longitude is None:
            return None
        return {
            "latitude": self.latitude,
            "longitude": self.longitude,
            "approximate": False,
            "kind": "story",
        }

    def geojson_feature(self) -> dict:
        # GeoJSON (RFC 7946) puts longitude first.
        geometry = {"type": "Point", "coordinates": [self.longitude, self.latitude]}
        properties = {
            "title": self.title,
            "summary": self.summary,
            # Absolute, like the entries' records: others' maps read this file too.
            "url": settings.SITE_URL + self.get_absolute_url(),
            "place": self.place_name,
        }
        return {"type": "Feature", "id": self.pk, "geometry": geometry, "properties": properties}

    def structured_data(self) -> dict:
        """schema.org JSON-LD for the story's page: an Article by the site's operator, about
        the organisation it tells of and its sectors, at its place if it has one."""
        url = settings.SITE_URL + self.get_absolute_url()
        about = [{"@type": "Organization", "name": self.organisation_name}]
        about = about if self.organisation_name else []
        about += [{"@type": "Thing", "name": sector.name} for sector in self.sectors.all()]
        data = {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": self.title,
            "description": self.summary,
            "url": url,
            "mainEntityOfPage": url,
            "inLanguage": "en-GB",
            "author": site_operator(),
            "publisher": site_operator(),
            "about": about,
            "keywords": [theme.name for theme in self.themes.all()],
            "datePublished": self.published_at and self.published_at.isoformat(),
            "dateModified": self.updated_at.isoformat(),
            "image": self.image_url and settings.SITE_URL + self.image_url,
            "contentLocation": self._place(),
        }
        return {name: value for name, value in data.items() if value}

    def _place(self) -> dict | None:
        if not self.place_name:
            return None
        place = {"@type": "Place", "name": self.place_name}
        if self.latitude is not None and self.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": self.latitude,
                "longitude": self.longitude,
            }
        return place


def site_operator() -> dict:
    """The site's operator as schema.org describes an organisation: the author and
    publisher of the stories and the evidence."""
    return {
        "@type": "Organization",
        "name": settings.SITE_OPERATOR_NAME,
        "url": settings.SITE_URL + "/",
    }


class StorySection(models.Model):
    """One part of a story's body: a heading and its text. Paragraphs are separated by a
    blank line; the text is plain, escaped when shown, never HTML or Markdown."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="sections")
    heading = models.CharField(_("heading"), max_length=160)
    text = models.TextField(_("text"), max_length=8000)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.heading
