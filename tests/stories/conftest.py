import pytest
from django.utils.text import slugify


@pytest.fixture
def make_story(db, make_sector):
    """A story, published unless told otherwise, in one sector, with one section."""
    from stories.models import Story, StorySection

    def make(
        title="Walking alongside",
        *,
        sectors=None,
        themes=(),
        sections=(("What happened", "They kept turning up."),),
        **fields,
    ):
        values = {
            "slug": slugify(title),
            "strapline": f"{title}: a strapline.",
            "summary": f"{title}: a summary.",
            "scale": Story.Scale.NEIGHBOURHOOD,
            "organisation_kind": Story.OrganisationKind.CHARITY,
            "published": True,
        } | fields
        story = Story.objects.create(title=title, **values)
        story.sectors.set(sectors if sectors is not None else [make_sector()])
        if themes:
            story.themes.set(list(themes))
        for order, (heading, text) in enumerate(sections):
            StorySection.objects.create(story=story, heading=heading, text=text, order=order)
        return story

    return make
