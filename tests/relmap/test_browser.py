import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser


def test_home_page_loads_without_console_errors_or_csp_violations(page, page_problems):
    page.goto("/")

    assert page.locator("h1").count() == 1
    assert not page_problems, page_problems


def test_keyboard_reaches_skip_link_then_every_main_section(page):
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.locator(":focus")
    assert skip_link.get_attribute("href") == "#main"
    assert skip_link.is_visible()  # hidden until focused, then shown

    reached = set()
    for _ in range(15):
        page.keyboard.press("Tab")
        href = page.locator(":focus").get_attribute("href")
        reached.add(href)
    for url_name in ["directory:map", "stories:list", "stories:case_maker", "directory:join"]:
        assert reverse(url_name) in reached


def test_skip_link_moves_focus_to_the_main_content(page):
    page.goto("/")

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("width", [375, 1280])
def test_home_page_has_no_serious_accessibility_violations(
    page, serious_accessibility_violations, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")

    assert serious_accessibility_violations(page) == []


def test_home_page_does_not_scroll_sideways_on_a_phone(page):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 375
