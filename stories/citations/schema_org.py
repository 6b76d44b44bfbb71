"""The evidence as schema.org JSON-LD, citing each source in the house style."""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import Source, SourceKind, Statistic, site_operator
from .style import in_text, reference

SCHEMA_ORG_TYPES = {
    SourceKind.JOURNAL_ARTICLE: "ScholarlyArticle",
    SourceKind.BOOK: "Book",
    SourceKind.REPORT: "Report",
    SourceKind.NEWS_ARTICLE: "NewsArticle",
    SourceKind.PREPRINT: "ScholarlyArticle",
    SourceKind.PRACTITIONER_ACCOUNT: "CreativeWork",
}


def schema_org_work(source: Source) -> dict:
    """The source as a schema.org creative work, for isBasedOn."""
    date = [
        str(source.year),
        source.month and f"{source.month:02d}",
        source.day and f"{source.day:02d}",
    ]
    work = {
        "@type": SCHEMA_ORG_TYPES[source.kind],
        "name": source.title or in_text(source),
        "author": [{"@type": "Person", "name": author} for author in source.author_list()],
        "datePublished": "-".join(filter(None, date)),
        "url": source.link(),
        "sameAs": source.doi_url(),
    }
    return {name: value for name, value in work.items() if value}


def evidence_structured_data(statistics: Iterable[Statistic]) -> dict:
    """schema.org JSON-LD for the case maker: its statistics as a Dataset, each statistic
    based on its source, with the references it cites as the reference list gives them.
    `statistics` come from StatisticQuerySet.for_cards(), published only."""
    parts = [
        {
            "@type": "CreativeWork",
            "name": statistic.label,
            "text": f"{statistic.figure}: {statistic.finding}",
            "url": settings.SITE_URL + statistic.get_absolute_url(),
            "isBasedOn": schema_org_work(statistic.source),
            "citation": [
                reference(source).plain()
                for source in [statistic.source, *statistic.related_sources.all()]
            ],
        }
        for statistic in statistics
    ]
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": _("The evidence for relationship-centred practice"),
        "description": _(
            "Findings from published research and practice on what relationships change, "
            "each with the source it comes from, as shown in the case maker."
        ),
        "url": settings.SITE_URL + reverse("stories:case_maker"),
        "inLanguage": "en-GB",
        "isAccessibleForFree": True,
        "creator": site_operator(),
        "publisher": site_operator(),
        "hasPart": parts,
    }
