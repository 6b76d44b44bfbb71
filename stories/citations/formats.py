"""The sources for reference managers: BibTeX and RIS. Exports carry only our own source data,
never anything a visitor typed. Stored titles are in sentence case (see style.py), so any
other capital in a title belongs to a name or an acronym, and that is what BibTeX must
protect.
"""

import re
from collections.abc import Iterable

from ..models import Source, SourceKind
from .style import DESCRIPTIONS

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
