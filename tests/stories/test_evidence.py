import re

import pytest
from django.utils.text import slugify

from stories import citations
from stories.management.commands.load_content import load_content
from stories.models import EvidenceTheme, Source, Statistic

pytestmark = pytest.mark.django_db


def make_source(key="smith-2020", authors=("Smith, A.",), **fields):
    values = {
        "kind": Source.Kind.JOURNAL_ARTICLE,
        "year": 2020,
        "title": "A study of things",
        "container": "Journal of Things",
        "volume": "3",
        "issue": "2",
        "pages": "10–20",
        "doi": "10.1000/things.1",
        "verified": True,
    } | fields
    return Source.objects.create(key=key, authors="\n".join(authors), **values)


def make_statistic(source=None, *, published=True, themes=(), **fields):
    label = fields.pop("label", "Life expectancy")
    statistic = Statistic.objects.create(
        label=label,
        figure=fields.pop("figure", "50%"),
        finding="People lived longer.",
        source=source or make_source(key=slugify(label)),
        published=published,
        **fields,
    )
    statistic.themes.set(
        themes or [EvidenceTheme.objects.get_or_create(name="Health", slug="health")[0]]
    )
    return statistic


def test_short_citation_names_one_author():
    assert citations.short_citation(make_source(authors=["Friedmann"], year=2014)) == (
        "Friedmann, 2014"
    )


def test_short_citation_joins_two_authors():
    source = make_source(authors=["Aldrich, D. P.", "Meyer, M. A."], year=2015)
    assert citations.short_citation(source) == "Aldrich & Meyer, 2015"


def test_short_citation_uses_et_al_for_three_or_more_authors():
    source = make_source(authors=["Holt-Lunstad, J.", "Smith, T. B.", "Layton, J. B."], year=2010)
    assert citations.short_citation(source) == "Holt-Lunstad et al., 2010"


def test_unsigned_source_is_cited_by_where_it_appeared():
    source = make_source(authors=[], container="The Guardian", year=2018, verified=False)
    assert citations.short_citation(source) == "The Guardian, 2018"


def test_full_reference_is_author_date_with_a_doi_link():
    source = make_source(authors=["Aldrich, D. P.", "Meyer, M. A."], year=2015)
    assert citations.plain_reference(source) == (
        "Aldrich, D. P., & Meyer, M. A. (2015). A study of things. Journal of Things, 3(2), "
        "10–20. https://doi.org/10.1000/things.1"
    )


def test_full_reference_without_a_doi_links_to_the_url():
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
    parts = citations.reference_parts(source)
    assert parts["link"] == "https://example.org/report"
    assert parts["title_italic"]
    assert citations.plain_reference(source) == (
        "Smith, A. (2020, January). A study of things. Demos. https://example.org/report"
    )


def test_unverified_source_shows_only_its_short_citation():
    source = make_source(authors=["Wilkinson, H.", "Perry, L.", "Eames, C."], verified=False)
    parts = citations.reference_parts(source)
    assert parts == {"verified": False, "short": "Wilkinson et al., 2020"}
    assert "Journal of Things" not in citations.plain_reference(source)
    assert "doi" not in citations.bibtex_entry(source)


def test_reference_list_lists_each_source_once():
    shared = make_source()
    make_statistic(shared)
    make_statistic(shared, label="Second")
    other = make_source("jones-2019", authors=["Jones, B."], year=2019)
    related = make_statistic(other)
    related.related_sources.add(shared)

    references = citations.sorted_references(Source.objects.cited_by(Statistic.objects.all()))

    assert [source.key for source in references] == ["jones-2019", "smith-2020"]


def test_published_filters_out_unpublished_statistics():
    shown = make_statistic()
    make_statistic(published=False, label="Hidden")
    assert list(Statistic.objects.published()) == [shown]


def test_comparison_gives_a_fall_left_and_a_rise_right_of_the_middle():
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
    assert figures["Disaster survival"] == "up to 10×"
    assert figures["Cancer survival"] == "4×"
    assert figures["Burnout"] == "8 of 10"
    assert figures["Social trust"] == "£100 billion"
    frome = Statistic.objects.get(label="Hospital admissions")
    assert (frome.change_here, frome.change_elsewhere) == (-14, 28.5)
    assert "28.5%" in frome.finding and "21%" in frome.finding
    assert frome.source.doi == "10.3399/bjgp18X699437"
    # The Frome study appears twice in the brief: one source, one statistic.
    assert Source.objects.filter(title__startswith="Reducing emergency").count() == 1
    assert Statistic.objects.filter(source=frome.source).count() == 1


def test_fixture_marks_the_sources_the_brief_calls_unverified(evidence):
    unverified = set(Source.objects.filter(verified=False).values_list("key", flat=True))
    assert unverified == {
        "friedmann-2014",
        "aldrich-2023",
        "guardian-2018",
        "trzeciak-mazzarelli-2019",
        "wilkinson-2017",
    }
    guardian = Source.objects.get(key="guardian-2018")
    assert (guardian.year, guardian.month, guardian.day) == (2018, 4, 10)


def test_fixture_stores_the_accuracy_notes(evidence):
    noted = set(Statistic.objects.exclude(accuracy_note="").values_list("label", flat=True))
    assert noted == {"Life expectancy", "Hospital admissions", "Cancer survival"}
    assert "Somerset" in Statistic.objects.get(label="Hospital admissions").accuracy_note
    assert "66%" in Statistic.objects.get(label="Cancer survival").accuracy_note


def test_bibtex_of_every_fixture_source_is_balanced(evidence):
    text = citations.bibtex(Source.objects.all())
    assert text.count("{") == text.count("}")
    assert len(re.findall(r"^@\w+\{", text, flags=re.M)) == Source.objects.count()
