"""Alerts in a real browser: from the map to a confirmed alert, then its first digest, with
every alert page free of serious accessibility violations and CSP errors."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from directory import lifecycle
from directory.models import AlertSubscription, Entry

from .conftest import take_a_persons_time

pytestmark = pytest.mark.browser

FROME = {"place_name": "Frome", "latitude": 51.2279, "longitude": -2.3215}


def link_in(message, path: str, settings) -> str:
    """The path of the link to `path` in an email, to open on the live server."""
    return re.search(rf"https?://\S+{path}\S+", message.body)[0].removeprefix(settings.SITE_URL)


def test_from_the_map_to_a_confirmed_alert_and_the_next_digest(
    page, page_problems, serious_accessibility_violations, make_entry, settings
):
    make_entry("Frome Friends", **FROME)
    make_entry("York Neighbours", place_name="York", latitude=53.959, longitude=-1.0815)

    page.goto(reverse("directory:map") + "?near=Frome&radius=10")
    link = page.locator("#map-results").get_by_role("link", name="Tell me about new entries here")
    expect(link).to_have_attribute("href", re.compile(r"bbox="))  # the list follows the view
    link.click()

    expect(page.locator("h1")).to_have_text("Hear about new entries near you")
    expect(page.get_by_label("Near a town, village or postcode")).to_have_value("Frome")
    expect(page.get_by_label("Within")).to_have_value("10")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Your email address").fill("sam@example.org")
    page.get_by_label("Daily").check()
    take_a_persons_time(page)
    page.get_by_role("button", name="Start my alert").click()

    expect(page.locator("h1")).to_have_text("Please check your email")
    assert serious_accessibility_violations(page) == []
    [confirmation] = mail.outbox
    page.goto(link_in(confirmation, "/alerts/confirm/", settings))
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Confirm my alert").click()

    expect(page.locator("h1")).to_have_text("Thank you: your alert has started")
    expect(page.locator(".alert-summary")).to_contain_text("within 10 km of Frome")
    assert serious_accessibility_violations(page) == []
    alert = AlertSubscription.objects.get()
    assert (alert.place_name, alert.radius_km, alert.frequency) == ("Frome", 10, "daily")
    assert alert.is_confirmed()

    # A new entry in the area is approved; the next daily run brings it, and only it.
    waiting = make_entry("Frome Walkers", status=Entry.Status.AWAITING_REVIEW, **FROME)
    lifecycle.approve(entry=waiting)
    call_command("send_alert_digests", "--frequency", "daily", verbosity=0)

    digest = mail.outbox[-1]
    assert digest.to == ["sam@example.org"] and "Frome Walkers" in digest.body
    assert "Frome Friends" not in digest.body and "York Neighbours" not in digest.body

    page.goto(link_in(digest, "/alerts/manage/", settings))
    expect(page.locator("h1")).to_have_text("Your alert")
    assert serious_accessibility_violations(page) == []
    page.goto(link_in(digest, "/alerts/unsubscribe/", settings))
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Stop this alert").click()

    expect(page.locator("h1")).to_have_text("Your alert has stopped")
    assert serious_accessibility_violations(page) == []
    assert not AlertSubscription.objects.exists()
    assert not page_problems, page_problems
