"""schema.org JSON-LD on the stories' pages and the case maker: well-formed, with the
properties each type needs, and nothing that is not published."""

import json
from datetime import datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def json_ld_blocks(html: str) -> list[dict]:
    """Every JSON-LD block of a page, parsed (a block that is not JSON fails here)."""
    return [
        json.loads(block.split(">", 1)[1].split("</script>", 1)[0])
        for block in html.split('<script type="application/ld+json"')[1:]
    ]


def the_node(html: str, type_name: str) -> dict:
    [node] = [block for block in json_ld_blocks(html) if block["@type"] == type_name]
    assert node["@context"] == "https://schema.org"
    return node


def assert_well_formed(node) -> None:
    """Every object says what it is, and no value is empty (a property without a value
    is one a consumer cannot read)."""
    if isinstance(node, dict):
        assert "@type" in node or "@id" in node, node
        for value in node.values():
            assert value not in ("", None, [], {}), node
            assert_well_formed(value)
    elif isinstance(node, list):
        for item in node:
            assert_well_formed(item)


def test_a_story_is_an_article_by_the_site_operator_about_its_organisation_and_place(
    client, make_story, make_sector, settings
):
    story = make_story(
        "Walking alongside",
        sectors=[make_sector("Health and care")],
        organisation_name="Open Door Trust",
        place_name="Frome",
        latitude=51.2279,
        longitude=-2.3215,
    )

    html = client.get(story.get_absolute_url()).content.decode()

    article = the_node(html, "Article")
    assert_well_formed(article)
    operator = {
        "@type": "Organization",
        "name": settings.SITE_OPERATOR_NAME,
        "url": settings.SITE_URL + "/",
    }
    assert article["author"] == article["publisher"] == operator
    assert article["headline"] == "Walking alongside"
    assert article["description"] == story.summary
    assert article["url"] == settings.SITE_URL + story.get_absolute_url()
    assert {"@type": "Organization", "name": "Open Door Trust"} in article["about"]
    assert {"@type": "Thing", "name": "Health and care"} in article["about"]
    assert article["contentLocation"] == {
        "@type": "Place",
        "name": "Frome",
        "geo": {"@type": "GeoCoordinates", "latitude": 51.2279, "longitude": -2.3215},
    }
    story.refresh_from_db()
    assert datetime.fromisoformat(article["datePublished"]) == story.published_at
    assert datetime.fromisoformat(article["dateModified"]) == story.updated_at


def test_a_story_without_a_place_has_no_content_location(client, make_story):
    story = make_story(organisation_name="")

    article = the_node(client.get(story.get_absolute_url()).content.decode(), "Article")

    assert_well_formed(article)
    assert "contentLocation" not in article
    assert [thing["@type"] for thing in article["about"]] == ["Thing"]


def test_a_staff_preview_of_an_unpublished_story_has_no_json_ld(admin_client, make_story):
    story = make_story("Not yet out", published=False)

    html = admin_client.get(story.get_absolute_url()).content.decode()

    assert "Not yet out" in html
    assert json_ld_blocks(html) == []


def test_the_case_maker_is_a_dataset_of_published_statistics_each_citing_its_source(
    client, make_statistic, make_source, settings
):
    source = make_source(
        "holt-lunstad-2010",
        authors=("Holt-Lunstad, J.", "Smith, T. B.", "Layton, J. B."),
        title="Social relationships and mortality risk: A meta-analytic review",
        container="PLOS Medicine",
        doi="10.1371/journal.pmed.1000316",
        year=2010,
    )
    related = make_source("later-2015", title="A later review")
    shown = make_statistic(source, label="Survival", figure="50%")
    shown.related_sources.set([related])
    make_statistic(label="Kept back", published=False)

    html = client.get(reverse("stories:case_maker")).content.decode()

    dataset = the_node(html, "Dataset")
    assert_well_formed(dataset)
    assert dataset["name"] and dataset["description"]
    assert dataset["url"] == settings.SITE_URL + reverse("stories:case_maker")
    assert dataset["publisher"]["name"] == settings.SITE_OPERATOR_NAME
    [statistic] = dataset["hasPart"]
    assert statistic["name"] == "Survival"
    assert statistic["url"] == settings.SITE_URL + shown.get_absolute_url()
    assert statistic["isBasedOn"] == {
        "@type": "ScholarlyArticle",
        "name": "Social relationships and mortality risk: A meta-analytic review",
        "author": [
            {"@type": "Person", "name": name}
            for name in ["Holt-Lunstad, J.", "Smith, T. B.", "Layton, J. B."]
        ],
        "datePublished": "2010",
        "url": "https://doi.org/10.1371/journal.pmed.1000316",
        "sameAs": "https://doi.org/10.1371/journal.pmed.1000316",
    }
    first, second = statistic["citation"]
    assert first.startswith("Holt-Lunstad, J., Smith, T. B., & Layton, J. B. (2010).")
    assert second.startswith("Smith, A. (2020). A later review.")
    assert "Kept back" not in json.dumps(dataset)
