"""The evidence for the case maker: its themes, the sources, and the statistics drawn from
them. Citation text is made in stories/citations/, which reads these models and is never
imported by them."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from directory.models import Sector


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
    """Where a figure comes from. Citation text is made in stories/citations/ only, which
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
