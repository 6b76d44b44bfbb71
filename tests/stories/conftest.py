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
            "organisation_kind": Story.OrganisationType.CHARITY,
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


@pytest.fixture
def make_source(db):
    """A verified journal article unless told otherwise."""
    from stories.models import Source

    def make(key="smith-2020", authors=("Smith, A.",), **fields):
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

    return make


@pytest.fixture
def make_statistic(db, make_source):
    """A published statistic about health, on its own source unless given one."""
    from stories.models import EvidenceTheme, Statistic

    def make(source=None, *, published=True, themes=(), **fields):
        label = fields.pop("label", "Life expectancy")
        values = {
            "figure": "50%",
            "finding": "People lived longer.",
            "source_says": "People lived longer, by 50%.",
        } | fields
        statistic = Statistic.objects.create(
            label=label,
            source=source or make_source(key=slugify(label)),
            published=published,
            **values,
        )
        health = EvidenceTheme.objects.get_or_create(name="Health", slug="health")[0]
        statistic.themes.set(themes or [health])
        return statistic

    return make
