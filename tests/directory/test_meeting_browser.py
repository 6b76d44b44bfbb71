"""The meeting place in a real browser: no CSP violations, accessible, usable on a phone."""

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from directory.models import Resource
from tests.private_links import manage_path

pytestmark = pytest.mark.browser


@pytest.fixture
def open_door(make_entry):
    entry = make_entry("Open Door", contact_email="owner-private@example.org")
    resource = Resource.objects.create(
        entry=entry,
        title="Listening well",
        url="https://guides.example.org/listening",
        note="A ten-minute guide to giving someone your full attention.",
    )
    resource.themes.set(["listening", "befriending"])
    return entry


def pages(entry) -> list[str]:
    return [
        reverse("directory:contact", kwargs={"slug": entry.slug}),
        reverse("directory:contact_sent", kwargs={"slug": entry.slug}),
        reverse("directory:resources"),
        manage_path(entry, "directory:manage_resources"),
        entry.get_absolute_url(),
    ]


def test_a_visitor_writes_to_an_entry_from_its_profile(page, page_problems, open_door):
    page.goto(open_door.get_absolute_url())

    page.get_by_role("link", name="Send a message").click()
    page.get_by_label("Your name").fill("Sam Lee")
    page.get_by_label("Your email address").fill("sam@example.net")
    page.get_by_label("Your message").fill("Could we meet for a coffee?")
    page.get_by_role("button", name="Send my message").click()

    expect(page.locator("h1")).to_have_text("Your message is on its way")
    assert [email.reply_to for email in mail.outbox] == [["sam@example.net"]]
    assert not page_problems, page_problems


def test_a_mistake_in_the_contact_form_is_summarised_and_linked_to_its_field(page, open_door):
    page.goto(reverse("directory:contact", kwargs={"slug": open_door.slug}))
    page.get_by_label("Your name").fill("Sam Lee")
    page.get_by_label("Your email address").fill("sam at example")
    page.get_by_label("Your message").fill("Hello")
    page.get_by_role("button", name="Send my message").click()

    page.locator(".error-summary a").click()

    expect(page.get_by_label("Your email address")).to_be_focused()
    expect(page.get_by_label("Your message")).to_have_value("Hello")


@pytest.mark.parametrize("width", [375, 1280])
def test_the_meeting_place_pages_have_no_serious_accessibility_violations_or_csp_errors(
    page, page_problems, serious_accessibility_violations, open_door, width
):
    page.set_viewport_size({"width": width, "height": 900})
    for url in pages(open_door):
        page.goto(url)

        assert serious_accessibility_violations(page) == [], url
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
    assert not page_problems, page_problems


def test_the_resource_filters_work_without_javascript(page_without_javascript, open_door):
    page = page_without_javascript
    page.goto(reverse("directory:resources"))

    page.get_by_label("Theme").select_option("befriending")
    page.get_by_role("button", name="Show resources").click()

    expect(page.locator("#resource-count")).to_have_text("1 resource matches")
    assert "theme=befriending" in page.url


def test_an_owner_saves_a_resource_from_the_private_link(page, make_entry):
    entry = make_entry("Open Door")
    page.goto(manage_path(entry, "directory:manage_resources"))

    page.locator("#id_resources-0-title").fill("Listening well")
    page.locator("#id_resources-0-url").fill("https://guides.example.org/listening")
    page.get_by_role("button", name="Save my resources").click()

    expect(page.locator("h1")).to_have_text("Changes sent for review")
