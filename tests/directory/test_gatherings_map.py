"""Gatherings on the map (a GeoJSON overlay, read with the `geojson` parser), the case
maker's invitation to a workshop, and the demo gatherings `make run` shows."""

from datetime import timedelta

import geojson
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from directory.demo_gatherings import LAUNCH_SLUG, PLACEHOLDER_RECORDING, build_demo_gatherings
from directory.models import Gathering

pytestmark = pytest.mark.django_db
LAYER = reverse("directory:gatherings_geojson")


def test_the_layer_holds_upcoming_in_person_public_gatherings_at_their_real_point(
    client, make_gathering, settings
):
    shown = make_gathering("Tea in Burnage", latitude=53.4327, longitude=-2.1997)
    make_gathering("Online", format=Gathering.Format.ONLINE, online_link="https://x.org/")
    make_gathering("Over", starts_at=timezone.now() - timedelta(days=3))
    make_gathering("Waiting", status=Gathering.Status.AWAITING_REVIEW)

    response = client.get(LAYER)

    assert response["Content-Type"] == "application/geo+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    collection = geojson.loads(response.content)
    assert collection.is_valid
    [feature] = collection["features"]
    assert feature["geometry"]["coordinates"] == [-2.1997, 53.4327]  # longitude first
    assert feature["properties"]["title"] == "Tea in Burnage"
    assert feature["properties"]["url"] == settings.SITE_URL + shown.get_absolute_url()


def test_the_layer_is_one_of_the_maps_overlays(client, db):
    response = client.get(reverse("directory:map"))

    overlays = response.context["map_config"]["overlays"]
    assert {"label": "Gatherings", "url": LAYER, "kind": "gathering"} in [
        {name: overlay[name] for name in ["label", "url", "kind"]} for overlay in overlays
    ]


def test_the_layer_answers_a_revalidation_with_304_until_something_changes(
    client, make_gathering, changed_a_minute_ago
):
    make_gathering("Tea and talk")
    changed_a_minute_ago()
    first = client.get(LAYER)

    assert client.get(LAYER, headers={"if-none-match": first["ETag"]}).status_code == 304
    make_gathering("Another")
    assert client.get(LAYER, headers={"if-none-match": first["ETag"]}).status_code == 200


def test_the_case_maker_invites_people_to_case_making_workshops(client, db):
    build_demo_gatherings()

    body = client.get(reverse("stories:case_maker")).content.decode()
    invitation = f"{reverse('directory:gatherings')}?theme=case-making"
    assert invitation in body
    workshops = client.get(invitation).context["page"].object_list
    assert [g.title for g in workshops] == [
        "Making the case for relationships: an online workshop (demo)",
        "Case-making workshop in Manchester (demo)",
    ]


def test_demo_map_adds_the_demo_gatherings_and_the_launch_once(client, db):
    call_command("demo_map", count=5, verbosity=0)
    call_command("demo_map", count=5, verbosity=0)

    assert Gathering.objects.count() == 4
    assert Gathering.objects.public().upcoming().count() == 3
    launch = Gathering.objects.get(slug=LAUNCH_SLUG)
    assert launch.is_past
    assert (launch.local_start.month, launch.local_start.day) == (4, 22)
    assert launch.recording_link == PLACEHOLDER_RECORDING
    assert "placeholders" in launch.notes
    leeds = Gathering.objects.get(slug="kitchen-table-conversation-leeds-demo")
    assert leeds.organiser is not None and leeds.organiser.is_demo
    past = client.get(reverse("directory:past_gatherings")).context["page"].object_list
    assert [g.slug for g in past] == [LAUNCH_SLUG]
