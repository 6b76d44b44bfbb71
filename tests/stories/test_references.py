"""The house style (APA 7) wherever a reference appears: the printable case, its plain text and
the case maker's reference list, read from real pages."""

import html as html_lib
import re

import pytest
from django.urls import reverse

from stories.models import Source

pytestmark = pytest.mark.django_db

CASE = reverse("stories:case")


def reference_items(page: str) -> dict[str, str]:
    """Each reference list item's inner HTML, by source key, in the order shown."""
    found = re.findall(r'<li class="reference" id="ref-([\w-]+)">(.*?)</li>', page, re.S)
    return {key: " ".join(inner.split()) for key, inner in found}


def plain_references(page: str) -> list[str]:
    text = re.search(r'<textarea id="case-text"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    text = html_lib.unescape(text)
    return [line.split(". ", 1)[1] for line in text.splitlines() if re.match(r"^\d+\. ", line)]


@pytest.fixture
def make_work(make_source):
    """A source that is not a journal article: no volume, issue, pages or DOI unless given."""

    def make(key, **fields):
        return make_source(key, **({"volume": "", "issue": "", "pages": "", "doi": ""} | fields))

    return make


def case_for(client, *statistics) -> str:
    response = client.get(CASE, {"stat": [statistic.pk for statistic in statistics]})
    assert response.status_code == 200
    return response.content.decode()


def test_journal_article_has_italic_journal_and_volume_and_a_doi_link(
    client, make_source, make_statistic
):
    source = make_source(
        "aldrich-meyer-2015",
        authors=["Aldrich, D. P.", "Meyer, M. A."],
        year=2015,
        title="Social capital and community resilience",
        container="American Behavioral Scientist",
        volume="59",
        issue="2",
        pages="254–269",
        doi="10.1177/0002764214550299",
    )
    page = case_for(client, make_statistic(source))

    item = reference_items(page)["aldrich-meyer-2015"]
    assert item.startswith(
        "Aldrich, D. P., &amp; Meyer, M. A. (2015). Social capital and community resilience. "
        "<i>American Behavioral Scientist</i>, <i>59</i>(2), 254–269."
    )
    assert '<a class="reference__link" href="https://doi.org/10.1177/0002764214550299">' in item
    assert plain_references(page) == [
        "Aldrich, D. P., & Meyer, M. A. (2015). Social capital and community resilience. "
        "American Behavioral Scientist, 59(2), 254–269. https://doi.org/10.1177/0002764214550299"
    ]


def test_an_article_number_is_written_as_article_n(client, make_source, make_statistic):
    source = make_source(
        "bellis-2017",
        authors=["Bellis, M. A."],
        year=2017,
        title="Trusted adults",
        container="BMC Psychiatry",
        volume="17",
        issue="",
        pages="",
        article_number="110",
    )
    page = case_for(client, make_statistic(source))

    assert "<i>BMC Psychiatry</i>, <i>17</i>, Article 110." in reference_items(page)["bellis-2017"]
    assert "BMC Psychiatry, 17, Article 110. https://doi.org" in plain_references(page)[0]


def test_dates_are_written_year_then_month_and_day(client, make_work, make_statistic):
    report = make_work(
        "reed-2024",
        authors=["Reed, Z. E."],
        kind=Source.Kind.REPORT,
        year=2024,
        month=8,
        day=28,
        title="Investigating the impact of loneliness",
        container="Nesta",
        url="https://www.nesta.org.uk/report/loneliness",
    )
    page = case_for(client, make_statistic(report))

    assert plain_references(page) == [
        "Reed, Z. E. (2024, August 28). Investigating the impact of loneliness. Nesta. "
        "https://www.nesta.org.uk/report/loneliness"
    ]
    assert (
        "<i>Investigating the impact of loneliness</i>. Nesta."
        in reference_items(page)["reed-2024"]
    )


def test_a_preprint_says_so_in_brackets_and_names_its_repository(client, make_work, make_statistic):
    preprint = make_work(
        "harris-2025",
        authors=["Harris, T.", "Bailey, M."],
        kind=Source.Kind.PREPRINT,
        year=2025,
        month=3,
        day=23,
        title="Social capital in the United Kingdom: Evidence from six billion friendships",
        container="SocArXiv",
        doi="10.31235/osf.io/kb7dy_v1",
    )
    page = case_for(client, make_statistic(preprint))

    assert plain_references(page) == [
        "Harris, T., & Bailey, M. (2025, March 23). Social capital in the United Kingdom: "
        "Evidence from six billion friendships [Preprint]. SocArXiv. "
        "https://doi.org/10.31235/osf.io/kb7dy_v1"
    ]
    assert (
        "<i>Social capital in the United Kingdom: Evidence from six billion friendships</i> "
        "[Preprint]. SocArXiv."
    ) in reference_items(page)["harris-2025"]


def test_an_unsigned_news_article_leads_with_its_title(client, make_work, make_statistic):
    news = make_work(
        "guardian-2018",
        authors=[],
        kind=Source.Kind.NEWS_ARTICLE,
        year=2018,
        month=4,
        day=10,
        title="How one Norfolk council has cut its housing waiting list by 95%",
        container="The Guardian",
        url="https://www.theguardian.com/public-leaders-network/2018/apr/10/x",
    )
    statistic = make_statistic(news)
    page = case_for(client, statistic)

    assert plain_references(page) == [
        "How one Norfolk council has cut its housing waiting list by 95%. (2018, April 10). "
        "The Guardian. https://www.theguardian.com/public-leaders-network/2018/apr/10/x"
    ]
    # In the text, an unsigned work is cited by a short title in title case.
    assert '(<a href="#ref-guardian-2018">“How One Norfolk Council,” 2018</a>)' in page


def test_a_group_author_that_published_its_own_report_is_named_once(
    client, make_work, make_statistic
):
    essay = make_work(
        "relationships-project-2025",
        authors=["Relationships Project"],
        kind=Source.Kind.REPORT,
        year=2025,
        month=5,
        title="The people we need",
        container="Relationships Project",
    )
    page = case_for(client, make_statistic(essay))

    assert plain_references(page) == ["Relationships Project. (2025, May). The people we need."]


def test_an_unverified_source_shows_what_is_known_and_says_it_is_being_confirmed(
    client, make_work, make_statistic
):
    source = make_work(
        "aldrich-2023",
        authors=["Aldrich, D. P."],
        year=2023,
        title="",
        container="",
        verified=False,
    )
    page = case_for(client, make_statistic(source))

    item = reference_items(page)["aldrich-2023"]
    assert item.startswith("Aldrich, D. P. (2023).")
    assert "We are still confirming the full reference." in item
    assert plain_references(page) == [
        "Aldrich, D. P. (2023). We are still confirming the full reference."
    ]


def test_references_are_ordered_as_apa_orders_them(client, make_source, make_statistic):
    def source(key, authors, year, **fields):
        return make_source(key, authors=authors, year=year, doi="", **fields)

    statistics = [
        make_statistic(source(key, authors, year, **fields), label=key)
        for key, authors, year, fields in [
            ("sawada", ["Aldrich, D. P.", "Sawada, Y."], 2015, {}),
            ("meyer", ["Aldrich, D. P.", "Meyer, M. A."], 2015, {}),
            ("aldrich-alone", ["Aldrich, D. P."], 2023, {}),
            ("aldrich-earlier", ["Aldrich, D. P."], 2012, {}),
            ("project", ["Relationships Project"], 2025, {}),
            ("unsigned", [], 2018, {"title": "How one council did it"}),
            ("abel", ["Abel, J.", "Kingston, H."], 2018, {}),
        ]
    ]
    page = case_for(client, *statistics)

    assert list(reference_items(page)) == [
        "abel",
        "aldrich-earlier",
        "aldrich-alone",
        "meyer",
        "sawada",
        "unsigned",
        "project",
    ]
