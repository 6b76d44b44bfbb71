"""The house style, APA 7 (the Publication Manual of the American Psychological Association,
7th edition), wherever a source is cited on a page: in the text, (Author, year), with
`in_text()`; in a reference list, `reference()` gives a reference as parts that know their
italics, so the HTML list and the plain text ('copy as text') say the same words, and
`reference_list()` puts them in APA's order.

The title rule, applied everywhere: a source's title is stored and shown in sentence case, as
APA 7 writes the titles of articles, books, reports and preprints (a capital only for the
first word, the first word after a colon, and names and acronyms); the name of a journal or
newspaper keeps the title case it gives itself. In-text citations of unsigned works put their
short title in title case, as APA does.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..models import Source, SourceKind

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
