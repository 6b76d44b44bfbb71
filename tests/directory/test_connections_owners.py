"""Owners' connections from their private links: find the other entry by name, propose,
confirm or decline from the other side's own link, cancel, end; forms that keep what was
typed, refusals that say why, and requests that are stale or broken answered with a 4xx."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from directory import connections
from directory.forms.connections import CANDIDATES_SHOWN
from directory.models import Connection, Entry
from tests.private_links import manage_links, manage_path

from .test_owner_limits import path_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def fallowfield(make_entry):
    return make_entry("Fallowfield Friends", contact_email="fallowfield@example.org")


@pytest.fixture
def frome(make_entry):
    return make_entry("Frome Friends", place_name="Frome", contact_email="frome@example.org")


def new_path(entry) -> str:
    return manage_path(entry, "directory:manage_connection_new")


def connection_path(entry, connection, action: str) -> str:
    return reverse(
        f"directory:manage_connection_{action}",
        kwargs={"token": manage_path(entry).split("/")[-2], "pk": connection.pk},
    )


def proposal_data(entry, **changes) -> dict:
    """The proposal form as sent after searching for "frome" and choosing `entry`."""
    return {"name": "frome", "partner": entry.slug, "kind": "referrals", "phrase": ""} | changes


def text_of(response) -> str:
    """The page's words without tags, each run of spaces as one, none before punctuation."""
    words = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    return re.sub(r" ([:,.])", r"\1", words)


def test_an_owner_finds_the_other_entry_by_name_without_javascript(
    client, fallowfield, frome, make_entry
):
    make_entry("Frome Hidden Helpers", status=Entry.Status.AWAITING_REVIEW)
    make_entry("Bristol Befrienders")

    response = client.get(new_path(fallowfield), {"name": "FROME"})

    assert response.status_code == 200
    assert [entry.name for entry in response.context["found"]] == ["Frome Friends"]
    html = response.content.decode()
    assert f'value="{frome.slug}"' in html and "Frome Friends (Frome)" in html
    assert "Hidden Helpers" not in html and "Bristol" not in html
    # An owner's own entry is never offered.
    assert not client.get(new_path(fallowfield), {"name": "Fallowfield"}).context["found"]


def test_a_long_list_of_names_is_cut_short_and_says_so(client, fallowfield, make_entry):
    for number in range(CANDIDATES_SHOWN + 2):
        make_entry(f"Friends of the Park {number:02}")

    response = client.get(new_path(fallowfield), {"name": "friends park"})

    assert len(response.context["found"]) == CANDIDATES_SHOWN
    assert "Only the first ten are shown" in text_of(response)


def test_a_name_that_matches_nothing_says_so(client, fallowfield):
    response = client.get(new_path(fallowfield), {"name": "Nobody By This Name"})

    assert "No other entry on the map has a name with “Nobody By This Name” in it" in (
        text_of(response)
    )


def test_the_owner_journey_propose_confirm_from_the_other_link_then_end(client, fallowfield, frome):
    sent = client.post(
        new_path(fallowfield),
        proposal_data(frome, phrase="We share a lunch club"),
        follow=True,
    )

    assert "We have emailed Frome Friends to ask them to confirm." in text_of(sent)
    assert "nothing is shown" in text_of(sent).lower()
    stored = Connection.objects.get()
    assert (stored.proposer, stored.partner, stored.kind, stored.phrase, stored.status) == (
        fallowfield,
        frome,
        Connection.Kind.REFERRALS,
        "We share a lunch club",
        Connection.Status.PROPOSED,
    )
    assert "Frome Friends" in text_of(sent).split("Waiting for the other side")[1]

    # Frome's owner follows the link in the email, to Frome's own page.
    [asked] = mail.outbox
    frome_page = client.get(path_in(asked))
    assert frome_page.context["entry"] == frome
    assert "Waiting for you to confirm" in text_of(frome_page)
    [confirm_form] = manage_links(
        frome_page.content.decode(), "action", "directory:manage_connection_confirm"
    )
    assert confirm_form == frome

    confirmed = client.post(connection_path(frome, stored, "confirm"), follow=True)

    assert "You and Fallowfield Friends are connected." in text_of(confirmed)
    stored.refresh_from_db()
    assert stored.status == Connection.Status.CONFIRMED
    assert mail.outbox[-1].to == ["fallowfield@example.org"]
    fallowfield_page = text_of(client.get(manage_path(fallowfield)))
    assert (
        "Frome Friends: We refer people to each other, “We share a lunch club”"
        in (fallowfield_page.split("Confirmed")[1])
    )

    asking = client.get(connection_path(fallowfield, stored, "end"))
    assert "End your connection with Frome Friends?" in text_of(asking)
    assert Connection.objects.exists()  # asking changes nothing

    ended = client.post(connection_path(fallowfield, stored, "end"), follow=True)

    assert "Your connection with Frome Friends has ended." in text_of(ended)
    assert not Connection.objects.exists()


def test_the_partner_declines_and_the_proposer_cancels_from_the_manage_page(
    client, fallowfield, frome, make_entry
):
    declined = connections.propose(proposer=fallowfield, partner=frome, kind="partners")
    leeds = make_entry("Leeds Listeners")
    cancelled = connections.propose(proposer=fallowfield, partner=leeds, kind="network")

    declining = client.post(connection_path(frome, declined, "end"), follow=True)
    cancelling = client.post(connection_path(fallowfield, cancelled, "end"), follow=True)

    assert "You declined Fallowfield Friends’s proposal." in text_of(declining)
    assert "You cancelled your proposal to Leeds Listeners." in text_of(cancelling)
    assert not Connection.objects.exists()


def test_a_form_with_mistakes_says_what_to_fix_and_keeps_what_was_typed(client, fallowfield, frome):
    response = client.post(
        new_path(fallowfield),
        proposal_data(frome, partner="", kind="", phrase="We run the Tuesday lunch club"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["partner"] == ["Please choose the entry you work with."]
    assert errors["kind"] == ["Please say how you work together."]
    html = response.content.decode()
    assert 'value="We run the Tuesday lunch club"' in html
    assert 'name="name" value="frome"' in html
    assert not Connection.objects.exists() and mail.outbox == []


def test_a_phrase_too_long_and_an_entry_gone_from_the_map_are_field_errors(
    client, fallowfield, frome
):
    Entry.objects.filter(pk=frome.pk).update(status=Entry.Status.WITHDRAWN)

    response = client.post(
        new_path(fallowfield), proposal_data(frome, kind="partners", phrase="x" * 121)
    )

    errors = response.context["form"].errors
    assert errors["partner"] == ["That entry is no longer on the map. Please search for it again."]
    assert "at most 120 characters" in errors["phrase"][0]
    assert not Connection.objects.exists()


def test_a_second_proposal_to_the_same_entry_is_refused_with_a_clear_message(
    client, fallowfield, frome
):
    client.post(new_path(fallowfield), proposal_data(frome))

    again = client.post(new_path(fallowfield), proposal_data(frome, phrase="Second try"))
    reverse_direction = client.post(new_path(frome), proposal_data(fallowfield, name="fallowfield"))

    assert again.status_code == reverse_direction.status_code == 200
    assert "You have already asked Frome Friends; it has not answered yet." in text_of(again)
    assert 'value="Second try"' in again.content.decode()
    assert "Fallowfield Friends has already asked to connect with you" in (
        text_of(reverse_direction)
    )
    assert Connection.objects.count() == 1 and len(mail.outbox) == 1


def test_an_entry_not_yet_on_the_map_cannot_propose_and_is_told_why(client, make_entry, frome):
    waiting = make_entry("New Neighbours", status=Entry.Status.AWAITING_REVIEW)

    page = client.get(manage_path(waiting))
    refused = client.post(new_path(waiting), proposal_data(frome))

    assert "Once your entry is on the map, you can add the entries you work with." in (
        text_of(page)
    )
    assert "Both entries must be on the map before they can be connected." in text_of(refused)
    assert not Connection.objects.exists()


def test_a_stale_or_foreign_connection_is_a_404_with_a_clear_message(
    client, fallowfield, frome, make_entry
):
    bystander = make_entry("Bystanders")
    proposal = connections.propose(proposer=fallowfield, partner=frome, kind="partners")

    # The proposer cannot confirm its own proposal; a third entry can neither confirm nor end it.
    attempts = [
        client.post(connection_path(fallowfield, proposal, "confirm")),
        client.post(connection_path(bystander, proposal, "confirm")),
        client.post(connection_path(bystander, proposal, "end")),
        client.get(connection_path(bystander, proposal, "end")),
    ]
    assert [response.status_code for response in attempts] == [404] * 4
    assert "That connection no longer exists" in text_of(attempts[0])
    assert Connection.objects.get().status == Connection.Status.PROPOSED

    client.post(connection_path(frome, proposal, "end"))  # declined
    reused = client.post(connection_path(frome, proposal, "confirm"))
    assert reused.status_code == 404
    assert "That connection no longer exists" in text_of(reused)


def test_changes_are_post_only_and_a_bad_link_is_the_invalid_link_page(client, fallowfield, frome):
    proposal = connections.propose(proposer=fallowfield, partner=frome, kind="partners")

    assert client.get(connection_path(frome, proposal, "confirm")).status_code == 405
    broken = reverse(
        "directory:manage_connection_confirm", kwargs={"token": "not-a-token", "pk": proposal.pk}
    )
    assert client.post(broken).status_code == 404
    assert Connection.objects.get().status == Connection.Status.PROPOSED


def test_a_second_click_on_confirm_changes_nothing_more(client, fallowfield, frome):
    proposal = connections.propose(proposer=fallowfield, partner=frome, kind="partners")
    client.post(connection_path(frome, proposal, "confirm"))

    again = client.post(connection_path(frome, proposal, "confirm"), follow=True)

    assert again.status_code == 200
    assert Connection.objects.get().is_confirmed
    assert len(mail.outbox) == 2  # the proposal and one confirmation


@pytest.fixture
def two_edits_an_hour(settings):
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"owner-edit": "2/h"}


def test_proposals_and_confirmations_count_as_owner_edits_but_ending_never_does(
    client, fallowfield, frome, make_entry, two_edits_an_hour
):
    leeds = make_entry("Leeds Listeners")
    client.post(new_path(fallowfield), proposal_data(frome))
    client.post(new_path(fallowfield), proposal_data(leeds, name="leeds"))

    bristol = make_entry("Bristol Befrienders")
    over = client.post(new_path(fallowfield), proposal_data(bristol, name="bristol", phrase="Kept"))

    assert over.status_code == 429
    assert "please try again after" in text_of(over)
    assert 'value="Kept"' in over.content.decode()
    assert not Connection.objects.filter(partner=bristol).exists()
    # The same address confirming is over the limit too; ending is never limited.
    confirming = client.post(
        connection_path(frome, Connection.objects.get(partner=frome), "confirm")
    )
    assert confirming.status_code == 429
    client.post(connection_path(fallowfield, Connection.objects.get(partner=leeds), "end"))
    assert list(Connection.objects.values_list("partner__name", "status")) == [
        ("Frome Friends", Connection.Status.PROPOSED)
    ]


def test_the_manage_pages_stay_private(client, fallowfield, frome):
    proposal = connections.propose(proposer=fallowfield, partner=frome, kind="partners")

    for response in [
        client.get(new_path(fallowfield), {"name": "frome"}),
        client.get(connection_path(frome, proposal, "end")),
    ]:
        assert response["Cache-Control"] == "no-store"
        assert response["X-Robots-Tag"] == "noindex"


def test_the_owners_data_download_lists_its_connections_from_both_sides(
    client, fallowfield, frome, make_entry
):
    confirmed = connections.propose(
        proposer=fallowfield, partner=frome, kind="partners", phrase="Lunch club"
    )
    connections.confirm(connection=confirmed, by=frome)
    connections.propose(
        proposer=make_entry("Leeds Listeners"), partner=fallowfield, kind="learning"
    )

    data = client.get(manage_path(fallowfield, "directory:manage_data")).json()

    assert [
        {key: row[key] for key in ["with", "proposed_by_you", "kind", "phrase", "status"]}
        for row in sorted(data["connections"], key=lambda row: row["with"])
    ] == [
        {
            "with": "Frome Friends",
            "proposed_by_you": True,
            "kind": "partners",
            "phrase": "Lunch club",
            "status": "confirmed",
        },
        {
            "with": "Leeds Listeners",
            "proposed_by_you": False,
            "kind": "learning",
            "phrase": "",
            "status": "proposed",
        },
    ]
    assert all(row["proposed_at"] for row in data["connections"])
