"""The .bib and .ris downloads, read back by the parsers reference managers' users rely on:
bibtexparser (v1) and rispy. Every source in the fixture goes through both."""

import logging
import re
from contextlib import contextmanager

import bibtexparser
import pytest
import rispy
from bibtexparser.bparser import BibTexParser
from django.urls import reverse
from django.utils.dates import MONTHS

from stories import citations
from stories.citations import formats
from stories.management.commands.load_content import load_content
from stories.models import Source, Statistic

pytestmark = pytest.mark.django_db

BIBTEX_TYPES = {
    Source.Kind.JOURNAL_ARTICLE: "article",
    Source.Kind.BOOK: "book",
    Source.Kind.REPORT: "techreport",
    Source.Kind.NEWS_ARTICLE: "article",
    Source.Kind.PREPRINT: "misc",
    Source.Kind.PRACTITIONER_ACCOUNT: "misc",
}
RIS_TYPES = {
    Source.Kind.JOURNAL_ARTICLE: "JOUR",
    Source.Kind.BOOK: "BOOK",
    Source.Kind.REPORT: "RPRT",
    Source.Kind.NEWS_ARTICLE: "NEWS",
    Source.Kind.PREPRINT: "UNPB",
    Source.Kind.PRACTITIONER_ACCOUNT: "GEN",
}


@contextmanager
def no_warnings_from(logger_name: str):
    """Fails if the named library logs a warning or an error while the block runs."""
    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    logger = logging.getLogger(logger_name)
    handler = Collect(level=logging.WARNING)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    assert [record.getMessage() for record in records] == []


def parse_bibtex(text: str) -> dict[str, dict]:
    # Reference managers predefine the month macros (jan, feb...), as common_strings does.
    with no_warnings_from("bibtexparser"):
        database = bibtexparser.loads(text, parser=BibTexParser(common_strings=True))
    return {entry["ID"]: entry for entry in database.entries}


def parse_ris(text: str) -> list[dict]:
    with no_warnings_from("rispy"):
        return rispy.loads(text)


def unbraced(value: str) -> str:
    """What a reference manager shows: case braces gone, TeX's escapes and dashes undone."""
    value = re.sub(r"\\([&%$#_])", r"\1", value.replace("{", "").replace("}", ""))
    return value.replace("--", "–")


def download(client, name: str, statistics) -> str:
    response = client.get(reverse(name), {"stat": [statistic.pk for statistic in statistics]})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def content():
    load_content()


@pytest.fixture
def every_download(client, content):
    """Both downloads for all the published statistics: a case holds twelve, so two cases."""
    statistics = list(Statistic.objects.published())
    batches = [statistics[:12], statistics[12:]]
    return {
        name: [download(client, name, batch) for batch in batches]
        for name in ("stories:case_bibtex", "stories:case_ris")
    }


def cited_sources():
    return Source.objects.cited_by(Statistic.objects.published())


def test_every_cited_source_comes_back_from_the_bibtex_downloads_with_its_fields(
    every_download,
):
    entries = {}
    for text in every_download["stories:case_bibtex"]:
        entries |= parse_bibtex(text)

    assert set(entries) == {formats.bibtex_key(source) for source in cited_sources()}
    for source in cited_sources():
        entry = entries[formats.bibtex_key(source)]
        expected_type = BIBTEX_TYPES[source.kind] if source.verified else "misc"
        assert entry["ENTRYTYPE"] == expected_type, source.key
        assert entry["year"] == str(source.year), source.key
        authors = [unbraced(name) for name in entry.get("author", "").split(" and ") if name]
        assert authors == source.author_list(), source.key
        assert entry["title"], source.key
        if source.verified:
            assert unbraced(entry["title"]) == source.title, source.key
            assert entry.get("doi", "") == source.doi, source.key
        if source.month:
            assert entry["month"] == str(MONTHS[source.month]), source.key


def test_bibtex_of_every_fixture_source_parses_with_no_warning(content):
    entries = parse_bibtex(citations.bibtex(Source.objects.all()))
    assert len(entries) == Source.objects.count()


def test_bibtex_protects_acronyms_proper_nouns_and_group_authors(content):
    text = citations.bibtex(Source.objects.all())

    assert "title = {Governing in the age of {AI}: A new model to transform the state}" in text
    assert "title = {{UK} volunteering soars during coronavirus crisis}" in text
    assert "in the {United Kingdom}: Evidence" in text
    assert "author = {{Relationships Project}}" in text
    assert re.search(r"^  month = aug,$", text, re.M)
    assert "month = {" not in text


def test_bibtex_protects_acronyms_in_any_title(make_source):
    source = make_source(title="Loneliness in the NHS during COVID-19: A UK study of wards")
    entry = parse_bibtex(citations.bibtex([source]))[formats.bibtex_key(source)]
    assert entry["title"] == ("Loneliness in the {NHS} during {COVID-19}: A {UK} study of wards")


def test_bibtex_uses_types_reference_managers_import(content):
    entries = parse_bibtex(citations.bibtex(Source.objects.all()))

    guardian = entries["Guardian2018"]
    assert (guardian["ENTRYTYPE"], guardian["journal"]) == ("article", "The Guardian")
    assert guardian["entrysubtype"] == "newspaper"
    preprint = entries["Harris2025"]
    assert (preprint["ENTRYTYPE"], preprint["howpublished"]) == ("misc", "SocArXiv")
    assert preprint["note"] == "Preprint"
    assert entries["Reed2024"]["institution"] == "Nesta"
    assert entries["Bellis2017"]["pages"] == "110"
    assert entries["Friedmann2014"]["note"] == "Full reference being confirmed"


def test_every_cited_source_comes_back_from_the_ris_downloads_with_a_title_and_type(
    every_download,
):
    records = []
    for text in every_download["stories:case_ris"]:
        records += parse_ris(text)

    assert len(records) == cited_sources().count()
    by_title = {record["title"]: record for record in records}
    for record in records:
        assert record["title"].strip()
        assert "unknown_tag" not in record, record
    for source in cited_sources().filter(verified=True):
        record = by_title[source.title]
        assert record["type_of_reference"] == RIS_TYPES[source.kind], source.key
        assert record.get("authors", []) == source.author_list(), source.key
        assert record["year"] == str(source.year), source.key


def test_ris_of_every_fixture_source_parses_and_every_line_ends_in_crlf(client, content):
    text = citations.ris(Source.objects.all())
    records = parse_ris(text)

    assert len(records) == Source.objects.count()
    assert all(record.get("title") for record in records)
    lines = text.split("\r\n")
    assert lines[-1] == ""
    assert not any("\n" in line or "\r" in line for line in lines)
    response = client.get(reverse("stories:case_ris"), {"stat": [1]})
    assert response.content.endswith(b"ER  - \r\n")


def test_ris_gives_the_unverified_a_placeholder_title_and_a_note(content):
    records = parse_ris(citations.ris(Source.objects.filter(verified=False)))

    assert {record["type_of_reference"] for record in records} == {"GEN"}
    for record in records:
        assert record["title"] == "[Title not yet confirmed]"
        assert record["notes"] == ["Full reference being confirmed"]


def test_bibtex_download_holds_the_chosen_sources_as_an_attachment(client, content):
    chosen = Statistic.objects.filter(
        label__in=["Hospital admissions", "Medication adherence", "Social mobility"]
    )
    response = client.get(reverse("stories:case_bibtex"), {"stat": [s.pk for s in chosen]})

    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="case-references.bib"'
    entries = parse_bibtex(response.content.decode())
    assert list(entries) == ["Abel2018", "Harris2025", "TrzeciakMazzarelli2019"]
    abel = entries["Abel2018"]
    assert abel["ENTRYTYPE"] == "article"
    assert abel["author"].startswith("Abel, J. and Kingston, H.")
    assert abel["journal"] == "British Journal of General Practice"
    assert (abel["volume"], abel["number"], abel["pages"]) == ("68", "676", "e803--e810")
    assert abel["doi"] == "10.3399/bjgp18X699437"
    assert entries["Harris2025"]["doi"] == "10.31235/osf.io/kb7dy_v1"
    book = entries["TrzeciakMazzarelli2019"]
    assert (book["ENTRYTYPE"], book["publisher"], book["isbn"]) == (
        "book",
        "Studer Group",
        "978-1622181063",
    )


def test_ris_download_holds_the_chosen_sources_in_reference_order(client, content):
    chosen = Statistic.objects.filter(
        label__in=["Hospital admissions", "Social trust", "Housing waiting list"]
    )
    response = client.get(reverse("stories:case_ris"), {"stat": [s.pk for s in chosen]})

    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    records = parse_ris(response.content.decode())
    assert [record["type_of_reference"] for record in records] == ["JOUR", "RPRT", "NEWS"]
    abel, haldane, guardian = records
    assert len(abel["authors"]) == 7 and abel["authors"][-1] == "Kellehear, A."
    assert (abel["start_page"], abel["end_page"]) == ("e803", "e810")
    assert abel["doi"] == "10.3399/bjgp18X699437"
    assert haldane["publisher"] == "Demos" and haldane["date"] == "2025/01//"
    assert guardian["year"] == "2018" and guardian["secondary_title"] == "The Guardian"
    assert "authors" not in guardian
