import pytest
from django.urls import reverse

from stories.models import Story

pytestmark = pytest.mark.django_db


def test_story_changelist_loads_with_search_and_filters(admin_client, make_story):
    make_story("Through the gate")
    make_story("Listening", published=False)

    response = admin_client.get(
        reverse("admin:stories_story_changelist"), {"q": "gate", "published__exact": "1"}
    )

    assert response.status_code == 200
    assert [story.title for story in response.context["cl"].result_list] == ["Through the gate"]


def test_changelist_links_to_the_preview_of_an_unpublished_story(admin_client, make_story):
    story = make_story("Draft", published=False)

    html = admin_client.get(reverse("admin:stories_story_changelist")).content.decode()

    assert f'<a href="{story.get_absolute_url()}">Preview</a>' in html


def test_staff_write_a_story_with_sections_in_the_admin(admin_client, make_sector):
    sector = make_sector("Health and care")

    response = admin_client.post(
        reverse("admin:stories_story_add"),
        {
            "title": "Listening",
            "slug": "listening",
            "strapline": "A strapline.",
            "summary": "A summary.",
            "display_order": "5",
            "sectors": [sector.pk],
            "themes": "Dialogue, Trust",
            "scale": Story.Scale.NATIONAL,
            "organisation_kind": Story.OrganisationType.HEALTH_BODY,
            "sections-TOTAL_FORMS": "2",
            "sections-INITIAL_FORMS": "0",
            "sections-0-order": "1",
            "sections-0-heading": "First",
            "sections-0-text": "One.",
            "sections-1-order": "2",
            "sections-1-heading": "Second",
            "sections-1-text": "Two.",
        },
    )

    assert response.status_code == 302, response.context["adminform"].errors
    story = Story.objects.get(slug="listening")
    assert not story.is_published()
    assert [section.heading for section in story.sections.all()] == ["First", "Second"]
    assert sorted(theme.name for theme in story.themes.all()) == ["Dialogue", "Trust"]


def test_admin_refuses_half_a_location(admin_client, make_sector):
    response = admin_client.post(
        reverse("admin:stories_story_add"),
        {
            "title": "Somewhere",
            "slug": "somewhere",
            "strapline": "A strapline.",
            "summary": "A summary.",
            "display_order": "0",
            "sectors": [make_sector().pk],
            "scale": Story.Scale.NEIGHBOURHOOD,
            "organisation_kind": Story.OrganisationType.OTHER,
            "latitude": "51.5",
            "sections-TOTAL_FORMS": "1",
            "sections-INITIAL_FORMS": "0",
            "sections-0-order": "1",
            "sections-0-heading": "First",
            "sections-0-text": "One.",
        },
    )

    assert response.status_code == 200
    assert "longitude" in response.context["adminform"].form.errors
    assert not Story.objects.exists()


def test_publish_action_publishes_and_dates_the_selected_stories(admin_client, make_story):
    draft = make_story("Draft", published=False)

    admin_client.post(
        reverse("admin:stories_story_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )

    draft.refresh_from_db()
    assert draft.is_published()
    assert draft.published_at is not None


def test_unpublish_action_takes_stories_off_the_site(admin_client, make_story):
    story = make_story("Shown")

    admin_client.post(
        reverse("admin:stories_story_changelist"),
        {"action": "unpublish", "_selected_action": [story.pk]},
    )

    story.refresh_from_db()
    assert not story.is_published()


def test_story_form_offers_section_rows_and_a_theme_list(admin_client, make_story):
    story = make_story("Listening", themes=["Dialogue"])

    response = admin_client.get(reverse("admin:stories_story_change", args=[story.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="sections-0-heading"' in html
    assert 'value="Dialogue"' in html
