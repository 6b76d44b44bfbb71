"""The privacy notice (UK GDPR articles 13 and 14) is generated from the settings in force:
who runs the site, the lawful bases, who sees what, every retention period, the rights and
how to use them here, and the right to complain to the ICO."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def privacy_page(client) -> str:
    html = client.get(reverse("privacy")).content.decode()
    return " ".join(html[html.index("<main") : html.index("</main>")].split())


def test_it_names_the_controller_and_the_data_protection_contact(client, settings):
    settings.SITE_OPERATOR_NAME = "Kindred Ways Trust"
    settings.SITE_OPERATOR_ADDRESS = "12 Mill Lane, Frome, BA11 1AA"
    settings.DATA_PROTECTION_EMAIL = "privacy@kindredways.example"
    settings.DATA_PROTECTION_OFFICER = "Robin Ellis"

    page = privacy_page(client)

    assert "Kindred Ways Trust runs the Relationships Map and is the controller" in page
    assert "12 Mill Lane, Frome, BA11 1AA" in page
    assert "Our data protection officer is Robin Ellis." in page
    assert 'href="mailto:privacy@kindredways.example"' in page


def test_without_a_data_protection_officer_it_does_not_invent_one(client, settings):
    settings.DATA_PROTECTION_OFFICER = ""

    assert "data protection officer" not in privacy_page(client)


def test_each_purpose_comes_with_its_lawful_basis(client):
    page = privacy_page(client)

    assert page.count("Basis: your consent") == 2  # the entry itself, and alerts
    assert (
        page.count("Basis: legitimate interests") == 5
    )  # messages, team, reports, records, safety
    assert "article 6(1)(a)" in page and "article 6(1)(f)" in page
    assert "What we did not get from you" in page  # article 14


@pytest.mark.parametrize(
    ("setting", "value", "sentence"),
    [
        ("UNCONFIRMED_ENTRY_DAYS", 3, "not confirmed within 3 days is deleted"),
        ("UNCONFIRMED_ENTRY_DAYS", 5, "An alert not confirmed within 5 days is deleted"),
        (
            "MANAGE_LINK_DAYS",
            30,
            "Each link works for 30 days, or until you stop your links or the entry is deleted.",
        ),
        ("INACTIVE_ENTRY_DAYS", 200, "once nobody has changed it for 200 days"),
        ("UNDELIVERED_MESSAGE_DAYS", 9, "cannot be delivered is deleted after 9 days"),
        ("HANDLED_MESSAGE_DAYS", 60, "dealt with it, then for 60 days more"),
        ("CLOSED_REPORT_DAYS", 45, "dealt with it, then for 45 days more"),
        ("STAFF_LOGIN_LOG_DAYS", 21, "The log of staff sign-ins is kept for 21 days."),
        ("AXES_COOLOFF_TIME", 2, "kept for 2 hours, the length of a lockout"),
        ("FINISHED_TASK_DAYS", 7, "whether it went) is kept for 7 days"),
        ("SERVER_LOG_DAYS", 10, "Web server logs are kept for 10 days."),
        ("DATA_HOSTING_LOCATION", "the European Union", "It is stored in the European Union."),
    ],
)
def test_every_period_and_place_is_the_setting_in_force(client, settings, setting, value, sentence):
    setattr(settings, setting, value)

    assert sentence in privacy_page(client)


def test_form_counters_last_as_long_as_the_longest_rate_limit(client, settings):
    settings.RATE_LIMITS = {"join": "5/h", "report": "3/d"}

    assert "Form counters disappear within 24 hours." in privacy_page(client)


def test_it_says_how_to_use_each_right_here(client, settings):
    page = privacy_page(client)

    for right in ["See and take away your data", "Correct it", "Withdraw your consent", "Erase it"]:
        assert right in page
    assert "Object, or ask us to restrict what we do" in page
    assert f'href="{reverse("directory:manage_request")}"' in page
    assert "your older links keep working until they expire" in page
    assert "stops working" not in page  # a new link no longer cancels the old ones


def test_it_names_the_outside_services_from_the_settings(client, settings):
    settings.MAP_TILE_URL = "https://tiles.example.net/{z}/{x}/{y}.png"
    settings.PLACE_LOOKUP_ONLINE_URL = ""
    without_lookup = privacy_page(client)
    settings.PLACE_LOOKUP_ONLINE_URL = "https://nominatim.example.org/search"
    with_lookup = privacy_page(client)

    assert "come from tiles.example.net" in without_lookup
    assert "nominatim.example.org" not in without_lookup
    assert "our server asks nominatim.example.org" in with_lookup


def test_it_gives_the_right_to_complain_to_the_ico(client):
    page = privacy_page(client)

    assert "Information Commissioner’s Office (ICO)" in page
    assert 'href="https://ico.org.uk/make-a-complaint/"' in page
