"""Every published figure says what its source says: the check against each statistic's
"source says" record, and the corrections of December 2026 as a visitor, a printer and a
reference manager meet them."""

import html as html_lib
import re

import pytest
from django.urls import reverse

from stories import citations
from stories.fidelity import unsupported_terms
from stories.management.commands.load_content import load_content
from stories.models import Source, Statistic

pytestmark = pytest.mark.django_db

CASE_MAKER = reverse("stories:case_maker")
CASE = reverse("stories:case")


# --- The check ------------------------------------------------------------------------------


CHECKS = [
    (
        "10 million",
        "They gave at least three hours a week.",
        "An average of three hours a week; 10 million people.",
        ["at least 3", "an average of 3"],
    ),
    (
        "up to 10×",
        "Death rates were lower.",
        "Mortality ran from zero to ten percent.",
        ["up to 10×"],
    ),
    (
        "£100 billion",
        "Trust in the UK is about 30% lower.",
        "A gap of 30 percentage points; over £100 billion a year in the UK.",
        ["about 30%", "over £100 billion"],
    ),
    (
        "£40 billion",
        "Public services could save this with AI.",
        "AI could save up to £40 billion a year.",
        ["up to £40 billion"],
    ),
    (
        "half",
        "In Wales, support halves it.",
        "Four UK regions of England and Wales; half as likely.",
        ["halves"],
    ),
    (
        "8 of 10",
        "Eight of ten studies in Wales agreed.",
        "Ten eligible studies; eight found a negative relationship.",
        ["Wales"],
    ),
]


@pytest.mark.parametrize(("figure", "finding", "source_says", "flagged"), CHECKS)
def test_the_check_names_what_the_source_record_does_not_support(
    make_statistic, figure, finding, source_says, flagged
):
    statistic = make_statistic(figure=figure, finding=finding, source_says=source_says)
    assert unsupported_terms(statistic) == flagged


def test_a_faithful_statistic_passes_the_check(make_statistic):
    statistic = make_statistic(
        figure="8.32 vs 3.27",
        finding=(
            "Surveys of 7,047 adults in four UK regions found low mental wellbeing 8.32 times "
            "as likely without a trusted adult and 3.27 times as likely with one."
        ),
        source_says=(
            "Household surveys in four UK regions, 2015 (n = 7,047): lower mental well-being "
            "3.27 times more likely with AAA support, increasing to 8.32 times without."
        ),
    )
    assert unsupported_terms(statistic) == []


# --- The fixture ----------------------------------------------------------------------------


@pytest.fixture
def content():
    load_content()


def test_every_published_statistic_agrees_with_its_source_record(content):
    statistics = Statistic.objects.published()
    assert statistics.count() == 16
    for statistic in statistics:
        assert statistic.source_says.strip(), statistic.label
        assert unsupported_terms(statistic) == [], statistic.label


def test_every_discrepancy_with_the_common_quotation_has_an_accuracy_note(content):
    noted = set(Statistic.objects.exclude(accuracy_note="").values_list("label", flat=True))
    assert noted >= {
        "Life expectancy",
        "Disaster survival",
        "Hospital admissions",
        "Cancer survival",
        "Housing waiting list",
        "Medication adherence",
        "Loneliness",
        "Volunteering",
        "Childhood support",
        "Social trust",
        "Technology savings",
        "School exclusions",
    }


def test_staff_see_the_source_record_and_the_check_in_the_admin(admin_client, content):
    statistic = Statistic.objects.get(label="Technology savings")
    url = reverse("admin:stories_statistic_change", args=[statistic.pk])

    page = admin_client.get(url).content.decode()
    assert 'name="source_says"' in page
    assert "Agrees with the source record" in page

    Statistic.objects.filter(pk=statistic.pk).update(
        figure="£40 billion", finding="That is what the public sector could save each year."
    )
    page = admin_client.get(url).content.decode()
    assert "Not in the source record: up to £40 billion" in html_lib.unescape(page)


# --- The corrections, where people meet them -------------------------------------------------


CARD = re.compile(
    r'<article class="card statistic-card".*?</article>|<li class="case-evidence__item">.*?</li>',
    re.S,
)
LABEL = re.compile(r'class="(?:statistic-card__label|case-evidence__label)"[^>]*>(.*?)<')


def card(page: str, label: str) -> str:
    """The text of the statistic card or case entry whose label is `label`."""
    for block in CARD.findall(page):
        if html_lib.unescape(LABEL.search(block).group(1)) == label:
            return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", block)).split())
    raise AssertionError(f"no card for {label}")


@pytest.fixture
def pages(client, content):
    """The case maker, and the printable case with every statistic (two cases of twelve)."""
    ids = list(Statistic.objects.published().values_list("pk", flat=True))
    cases = [client.get(CASE, {"stat": batch}).content.decode() for batch in (ids[:12], ids[12:])]
    return {"case maker": client.get(CASE_MAKER).content.decode(), "case": "\n".join(cases)}


CORRECTIONS = {
    "Life expectancy": (["148 studies", "308,849", "50%"], ["ethnicit"]),
    "Disaster survival": (
        ["133", "sea walls had no measurable effect"],
        ["10×", "ten times", "mattered more"],
    ),
    "Housing waiting list": (["housing waiting list", "95%", "Great Yarmouth"], []),
    "Medication adherence": (["the authors report", "up to 80%", "up to 51%"], []),
    "Burnout": (["ten", "eight"], []),
    "Loneliness": (
        ["adults in Great Britain", "often or always", "Office for National Statistics"],
        ["chronically", "UK population"],
    ),
    "Volunteering": (["an average of three hours"], ["at least", "outside their own family"]),
    "Childhood support": (["four UK regions", "n = 7,047", "8.32", "3.27"], ["halves"]),
    "Social trust": (["30 percentage points", "over £100 billion"], ["30% higher"]),
    "Technology savings": (["AI", "up to £40 billion"], ["existing technology"]),
    "School exclusions": (
        ["student to student and adult to student", "Les Hall", "two thirds"],
        [],
    ),
}


def test_corrected_figures_show_on_the_case_maker_and_the_printable_case(pages):
    for label, (present, absent) in CORRECTIONS.items():
        for name, page in pages.items():
            text = card(page, label)
            finding = text.split("Accuracy note:")[0]
            for words in present:
                assert words in text, (name, label, words)
            for words in absent:
                assert words not in finding, (name, label, words)


def test_the_plain_text_case_carries_the_corrections(client, content):
    ids = list(Statistic.objects.published().values_list("pk", flat=True))[12:]
    page = client.get(CASE, {"stat": ids}).content.decode()
    text = html_lib.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1))

    assert "30 percentage points" in text
    assert "up to £40 billion" in text and " AI" in text
    assert "Relationships Project. (2025, May). The people we need." in text


def test_the_downloads_carry_the_corrected_sources(client, content):
    chosen = Statistic.objects.filter(
        label__in=["Housing waiting list", "Volunteering", "Childhood support", "Disaster survival"]
    )
    query = {"stat": [statistic.pk for statistic in chosen]}
    bib = client.get(reverse("stories:case_bibtex"), query).content.decode()
    ris = client.get(reverse("stories:case_ris"), query).content.decode()

    assert "How one {Norfolk} council has cut its housing waiting list by 95\\%" in bib
    assert "month = may" in bib and "2020/05/26/" in ris
    assert "10.1016/j.socscimed.2014.11.025" in bib and "10.1016/j.socscimed.2014.11.025" in ris
    assert "TY  - NEWS" in ris


def test_the_disaster_figure_is_a_phrase_with_the_peer_reviewed_study_as_related_work(content):
    disaster = Statistic.objects.get(label="Disaster survival")
    assert not re.search(r"\d", disaster.figure)
    related = {source.key for source in disaster.related_sources.all()}
    assert related == {"aldrich-meyer-2015", "aldrich-sawada-2015"}
    assert Source.objects.get(key="aldrich-sawada-2015").verified
    assert not Source.objects.get(key="aldrich-2023").verified
    assert citations.in_text(Source.objects.get(key="aldrich-sawada-2015")) == (
        "Aldrich & Sawada, 2015"
    )
