"""Who runs the site: configured once, shown in the footer, on About, Privacy and Contact us,
and at the foot of every email."""

import pytest
from django.core import mail
from django.urls import reverse

from directory import lifecycle
from directory.models import Entry
from tests.relmap.test_settings import PRODUCTION_ENV, run_manage

pytestmark = pytest.mark.django_db

OPERATOR = {
    "SITE_OPERATOR_NAME": "Kindred Ways Trust",
    "SITE_OPERATOR_ADDRESS": "12 Mill Lane, Frome, BA11 1AA",
    "SITE_CONTACT_EMAIL": "team@kindredways.example",
    "SITE_OPERATOR_REGISTRATION": "Registered charity 1234567 (England and Wales)",
}


@pytest.fixture
def operator(settings):
    for name, value in OPERATOR.items():
        setattr(settings, name, value)
    return OPERATOR


@pytest.mark.parametrize("url_name", ["home", "about", "privacy", "contact_us", "directory:map"])
def test_every_page_names_who_runs_the_site_in_its_footer(client, operator, url_name):
    html = client.get(reverse(url_name)).content.decode()

    footer = html[html.index("<footer") :]
    for value in operator.values():
        assert value in footer
    assert f'href="{reverse("contact_us")}"' in footer


@pytest.mark.parametrize("url_name", ["about", "privacy", "contact_us"])
def test_about_privacy_and_contact_us_give_the_full_postal_address(client, operator, url_name):
    html = client.get(reverse(url_name)).content.decode()

    main = html[html.index("<main") : html.index("</main>")]
    assert '<address class="operator">' in main
    for value in operator.values():
        assert value in main


def test_the_registration_line_is_left_out_when_there_is_none(client, operator, settings):
    settings.SITE_OPERATOR_REGISTRATION = ""

    html = client.get(reverse("about")).content.decode()

    assert "Registered charity" not in html
    assert "Kindred Ways Trust" in html


def test_the_data_protection_contact_defaults_to_the_site_contact_email(client, operator):
    html = client.get(reverse("privacy")).content.decode()

    assert 'href="mailto:team@kindredways.example"' in html


def test_every_email_ends_with_who_runs_the_site(make_entry, operator, settings):
    lifecycle.approve(entry=make_entry(status=Entry.Status.AWAITING_REVIEW))

    [message] = mail.outbox
    html, _mimetype = message.alternatives[0]
    for part in [message.body, html]:
        for value in operator.values():
            assert value in part
        assert f"{settings.SITE_URL}{reverse('contact_us')}" in part
        assert f"{settings.SITE_URL}{reverse('privacy')}" in part


def test_production_needs_the_operator_details_the_law_asks_for_but_not_a_registration():
    for name in ["SITE_OPERATOR_NAME", "SITE_OPERATOR_ADDRESS", "SITE_CONTACT_EMAIL"]:
        env = {key: value for key, value in PRODUCTION_ENV.items() if key != name}
        result = run_manage("check", env=env)
        assert result.returncode != 0
        assert f"{name} must be set" in result.stderr

    assert "SITE_OPERATOR_REGISTRATION" not in PRODUCTION_ENV
    assert run_manage("check", env=PRODUCTION_ENV).returncode == 0
