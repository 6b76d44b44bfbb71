"""An entry's network page in a real browser: both steps in the lists and on the map, the
lists without JavaScript too, and no serious accessibility problems."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from directory.models import Connection
from tests.network import connect

pytestmark = pytest.mark.browser

FIRST_STEP = ".network__list > .network-step > .network-step__entry > a"
SECOND_STEP = ".network-step--second .network-step__entry > a"


@pytest.fixture
def network(make_entry):
    """Moston works with Salford, which works with Leigh; Moston has asked Bolton, which has
    not confirmed."""
    moston = make_entry("Moston Neighbours", latitude=53.5100, longitude=-2.1900)
    salford = make_entry("Salford Sharers", latitude=53.4875, longitude=-2.2901)
    leigh = make_entry("Leigh Listeners", latitude=53.4975, longitude=-2.5190)
    bolton = make_entry("Bolton Befrienders", latitude=53.5769, longitude=-2.4282)
    connect(moston, salford, phrase="we run a lunch club together")
    connect(leigh, salford, kind=Connection.Kind.REFERRALS)
    connect(moston, bolton, confirmed=False)
    return moston


def test_the_network_page_shows_both_steps_in_the_list_and_on_the_map(page, page_problems, network):
    page.goto(network.get_absolute_url())
    page.get_by_role("link", name="See who they work with, two steps out").click()

    expect(page.locator("h1")).to_have_text("Who Moston Neighbours works with")
    expect(page.locator(FIRST_STEP)).to_have_text(["Salford Sharers"])
    expect(page.locator(SECOND_STEP)).to_have_text(["Leigh Listeners"])
    expect(page.locator("#network-map path.map-connection--step-1")).to_have_count(1)
    expect(page.locator("#network-map path.map-connection--step-2")).to_have_count(1)
    expect(page.locator("#network-map path.network-point")).to_have_count(3)
    expect(page.get_by_text("Bolton Befrienders")).to_have_count(0)
    assert not page_problems, page_problems


def test_without_javascript_the_network_is_the_nested_lists(page_without_javascript, network):
    page = page_without_javascript
    page.goto(reverse("directory:entry_network", kwargs={"slug": network.slug}))

    expect(page.locator(FIRST_STEP)).to_have_text(["Salford Sharers"])
    expect(page.locator(SECOND_STEP)).to_have_text(["Leigh Listeners"])
    expect(page.locator("#network-map")).to_be_hidden()


def test_the_network_page_has_no_serious_accessibility_violations(
    page, serious_accessibility_violations, network
):
    page.goto(reverse("directory:entry_network", kwargs={"slug": network.slug}))
    page.locator("#network-map path.network-point").first.wait_for()

    assert serious_accessibility_violations(page) == []
