import re

import pytest

from stories import citations
from stories.citations import formats
from stories.management.commands.load_content import load_content
from stories.models import Source, Statistic

pytestmark = pytest.mark.django_db


def test_in_text_citation_names_one_author(make_source):
    source = make_source(authors=["Friedmann"], year=2014)
    assert citations.in_text(source) == "Friedmann, 2014"


def test_in_text_citation_joins_two_authors(make_source):
    source = make_source(authors=["Aldrich, D. P.", "Meyer, M. A."], year=2015)
    assert citations.in_text(source) == "Aldrich & Meyer, 2015"


def test_in_text_citation_uses_et_al_for_three_or_more_authors(make_source):
    authors = ["Holt-Lunstad, J.", "Smith, T. B.", "Layton, J. B."]
    assert citations.in_text(make_source(authors=authors, year=2010)) == (
        "Holt-Lunstad et al., 2010"
    )


def test_unsigned_work_is_cited_by_a_short_title_in_title_case(make_source):
    news = make_source(
        authors=[], kind=Source.Kind.NEWS_ARTICLE, title="How one council cut its housing list"
    )
    report = make_source("r", authors=[], kind=Source.Kind.REPORT, title="The state of the map")
    assert citations.in_text(news) == "“How One Council Cut,” 2020"
    assert citations.in_text(report) == "The State of the Map, 2020"


def test_full_reference_is_author_date_with_a_doi_link(make_source):
    source = make_source(authors=["Aldrich, D. P.", "Meyer, M. A."], year=2015)
    reference = citations.reference(source)
    assert reference.plain() == (
        "Aldrich, D. P., & Meyer, M. A. (2015). A study of things. Journal of Things, 3(2), "
        "10–20. https://doi.org/10.1000/things.1"
    )
    assert [part.text for part in reference.parts if part.italic] == ["Journal of Things", "3"]


def test_full_reference_without_a_doi_links_to_the_url(make_source):
    source = make_source(
        kind=Source.Kind.REPORT,
        doi="",
        container="Demos",
        volume="",
        issue="",
        pages="",
        url="https://example.org/report",
        month=1,
    )
    reference = citations.reference(source)
    assert reference.link == "https://example.org/report"
    assert [part.text for part in reference.parts if part.italic] == ["A study of things"]
    assert reference.plain() == (
        "Smith, A. (2020, January). A study of things. Demos. https://example.org/report"
    )


def test_more_than_twenty_authors_are_cut_as_apa_cuts_them(make_source):
    authors = [f"Author{number}, A." for number in range(1, 23)]
    text = citations.reference(make_source(authors=authors)).plain()
    assert text.startswith("Author1, A., Author2, A.,")
    assert "Author19, A., . . . Author22, A. (2020)." in text
    assert "Author20" not in text


def test_unverified_source_says_what_is_known_and_that_the_rest_is_being_confirmed(
    make_source,
):
    source = make_source(authors=["Wilkinson, H.", "Perry, L.", "Eames, C."], verified=False)
    reference = citations.reference(source)
    assert not reference.confirmed
    assert reference.plain().endswith("We are still confirming the full reference.")
    entry = formats.bibtex_entry(source)
    assert entry.startswith("@misc{") and "note = {Full reference being confirmed}" in entry


def test_reference_list_lists_each_source_once(make_source, make_statistic):
    shared = make_source()
    make_statistic(shared)
    make_statistic(shared, label="Second")
    other = make_source("jones-2019", authors=["Jones, B."], year=2019)
    related = make_statistic(other)
    related.related_sources.add(shared)

    references = citations.reference_list(Source.objects.cited_by(Statistic.objects.all()))

    assert [reference.key for reference in references] == ["jones-2019", "smith-2020"]


def test_published_filters_out_unpublished_statistics(make_statistic):
    shown = make_statistic()
    make_statistic(published=False, label="Hidden")
    assert list(Statistic.objects.published()) == [shown]


def test_comparison_gives_a_fall_left_and_a_rise_right_of_the_middle(make_statistic):
    statistic = make_statistic(
        change_here="-14.0",
        change_here_label="Frome",
        change_elsewhere="28.5",
        change_elsewhere_label="Rest of Somerset",
    )
    statistic.refresh_from_db()
    fall, rise = statistic.comparison()
    assert (fall["text"], fall["falls"], fall["x"] + fall["width"]) == ("−14%", True, 100)
    assert (rise["text"], rise["x"], rise["width"]) == ("+28.5%", 100, 90.0)
    assert make_statistic(label="Plain").comparison() is None


# --- The fixture: the brief's evidence, exactly -------------------------------------------------


@pytest.fixture
def evidence():
    load_content()


def test_every_published_statistic_has_a_source_and_a_theme(evidence):
    statistics = Statistic.objects.published().for_cards()
    assert statistics.count() == 16
    for statistic in statistics:
        assert statistic.source_id, statistic.label
        assert statistic.themes.all(), statistic.label
        statistic.full_clean()
    for source in Source.objects.all():
        source.full_clean()


def test_fixture_keeps_the_brief_s_figures_and_sources(evidence):
    figures = dict(Statistic.objects.values_list("label", "figure"))
    assert figures["Life expectancy"] == "50%"
    assert figures["Reoffending"] == "Family ties"
    assert figures["Disaster survival"] == "Social capital"
    assert figures["Cancer survival"] == "4×"
    assert figures["Burnout"] == "8 of 10"
    assert figures["Social trust"] == "over £100 billion"
    assert figures["Technology savings"] == "up to £40 billion"
    frome = Statistic.objects.get(label="Hospital admissions")
    assert (frome.change_here, frome.change_elsewhere) == (-14, 28.5)
    assert "28.5%" in frome.finding and "21%" in frome.finding
    assert frome.source.doi == "10.3399/bjgp18X699437"
    # The Frome study appears twice in the brief: one source, one statistic.
    assert Source.objects.filter(title__startswith="Reducing emergency").count() == 1
    assert Statistic.objects.filter(source=frome.source).count() == 1


def test_fixture_marks_the_sources_the_brief_calls_unverified(evidence):
    unverified = set(Source.objects.filter(verified=False).values_list("key", flat=True))
    # The December 2026 check verified the others; these two are still being confirmed.
    assert unverified == {"friedmann-2014", "aldrich-2023"}
    guardian = Source.objects.get(key="guardian-2018")
    assert (guardian.year, guardian.month, guardian.day) == (2018, 4, 10)
    jones = Source.objects.get(key="jones-2020")
    assert (jones.year, jones.month, jones.day) == (2020, 5, 26)


def test_fixture_stores_the_accuracy_notes(evidence):
    assert "Somerset" in Statistic.objects.get(label="Hospital admissions").accuracy_note
    assert "66%" in Statistic.objects.get(label="Cancer survival").accuracy_note


def test_bibtex_of_every_fixture_source_is_balanced(evidence):
    text = citations.bibtex(Source.objects.all())
    assert text.count("{") == text.count("}")
    assert len(re.findall(r"^@\w+\{", text, flags=re.M)) == Source.objects.count()
