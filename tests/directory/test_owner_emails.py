"""Who receives each email, who a reply goes to, and which links it carries: a private link
(confirm, manage, data download) goes only to the owner, in a message from the site alone."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse

from directory import gatherings, lifecycle, tokens
from directory.models import AlertSubscription, Connection, Entry, Gathering
from tests.private_links import manage_path, manage_token
from tests.relmap.test_contact_us import message_data as team_message_data

from .conftest import edit_data, started
from .test_admin import run_action
from .test_gatherings_owners import gathering_data
from .test_meeting import contact_path, message_data
from .test_reports import report_data, report_link

pytestmark = pytest.mark.django_db

OWNER = "pat@example.org"
VISITOR = "sam@example.net"
MODERATORS = ["moderators@example.org"]
# Every kind of email, by how its subject starts.
SUBJECTS = {
    "confirm": "Please confirm your entry",
    "review_entry": "(New entry|Entry) to review",
    "approved": "Your entry is on the Relationships Map",
    "rejected": "About your entry",
    "manage_link": "Your private link",
    "review_changes": "Changes to review",
    "changes_approved": "Your changes are on the Relationships Map",
    "changes_rejected": "About your changes",
    "contact": "A message from Sam Lee",
    "report": "Reported: ",
    "team_message": "Message to the team from ",
    "review_gathering": "Gathering to review: ",
    "gathering_approved": "Your gathering is public: ",
    "gathering_rejected": "Your gathering was not published: ",
    "alert_confirm": "Please confirm your alert",
    "alert_digest": "New on the Relationships Map",
    "connection_proposed": ".+ says it works with you",
    "connection_confirmed": ".+ confirmed that you work together",
}


def urls_in(message) -> list[str]:
    """Every address in the text and the HTML parts."""
    parts = [message.body] + [content for content, _mimetype in message.alternatives]
    return [url for part in parts for url in re.findall(r'https?://[^\s"<>]+', part)]


def private_links_in(message) -> list[str]:
    """Links that let whoever holds them act on an entry: any of ours that carries a token."""
    found = []
    for url in urls_in(message):
        if not url.startswith(settings.SITE_URL):
            continue
        try:
            match = resolve(url.removeprefix(settings.SITE_URL).split("?")[0])
        except Resolver404:
            continue
        if "token" in match.kwargs:
            found.append(match.url_name)
    return found


def kind_of(message) -> str:
    [kind] = [kind for kind, start in SUBJECTS.items() if re.match(start, message.subject)]
    return kind


@pytest.fixture
def every_email(client, admin_client, join_data, settings, make_entry):
    """Each kind of email, sent through the site as people would cause it."""
    settings.MODERATOR_EMAILS = MODERATORS
    client.post(reverse("directory:join"), join_data(contact_email=OWNER))
    entry = Entry.objects.get()
    client.post(tokens.confirmation_url(entry).removeprefix(settings.SITE_URL))
    run_action(admin_client, "approve", [entry])
    client.post(manage_path(entry, "directory:manage_edit"), edit_data(entry, name="Pat J"))
    run_action(admin_client, "approve_changes", [entry])
    entry.refresh_from_db()
    client.post(manage_path(entry, "directory:manage_edit"), edit_data(entry, name="P J"))
    run_action(admin_client, "reject_changes", [entry], reason="Please give your full name.")
    client.post(reverse("directory:manage_request"), {"email": OWNER})
    client.post(contact_path(entry), message_data(sender_email=VISITOR))
    other = make_entry("Other", status=Entry.Status.AWAITING_REVIEW, contact_email=OWNER)
    lifecycle.reject(entry=other, reason="Please say what you do.")
    client.post(manage_path(other, "directory:manage_edit"), edit_data(other, summary="I listen."))
    client.post(manage_path(entry) + "gatherings/new/", gathering_data())
    client.post(manage_path(entry) + "gatherings/new/", gathering_data(title="Second tea"))
    first, second = Gathering.objects.order_by("pk")
    gatherings.approve(gathering=first)
    gatherings.reject(gathering=second, reason="Please say where it is.")
    client.post(manage_path(entry, "directory:manage_new_link"))
    client.post(report_link(client, entry), report_data(reporter_email=VISITOR))
    client.post(reverse("contact_us"), team_message_data(sender_email=VISITOR))
    # The owner also asks to hear of new entries anywhere, and hears of one.
    client.post(reverse("directory:alerts"), alert_data(email=OWNER))
    alert = AlertSubscription.objects.get()
    client.post(tokens.alert_confirmation_url(alert).removeprefix(settings.SITE_URL))
    make_entry("Newcomer")
    call_command("send_alert_digests", "--frequency", "daily", verbosity=0)
    # The owner says the entry works with a neighbour (also the owner's), which confirms it.
    neighbour = make_entry("Neighbours Next Door", contact_email=OWNER)
    entry.refresh_from_db()  # its links were replaced above
    client.post(
        manage_path(entry, "directory:manage_connection_new"),
        {"name": "next door", "partner": neighbour.slug, "kind": "partners"},
    )
    proposal = Connection.objects.get()
    client.post(
        reverse(
            "directory:manage_connection_confirm",
            kwargs={"token": manage_token(neighbour), "pk": proposal.pk},
        )
    )
    return list(mail.outbox)


def alert_data(**changes) -> dict:
    return {
        "email": VISITOR, "near": "", "radius": "25", "frequency": "daily",
        "company_fax": "", "started": started(),
    } | changes  # fmt: skip


def test_every_kind_of_email_is_covered_here(every_email):
    templates = Path(settings.BASE_DIR, "templates", "emails").glob("*_subject.txt")
    kinds = {path.name.removesuffix("_subject.txt") for path in templates}

    assert set(SUBJECTS) == kinds
    assert {kind_of(message) for message in every_email} == kinds


def test_private_links_go_only_to_the_owner_in_messages_nobody_else_can_answer(every_email):
    for message in every_email:
        if private_links_in(message):
            assert message.to == [OWNER], kind_of(message)
            assert message.reply_to == [] and message.cc == [] and message.bcc == []


def test_a_message_that_replies_to_a_visitor_carries_no_private_link(every_email):
    relayed = [message for message in every_email if message.reply_to]

    assert [kind_of(message) for message in relayed] == ["contact", "report", "team_message"]
    for message in relayed:
        assert message.reply_to == [VISITOR]
        assert private_links_in(message) == []


def test_the_relayed_message_tells_the_owner_how_to_reach_their_settings(every_email):
    [relayed] = [message for message in every_email if kind_of(message) == "contact"]

    request_page = settings.SITE_URL + reverse("directory:manage_request")
    assert request_page in relayed.body
    assert f'href="{request_page}"' in relayed.alternatives[0][0]


def test_each_email_carries_the_links_its_reader_needs_and_no_other(every_email):
    carried = {}
    for message in every_email:
        carried.setdefault(kind_of(message), set()).update(private_links_in(message))

    assert carried == {
        "confirm": {"join_confirm", "manage"},
        "review_entry": set(),
        "approved": set(),
        "rejected": {"manage"},
        "manage_link": {"manage"},
        "review_changes": set(),
        "changes_approved": set(),
        "changes_rejected": set(),
        "contact": set(),
        "report": set(),
        "team_message": set(),
        "review_gathering": set(),
        "gathering_approved": set(),
        "gathering_rejected": set(),
        "alert_confirm": {"alerts_confirm", "alerts_manage"},
        "alert_digest": {"alerts_manage", "alerts_unsubscribe"},
        "connection_proposed": {"manage"},
        "connection_confirmed": set(),
    }


def test_the_moderators_emails_go_to_them_alone(every_email):
    for message in every_email:
        if kind_of(message) in {"review_entry", "review_changes", "review_gathering"}:
            assert message.to == MODERATORS and message.reply_to == []
        elif kind_of(message) in {"report", "team_message"}:
            # Moderators answer the visitor who wrote, and nobody else.
            assert message.to == MODERATORS and message.reply_to == [VISITOR]
        else:
            assert message.to == [OWNER]
