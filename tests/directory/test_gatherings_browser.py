"""A gathering from start to finish in a real browser: an owner posts it from the private
link, a moderator approves it in the admin, and it shows in the list, on its page, on the
map's layer and in the calendar feed. The new pages are checked with axe-core."""

import icalendar
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from directory.models import Gathering
from tests.private_links import manage_path

from .test_admin import PASSWORD

pytestmark = pytest.mark.browser


def test_an_owners_gathering_reaches_every_public_output_once_approved(
    page, no_serious_violations, make_entry, django_user_model, settings, live_server
):
    # A superuser: the Moderators group, made by a migration, is gone once an earlier
    # browser test's database has been flushed.
    django_user_model.objects.create_superuser("morgan", "morgan@example.org", PASSWORD)
    settings.SITE_URL = live_server.url
    owner = make_entry("Moston Neighbours")

    page.goto(manage_path(owner))
    page.get_by_role("link", name="Post a gathering").click()
    expect(page.locator("h1")).to_have_text("Post a gathering")
    no_serious_violations()
    page.get_by_label("Title").fill("Tea and talk in Burnage")
    page.get_by_label("Description").fill("An evening about neighbourliness.")
    page.get_by_label("Starts").fill("2031-07-01T18:30")
    page.get_by_label("Ends").fill("2031-07-01T20:00")
    page.get_by_label("In person", exact=True).check()
    page.get_by_label("Town, village or postcode").fill("Burnage")
    page.get_by_label("Themes").fill("listening")
    page.get_by_role("button", name="Send to a moderator").click()

    expect(page.locator(".lede")).to_contain_text(
        "“Tea and talk in Burnage” is waiting for a moderator"
    )
    no_serious_violations()
    gathering = Gathering.objects.get()
    assert gathering.status == Gathering.Status.AWAITING_REVIEW
    assert gathering.place_name == "Burnage"

    page.goto(reverse("directory:gatherings"))
    expect(page.get_by_text("No gathering is planned just now.")).to_be_visible()

    page.goto(reverse("admin:login") + "?next=" + reverse("admin:directory_gathering_changelist"))
    page.get_by_label("Username").fill("morgan")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("row", name="Tea and talk in Burnage").get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(value="approve")
    page.get_by_role("button", name="Run").click()
    expect(page.locator(".messagelist")).to_contain_text("Published 1")
    gathering.refresh_from_db()
    assert gathering.status == Gathering.Status.PUBLISHED

    page.goto(reverse("directory:gatherings"))
    page.get_by_role("link", name="Tea and talk in Burnage").click()
    expect(page.locator("h1")).to_have_text("Tea and talk in Burnage")
    expect(page.locator(".story-facts")).to_contain_text("Tuesday 1 July 2031, 18:30 to 20:00")
    no_serious_violations()

    layer = page.request.get(reverse("directory:gatherings_geojson")).json()
    assert [f["properties"]["title"] for f in layer["features"]] == ["Tea and talk in Burnage"]
    feed = page.request.get(reverse("directory:gatherings_ics")).body()
    [event] = icalendar.Calendar.from_ical(feed).walk("VEVENT")
    assert str(event["summary"]) == "Tea and talk in Burnage"
    assert str(event["uid"]) == gathering.uid

    page.goto(reverse("directory:map"))
    marker = page.locator(".leaflet-marker-icon.map-marker--gathering")
    expect(marker).to_have_count(1)
