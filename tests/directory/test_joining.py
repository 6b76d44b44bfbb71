"""Joining the map, end to end through Django's test client, emails included."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from directory.mapdata.wire import unpack
from directory.models import Entry

from .conftest import started

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def test_join_page_offers_the_form_with_consent_and_quiet_bot_checks(client):
    html = client.get(reverse("directory:join")).content.decode()

    assert 'name="started"' in html
    assert 'name="company_fax"' in html and 'class="hp"' in html
    assert f'href="{reverse("privacy")}"' in html
    assert 'name="consent"' in html


def test_the_whole_journey_from_joining_to_the_map(client, join_data, django_user_model, settings):
    django_user_model.objects.create_superuser("mod", "mod@example.org", "pw-123456789")

    response = client.post(reverse("directory:join"), join_data())

    assert response.status_code == 302 and response["Location"] == reverse("directory:join_sent")
    entry = Entry.objects.get()
    assert (entry.status, entry.place_name, entry.region) == (
        "awaiting_confirmation",
        "Frome",
        "Somerset, England",
    )
    assert entry.links == ["https://blog.pat.example", "https://social.example/@pat"]
    assert sorted(entry.themes.names()) == ["listening", "neighbourliness"]
    [confirmation] = mail.outbox
    assert confirmation.to == ["pat@example.org"]
    assert confirmation.alternatives[0].mimetype == "text/html"
    confirm_url, manage_url = links_in(confirmation)[:2]
    assert confirm_url.startswith(settings.SITE_URL + "/join/confirm/")
    assert manage_url.startswith(settings.SITE_URL + "/manage/")

    path = confirm_url.removeprefix(settings.SITE_URL)
    assert "Confirm my email address" in client.get(path).content.decode()
    assert Entry.objects.get().status == "awaiting_confirmation"  # a GET changes nothing
    client.post(path)

    assert Entry.objects.get().status == "awaiting_review"
    assert mail.outbox[1].to == ["mod@example.org"]
    assert "/admin/directory/entry/" in mail.outbox[1].body

    from directory import lifecycle

    lifecycle.approve(entry=Entry.objects.get())
    assert mail.outbox[2].to == ["pat@example.org"]
    assert settings.SITE_URL + entry.get_absolute_url() in mail.outbox[2].body
    assert len(unpack(client.get(reverse("directory:map_data")).content)) == 1


def test_rejection_emails_the_reason(join_data, make_entry):
    from directory import lifecycle

    entry = make_entry(status=Entry.Status.AWAITING_REVIEW)
    lifecycle.reject(entry=entry, reason="Please describe your relational work.")

    assert Entry.objects.get().status == "rejected"
    assert "Please describe your relational work." in mail.outbox[0].body


@pytest.mark.parametrize(
    "trap",
    [
        lambda: {"company_fax": "555-1234"},  # the hidden field, filled in
        lambda: {"started": started(seconds_ago=0.5)},  # sent back faster than a person
        lambda: {"started": "forged"},
    ],
)
def test_a_bot_gets_a_plain_failure_and_nothing_is_saved(client, join_data, trap):
    response = client.post(reverse("directory:join"), join_data(**trap()))

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert not Entry.objects.exists() and not mail.outbox


def test_a_person_over_the_rate_limit_is_told_when_to_try_again(client, join_data, settings):
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"join": "2/h"}
    for number in range(2):
        client.post(reverse("directory:join"), join_data(started=started(nonce=f"n{number}")))

    response = client.post(
        reverse("directory:join"), join_data(name="Third Try", started=started(nonce="n3"))
    )

    html = response.content.decode()
    assert response.status_code == 429
    assert "please try again after" in html
    assert 'value="Third Try"' in html  # nothing typed is lost
    assert Entry.objects.count() == 2


def test_sending_the_same_form_twice_makes_one_entry(client, join_data):
    data = join_data()

    first = client.post(reverse("directory:join"), data)
    second = client.post(reverse("directory:join"), data)

    assert first["Location"] == second["Location"] == reverse("directory:join_sent")
    assert Entry.objects.count() == 1 and len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Please give your name"),
        ({"name": "x" * 121}, "name", "to 120 characters or fewer"),
        ({"summary": "x" * 281}, "summary", "to 280 characters or fewer"),
        ({"contact_email": "not-an-email"}, "contact_email", "not an email address"),
        ({"website": "javascript:alert(1)"}, "website", "is not a web address"),
        ({"links": "ftp://files.example"}, "links", "starting with https:// or http://"),
        ({"links": "\n".join(f"https://{n}.example" for n in range(5))}, "links", "at most 4"),
        ({"sectors": ["999"]}, "sectors", "from the list"),
        ({"sectors": []}, "sectors", "at least one sector"),
        ({"place_name": "Xyzzyville"}, "place_name", "We could not find"),
        ({"place_name": "", "latitude": "95", "longitude": "0"}, "place_name", "not on the map"),
        ({"consent": ""}, "consent", "Please tick to agree"),
        ({"kind": "robot"}, "kind", "practitioner or an organisation"),
    ],
)
def test_bad_input_gets_a_field_error_keeps_what_was_typed_and_saves_nothing(
    client, join_data, changes, field, message
):
    response = client.post(reverse("directory:join"), join_data(**changes))

    html = response.content.decode()
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in html or field in {"sectors", "kind"}
    assert "My grandmother." in html  # what was typed elsewhere is kept
    assert not Entry.objects.exists()


def test_html_and_script_are_shown_as_text_everywhere(client, join_data):
    client.post(reverse("directory:join"), join_data(name=XSS, summary=XSS, description=XSS))
    entry = Entry.objects.get()
    from directory import lifecycle

    lifecycle.confirm_email(entry=entry)
    lifecycle.approve(entry=entry)

    pages = [
        client.get(entry.get_absolute_url()),
        client.get(reverse("directory:map"), {"q": "alert"}),
        client.post(reverse("directory:join"), join_data(name=XSS, consent="")),
    ]
    for page in pages:
        assert XSS not in page.content.decode()
        assert "&lt;script&gt;" in page.content.decode()
    for message in mail.outbox:
        assert XSS not in message.alternatives[0].content  # HTML part escaped


def test_a_likely_duplicate_is_flagged_for_the_moderators(client, join_data, make_entry):
    make_entry("Pat Jones", contact_email="PAT@example.org")

    client.post(reverse("directory:join"), join_data(name="Pat  Jones."))

    new = Entry.objects.get(status="awaiting_confirmation")
    assert new.flagged and "Same email and a similar name" in new.flag_reason


def test_a_full_postcode_is_stored_only_as_its_district(client, join_data):
    client.post(reverse("directory:join"), join_data(place_name="BA11 1AA"))

    entry = Entry.objects.get()
    assert entry.place_name == "BA11"
    assert "1AA" not in str(entry.__dict__)


def test_a_point_picked_on_the_map_is_used_and_named(client, join_data):
    client.post(
        reverse("directory:join"),
        join_data(place_name="", latitude="51.2300", longitude="-2.3200"),
    )

    entry = Entry.objects.get()
    assert (entry.latitude, entry.longitude) == (51.23, -2.32)
    assert entry.place_name == "A place on the map"


def test_a_post_without_a_csrf_token_is_refused(join_data):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("directory:join"), join_data())

    assert response.status_code == 403
    assert not Entry.objects.exists()


def test_an_invalid_confirmation_link_gets_a_friendly_page(client):
    response = client.get(reverse("directory:join_confirm", kwargs={"token": "nonsense"}))

    assert response.status_code == 404
    assert "Email me a new link" in response.content.decode()
