"""Reporting and contacting the team in a real browser: the whole report flow from a profile
into the admin, and the new pages accessible and free of CSP errors at phone and desktop widths."""

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from directory.models import Report

from .conftest import take_a_persons_time

pytestmark = pytest.mark.browser

PASSWORD = "a long and unguessable passphrase"


def test_a_visitor_reports_a_profile_and_a_moderator_finds_it_in_the_admin(
    page, page_problems, serious_accessibility_violations, make_entry, django_user_model, settings
):
    settings.MODERATOR_EMAILS = ["moderators@example.org"]
    make_entry("Aardvark Allies")
    entry = make_entry("Open Door", contact_email="owner-private@example.org")
    django_user_model.objects.create_superuser("admin", "admin@example.org", PASSWORD)

    page.goto(entry.get_absolute_url())
    page.get_by_role("link", name="Report this entry").click()
    expect(page.locator("h1")).to_have_text("Report “Open Door”")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("The information is wrong or out of date").check()
    page.get_by_label("Tell us more (optional)").fill("They closed last spring.")
    take_a_persons_time(page)
    page.get_by_role("button", name="Send my report").click()

    expect(page.locator("h1")).to_have_text("Thank you for your report")
    assert serious_accessibility_violations(page) == []
    assert "Open Door" not in page.content()
    [email] = mail.outbox
    assert email.to == ["moderators@example.org"]

    page.goto(reverse("admin:login") + "?next=" + reverse("admin:directory_entry_changelist"))
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Read the reports").click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    rows.first.locator("th a").click()

    expect(page.get_by_role("heading", name="Reports from visitors")).to_be_visible()
    expect(page.get_by_text("They closed last spring.")).to_be_visible()
    page.get_by_role("button", name="Close the open reports").click()
    expect(page.get_by_text("Closed 1 report.")).to_be_visible()
    assert Report.objects.get().closed_at is not None
    assert not page_problems, page_problems


def test_a_message_to_the_team_is_sent_from_the_footer(page, page_problems, settings):
    settings.MODERATOR_EMAILS = ["moderators@example.org"]
    page.goto(reverse("about"))

    page.locator("footer").get_by_role("link", name="Contact us").click()
    page.get_by_label("Your name").fill("Sam Lee")
    page.get_by_label("Your email address").fill("sam@example.net")
    page.get_by_label("Your message").fill("Could the map show community gardens too?")
    take_a_persons_time(page)
    page.get_by_role("button", name="Send my message").click()

    expect(page.locator("h1")).to_have_text("We have your message")
    assert [email.reply_to for email in mail.outbox] == [["sam@example.net"]]
    assert not page_problems, page_problems


@pytest.mark.parametrize("width", [375, 1280])
def test_the_trust_pages_have_no_serious_accessibility_violations_or_csp_errors(
    page, page_problems, serious_accessibility_violations, make_entry, width
):
    entry = make_entry("Open Door")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(entry.get_absolute_url())
    report_url = page.get_by_role("link", name="Report this entry").get_attribute("href")
    urls = [
        reverse("about"),
        reverse("privacy"),
        reverse("contact_us"),
        reverse("contact_us_sent"),
        report_url,
        reverse("report_sent"),
    ]
    for url in urls:
        page.goto(url)

        assert serious_accessibility_violations(page) == [], url
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
    assert not page_problems, page_problems
