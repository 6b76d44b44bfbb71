"""The story list's sector filter: only sectors a visitor can find a story in, with counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIST_URL = reverse("stories:list")


def sector_options(html: str) -> list[tuple[str, str]]:
    select = re.search(r'<select name="sector".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def stories_in_sectors(make_sector, make_story):
    health, justice = make_sector("Health and care"), make_sector("Criminal justice")
    arts, housing = make_sector("Arts and culture"), make_sector("Housing")
    make_story("Palliative care", sectors=[health])
    make_story("A listening clinic", sectors=[health, justice])
    make_story("Through the gate", sectors=[justice])
    make_story("An unfinished draft", sectors=[arts], published=False)
    return {"health": health, "justice": justice, "arts": arts, "housing": housing}


def test_only_sectors_with_published_stories_are_offered_each_with_its_count(
    client, stories_in_sectors
):
    html = client.get(LIST_URL).content.decode()

    assert sector_options(html) == [
        ("", "All sectors"),
        ("criminal-justice", "Criminal justice (2)"),
        ("health-and-care", "Health and care (2)"),
    ]


def test_the_chosen_sector_stays_chosen_with_its_count(client, stories_in_sectors):
    html = client.get(LIST_URL + "?sector=criminal-justice").content.decode()

    assert '<option value="criminal-justice" selected>Criminal justice (2)</option>' in html


def test_a_sector_without_published_stories_is_ignored_with_a_note(client, stories_in_sectors):
    response = client.get(LIST_URL + "?sector=arts-and-culture")

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3
    assert "We ignored a sector that no story is in yet." in response.content.decode()


def test_the_sector_choices_take_one_query_however_many_sectors_and_stories(
    client, make_sector, make_story, django_assert_num_queries
):
    from stories.forms import StoryFilterForm

    make_story("First", sectors=[make_sector("Health and care")])
    with django_assert_num_queries(1):
        few = sector_options(str(StoryFilterForm({})["sector"]))
    for number in range(15):
        sectors = [make_sector(f"Sector {number}"), make_sector("Health and care")]
        make_story(f"Story {number}", sectors=sectors)

    with django_assert_num_queries(1):
        many = sector_options(str(StoryFilterForm({})["sector"]))
    assert (len(few), len(many)) == (2, 17)
    assert ("health-and-care", "Health and care (16)") in many


def test_the_story_list_runs_as_many_queries_with_many_sectors_as_with_few(
    client, make_sector, make_story
):
    make_story("First")
    few = count_queries(client, LIST_URL)
    for number in range(15):
        make_story(f"Story {number}", sectors=[make_sector(f"Sector {number}")])

    assert count_queries(client, LIST_URL) == few
