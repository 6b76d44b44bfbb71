import pytest
from django.urls import reverse
from playwright.sync_api import expect

from stories.management.commands.load_content import load_content

pytestmark = pytest.mark.browser


@pytest.fixture
def content(transactional_db):
    load_content()


def test_visitor_builds_a_case_by_clicking_and_its_share_url_prints_cleanly(
    page, page_problems, browser, content
):
    page.goto(reverse("stories:case_builder"))
    page.get_by_label("Your sector").select_option("criminal-justice")
    page.get_by_role("button", name="Show what fits first").click()
    expect(page.locator(".choice--fits").first).to_contain_text("Reoffending")

    # Ticking numbers the choices in the order they were clicked.
    page.locator(".choice", has_text="Hospital admissions").get_by_role("checkbox").check()
    page.locator(".choice", has_text="Reoffending").get_by_role("checkbox").check()
    page.locator(".choice", has_text="Transforming prison leavers").get_by_role("checkbox").check()
    expect(page.locator(".choice", has_text="Reoffending").get_by_role("spinbutton")).to_have_value(
        "2"
    )
    page.get_by_label("Title").fill("Why we want to work <relationally>")
    page.get_by_label("Who it is for").fill("our board")
    expect(page.locator("[data-case-preview] h1")).to_have_text(
        "Why we want to work <relationally>"
    )
    page.get_by_role("button", name="Make my case").click()

    expect(page.locator(".case-evidence__label")).to_have_text(
        ["Hospital admissions", "Reoffending"]
    )
    share_url = page.locator("#share-url").input_value()
    assert "order-" not in share_url

    fresh = browser.new_context(base_url=page.url).new_page()
    fresh.goto(share_url)
    expect(fresh.locator(".case-document h1")).to_have_text("Why we want to work <relationally>")
    expect(fresh.locator(".case-evidence__label")).to_have_text(
        ["Hospital admissions", "Reoffending"]
    )
    expect(fresh.locator(".case-stories h3")).to_have_text(
        ["Transforming prison leavers' lives through reliable relationships"]
    )
    expect(fresh.locator(".reference")).to_have_count(2)

    fresh.emulate_media(media="print")
    expect(fresh.locator(".site-header")).to_be_hidden()
    expect(fresh.locator(".case-page__tools")).to_be_hidden()
    expect(fresh.locator(".case-page__text")).to_be_hidden()
    expect(fresh.locator(".case-document")).to_be_visible()
    font = fresh.locator("body").evaluate("body => getComputedStyle(body).fontFamily")
    assert "Georgia" in font
    fresh.context.close()
    assert not page_problems, page_problems


def test_case_maker_page_has_no_serious_accessibility_violations(
    page, page_problems, serious_accessibility_violations, content
):
    page.goto(reverse("stories:case_maker"))
    expect(page.locator(".statistic-card")).to_have_count(16)
    assert serious_accessibility_violations(page) == []
    page.goto(reverse("stories:case_builder"))
    assert serious_accessibility_violations(page) == []
    assert not page_problems, page_problems


def test_copy_link_copies_the_case_url(page, content):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(reverse("stories:case") + "?title=Ours&stat=1")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator('[data-copy-status="share-url"]')).to_have_text("Copied.")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.endswith("/case-maker/build/case/?title=Ours&stat=1")
