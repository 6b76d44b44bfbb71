"""An owner's edits, from joining to a moderator's decision, as people meet them: what the
owner is told, what is stored, and what every public output shows at each step."""

import json
import re

import pytest
from django.core import mail
from django.urls import reverse

from directory import tokens
from directory.mapdata.wire import unpack
from directory.models import ContactMessage, Entry
from tests.private_links import manage_path

from .conftest import edit_data
from .test_admin import run_action

pytestmark = pytest.mark.django_db

MODERATORS = ["moderators@example.org"]


@pytest.fixture
def published(client, admin_client, join_data, settings):
    """Pat Jones, a practitioner in Frome, joined, confirmed and approved through the site."""
    settings.MODERATOR_EMAILS = MODERATORS
    client.post(reverse("directory:join"), join_data())
    entry = Entry.objects.get()
    client.post(tokens.confirmation_url(entry).removeprefix(settings.SITE_URL))
    run_action(admin_client, "approve", [entry])
    entry.refresh_from_db()
    assert entry.status == Entry.Status.PUBLISHED
    mail.outbox.clear()
    return entry


def owner_edit(client, entry, **changes):
    """The owner's edit form, posted as their browser would, starting from the entry as the
    form shows it."""
    data = edit_data(
        entry,
        inspiration=entry.inspiration,
        themes=", ".join(sorted(entry.themes.names())),
        website=entry.website,
        links="\n".join(entry.links),
        show_exact_location="on" if entry.show_exact_location else "",
    )
    return client.post(manage_path(entry, "directory:manage_edit"), data | changes)


def without_nonces(body: str) -> str:
    # Each response has its own CSP nonce and CSRF token; nothing else may differ.
    body = re.sub(r'nonce="[^"]*"', "", body)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


def public_outputs(client, entry, *, old_point, new_point, words) -> dict[str, str]:
    """Everything the public can see that could show the entry, by address."""
    addresses = [
        "/",
        entry.get_absolute_url(),
        reverse("directory:map"),
        reverse("directory:map_results") + "?bbox=-10,49,3,61",
        reverse("directory:map_data"),
        reverse("directory:entries_geojson"),
        reverse("directory:entries_csv"),
        reverse("directory:entries_feed"),
        "/sitemap-entries.xml",
    ]
    for word in words:
        addresses += [
            reverse("directory:map") + f"?q={word}",
            reverse("directory:map_data") + f"?q={word}",
            reverse("directory:map") + f"?theme={word}",
            reverse("directory:map") + f"?sector={word}",
        ]
    for latitude, longitude in [old_point, new_point]:
        addresses.append(
            reverse("directory:map_point") + f"?point_lat={latitude}&point_lng={longitude}"
        )
    outputs = {}
    for address in addresses:
        response = client.get(address)
        assert response.status_code in {200, 404}, address
        body = body_of(response)
        if address.startswith(reverse("directory:map_data")):
            body = json.dumps(unpack(body)).encode()
        outputs[address] = without_nonces(body.decode())
    return outputs


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def structured_data(client, entry) -> dict:
    page = client.get(entry.get_absolute_url()).content.decode()
    return json.loads(re.search(r'ld\+json"[^>]*>(.*?)</script>', page, re.S).group(1))


HELD_EDIT = {
    "kind": "organisation",
    "organisation_type": "charity",
    "name": "Frome Good Neighbours",
    "summary": "A charity that helps neighbours look out for one another.",
    "themes": "hospitality",
    "place_name": "Bath",
    "latitude": "51.3811",
    "longitude": "-2.3590",
    "show_exact_location": "on",
}


@pytest.fixture
def held_edit(client, published, make_sector):
    """The published entry with a held edit of its place, kind, name, themes and sector."""
    housing = make_sector("Housing")
    before = {
        "point": (published.public_latitude, published.public_longitude),
        "exact": (published.latitude, published.longitude),
    }
    words = ["Pat", "Frome", "Neighbours", "listening", "hospitality", "health-and-care", "housing"]
    new_point = (51.3811, -2.359)
    before["outputs"] = public_outputs(
        client, published, old_point=before["point"], new_point=new_point, words=words
    )

    response = owner_edit(client, published, sectors=[str(housing.pk)], **HELD_EDIT)

    assert response.status_code == 200
    return published, before, {"point": new_point, "words": words, "response": response}


def test_a_held_edit_changes_no_public_output_until_a_moderator_approves_it(
    client, admin_client, held_edit
):
    entry, before, edit = held_edit
    assert "A moderator will check your changes" in edit["response"].content.decode()

    stored = Entry.objects.get()
    assert (stored.name, stored.kind, stored.place_name) == ("Pat Jones", "practitioner", "Frome")
    assert (stored.latitude, stored.longitude) == before["exact"]
    assert (stored.public_latitude, stored.public_longitude) == before["point"]
    assert sorted(stored.themes.names()) == ["listening", "neighbourliness"]
    assert list(stored.sectors.values_list("slug", flat=True)) == ["health-and-care"]
    assert stored.held_changes.fields["name"] == "Frome Good Neighbours"
    assert [message.to for message in mail.outbox] == [MODERATORS]
    after = public_outputs(
        client, entry, old_point=before["point"], new_point=edit["point"], words=edit["words"]
    )
    assert after == before["outputs"]
    assert structured_data(client, entry)["@type"] == "Person"
    recorded = entry.history.values_list("name", "kind", "latitude", "place_name")
    assert set(recorded) == {("Pat Jones", "practitioner", 51.2283, "Frome")}

    run_action(admin_client, "approve_changes", [entry])

    published = Entry.objects.get()
    assert published.held_changes is None
    assert (published.public_latitude, published.public_longitude) == edit["point"]
    profile = client.get(entry.get_absolute_url()).content.decode()
    assert "Frome Good Neighbours" in profile and "Pat Jones" not in profile
    assert structured_data(client, entry)["@type"] == "Organization"
    assert structured_data(client, entry)["knowsAbout"] == ["hospitality"]
    points = unpack(client.get(reverse("directory:map_data")).content)
    assert [point[:2] for point in points] == [edit["point"]]
    at_new_point = client.get(
        reverse("directory:map_point"),
        {"point_lat": edit["point"][0], "point_lng": edit["point"][1]},
    ).json()
    assert [shown["name"] for shown in at_new_point["entries"]] == ["Frome Good Neighbours"]
    for address in [
        reverse("directory:map") + "?q=Neighbours",
        reverse("directory:map") + "?theme=hospitality",
        reverse("directory:map") + "?sector=housing",
    ]:
        assert "Frome Good Neighbours" in client.get(address).content.decode(), address
    for address in [
        reverse("directory:map") + "?q=Pat",
        reverse("directory:map") + "?theme=listening",
        reverse("directory:map") + "?sector=health-and-care",
    ]:
        assert "Frome Good Neighbours" not in client.get(address).content.decode(), address
    for name in ["entries_geojson", "entries_csv", "entries_feed"]:
        body = body_of(client.get(reverse(f"directory:{name}")))
        assert b"Frome Good Neighbours" in body and b"Pat Jones" not in body, name
    [shown] = json.loads(body_of(client.get(reverse("directory:entries_geojson"))))["features"]
    assert shown["geometry"]["coordinates"] == [edit["point"][1], edit["point"][0]]
    latest = entry.history.order_by("-history_date").first()
    assert (latest.name, latest.kind, latest.history_change_reason) == (
        "Frome Good Neighbours",
        "organisation",
        "Owner's changes approved",
    )


def test_rejected_held_changes_never_reach_a_public_output(client, admin_client, held_edit):
    entry, before, edit = held_edit

    run_action(admin_client, "reject_changes", [entry], reason="")

    stored = Entry.objects.get()
    assert stored.held_changes is None
    assert (stored.name, stored.kind) == ("Pat Jones", "practitioner")
    after = public_outputs(
        client, entry, old_point=before["point"], new_point=edit["point"], words=edit["words"]
    )
    assert after == before["outputs"]
    names = set(entry.history.values_list("name", flat=True))
    assert names == {"Pat Jones"}


def test_an_edit_of_text_alone_to_a_published_entry_is_held_and_the_moderators_told(
    client, published
):
    response = owner_edit(client, published, summary="We listen, and we help others listen.")

    stored = Entry.objects.get()
    assert stored.summary == "I help neighbours look out for one another."
    assert stored.held_changes.fields == {"summary": "We listen, and we help others listen."}
    assert [message.to for message in mail.outbox] == [MODERATORS]
    assert "Changes to review" in mail.outbox[0].subject
    html = response.content.decode()
    assert "A moderator will check your changes" in html


def test_saving_an_untouched_form_stores_nothing_and_says_so(client, published):
    response = owner_edit(client, published)

    stored = Entry.objects.get()
    assert stored.held_changes is None and stored.status == Entry.Status.PUBLISHED
    assert not mail.outbox
    html = response.content.decode()
    assert "You did not change anything" in html
    assert "Changes saved" not in html


def test_the_edit_form_starts_from_the_changes_waiting_for_review(client, published):
    owner_edit(client, published, summary="First change, waiting for review.")

    form = client.get(manage_path(published, "directory:manage_edit")).content.decode()

    assert "First change, waiting for review." in form
    assert "waiting for a moderator" in form


def test_a_second_edit_keeps_the_first_and_sends_the_moderators_no_second_email(client, published):
    owner_edit(client, published, summary="First change.")
    owner_edit(client, published, summary="First change.", name="Pat Jones-Smith")

    held = Entry.objects.get().held_changes
    assert held.fields == {"summary": "First change.", "name": "Pat Jones-Smith"}
    assert len(mail.outbox) == 1


def test_undoing_every_held_change_leaves_nothing_waiting(client, published):
    owner_edit(client, published, summary="A change I regret.")

    response = owner_edit(client, published, summary=published.summary)

    assert Entry.objects.get().held_changes is None
    assert "matches the published version" in response.content.decode()


@pytest.mark.parametrize("status", [Entry.Status.REJECTED, Entry.Status.WITHDRAWN])
def test_fixing_the_text_of_an_entry_taken_off_the_map_sends_it_back_for_review(
    client, make_entry, settings, status
):
    settings.MODERATOR_EMAILS = MODERATORS
    entry = make_entry("Open Door", status=status, rejection_reason="Say what you do.")

    response = owner_edit(client, entry, summary="We run a weekly lunch club for neighbours.")

    stored = Entry.objects.get()
    assert stored.status == Entry.Status.AWAITING_REVIEW
    assert stored.summary == "We run a weekly lunch club for neighbours."
    assert stored.held_changes is None
    assert [message.to for message in mail.outbox] == [MODERATORS]
    assert "back to our moderators" in response.content.decode()


def test_saving_a_rejected_entry_unchanged_does_not_send_it_back(client, make_entry):
    entry = make_entry("Open Door", status=Entry.Status.REJECTED, rejection_reason="Too vague.")

    response = owner_edit(client, entry)

    assert Entry.objects.get().status == Entry.Status.REJECTED
    assert not mail.outbox
    assert "You did not change anything" in response.content.decode()


def test_an_edit_to_an_entry_under_review_applies_at_once_and_says_so(client, make_entry):
    entry = make_entry("Open Door", status=Entry.Status.AWAITING_REVIEW)

    response = owner_edit(client, entry, summary="Lunch on Tuesdays.")

    assert Entry.objects.get().summary == "Lunch on Tuesdays."
    assert "your entry is updated" in response.content.decode()


def test_the_join_and_confirm_pages_promise_only_what_was_stored(client, join_data, settings):
    settings.MODERATOR_EMAILS = MODERATORS
    sent = client.post(reverse("directory:join"), join_data(), follow=True)

    entry = Entry.objects.get()
    assert entry.status == Entry.Status.AWAITING_CONFIRMATION
    assert "your entry is saved. An email with a link to confirm" in sent.content.decode()
    assert [message.to for message in mail.outbox] == [["pat@example.org"]]

    confirmed = client.post(tokens.confirmation_url(entry).removeprefix(settings.SITE_URL))

    assert "is now with our moderators" in confirmed.content.decode()
    assert Entry.objects.get().status == Entry.Status.AWAITING_REVIEW
    assert [message.to for message in mail.outbox][1:] == [MODERATORS]


def test_the_message_sent_page_promises_only_what_happened(client, published):
    sent = client.post(
        reverse("directory:contact", kwargs={"slug": published.slug}),
        {"sender_name": "Sam Lee", "sender_email": "sam@example.net", "body": "Shall we meet?"},
        follow=True,
    )

    assert "Your message is on its way to Pat Jones" in sent.content.decode()
    [relayed] = mail.outbox
    assert relayed.to == ["pat@example.org"] and relayed.reply_to == ["sam@example.net"]
    assert "Shall we meet?" in relayed.body
    assert not ContactMessage.objects.exists()  # our copy goes once it is sent on
