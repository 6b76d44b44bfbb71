"""Alerts, part 1: subscribing from the map, confirming, changing and stopping, through
Django's test client, emails included."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from directory import tokens
from directory.models import AlertSubscription

from .conftest import started

pytestmark = pytest.mark.django_db


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


@pytest.fixture
def alert_data(make_sector):
    health = make_sector("Health and care")

    def data(**changes):
        return {
            "email": "sam@example.org",
            "near": "Frome",
            "radius": "10",
            "lat": "",
            "lng": "",
            "bbox": "",
            "sectors": [str(health.pk)],
            "themes": "",
            "wants_stories": "on",
            "frequency": "weekly",
            "company_fax": "",
            "started": started(),
        } | changes

    return data


def test_alert_form_starts_from_the_place_and_filters_the_map_showed(client, make_sector):
    health = make_sector("Health and care")
    Tag.objects.create(name="Listening", slug="listening")

    query = {"near": "Frome", "radius": "10", "sector": health.slug, "theme": "listening"}
    html = client.get(reverse("directory:alerts"), query).content.decode()

    assert 'name="near" value="Frome"' in html
    assert '<option value="10" selected>' in html
    assert f'value="{health.pk}" id="id_sectors_0" checked' in html
    assert 'value="Listening"' in html


def test_alert_form_starts_from_the_map_view_when_no_place_was_searched(client):
    html = client.get(reverse("directory:alerts"), {"bbox": "-2.5,51.1,-2.1,51.4"}).content
    html = html.decode()

    assert 'name="bbox" value="-2.5,51.1,-2.1,51.4"' in html
    assert "the part of the map you were looking at" in html


def test_a_broken_map_view_in_the_link_is_a_bad_request(client):
    response = client.get(reverse("directory:alerts"), {"bbox": "west,south"})

    assert response.status_code == 400


def test_map_list_links_to_an_alert_for_what_it_shows(client, make_entry):
    make_entry()
    query = {"near": "Frome", "radius": "10", "bbox": "-2.5,51.1,-2.1,51.4", "page": "1"}

    html = client.get(reverse("directory:map_results"), query).content.decode()

    link = re.search(r'<a href="(/alerts/[^"]*)">Tell me about new entries here</a>', html)
    assert link, "the list carries the alert link"
    assert "near=Frome" in link[1] and "bbox=" in link[1] and "page=" not in link[1]


def test_subscribing_stores_an_unconfirmed_alert_and_emails_a_confirmation(
    client, alert_data, settings
):
    response = client.post(reverse("directory:alerts"), alert_data())

    assert response.status_code == 302 and response["Location"] == reverse("directory:alerts_sent")
    alert = AlertSubscription.objects.get()
    assert (alert.email, alert.place_name, alert.radius_km, alert.frequency) == (
        "sam@example.org",
        "Frome",
        10,
        "weekly",
    )
    assert alert.latitude == pytest.approx(51.23, abs=0.05) and alert.has_place
    assert [s.name for s in alert.sectors.all()] == ["Health and care"]
    assert alert.wants_stories and not alert.wants_gatherings
    assert alert.confirmed_at is None and alert.sent_up_to is None
    [confirmation] = mail.outbox
    assert confirmation.to == ["sam@example.org"]
    assert "within 10 km of Frome" in confirmation.body
    confirm_url, manage_url = links_in(confirmation)[:2]
    assert confirm_url.startswith(settings.SITE_URL + "/alerts/confirm/")
    assert manage_url.startswith(settings.SITE_URL + "/alerts/manage/")
    assert settings.SITE_OPERATOR_NAME in confirmation.body  # the site's footer


def test_confirming_takes_a_button_press_and_starts_the_alert_from_now(
    client, alert_data, settings
):
    client.post(reverse("directory:alerts"), alert_data())
    path = links_in(mail.outbox[0])[0].removeprefix(settings.SITE_URL)

    assert "Confirm my alert" in client.get(path).content.decode()
    assert AlertSubscription.objects.get().confirmed_at is None  # a GET changes nothing
    before = timezone.now()
    html = client.post(path).content.decode()

    alert = AlertSubscription.objects.get()
    assert "your alert has started" in html
    assert alert.confirmed_at >= before and alert.sent_up_to == alert.confirmed_at
    assert "Already confirmed" in client.post(path).content.decode()
    assert AlertSubscription.objects.get().confirmed_at == alert.confirmed_at


def test_a_map_view_alert_stores_the_box(client, alert_data):
    client.post(reverse("directory:alerts"), alert_data(near="", bbox="-2.5,51.1,-2.1,51.4"))

    alert = AlertSubscription.objects.get()
    assert (alert.west, alert.south, alert.east, alert.north) == (-2.5, 51.1, -2.1, 51.4)
    assert alert.has_box and not alert.has_place and alert.place_name == ""


def test_a_place_named_after_following_the_map_replaces_its_point(client, alert_data):
    # The map had found Frome; the person then typed another town.
    client.post(reverse("directory:alerts"), alert_data(near="York", lat="51.23", lng="-2.32"))

    alert = AlertSubscription.objects.get()
    assert alert.place_name == "York" and alert.latitude == pytest.approx(53.96, abs=0.05)


def test_bad_input_is_refused_with_field_errors_and_keeps_what_was_typed(client, alert_data):
    data = alert_data(
        email="not an address", near="Nowhereshire Xq", themes="no such theme, kindness"
    )

    response = client.post(reverse("directory:alerts"), data)

    html = response.content.decode()
    assert response.status_code == 200 and not AlertSubscription.objects.exists()
    assert "Enter a valid email address." in html
    assert "We could not find “Nowhereshire Xq”" in html
    assert "No entry has the theme “kindness”, “no such theme” yet" in html
    assert 'value="not an address"' in html and 'value="Nowhereshire Xq"' in html
    assert not mail.outbox


def test_a_bot_filling_the_hidden_field_saves_nothing(client, alert_data):
    response = client.post(reverse("directory:alerts"), alert_data(company_fax="0123"))

    assert response.status_code == 400 and not AlertSubscription.objects.exists()


def test_subscribing_is_rate_limited_like_the_join_form(client, alert_data, settings):
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"alert": "2/h"}
    for _ in range(2):
        client.post(reverse("directory:alerts"), alert_data())

    response = client.post(reverse("directory:alerts"), alert_data())

    assert response.status_code == 429 and AlertSubscription.objects.count() == 2
    assert 'value="sam@example.org"' in response.content.decode()


def test_the_private_link_changes_the_alert(client, make_alert, make_sector):
    alert = make_alert(place_name="Frome", latitude=51.23, longitude=-2.32, radius_km=10)
    path = tokens.alert_links(alert)["alerts_manage"]

    html = client.get(path).content.decode()
    assert 'value="Frome"' in html and "within 10 km of Frome" in html
    education = make_sector("Education")
    response = client.post(
        path,
        {"near": "", "radius": "25", "sectors": [str(education.pk)], "frequency": "daily"},
    )

    alert.refresh_from_db()
    assert "Saved." in response.content.decode()
    assert not alert.has_place and not alert.has_box  # anywhere now
    assert [s.name for s in alert.sectors.all()] == ["Education"]
    assert alert.frequency == "daily" and not alert.wants_stories
    assert alert.email == "sam@example.org"  # the page cannot change the address


def test_the_unsubscribe_link_asks_first_then_deletes_the_alert(client, make_alert):
    alert = make_alert()
    path = tokens.alert_links(alert)["alerts_unsubscribe"]

    assert "Stop this alert?" in client.get(path).content.decode()
    assert AlertSubscription.objects.exists()
    response = client.post(path)

    assert "Your alert has stopped" in response.content.decode()
    assert not AlertSubscription.objects.exists()
    assert client.get(path).status_code == 404  # the link died with it


def test_one_click_unsubscribe_needs_no_csrf_token_as_rfc_8058_requires(make_alert):
    from django.test import Client

    alert = make_alert()
    strict = Client(enforce_csrf_checks=True)
    path = tokens.alert_links(alert)["alerts_unsubscribe"]

    response = strict.post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200 and not AlertSubscription.objects.exists()


def test_the_other_alert_pages_still_need_the_csrf_token(make_alert):
    from django.test import Client

    alert = make_alert()
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(tokens.alert_links(alert)["alerts_manage"], {"frequency": "weekly"})

    assert response.status_code == 403


@pytest.mark.parametrize("name", ["alerts_confirm", "alerts_manage", "alerts_unsubscribe"])
def test_a_forged_or_stale_alert_link_is_a_404(client, name):
    response = client.get(reverse(f"directory:{name}", kwargs={"token": "forged"}))

    assert response.status_code == 404
    assert "This link no longer works" in response.content.decode()


def test_unconfirmed_alerts_expire_with_unconfirmed_entries(make_alert, settings):
    settings.UNCONFIRMED_ENTRY_DAYS = 7
    stale = make_alert("old@example.org", confirmed=False)
    AlertSubscription.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=8)
    )
    make_alert("new@example.org", confirmed=False)
    kept = make_alert("kept@example.org")
    AlertSubscription.objects.filter(pk=kept.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=30)
    )

    call_command("purge_unconfirmed", "--dry-run", verbosity=0)
    assert AlertSubscription.objects.count() == 3
    call_command("purge_unconfirmed", verbosity=0)

    assert sorted(AlertSubscription.objects.values_list("email", flat=True)) == [
        "kept@example.org",
        "new@example.org",
    ]


def test_privacy_notice_states_how_long_unconfirmed_alerts_are_kept(client, settings):
    settings.UNCONFIRMED_ENTRY_DAYS = 4

    html = client.get(reverse("privacy")).content.decode()

    assert "An alert not confirmed within 4 days is deleted automatically." in " ".join(
        html.split()
    )


def test_staff_can_find_an_alert_by_its_address_but_not_start_one(admin_client, make_alert):
    alert = make_alert("findme@example.org")

    listing = admin_client.get(
        reverse("admin:directory_alertsubscription_changelist"), {"q": "findme"}
    )
    page = admin_client.get(reverse("admin:directory_alertsubscription_change", args=[alert.pk]))

    assert listing.status_code == page.status_code == 200
    assert "findme@example.org" in listing.content.decode()
    add = admin_client.get(reverse("admin:directory_alertsubscription_add"))
    assert add.status_code == 403
