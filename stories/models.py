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


# --- Evidence for the case maker ------------------------------------------------------------


class EvidenceTheme(models.Model):
    """One of the seven themes a statistic serves. A small table rather than taggit, so the
    evidence fixture can name themes by fixed keys."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name = _("evidence theme")
        verbose_name_plural = _("evidence themes")

    def __str__(self):
        return self.name


class SourceKind(models.TextChoices):
    JOURNAL_ARTICLE = "journal_article", _("Journal article")
    BOOK = "book", _("Book")
    REPORT = "report", _("Report")
    NEWS_ARTICLE = "news_article", _("News article")
    PREPRINT = "preprint", _("Preprint")
    PRACTITIONER_ACCOUNT = "practitioner_account", _("Practitioner account")


class SourceQuerySet(models.QuerySet):
    def cited_by(self, statistics, *, also: tuple[str, ...] = ()):
        """The sources that `statistics` rest on or point to as related work, and those with
        the keys in `also`, each once."""
        return self.filter(
            Q(statistics__in=statistics) | Q(related_statistics__in=statistics) | Q(key__in=also)
        ).distinct()


class Source(models.Model):
    """Where a figure comes from. Citation text is made in stories/citations.py only, which
    reads this model; this model knows nothing of citation styles."""

    Kind = SourceKind

    key = models.SlugField(
        _("citation key"),
        max_length=60,
        unique=True,
        help_text=_("Short and stable, e.g. holt-lunstad-2010: used in links and BibTeX."),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=SourceKind.choices)
    authors = models.TextField(
        _("authors"),
        blank=True,
        help_text=_(
            "One per line, in the order published: 'Surname, I. I.' for a person, or an "
            "organisation's name as it is. Leave empty for an unsigned news article."
        ),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1500), MaxValueValidator(2100)]
    )
    month = models.PositiveSmallIntegerField(
        _("month"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    day = models.PositiveSmallIntegerField(
        _("day"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    title = models.CharField(
        _("title"),
        max_length=400,
        blank=True,
        help_text=_(
            "In sentence case, as APA 7 writes titles: capitals only for the first word, the "
            "first word after a colon, names and acronyms, e.g. 'Social capital in the United "
            "Kingdom: Evidence from six billion friendships'."
        ),
    )
    container = models.CharField(
        _("published in"),
        max_length=200,
        blank=True,
        help_text=_(
            "The journal or newspaper (in title case, as it names itself), the publisher, or "
            "a preprint's repository."
        ),
    )
    volume = models.CharField(_("volume"), max_length=20, blank=True)
    issue = models.CharField(_("issue"), max_length=20, blank=True)
    pages = models.CharField(_("pages"), max_length=40, blank=True)
    article_number = models.CharField(
        _("article number"),
        max_length=20,
        blank=True,
        help_text=_("For a journal that numbers its articles instead of paging them, e.g. 110."),
    )
    doi = models.CharField(
        _("DOI"),
        max_length=200,
        blank=True,
        validators=[RegexValidator(r"^10\.\S+/\S+$", _("A DOI starts with 10. and has a /."))],
        help_text=_("Without https://doi.org/, e.g. 10.1371/journal.pmed.1000316."),
    )
    url = models.URLField(_("URL"), max_length=400, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True)
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_(
            "Until a source is checked against the original, pages show only its short "
            "citation (author, year)."
        ),
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["authors", "container", "year"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values), name="source_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="source_month_in_range",
            ),
            models.CheckConstraint(
                condition=Q(day__isnull=True) | Q(month__isnull=False, day__gte=1, day__lte=31),
                name="source_day_needs_month",
            ),
        ]

    def __str__(self):
        return self.key

    def author_list(self) -> list[str]:
        return [line.strip() for line in self.authors.splitlines() if line.strip()]

    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    def link(self) -> str:
        """Where a reader can find the source: its DOI link if it has one, else its URL."""
        return self.doi_url() or self.url


class StatisticQuerySet(models.QuerySet):
    def published(self):
        """The one visibility rule: only published statistics are ever shown publicly."""
        return self.filter(published=True)

    def with_theme(self, theme: EvidenceTheme):
        return self.filter(themes=theme)

    def for_cards(self):
        """Everything a statistic card shows, in a constant number of queries."""
        return self.select_related("source").prefetch_related(
            "themes", "sectors", "related_sources"
        )

    def fitting_first(self, *, sector: Sector | None, themes):
        """All of them, annotated `fits`: those in `sector` or serving one of `themes` first."""
        fits = Q(pk__in=[])
        if sector is not None:
            in_sector = Statistic.sectors.through.objects.filter(sector=sector)
            fits |= Q(pk__in=in_sector.values("statistic_id"))
        if themes:
            with_theme = Statistic.themes.through.objects.filter(evidencetheme__in=themes)
            fits |= Q(pk__in=with_theme.values("statistic_id"))
        fitting = models.Case(
            models.When(fits, then=True), default=False, output_field=models.BooleanField()
        )
        return self.annotate(fits=fitting).order_by("-fits", "display_order", "pk")


class Statistic(models.Model):
    label = models.CharField(_("label"), max_length=80, help_text=_("The outcome it is about."))
    figure = models.CharField(
        _("headline figure"),
        max_length=40,
        help_text=_("Shown large, e.g. 50%. Where there is no single figure, a short phrase."),
    )
    finding = models.TextField(
        _("what was found"),
        max_length=600,
        help_text=_("One or two sentences, in our own words, saying exactly what was measured."),
    )
    themes = models.ManyToManyField(
        EvidenceTheme, related_name="statistics", verbose_name=_("themes")
    )
    sectors = models.ManyToManyField(
        Sector, related_name="statistics", blank=True, verbose_name=_("sectors")
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="statistics", verbose_name=_("source")
    )
    related_sources = models.ManyToManyField(
        Source,
        related_name="related_statistics",
        blank=True,
        verbose_name=_("related work"),
        help_text=_("Further sources that back the finding, listed with its references."),
    )
    source_says = models.TextField(
        _("what the source says"),
        max_length=1500,
        blank=True,
        help_text=_(
            "For staff only: the exact figures and key words of the source, noted when it "
            "was checked. Every number, qualifier (such as 'up to') and name in the figure "
            "and the finding must appear here; the tests check it."
        ),
    )
    accuracy_note = models.TextField(
        _("accuracy note"),
        max_length=800,
        blank=True,
        help_text=_(
            "Where the figure is often quoted differently from what the source says: how it "
            "is usually quoted, and what the source says."
        ),
    )
    # A figure that compares two changes, e.g. a fall here against a rise elsewhere, gets a
    # small chart. Changes are in per cent, signed.
    change_here = models.DecimalField(
        _("change here (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    change_here_label = models.CharField(_("where"), max_length=60, blank=True)
    change_elsewhere = models.DecimalField(
        _("change elsewhere (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    change_elsewhere_label = models.CharField(_("compared with"), max_length=60, blank=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)
    published = models.BooleanField(_("published"), default=False)

    objects = StatisticQuerySet.as_manager()

    class Meta:
        ordering = ["display_order", "pk"]
        verbose_name = _("statistic")
        verbose_name_plural = _("statistics")
        constraints = [
            models.CheckConstraint(
                condition=Q(change_here__isnull=True, change_elsewhere__isnull=True)
                | Q(change_here__isnull=False, change_elsewhere__isnull=False),
                name="statistic_changes_together",
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.figure}"

    def get_absolute_url(self):
        return reverse("stories:case_maker") + f"#statistic-{self.pk}"

    def comparison(self) -> list[dict] | None:
        """The two changes as bars for a small chart, lengths as a share of the larger."""
        if self.change_here is None or self.change_elsewhere is None:
            return None
        changes = [
            (self.change_here_label, self.change_here),
            (self.change_elsewhere_label, self.change_elsewhere),
        ]
        largest = max(abs(change) for _label, change in changes) or 1
        bars = []
        for label, change in changes:
            # The chart's viewBox is 200 wide: falls run left of the middle, rises right.
            width = round(float(abs(change) / largest) * 90, 1)
            sign = "+" if change > 0 else "−" if change < 0 else ""
            bars.append(
                {
                    "label": label,
                    "text": f"{sign}{format(abs(change).normalize(), 'f')}%",
                    "falls": change < 0,
                    "x": 100 - width if change < 0 else 100,
                    "width": width,
                }
            )
        return bars
