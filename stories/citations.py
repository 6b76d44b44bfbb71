"""Every way we cite a source, in one house style: APA 7 (the Publication Manual of the
American Psychological Association, 7th edition), wherever a reference appears.

- In the text, (Author, year): `in_text()`.
- In a reference list: `reference()` gives a reference as parts that know their italics, so
  the HTML list and the plain text ('copy as text') say the same words; `reference_list()`
  puts them in APA's order.
- For reference managers: `bibtex()` and `ris()`. Exports carry only our own source data,
  never anything a visitor typed.

The title rule, applied everywhere: a source's title is stored and shown in sentence case, as
APA 7 writes the titles of articles, books, reports and preprints (a capital only for the
first word, the first word after a colon, and names and acronyms); the name of a journal or
newspaper keeps the title case it gives itself. In-text citations of unsigned works put their
short title in title case, as APA does. Because stored titles are in sentence case, any other
capital in a title belongs to a name or an acronym, and that is what BibTeX must protect.

This module reads stories.models; the models never import it, so the dependency runs one way.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Source, SourceKind, Statistic, site_operator

MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
# Kinds whose title names a whole work, set in italics; for the others the container is.
WHOLE_WORKS = {
    SourceKind.BOOK,
    SourceKind.REPORT,
    SourceKind.PREPRINT,
    SourceKind.PRACTITIONER_ACCOUNT,
}
# APA describes a format it has no pattern for in square brackets after the title.
DESCRIPTIONS = {
    SourceKind.PREPRINT: "Preprint",
    SourceKind.PRACTITIONER_ACCOUNT: "Practitioner account",
}
# APA 7 lists up to twenty authors; beyond that, the first nineteen, an ellipsis, the last.
MOST_AUTHORS = 20
# Words that APA's title case leaves in lower case: articles, and conjunctions and
# prepositions of three letters or fewer.
MINOR_WORDS = {
    *("a", "an", "and", "as", "at", "but", "by", "for", "if", "in", "nor", "of", "off"),
    *("on", "or", "per", "so", "the", "to", "up", "via", "yet"),
}
SHORT_TITLE_WORDS = 4


def pending_note() -> str:
    return _("We are still confirming the full reference.")


# --- In the text ----------------------------------------------------------------------------


def surname(author: str) -> str:
    """'Holt-Lunstad, J.' gives 'Holt-Lunstad'; an organisation keeps its whole name."""
    return author.split(",", 1)[0].strip()


def title_case(text: str) -> str:
    words = text.split(" ")
    cased = []
    for index, word in enumerate(words):
        starts = index == 0 or words[index - 1].endswith(":")
        if word.lower() in MINOR_WORDS and not starts:
            cased.append(word.lower())
        else:
            cased.append(word[:1].upper() + word[1:])
    return " ".join(cased)


def short_title(source: Source) -> str:
    """An unsigned work is cited by its title, shortened to a few words, in title case; an
    article's in quotation marks (with APA's comma inside them)."""
    title = source.title.split(":", 1)[0].strip() or source.container or _("Anonymous")
    words = title.split()
    if len(words) > SHORT_TITLE_WORDS + 1:
        title = " ".join(words[:SHORT_TITLE_WORDS])
    title = title_case(title)
    if source.kind in WHOLE_WORKS or not source.title:
        return f"{title},"
    return f"“{title},”"


def in_text(source: Source) -> str:
    """One author: 'Friedmann, 2014'; two: 'Aldrich & Meyer, 2015'; more: 'Abel et al.,
    2018'; none: '“How One Norfolk Council,” 2018'."""
    names = [surname(author) for author in source.author_list()]
    if not names:
        return f"{short_title(source)} {source.year}"
    if len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} & {names[1]}"
    else:
        who = _("%(first)s et al.") % {"first": names[0]}
    return f"{who}, {source.year}"


# --- In a reference list --------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    text: str
    italic: bool = False


@dataclass(frozen=True)
class Reference:
    """A reference list entry: its words as parts, then its link. An unconfirmed source
    shows what is known and says that the rest is being confirmed."""

    source: Source
    parts: tuple[Part, ...]
    link: str
    confirmed: bool

    @property
    def key(self) -> str:
        return self.source.key

    def plain(self) -> str:
        text = "".join(part.text for part in self.parts)
        if self.link:
            text += f" {self.link}"
        if not self.confirmed:
            text += f" {pending_note()}"
        return text


def author_text(source: Source) -> str:
    authors = source.author_list()
    if len(authors) > MOST_AUTHORS:
        authors = [*authors[: MOST_AUTHORS - 1], f". . . {authors[-1]}"]
        return ", ".join(authors)
    if len(authors) <= 1:
        return "".join(authors)
    return ", ".join(authors[:-1]) + ", & " + authors[-1]


def date_text(source: Source) -> str:
    """APA's order: '2024, August 28', '2025, January' or '2019'."""
    if source.month is None:
        return str(source.year)
    day = f" {source.day}" if source.day else ""
    return f"{source.year}, {MONTH_NAMES[source.month - 1]}{day}"


def ending(text: str) -> str:
    """The full stop that closes an element, unless its own punctuation already does."""
    return "" if text.endswith((".", "?", "!")) else "."


def title_parts(source: Source) -> list[Part]:
    if not source.title:
        return []
    parts = [Part(source.title, italic=source.kind in WHOLE_WORKS)]
    if description := DESCRIPTIONS.get(source.kind):
        parts.append(Part(f" [{description}]."))
    else:
        parts.append(Part(ending(source.title)))
    return parts


def container_parts(source: Source, authors: str) -> list[Part]:
    """Where the work appeared: the journal with volume, issue and pages (or article
    number), the newspaper, the publisher or the repository. A publisher that is also the
    author is not named twice."""
    container = source.container
    if not container or container == authors:
        return []
    if source.kind == SourceKind.NEWS_ARTICLE:
        return [Part(container, italic=True), Part(".")]
    if source.kind != SourceKind.JOURNAL_ARTICLE:
        return [Part(container + ending(container))]
    parts = [Part(container, italic=True)]
    if source.volume:
        parts += [Part(", "), Part(source.volume, italic=True)]
        if source.issue:
            parts.append(Part(f"({source.issue})"))
    if source.article_number:
        parts.append(Part(f", Article {source.article_number}"))
    elif source.pages:
        parts.append(Part(f", {source.pages}"))
    return [*parts, Part(".")]


def reference(source: Source) -> Reference:
    authors = author_text(source)
    date = [Part(f"({date_text(source)}).")]
    title = title_parts(source)
    # APA moves the title of an unsigned work to the author's place.
    author = [Part(authors + ending(authors))] if authors else []
    elements = [author, date, title] if authors else [title, date]
    elements.append(container_parts(source, authors))
    parts = []
    for element in filter(None, elements):
        if parts:
            parts.append(Part(" "))
        parts += element
    return Reference(source, tuple(parts), source.link(), source.verified)


def letters(text: str) -> str:
    return re.sub(r"\W", "", text.casefold())


def sort_key(source: Source):
    """APA's order: by the authors' surnames then initials, letter by letter, a single
    author's works before those they wrote with others; an unsigned work by its title,
    leaving out a first 'A', 'An' or 'The'; then by date."""
    authors = [(letters(surname(author)), letters(author)) for author in source.author_list()]
    if not authors:
        title = re.sub(r"^(?:a|an|the)\s+", "", source.title.casefold())
        authors = [(letters(title or source.container), "")]
    return (authors, source.year, source.month or 0, source.day or 0, letters(source.title))


def in_reference_order(sources: Iterable[Source]) -> list[Source]:
    """Each source once, in APA's order."""
    unique = {source.pk: source for source in sources}.values()
    return sorted(unique, key=sort_key)


def reference_list(sources: Iterable[Source]) -> list[Reference]:
    return [reference(source) for source in in_reference_order(sources)]


# --- BibTeX ---------------------------------------------------------------------------------

# Entry types that BibTeX, biber and Zotero all import without a warning. bibtexparser and
# classic BibTeX drop biblatex-only types such as @online and @report, and Zotero reads
# @online as a web page, so: a news article is an @article naming its newspaper as the
# journal, with biblatex's entrysubtype marking it as a newspaper piece; a report is a
# @techreport (Zotero's "report"; biber's alias for @report); a preprint and a practitioner
# account are @misc, saying what they are in howpublished and note.
BIBTEX_TYPES = {
    SourceKind.JOURNAL_ARTICLE: "article",
    SourceKind.BOOK: "book",
    SourceKind.REPORT: "techreport",
    SourceKind.NEWS_ARTICLE: "article",
    SourceKind.PREPRINT: "misc",
    SourceKind.PRACTITIONER_ACCOUNT: "misc",
}
BIBTEX_CONTAINER_FIELDS = {
    SourceKind.JOURNAL_ARTICLE: "journal",
    SourceKind.BOOK: "publisher",
    SourceKind.REPORT: "institution",
    SourceKind.NEWS_ARTICLE: "journal",
}
BIBTEX_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun"]
BIBTEX_MONTHS += ["jul", "aug", "sep", "oct", "nov", "dec"]
BIBTEX_SPECIALS = re.compile(r"([&%$#_])")
# Reference managers read these as they are, so TeX escapes would corrupt them.
VERBATIM_FIELDS = {"doi", "url"}
# Values written bare rather than in braces: the month macros.
MACRO_FIELDS = {"month"}
TITLE_WORD = re.compile(r"[\w'’-]+")
UNTITLED = "[Title not yet confirmed]"
PENDING_EXPORT_NOTE = "Full reference being confirmed"


def bibtex_value(value: str, *, verbatim: bool = False) -> str:
    """Braces would end the field early and backslashes start commands, so both go; the
    characters TeX treats as special are escaped; page ranges take TeX's double dash."""
    value = re.sub(r"[{}\\]", "", " ".join(value.split()))
    if verbatim:
        return value
    return BIBTEX_SPECIALS.sub(r"\\\1", value).replace("–", "--")


def protect_capitals(title: str) -> str:
    """Braces around the capitals a bibliography style must not lower-case: acronyms
    anywhere, and any capitalised word where sentence case would not put a capital (see the
    title rule above), a run of them in one pair: 'the {United Kingdom}', '{AI}'."""
    protected, end = [], 0
    for word in TITLE_WORD.finditer(title):
        text = word.group()
        before = title[: word.start()].rstrip()
        starts = not before or before.endswith((":", "?", "!", "."))
        capitals = sum(character.isupper() for character in text)
        if capitals >= 2 or (capitals and not starts):
            gap = title[end : word.start()]
            if protected and gap == " " and protected[-1][1] == end:
                protected[-1] = (protected[-1][0], word.end())
            else:
                protected.append((word.start(), word.end()))
            end = word.end()
    text, position = "", 0
    for start, stop in protected:
        text += title[position:start] + "{" + title[start:stop] + "}"
        position = stop
    return text + title[position:]


def bibtex_name(author: str) -> str:
    # A person is 'Surname, I.'; a name without a comma is an organisation's, braced so that
    # BibTeX takes it whole instead of splitting it into first and last names.
    return author if "," in author else "{" + author + "}"


def bibtex_key(source: Source) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", source.key.title()) or f"source{source.pk}"


def bibtex_field(name: str, value: str) -> str:
    if name in MACRO_FIELDS:
        return f"  {name} = {value}"
    if name == "title":
        value = protect_capitals(bibtex_value(value))
    elif name == "author":
        value = " and ".join(bibtex_name(bibtex_value(author)) for author in value.split("\n"))
    else:
        value = bibtex_value(value, verbatim=name in VERBATIM_FIELDS)
    return f"  {name} = {{{value}}}"


def bibtex_entry(source: Source) -> str:
    kind = BIBTEX_TYPES[source.kind] if source.verified else "misc"
    container_field = BIBTEX_CONTAINER_FIELDS.get(source.kind, "howpublished")
    if kind == "misc":
        container_field = "howpublished"
    note = DESCRIPTIONS.get(source.kind, "") if source.verified else PENDING_EXPORT_NOTE
    newspaper = kind == "article" and source.kind == SourceKind.NEWS_ARTICLE
    fields = [
        ("author", "\n".join(source.author_list())),
        ("title", source.title or UNTITLED),
        (container_field, source.container),
        ("entrysubtype", "newspaper" if newspaper else ""),
        ("type", "Report" if kind == "techreport" else ""),
        ("volume", source.volume),
        ("number", source.issue),
        # BibTeX has no article-number field; journals that number articles put it in pages.
        ("pages", source.article_number or source.pages),
        ("year", str(source.year)),
        ("month", BIBTEX_MONTHS[source.month - 1] if source.month else ""),
        ("isbn", source.isbn),
        ("doi", source.doi),
        ("url", source.url),
        ("note", note),
    ]
    body = ",\n".join(bibtex_field(name, value) for name, value in fields if value.strip())
    return f"@{kind}{{{bibtex_key(source)},\n{body}\n}}\n"


def bibtex(sources: Iterable[Source]) -> str:
    return "\n".join(bibtex_entry(source) for source in sources)


# --- RIS ------------------------------------------------------------------------------------

RIS_TYPES = {
    SourceKind.JOURNAL_ARTICLE: "JOUR",
    SourceKind.BOOK: "BOOK",
    SourceKind.REPORT: "RPRT",
    SourceKind.NEWS_ARTICLE: "NEWS",
    SourceKind.PREPRINT: "UNPB",
    SourceKind.PRACTITIONER_ACCOUNT: "GEN",
}
# Journals and newspapers are the secondary title; the others' container is the publisher.
RIS_SECONDARY_TITLE = {SourceKind.JOURNAL_ARTICLE, SourceKind.NEWS_ARTICLE}
# The RIS specification ends every line with a carriage return and a line feed.
RIS_LINE_END = "\r\n"


def ris_value(value: str) -> str:
    # A RIS record is one tag per line, so a value never spans lines.
    return " ".join(value.split())


def ris_date(source: Source) -> str:
    """RIS dates are YYYY/MM/DD/, with the parts we do not know left empty."""
    if source.month is None:
        return ""
    day = f"{source.day:02d}" if source.day else ""
    return f"{source.year}/{source.month:02d}/{day}/"


def ris_record(source: Source) -> str:
    start, _dash, end = source.pages.replace("–", "-").partition("-")
    note = DESCRIPTIONS.get(source.kind, "") if source.verified else PENDING_EXPORT_NOTE
    lines = [("TY", RIS_TYPES[source.kind] if source.verified else "GEN")]
    lines += [("AU", author) for author in source.author_list()]
    lines += [
        ("TI", source.title or UNTITLED),
        ("T2" if source.kind in RIS_SECONDARY_TITLE else "PB", source.container),
        ("VL", source.volume),
        ("IS", source.issue),
        ("SP", source.article_number or start),
        ("EP", "" if source.article_number else end),
        ("PY", str(source.year)),
        ("DA", ris_date(source)),
        ("SN", source.isbn),
        ("DO", source.doi),
        ("UR", source.link()),
        ("N1", note),
        ("ER", ""),
    ]
    return "".join(
        f"{tag}  - {ris_value(value)}{RIS_LINE_END}" for tag, value in lines if value or tag == "ER"
    )


def ris(sources: Iterable[Source]) -> str:
    return RIS_LINE_END.join(ris_record(source) for source in sources)


# --- schema.org -----------------------------------------------------------------------------

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
