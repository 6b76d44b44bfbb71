"""Every way we cite a source: the short in-text form, the full author-date reference (as parts
for templates and as plain text), and BibTeX and RIS for reference managers. Exports carry
only our own source data, never anything a visitor typed."""

import re
from collections.abc import Iterable

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from .models import Source, SourceKind

# Kinds whose title is a whole work, set in italics; for the others the container is.
WHOLE_WORKS = {SourceKind.BOOK, SourceKind.REPORT}


def surname(author: str) -> str:
    """'Holt-Lunstad, J.' gives 'Holt-Lunstad'; an organisation keeps its whole name."""
    return author.split(",", 1)[0].strip()


def short_citation(source: Source) -> str:
    """One author: 'Friedmann, 2014'; two: 'Aldrich & Meyer, 2015'; more: 'Abel et al., 2018'.
    An unsigned source is cited by where it appeared."""
    names = [surname(author) for author in source.author_list()]
    if not names:
        who = source.container or source.title or _("Anonymous")
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} & {names[1]}"
    else:
        who = _("%(first)s et al.") % {"first": names[0]}
    return f"{who}, {source.year}"


def author_list_text(source: Source) -> str:
    authors = source.author_list()
    if len(authors) <= 1:
        return "".join(authors)
    return ", ".join(authors[:-1]) + ", & " + authors[-1]


def date_text(source: Source) -> str:
    if source.month is None:
        return str(source.year)
    month = str(MONTHS[source.month])
    day = f"{source.day} " if source.day else ""
    return f"{source.year}, {day}{month}"


def reference_parts(source: Source) -> dict:
    """The full reference in pieces, so a template can set the italics and the link while
    the wording stays here. An unverified source has only its short citation."""
    if not source.verified:
        return {"verified": False, "short": short_citation(source)}
    authors = author_list_text(source) or source.container
    whole_work = source.kind in WHOLE_WORKS
    details = ""
    if source.volume:
        details = source.volume + (f"({source.issue})" if source.issue else "")
    if source.pages:
        details = f"{details}, {source.pages}" if details else source.pages
    # An unsigned piece already leads with its newspaper, so it is not named twice.
    container = "" if authors == source.container else source.container
    return {
        "verified": True,
        "short": short_citation(source),
        "authors": authors,
        "date": date_text(source),
        "title": source.title,
        "title_italic": whole_work,
        "container": container,
        "container_italic": not whole_work and source.kind != SourceKind.PRACTITIONER_ACCOUNT,
        "details": details,
        "kind_note": (
            str(source.get_kind_display())
            if source.kind in {SourceKind.PREPRINT, SourceKind.PRACTITIONER_ACCOUNT}
            else ""
        ),
        "isbn": source.isbn,
        "link": source.link(),
    }


def plain_reference(source: Source) -> str:
    """The full reference as plain text, for 'copy as text'."""
    parts = reference_parts(source)
    if not parts["verified"]:
        return _("%(citation)s (full reference being confirmed).") % {"citation": parts["short"]}
    text = f"{parts['authors']} ({parts['date']})."
    if parts["title"]:
        text += f" {parts['title']}."
    if parts["kind_note"]:
        text += f" {parts['kind_note']}."
    if parts["container"]:
        text += f" {parts['container']}" + (f", {parts['details']}." if parts["details"] else ".")
    if parts["isbn"]:
        text += f" ISBN {parts['isbn']}."
    if parts["link"]:
        text += f" {parts['link']}"
    return text


def sorted_references(sources: Iterable[Source]) -> list[Source]:
    """A reference list: each source once, by first author (or container), then year."""
    unique = {source.pk: source for source in sources}.values()
    return sorted(unique, key=lambda s: (short_citation(s).casefold(), s.year, s.pk))


# --- BibTeX ---------------------------------------------------------------------------------

BIBTEX_TYPES = {
    SourceKind.JOURNAL_ARTICLE: "article",
    SourceKind.BOOK: "book",
    SourceKind.REPORT: "techreport",
    SourceKind.NEWS_ARTICLE: "misc",
    SourceKind.PREPRINT: "misc",
    SourceKind.PRACTITIONER_ACCOUNT: "misc",
}
BIBTEX_SPECIALS = re.compile(r"([&%$#_])")


# Reference managers read these as they are, so TeX escapes would corrupt them.
VERBATIM_FIELDS = {"doi", "url"}


def bibtex_value(value: str, *, verbatim: bool = False) -> str:
    """Braces would end the field early and backslashes start commands, so both go; the
    characters TeX treats as special are escaped; page ranges take TeX's double dash."""
    value = re.sub(r"[{}\\]", "", " ".join(value.split()))
    if verbatim:
        return value
    return BIBTEX_SPECIALS.sub(r"\\\1", value).replace("–", "--")


def bibtex_key(source: Source) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", source.key.title()) or f"source{source.pk}"


def bibtex_entry(source: Source) -> str:
    kind = BIBTEX_TYPES[source.kind] if source.verified else "misc"
    fields = [("author", " and ".join(source.author_list())), ("year", str(source.year))]
    if source.verified:
        container_field = {
            "article": "journal",
            "book": "publisher",
            "techreport": "institution",
        }.get(kind, "howpublished")
        fields += [
            ("title", source.title),
            (container_field, source.container),
            ("volume", source.volume),
            ("number", source.issue),
            ("pages", source.pages),
            ("month", str(MONTHS[source.month]) if source.month else ""),
            ("doi", source.doi),
            ("url", source.url),
            ("isbn", source.isbn),
        ]
        if source.kind in {SourceKind.PREPRINT, SourceKind.PRACTITIONER_ACCOUNT}:
            fields.append(("note", str(source.get_kind_display())))
    else:
        fields += [
            ("howpublished", source.container),
            ("note", _("Full reference not yet verified")),
        ]
    body = ",\n".join(
        f"  {name} = {{{bibtex_value(value, verbatim=name in VERBATIM_FIELDS)}}}"
        for name, value in fields
        if value.strip()
    )
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
    lines = [("TY", RIS_TYPES[source.kind] if source.verified else "GEN")]
    lines += [("AU", author) for author in source.author_list()]
    lines.append(("PY", str(source.year)))
    if source.verified:
        start, _dash, end = source.pages.replace("–", "-").partition("-")
        container_tag = "PB" if source.kind in WHOLE_WORKS else "T2"
        lines += [
            ("TI", source.title),
            (container_tag, source.container),
            ("VL", source.volume),
            ("IS", source.issue),
            ("SP", start),
            ("EP", end),
            ("DA", ris_date(source)),
            ("DO", source.doi),
            ("UR", source.link()),
            ("SN", source.isbn),
        ]
    else:
        lines.append(("N1", _("Full reference not yet verified")))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {ris_value(value)}\n" for tag, value in lines if value or tag == "ER")


def ris(sources: Iterable[Source]) -> str:
    return "\n".join(ris_record(source) for source in sources)
