"""Pages that are the same for every visitor are rendered once per change of what they show
(relmap/pagecache.py), and still carry each response's own CSP nonce."""

import gzip
import re

import pytest
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.urls import path, reverse

from directory.models import Entry
from relmap.pagecache import cache_page_per_version
from stories.models import Story

pytestmark = pytest.mark.django_db


def make_story(title: str, **fields) -> Story:
    values = {
        "slug": title.lower().replace(" ", "-"),
        "summary": f"{title}: a summary.",
        "scale": Story.Scale.NEIGHBOURHOOD,
        "organisation_kind": Story.OrganisationType.CHARITY,
        "published": True,
    } | fields
    return Story.objects.create(title=title, **values)


def test_pages_are_rendered_once_per_version_of_what_they_show(client, make_entry):
    entry = make_entry("Open Door")
    story = make_story("Walking Alongside")
    urls = [reverse("home"), reverse("directory:map"), entry.get_absolute_url()]
    urls += [story.get_absolute_url(), reverse("stories:case_maker")]
    for url in urls:
        client.get(url)

    # Changes that no version sees (update() leaves the times of change alone), so the
    # pages are not rendered again.
    Entry.objects.update(name="Renamed Quietly")
    Story.objects.update(title="Retitled Quietly")
    again = {url: client.get(url).content.decode() for url in urls}

    assert [url for url, html in again.items() if "Quietly" in html] == []


def test_a_change_to_the_directory_shows_on_the_next_visit(client, make_entry):
    entry = make_entry("Open Door")
    client.get(reverse("home"))
    client.get(entry.get_absolute_url())
    client.get(reverse("directory:map"))

    entry.summary = "Now with a Tuesday lunch."
    entry.save()
    make_entry("Second Entry")

    assert "<strong>2</strong>" in client.get(reverse("home")).content.decode()
    assert "Tuesday lunch" in client.get(entry.get_absolute_url()).content.decode()
    assert "Second Entry" in client.get(reverse("directory:map")).content.decode()


def test_a_changed_story_shows_on_the_next_visit(client):
    story = make_story("Walking Alongside")
    client.get(story.get_absolute_url())
    client.get(reverse("home"))

    story.title = "Walking Alongside, Still"
    story.save()

    assert "Walking Alongside, Still" in client.get(story.get_absolute_url()).content.decode()
    assert "Walking Alongside, Still" in client.get(reverse("home")).content.decode()


@cache_page_per_version(lambda: "one version", timeout=60)
def page_with_an_inline_script(request):
    # No page of the site has an inline script today; one added later must stay safe.
    template = engines["django"].from_string('<script nonce="{{ csp_nonce }}">go()</script>')
    return HttpResponse(template.render({}, request))


urlpatterns = [path("inline-script/", page_with_an_inline_script)]


@pytest.mark.urls(__name__)
def test_each_response_carries_its_own_nonce_even_from_the_cache(client):
    responses = [client.get("/inline-script/") for _ in range(3)]

    nonces = []
    for response in responses:
        header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
        assert f'nonce="{header}"' in response.content.decode()
        nonces.append(header)
    assert len(set(nonces)) == 3


def test_a_visitor_with_a_session_never_gets_or_leaves_a_cached_page(admin_client, client):
    draft = make_story("Not Yet Public", published=False)

    preview = admin_client.get(draft.get_absolute_url())
    anonymous = client.get(draft.get_absolute_url())

    assert preview.status_code == 200
    assert anonymous.status_code == 404


def test_pages_with_a_query_string_are_rendered_for_each_visit(make_entry):
    make_entry("Open Door")
    visitor = Client()
    visitor.get(reverse("directory:map"), {"q": "Door"})

    Entry.objects.update(name="Closed Door")  # no save(): the directory's version stays

    assert "Closed Door" in visitor.get(reverse("directory:map"), {"q": "Door"}).content.decode()


def test_a_cached_page_without_a_nonce_comes_gzipped_to_clients_that_accept_it(client):
    first = client.get(reverse("stories:case_maker"))

    zipped = client.get(reverse("stories:case_maker"), HTTP_ACCEPT_ENCODING="gzip")

    assert zipped["Content-Encoding"] == "gzip"
    assert zipped["Content-Type"] == first["Content-Type"]
    assert gzip.decompress(zipped.content) == first.content
