"""A connection from start to finish in a real browser: owner A finds owner B by name on
its manage page and proposes; B confirms from the link in its own email; both profiles list
it; B ends it, after a confirmation step; it is gone from both. The pages are checked with
axe-core."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from directory.models import Connection
from tests.private_links import manage_path

pytestmark = pytest.mark.browser


def emailed_manage_path(message) -> str:
    [url] = re.findall(r"https?://\S+/manage/\S+", message.body)
    return "/manage/" + url.split("/manage/", 1)[1]


def test_owners_propose_confirm_and_end_a_connection_seen_on_both_profiles(
    page, no_serious_violations, make_entry, settings, live_server
):
    settings.SITE_URL = live_server.url
    fallowfield = make_entry("Fallowfield Friends", contact_email="fallowfield@example.org")
    frome = make_entry("Frome Friends", place_name="Frome", contact_email="frome@example.org")

    page.goto(manage_path(fallowfield))
    expect(page.get_by_role("heading", name="Who you work with")).to_be_visible()
    page.get_by_label("Add a connection: find the other entry by name").fill("frome")
    page.get_by_role("button", name="Find").click()
    expect(page.locator("h1")).to_have_text("Add a connection")
    no_serious_violations()
    page.get_by_label("Frome Friends (Frome)").check()
    page.get_by_label("How you work together").select_option(label="We refer people to each other")
    page.get_by_label("In a few words (optional)").fill("We run a lunch club together")
    page.get_by_role("button", name="Ask them to confirm").click()

    expect(page.locator(".messages")).to_contain_text(
        "We have emailed Frome Friends to ask them to confirm. Nothing is shown"
    )
    no_serious_violations()
    assert Connection.objects.get().status == Connection.Status.PROPOSED
    page.goto(frome.get_absolute_url())
    expect(page.get_by_text("Who they work with")).to_have_count(0)

    # Frome's owner opens the link in the email it was sent.
    [asked] = mail.outbox
    page.goto(emailed_manage_path(asked))
    expect(page.locator("h1")).to_have_text("Manage “Frome Friends”")
    no_serious_violations()
    page.get_by_role("button", name="Confirm: we work with Fallowfield Friends").click()
    expect(page.locator(".messages")).to_contain_text("You and Fallowfield Friends are connected.")
    assert Connection.objects.get().is_confirmed

    for profile, other in [(fallowfield, "Frome Friends"), (frome, "Fallowfield Friends")]:
        page.goto(profile.get_absolute_url())
        listed = page.locator(".connection-list li")
        expect(listed).to_have_text(
            f"{other}: We refer people to each other, “We run a lunch club together”"
        )
        no_serious_violations()
    page.get_by_role("link", name="Fallowfield Friends").first.click()
    expect(page.locator("h1")).to_have_text("Fallowfield Friends")

    page.goto(emailed_manage_path(asked))
    page.get_by_role("link", name="End this connection with Fallowfield Friends").click()
    expect(page.locator("h1")).to_have_text("End your connection with Fallowfield Friends?")
    no_serious_violations()
    page.get_by_role("button", name="End this connection").click()
    expect(page.locator(".messages")).to_contain_text(
        "Your connection with Fallowfield Friends has ended."
    )

    assert not Connection.objects.exists()
    for profile in [fallowfield, frome]:
        page.goto(profile.get_absolute_url())
        expect(page.get_by_text("Who they work with")).to_have_count(0)
