"""Stories say only what is known: facets left empty where the brief does not confirm them,
and no sentence that claims more than the brief holds."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from stories.management.commands.load_content import load_content
from stories.models import Story

pytestmark = pytest.mark.django_db

LIST_URL = reverse("stories:list")
UNCONFIRMED = [
    "tackling-entrenched-issues-relationally",
    "shared-ritual-and-mutual-learning",
    "flexible-relational-deathcare",
    "artists-communities-radical-imagination",
]


@pytest.fixture
def content():
    load_content()


def story_text(story: Story) -> str:
    parts = [story.title, story.strapline, story.summary]
    parts += [f"{section.heading}\n{section.text}" for section in story.sections.all()]
    return "\n".join(parts)


def test_unconfirmed_stories_state_no_scale_or_kind_of_organisation(content):
    for story in Story.objects.filter(slug__in=UNCONFIRMED):
        assert (story.scale, story.organisation_kind) == ("", ""), story.slug
        story.full_clean()


def test_a_story_without_a_scale_says_not_stated_and_links_to_no_filter(client, make_story):
    story = make_story("Unknown", scale="", organisation_kind="")

    html = client.get(story.get_absolute_url()).content.decode()

    facts = html[html.index('class="story-facts"') : html.index("</dl>")]
    assert facts.count("Not stated") == 2
    assert "?scale=" not in facts and "?kind=" not in facts


def test_a_story_without_a_scale_is_listed_under_any_scale_only(client, make_story):
    make_story("Unknown", scale="", organisation_kind="")
    make_story("Local", scale=Story.Scale.NEIGHBOURHOOD)

    def titles(query):
        response = client.get(f"{LIST_URL}?{query}")
        return [story.title for story in response.context["page"].object_list]

    assert titles("") == ["Local", "Unknown"]
    assert titles("scale=neighbourhood") == ["Local"]
    assert titles("kind=charity") == ["Local"]
    card = client.get(LIST_URL).content.decode()
    assert card.count('class="story-card__scale"') == 1


def test_not_confirmed_is_no_longer_a_kind_to_filter_by(client, make_story):
    make_story("Local")
    html = client.get(f"{LIST_URL}?kind=not_confirmed").content.decode()
    assert "We ignored a kind of organisation we do not know." in html
    assert "Not yet confirmed" not in html


def test_the_first_story_does_not_say_who_it_is_about(content):
    story = Story.objects.get(slug="tackling-entrenched-issues-relationally")
    text = story_text(story).lower()
    assert "council" not in text
    assert "north east" not in text


def test_no_story_ranks_one_factor_above_all_others(content):
    for story in Story.objects.prefetch_related("sections"):
        text = story_text(story)
        found = re.findall(r"more than any|above all|most of all|matters most|the key to", text)
        assert found == [], story.slug


def test_unconfirmed_stories_claim_no_outcome(content):
    for story in Story.objects.filter(slug__in=UNCONFIRMED).prefetch_related("sections"):
        text = story_text(story)
        assert not re.search(r"\d", text), story.slug
        assert not re.search(r"\b(?:achieved|reduced|cut|led to|resulted in)\b", text), story.slug


# The brief's account of how the stories were made, which the section must not echo.
BRIEF = (
    "the subjects were people and organisations the Relationships Project had met through its "
    "work, some of whom had added themselves to the Relationships Map; the author and social "
    "researcher Matt Lloyd-Rose held semi-structured interviews with people close to each "
    "story; each story combines desk research with the interview transcripts; interviewees "
    "checked their story for fairness and accuracy before publication. The case maker was "
    "launched on 22 April with Elizabeth Oldfield and Matt Lloyd-Rose, joined by story "
    "contributors Sarah Yardley, Christine Frazer and Russ Bellenie. They were chosen to span "
    "scales, sectors, places and kinds of organisation (from a business to a community group, "
    "a charity and a large state institution). They are accounts to learn from, not templates "
    "to copy."
)
NAMES = {"matt", "lloyd-rose", "elizabeth", "oldfield", "sarah", "yardley", "christine"}
NAMES |= {"frazer", "russ", "bellenie", "relationships", "project", "map", "22", "april"}


def word_runs(text: str, length: int) -> set[tuple[str, ...]]:
    words = [w for w in re.findall(r"[\w'-]+", text.lower()) if w not in NAMES]
    return {tuple(words[i : i + length]) for i in range(len(words) - length + 1)}


def test_how_we_wrote_the_stories_is_in_our_own_words():
    section = re.sub(r"<[^>]+>", " ", render_to_string("stories/_how_we_wrote.html"))
    assert "Matt Lloyd-Rose" in section
    assert word_runs(section, 4) & word_runs(BRIEF, 4) == set()
