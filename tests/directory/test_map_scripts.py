"""Pages with a map carry no inline script: the maps are made by our own external scripts from
LEAFLET_CONFIG. (Which pages load Leaflet: tests/relmap/test_assets.py.)"""

import re

import pytest
from django.urls import reverse

from stories.models import Story

pytestmark = pytest.mark.django_db

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
# Data blocks, which browsers never run and the Content Security Policy does not govern.
DATA_TYPES = {'type="application/json"', 'type="application/ld+json"'}


def scripts_of(html: str) -> list[str]:
    return [match.group(1).strip() for match in SCRIPT_TAG.finditer(html)]


def map_pages(client, make_entry) -> dict[str, object]:
    entry = make_entry("Open Door")
    story = Story.objects.create(
        title="Walking alongside",
        slug="walking-alongside",
        summary="A summary.",
        scale=Story.Scale.NEIGHBOURHOOD,
        organisation_kind=Story.OrganisationType.CHARITY,
        published=True,
        latitude=53.48,
        longitude=-2.24,
    )
    urls = {
        "home": reverse("home"),
        "map": reverse("directory:map"),
        "profile": entry.get_absolute_url(),
        "story": story.get_absolute_url(),
        "embed": reverse("directory:embed_map"),
        "place picker": reverse("directory:join"),
    }
    return {name: client.get(url) for name, url in urls.items()}


def test_no_page_with_a_map_has_an_inline_script(client, make_entry):
    for name, response in map_pages(client, make_entry).items():
        html = response.content.decode()
        inline = [
            attributes
            for attributes in scripts_of(html)
            if "src=" not in attributes and not any(kind in attributes for kind in DATA_TYPES)
        ]
        assert response.status_code == 200, name
        assert inline == [], name
        assert 'id="leaflet-config"' in html, name
