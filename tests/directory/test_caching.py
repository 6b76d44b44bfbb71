"""HTTP caching of the map data and the open data (RFC 9110): validators from the content's
version, a 304 that carries what the 200 would, one ETag per content coding, and
Accept-Encoding read with its q-values. What a change does to each output after
revalidation is in test_visibility.py."""

import gzip
import json
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from directory import lifecycle
from directory.models import ContentVersion, Sector

pytestmark = pytest.mark.django_db

# Every output whose validators come from a content version, with a query where it needs one.
VERSIONED = [
    ("directory:map_data", {}),
    ("directory:map_data", {"kind": "organisation"}),
    ("directory:map_point", {"point_lat": "53.4808", "point_lng": "-2.2426"}),
    ("directory:entries_geojson", {}),
    ("directory:entries_geojson", {"kind": "organisation"}),
    ("directory:entries_csv", {}),
    ("directory:connections_geojson", {}),
    ("directory:connections_kumu", {}),
    ("directory:connections_graphml", {}),
    ("directory:murmurations_index", {}),
    ("directory:openreferral_organizations", {}),
    ("directory:openreferral_services", {}),
    ("directory:entries_feed", {}),
    ("stories:map_layer", {}),
    ("stories:feed", {}),
    ("sitemap", {}),
]
# Those served as prebuilt gzipped bytes.
PREGZIPPED = ["directory:map_data", "directory:entries_geojson", "directory:entries_csv"]


@pytest.fixture
def directory(make_entry, make_story, changed_a_minute_ago):
    entry = make_entry("Moston Neighbours")
    make_story("Walking Alongside", latitude=53.5, longitude=-2.2)
    changed_a_minute_ago()
    return entry


@pytest.mark.parametrize(("url_name", "params"), VERSIONED)
def test_a_304_carries_the_validators_cache_control_and_vary_of_the_200(
    client, directory, url_name, params
):
    first = client.get(reverse(url_name), params)

    again = client.get(reverse(url_name), params, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert again.status_code == 304
    for header in ["ETag", "Last-Modified", "Cache-Control", "Vary"]:
        assert again[header] == first[header], header
    assert "Accept-Encoding" in first["Vary"]
    assert again.content == b""


@pytest.mark.parametrize(("url_name", "params"), VERSIONED)
def test_a_client_whose_copy_is_as_new_as_the_last_change_gets_a_304_by_date(
    client, directory, url_name, params
):
    first = client.get(reverse(url_name), params)

    again = client.get(reverse(url_name), params, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 304


def test_last_modified_is_the_whole_second_of_the_last_change(client, directory):
    changed_at = ContentVersion.objects.get(scope=ContentVersion.Scope.DIRECTORY).changed_at

    response = client.get(reverse("directory:entries_geojson"))

    assert parsedate_to_datetime(response["Last-Modified"]) == changed_at.replace(microsecond=0)


def test_in_the_second_of_a_change_there_is_no_last_modified_to_revalidate_by(client, directory):
    """A second change later in that second would carry the same date, and a client holding
    the first would be told, wrongly, that nothing changed."""
    lifecycle.withdraw(entry=directory)
    # Still within the change's second however slow the machine: it ends a minute from now.
    ContentVersion.objects.update(changed_at=timezone.now() + timedelta(minutes=1))

    response = client.get(reverse("directory:entries_geojson"))
    by_a_date_in_the_future = client.get(
        reverse("directory:entries_geojson"),
        HTTP_IF_MODIFIED_SINCE="Fri, 01 Jan 2100 00:00:00 GMT",
    )

    assert response.status_code == 200
    assert not response.has_header("Last-Modified")
    assert response.has_header("ETag")
    assert by_a_date_in_the_future.status_code == 200


@pytest.mark.parametrize("url_name", PREGZIPPED)
def test_gzip_and_identity_are_different_representations_with_different_etags(
    client, directory, url_name
):
    plain = client.get(reverse(url_name))
    zipped = client.get(reverse(url_name), HTTP_ACCEPT_ENCODING="gzip")

    plain_asking_with_the_gzip_etag = client.get(
        reverse(url_name), HTTP_IF_NONE_MATCH=zipped["ETag"]
    )
    zipped_again = client.get(
        reverse(url_name), HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"]
    )

    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert plain["ETag"] != zipped["ETag"]
    assert plain_asking_with_the_gzip_etag.status_code == 200
    assert plain_asking_with_the_gzip_etag.content == plain.content
    assert zipped_again.status_code == 304


@pytest.mark.parametrize("url_name", [*PREGZIPPED, "home", "directory:map"])
@pytest.mark.parametrize(
    "accept_encoding",
    ["gzip;q=0", "gzip; q=0.0, identity", "br, *;q=0", "identity", "gzip;q=nonsense", ""],
)
def test_a_client_that_refuses_gzip_gets_identity(client, directory, url_name, accept_encoding):
    response = client.get(reverse(url_name), HTTP_ACCEPT_ENCODING=accept_encoding)

    assert not response.has_header("Content-Encoding")
    assert response.status_code == 200
    if url_name != "directory:entries_csv":
        assert response.content.lstrip().startswith((b"{", b"<"))


@pytest.mark.parametrize(
    "accept_encoding", ["gzip", "GZIP;q=0.5", "br;q=1, gzip;q=0.001", "*", "x-gzip"]
)
def test_a_client_that_takes_gzip_in_any_spelling_gets_it(client, directory, accept_encoding):
    response = client.get(
        reverse("directory:entries_geojson"), HTTP_ACCEPT_ENCODING=accept_encoding
    )

    assert response["Content-Encoding"] == "gzip"


def test_open_data_may_be_read_by_any_site_even_when_not_modified(client, directory):
    for url_name in ["directory:entries_geojson", "stories:map_layer"]:
        first = client.get(reverse(url_name))
        again = client.get(reverse(url_name), HTTP_IF_NONE_MATCH=first["ETag"])

        assert first["Access-Control-Allow-Origin"] == "*"
        assert again["Access-Control-Allow-Origin"] == "*"


# --- Changes made in the admin ----------------------------------------------------------


def test_a_sector_renamed_in_the_admin_reaches_the_exports_on_revalidation(admin_client, directory):
    visitor = Client()
    first = visitor.get(reverse("directory:entries_geojson"))
    sector = Sector.objects.get()

    admin_client.post(
        reverse("admin:directory_sector_change", args=[sector.pk]),
        {"name": "Care and health", "slug": sector.slug, "description": "", "display_order": 0},
    )
    again = visitor.get(reverse("directory:entries_geojson"), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert json.loads(again.content)["features"][0]["properties"]["sectors"] == ["Care and health"]


def test_a_theme_renamed_in_the_admin_reaches_the_exports_on_revalidation(
    admin_client, make_entry, changed_a_minute_ago
):
    make_entry("Open Door", themes=["listening"])
    changed_a_minute_ago()
    visitor = Client()
    first = visitor.get(reverse("directory:entries_csv"))
    theme = Tag.objects.get(name="listening")

    tagged = theme.taggit_taggeditem_items.get()
    items = "taggit_taggeditem_items"
    admin_client.post(
        reverse("admin:taggit_tag_change", args=[theme.pk]),
        {
            "name": "deep listening",
            "slug": "deep-listening",
            f"{items}-TOTAL_FORMS": "1",
            f"{items}-INITIAL_FORMS": "1",
            f"{items}-0-id": tagged.pk,
            f"{items}-0-tag": theme.pk,
            f"{items}-0-content_type": tagged.content_type_id,
            f"{items}-0-object_id": tagged.object_id,
        },
    )
    by_date = visitor.get(
        reverse("directory:entries_csv"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )

    assert Tag.objects.get(pk=theme.pk).name == "deep listening"
    assert by_date.status_code == 200
    assert "deep listening" in by_date.content.decode()


def test_a_story_unpublished_in_the_admin_leaves_the_story_layer_on_revalidation(
    admin_client, directory
):
    from stories.models import Story

    visitor = Client()
    first = visitor.get(reverse("stories:map_layer"))
    story = Story.objects.get()

    admin_client.post(
        reverse("admin:stories_story_changelist"),
        {"action": "unpublish", "_selected_action": [story.pk]},
    )
    again = visitor.get(reverse("stories:map_layer"), HTTP_IF_NONE_MATCH=first["ETag"])

    assert len(first.json()["features"]) == 1
    assert again.status_code == 200
    assert again.json()["features"] == []
