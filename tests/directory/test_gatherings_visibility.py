"""The leak tests of test_visibility.py, for gatherings: nothing unapproved, rejected, long
cancelled or organised by a hidden entry appears in any public output, and a closed online
link appears in none."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from directory import gatherings
from directory.models import Entry, Gathering

from .test_visibility import body_of

pytestmark = pytest.mark.django_db

# Every public output that lists gatherings or could mention one.
PUBLIC_OUTPUTS = [
    reverse("directory:gatherings"),
    reverse("directory:past_gatherings"),
    reverse("directory:gatherings") + "?format=in_person",
    reverse("directory:gatherings_ics"),
    reverse("directory:gatherings_ics") + "?near=Manchester",
    reverse("directory:gatherings_geojson"),
    reverse("stories:case_maker"),
    "/sitemap.xml",
    "/sitemap-gatherings.xml",
    reverse("home"),
]


def hide(gathering: Gathering, how: str, make_entry) -> None:
    match how:
        case "awaiting_review" | "rejected":
            Gathering.objects.filter(pk=gathering.pk).update(status=how)
        case "cancelled_before_approval":
            Gathering.objects.filter(pk=gathering.pk).update(published_at=None)
            gatherings.cancel(gathering=Gathering.objects.get(pk=gathering.pk))
        case "cancelled_long_ago":
            gatherings.cancel(gathering=gathering)
            Gathering.objects.filter(pk=gathering.pk).update(
                cancelled_at=timezone.now() - timedelta(days=31)
            )
        case "organiser_hidden":
            gathering.organiser.status = Entry.Status.WITHDRAWN
            gathering.organiser.save()


HOW = [
    "awaiting_review",
    "rejected",
    "cancelled_before_approval",
    "cancelled_long_ago",
    "organiser_hidden",
]


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("when_days", [5, -5])
def test_a_hidden_gathering_is_absent_from_every_public_output(
    client, make_entry, make_gathering, how, when_days
):
    starts_at = timezone.now() + timedelta(days=when_days)
    shown = make_gathering("Shown gathering", starts_at=starts_at, themes=["case making"])
    hidden = make_gathering(
        "Hidden gathering",
        organiser=make_entry("Hidden Organiser"),
        starts_at=starts_at,
        themes=["case making"],
        latitude=53.43,
        longitude=-2.19,
    )
    hide(hidden, how, make_entry)

    for url in PUBLIC_OUTPUTS:
        response = client.get(url)
        assert response.status_code == 200, url
        body = body_of(response)
        assert "Hidden gathering" not in body, url
        assert hidden.slug not in body, url
        assert hidden.uid not in body, url
    assert client.get(hidden.get_absolute_url()).status_code == 404
    ics = reverse("directory:gathering_ics", kwargs={"slug": hidden.slug})
    assert client.get(ics).status_code == 404
    assert client.get(shown.get_absolute_url()).status_code == 200


def test_a_closed_online_link_appears_in_no_public_output(client, make_gathering):
    secret = "https://meet.example.org/only-for-those-who-book"
    gathering = make_gathering(
        "Online talk", format=Gathering.Format.ONLINE, online_link=secret, link_is_open=False
    )
    outputs = [
        *PUBLIC_OUTPUTS,
        gathering.get_absolute_url(),
        reverse("directory:gathering_ics", kwargs={"slug": gathering.slug}),
    ]

    for url in outputs:
        assert secret not in body_of(client.get(url)), url


def test_public_gatherings_are_in_the_sitemap(client, make_gathering):
    gathering = make_gathering("Tea and talk")

    assert gathering.get_absolute_url() in client.get("/sitemap-gatherings.xml").content.decode()
    assert "sitemap-gatherings.xml" in client.get("/sitemap.xml").content.decode()
