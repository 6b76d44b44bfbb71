"""What owners are told, in a real browser at a phone's width and a desktop's: the message
after an edit, the confirmations before withdrawing and erasing, and the join form's
organisation-only questions, by keyboard. Every page is checked with axe-core."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from directory.models import Entry, PendingChanges, Resource
from tests.private_links import manage_path

from .test_admin import PASSWORD, change_page

pytestmark = pytest.mark.browser

WIDTHS = [375, 1280]


@pytest.fixture
def open_door(make_entry):
    entry = make_entry("Open Door", summary="We open our door.", themes=["listening"])
    Resource.objects.create(entry=entry, title="Old guide", url="https://example.org/old")
    return entry


@pytest.fixture
def checked(page, page_problems, serious_accessibility_violations):
    """A check of the page as it is now: no serious accessibility violation, no sideways
    scrolling, no console error or CSP violation."""

    def check():
        assert serious_accessibility_violations(page) == [], page.url
        width = page.viewport_size["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
        assert not page_problems, page_problems

    return check


@pytest.mark.parametrize("width", WIDTHS)
def test_after_an_edit_the_owner_reads_what_waits_for_a_moderator(page, checked, open_door, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(manage_path(open_door, "directory:manage_edit"))

    page.get_by_label("Summary").fill("We open our door on Tuesdays.")
    page.get_by_role("button", name="Save my changes").click()

    expect(page.locator("h1")).to_have_text("Changes sent for review")
    expect(page.locator(".lede")).to_have_text(
        re.compile(r"^\s*Waiting for a moderator: summary\.\s+Nothing else changed\.\s*$")
    )
    expect(page.locator(".changes")).to_contain_text("We open our door on Tuesdays.")
    checked()
    assert Entry.objects.get().held_changes.fields == {"summary": "We open our door on Tuesdays."}


@pytest.mark.parametrize("width", WIDTHS)
def test_withdrawing_asks_first_then_says_what_was_done(page, checked, open_door, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(manage_path(open_door))

    page.get_by_role("link", name="Withdraw my entry").click()

    expect(page.locator("h1")).to_have_text("Withdraw “Open Door” from the map?")
    checked()
    assert Entry.objects.get().status == Entry.Status.PUBLISHED

    page.get_by_role("button", name="Yes, withdraw my entry").click()

    expect(page.locator("h1")).to_have_text("Your entry is withdrawn")
    expect(page.locator(".lede")).to_contain_text("“Open Door” is no longer public")
    checked()
    assert Entry.objects.get().status == Entry.Status.WITHDRAWN


@pytest.mark.parametrize("width", WIDTHS)
def test_waiting_changes_are_shown_and_withdrawn_after_a_confirmation(
    page, checked, open_door, width
):
    Entry.objects.filter(pk=open_door.pk).update(
        pending_changes=PendingChanges(fields={"summary": "We open on Tuesdays."}).to_json()
    )
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(manage_path(open_door))
    expect(page.locator(".changes")).to_contain_text("We open on Tuesdays.")
    checked()

    page.get_by_role("link", name="Withdraw these changes").click()
    expect(page.locator("h1")).to_have_text("Withdraw your changes?")
    checked()
    page.get_by_role("button", name="Yes, withdraw these changes").click()

    expect(page.locator("h1")).to_have_text("Your changes are withdrawn")
    checked()
    assert Entry.objects.get().held_changes is None


@pytest.mark.parametrize("width", WIDTHS)
def test_erasing_asks_first_then_says_what_was_deleted(page, checked, open_door, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(manage_path(open_door))

    page.get_by_role("link", name="Delete my entry and all my data for good").click()
    expect(page.locator("h1")).to_have_text("Delete “Open Door” for good?")
    checked()
    page.get_by_role("button", name="Yes, delete everything").click()

    expect(page.locator("h1")).to_have_text("Your entry is deleted")
    expect(page.locator("main")).to_contain_text("your 1 shared resource")
    checked()
    assert not Entry.objects.exists()


# --- The join form's questions for organisations ---------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_choosing_practitioner_by_keyboard_hides_the_organisation_questions(
    join_page, checked, width
):
    page = join_page
    page.set_viewport_size({"width": width, "height": 900})
    organisation_type = page.get_by_role("combobox", name="Organisation type (optional)")
    exact_location = page.get_by_role("checkbox", name="Show the exact location")
    expect(organisation_type).to_be_visible()  # no kind chosen yet: everything shows

    page.locator("#id_kind_0").focus()
    page.keyboard.press("Space")  # Practitioner

    expect(page.locator("#id_kind_0")).to_be_checked()
    expect(page.locator("#id_kind_0")).to_be_focused()
    expect(organisation_type).to_have_count(0)  # gone for assistive technology too
    expect(exact_location).to_have_count(0)
    expect(page.locator("#id_organisation_type")).to_be_hidden()
    checked()
    page.keyboard.press("Tab")  # into the name, as before
    expect(page.get_by_label("Name")).to_be_focused()
    page.keyboard.press("Tab")  # straight on to the summary: nothing hidden takes the focus
    expect(page.get_by_label("Summary")).to_be_focused()

    page.locator("#id_kind_0").focus()
    page.keyboard.press("ArrowDown")  # Organisation

    expect(page.locator("#id_kind_1")).to_be_focused()
    expect(organisation_type).to_be_visible()
    expect(exact_location).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(organisation_type).to_be_focused()
    checked()


def test_the_edit_form_of_a_practitioner_opens_without_the_organisation_questions(page, make_entry):
    entry = make_entry("Pat Jones", kind=Entry.Kind.PRACTITIONER)

    page.goto(manage_path(entry, "directory:manage_edit"))

    expect(page.locator("#id_kind_0")).to_be_checked()
    expect(page.locator("#id_organisation_type")).to_be_hidden()
    expect(page.locator("#id_show_exact_location")).to_be_hidden()


def test_without_javascript_every_question_shows_whatever_the_kind(
    page_without_javascript, make_sector
):
    page = page_without_javascript
    make_sector("Health and care")
    page.goto(reverse("directory:join"))

    page.locator("#id_kind_0").check()

    expect(page.get_by_label("Organisation type (optional)")).to_be_visible()
    expect(page.get_by_label("Show the exact location")).to_be_visible()


# --- The moderator's side ------------------------------------------------------------------


def test_the_moderator_gives_an_optional_reason_when_rejecting_changes(
    page, checked, django_user_model, open_door
):
    django_user_model.objects.create_superuser("admin", "admin@example.org", PASSWORD)
    Entry.objects.filter(pk=open_door.pk).update(
        pending_changes=PendingChanges(fields={"summary": "We open on Tuesdays."}).to_json()
    )
    page.goto(reverse("admin:login") + "?next=" + change_page(open_door))
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("button", name="Reject these changes").click()
    expect(page.get_by_label("Reason")).to_be_visible()
    checked()
    page.get_by_label("Reason").fill("Please say which days you open.")
    page.get_by_role("button", name="Reject and email the owner").click()

    expect(page.locator(".messagelist")).to_contain_text("emailed its owner")
    assert Entry.objects.get().held_changes is None
