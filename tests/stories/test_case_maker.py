import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stories.management.commands.load_content import load_content
from stories.models import Source, Statistic, Story

pytestmark = pytest.mark.django_db

CASE_MAKER = reverse("stories:case_maker")
BUILDER = reverse("stories:case_builder")
CASE = reverse("stories:case")
HOSTILE = '<script>alert("x")</script>{\\}&'


@pytest.fixture(autouse=True)
def content():
    load_content()


def stat(label: str) -> Statistic:
    return Statistic.objects.get(label=label)


# --- The case maker page --------------------------------------------------------------------


def test_case_maker_shows_the_sections_in_order():
    html = reverse_get(CASE_MAKER)
    headings = [
        "Why relationships matter",
        "What we mean by relationship-centred practice",
        "The evidence",
        "Relationship-centred practice in action",
        "Making your own case",
        "References",
    ]
    positions = [html.index(f">{heading}</h2>") for heading in headings]
    assert positions == sorted(positions)


def reverse_get(url, client=None, **params):
    from django.test import Client

    response = (client or Client()).get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_case_maker_says_how_the_figures_are_checked():
    html = reverse_get(CASE_MAKER)
    about = html[html.index('id="about-the-evidence"') : html.index('id="references"')]
    assert "How we check the figures" in about
    assert 'href="#about-the-evidence"' in html
    for words in ("original source", "accuracy note", "still being confirmed", "APA"):
        assert words in about, words


def test_waldinger_is_reported_not_quoted_and_his_book_is_referenced():
    html = reverse_get(CASE_MAKER)
    why = html[html.index('id="why"') : html.index('id="what"')]
    assert "Robert Waldinger" in why
    assert "<blockquote" not in why and "“" not in why
    assert 'href="#ref-waldinger-schulz-2023"' in why
    assert 'id="ref-waldinger-schulz-2023"' in html


def test_case_maker_shows_every_statistic_and_story_with_linked_citations(client):
    response = client.get(CASE_MAKER)
    html = response.content.decode()
    assert len(response.context["statistics"]) == 16
    assert html.count('class="card story-card"') == 7
    for source in Source.objects.cited_by(Statistic.objects.published()):
        assert f'href="#ref-{source.key}"' in html
        assert html.count(f'id="ref-{source.key}"') == 1
    assert "https://doi.org/10.1371/journal.pmed.1000316" in html


def test_unverified_sources_show_what_is_known_and_that_the_rest_is_being_confirmed(client):
    html = client.get(CASE_MAKER).content.decode()
    entry = re.search(r'<li class="reference" id="ref-aldrich-2023">(.*?)</li>', html, re.S)
    assert entry.group(1).startswith("Aldrich, D. P. (2023).")
    assert "We are still confirming the full reference." in entry.group(1)
    assert 'href="#ref-aldrich-2023">Aldrich, 2023</a>' in html


def test_frome_comparison_has_a_text_equivalent(client):
    html = client.get(CASE_MAKER).content.decode()
    assert "Frome: −14%; Rest of Somerset: +28.5%" in html
    assert 'role="img" aria-labelledby="comparison-' in html


def test_case_maker_filters_the_evidence_by_theme(client):
    response = client.get(CASE_MAKER, {"theme": "justice"})
    assert {s.label for s in response.context["statistics"]} == {"Reoffending", "Crime"}
    # The reference list stays whole, so every citation on the page can be followed.
    assert 'id="ref-holt-lunstad-2010"' in response.content.decode()


def test_unknown_theme_shows_everything_with_a_note(client):
    response = client.get(CASE_MAKER, {"theme": "astrology"})
    assert len(response.context["statistics"]) == 16
    assert "We do not know that theme" in response.content.decode()


def test_case_maker_hides_unpublished_statistics(client):
    Statistic.objects.filter(label="Burnout").update(published=False)
    html = client.get(CASE_MAKER).content.decode()
    assert "Burnout" not in html


def test_case_maker_and_case_page_run_a_constant_number_of_queries(client):
    with CaptureQueriesContext(connection) as page:
        client.get(CASE_MAKER)
    every = [f"stat={s.pk}" for s in Statistic.objects.all()[:12]]
    stories = [f"story={slug}" for slug in Story.objects.values_list("slug", flat=True)]
    one = f"stat={stat('Burnout').pk}&story=three-community-groups"
    with CaptureQueriesContext(connection) as small:
        client.get(f"{CASE}?{one}")
    with CaptureQueriesContext(connection) as large:
        client.get(f"{CASE}?{'&'.join(every + stories)}")
    assert len(page) <= 12
    assert len(large) == len(small)


# --- The builder and the shareable case -----------------------------------------------------


def test_builder_shows_what_fits_the_sector_and_themes_first(client):
    response = client.get(BUILDER, {"sector": "criminal-justice"})
    statistics = list(response.context["statistics"])
    fitting = [s.label for s in statistics if s.fits]
    assert set(fitting) == {"Reoffending", "Crime"}
    assert [s.label for s in statistics[:2]] == fitting
    assert len(statistics) == 16  # everything stays choosable
    stories = list(response.context["stories"])
    assert stories[0].slug == "switchback-prison-leavers" and len(stories) == 7


def test_builder_form_sends_its_choices_to_the_case_page_in_the_numbered_order(client):
    life, frome = stat("Life expectancy"), stat("Hospital admissions")
    query = {
        "stat": [life.pk, frome.pk],
        f"order-stat-{life.pk}": "2",
        f"order-stat-{frome.pk}": "1",
        "story": ["three-community-groups"],
        "title": "Our case",
        "audience": "",
    }
    response = client.get(CASE, query)

    assert response.status_code == 302
    share = urlsplit(response["Location"])
    assert share.path == CASE
    assert parse_qsl(share.query) == [
        ("title", "Our case"),
        ("stat", str(frome.pk)),
        ("stat", str(life.pk)),
        ("story", "three-community-groups"),
    ]


def test_case_round_trips_through_its_share_url(client):
    chosen = [stat("Cancer survival"), stat("Life expectancy"), stat("Housing waiting list")]
    query = {
        "title": "Why we work this way",
        "audience": "our board",
        "context": "We run three services.\nThey work.",
        "ask": "A year to try.",
        "stat": [s.pk for s in chosen],
        "story": ["switchback-prison-leavers", "three-community-groups"],
    }
    case = client.get(CASE, query).context["case"]
    again = client.get(f"{CASE}?{case.query_string()}").context["case"]

    for built in (case, again):
        assert built.title == "Why we work this way"
        assert built.audience == "our board"
        assert built.context == "We run three services.\nThey work."
        assert built.ask == "A year to try."
        assert built.statistics == chosen
        assert [s.slug for s in built.stories] == query["story"]
        assert built.notes == []
    builder = client.get(f"{BUILDER}?{case.query_string()}")
    assert builder.context["form"]["title"].value() == "Why we work this way"
    assert list(builder.context["chosen_statistics"]) == [s.pk for s in chosen]


def test_case_page_holds_exactly_the_chosen_references(client):
    query = {"stat": [stat("Hospital admissions").pk, stat("Disaster survival").pk]}
    html = client.get(CASE, query).content.decode()
    listed = re.findall(r'<li class="reference" id="ref-([\w-]+)">', html)
    assert listed == ["abel-2018", "aldrich-2023", "aldrich-meyer-2015", "aldrich-sawada-2015"]
    assert "holt-lunstad" not in html


def test_unknown_unpublished_and_malformed_ids_are_dropped_with_a_note(client):
    Statistic.objects.filter(label="Burnout").update(published=False)
    Story.objects.filter(slug="three-community-groups").update(published=False)
    query = {
        "stat": [stat("Burnout").pk, "9999", "abc", stat("Life expectancy").pk],
        "story": ["no-such-story", "three-community-groups", "Bad Slug!"],
    }
    response = client.get(CASE, query)
    case = response.context["case"]
    assert [s.label for s in case.statistics] == ["Life expectancy"]
    assert case.stories == []
    html = response.content.decode()
    assert "We left out 3 statistics we could not find." in html
    assert "We left out 3 stories we could not find." in html


def test_over_long_text_is_cut_with_a_note(client):
    response = client.get(CASE, {"title": "t" * 500, "context": "c" * 2000, "ask": "ask"})
    case = response.context["case"]
    assert len(case.title) == 120 and len(case.context) == 1500
    assert "Your title was longer than 120 characters" in response.content.decode()
    assert "Your context was longer than 1500 characters" in response.content.decode()


def test_too_many_choices_are_capped_with_a_note(client):
    ids = list(Statistic.objects.values_list("pk", flat=True))
    case = client.get(CASE, {"stat": ids}).context["case"]
    assert len(case.statistics) == 12
    assert "at most 12 statistics" in " ".join(case.notes)


@pytest.mark.parametrize(
    "query",
    [
        "title=%FF%FE",  # not UTF-8
        "context=a%00b",  # a NUL byte
        "ask=" + "x" * 30_000,  # absurdly long
        "&".join(["stat=1"] * 150),  # absurdly many
    ],
)
def test_malformed_case_urls_are_a_400_not_a_500(client, query):
    for url in (CASE, BUILDER, reverse("stories:case_bibtex")):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, url
    assert "cannot read" in client.get(f"{CASE}?title=%FF").content.decode()


def test_visitor_text_is_escaped_in_the_page_the_text_version_and_the_builder(client):
    query = {"title": HOSTILE, "audience": HOSTILE, "context": HOSTILE, "ask": HOSTILE}
    query["stat"] = [stat("Life expectancy").pk]
    for url in (CASE, BUILDER):
        html = client.get(url, query).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert" in html
    case_html = client.get(CASE, query).content.decode()
    textarea = re.search(r'<textarea id="case-text"[^>]*>(.*?)</textarea>', case_html, re.S)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in textarea.group(1)


def test_downloads_never_carry_visitor_text(client):
    query = {"title": HOSTILE, "ask": HOSTILE, "stat": [stat("Life expectancy").pk]}
    for name in ("stories:case_bibtex", "stories:case_ris"):
        body = client.get(reverse(name), query).content.decode()
        assert "script" not in body and "alert" not in body
