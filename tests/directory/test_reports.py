"""Report this entry: from any public profile into the moderators' queue, flagging the entry
and emailing the moderators, without the reporter learning anything private."""

import re
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from directory import lifecycle
from directory.admin import CHANGE_FORM_ACTION_FIELD
from directory.inbox import REPORTED_FLAG_REASON
from directory.models import Entry, Report
from tests.directory.conftest import started

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def moderators(settings):
    settings.MODERATOR_EMAILS = ["moderators@example.org"]


@pytest.fixture
def open_door(make_entry):
    return make_entry("Open Door", contact_email="owner-private@example.org")


def report_link(client, entry) -> str:
    """The "Report this entry" address, as the profile gives it."""
    html = client.get(entry.get_absolute_url()).content.decode()
    return unescape(re.search(r'<a href="([^"]+)" rel="nofollow">Report this entry</a>', html)[1])


def report_data(**changes) -> dict:
    return {
        "reason": Report.Reason.WRONG,
        "details": "They closed last spring.",
        "reporter_email": "sam@example.net",
        "company_fax": "",
        "started": started(),
    } | changes


def test_every_public_profile_offers_a_report_link_to_a_form_naming_it(client, open_door):
    link = report_link(client, open_door)

    response = client.get(link)

    html = response.content.decode()
    assert link.startswith(reverse("report") + "?page=")
    assert response.status_code == 200
    assert "Report “Open Door”" in html
    assert f'href="{open_door.get_absolute_url()}"' in html
    assert 'name="started"' in html and 'name="company_fax"' in html
    assert html.count('type="radio" name="reason"') == len(Report.Reason.choices)


def test_a_report_is_stored_on_its_entry_flags_it_and_emails_the_moderators(
    client, open_door, settings
):
    response = client.post(report_link(client, open_door), report_data(), follow=True)

    report = Report.objects.get()
    assert report.entry == open_door
    assert (report.page_path, report.page_title) == (open_door.get_absolute_url(), "Open Door")
    assert (report.reason, report.details) == ("wrong", "They closed last spring.")
    assert report.reporter_email == "sam@example.net"
    assert report.is_open()
    open_door.refresh_from_db()
    assert open_door.flagged and open_door.flag_reason == REPORTED_FLAG_REASON
    assert open_door.status == Entry.Status.PUBLISHED  # a report alone takes nothing down
    [email] = mail.outbox
    assert email.to == ["moderators@example.org"]
    assert email.reply_to == ["sam@example.net"]
    assert email.subject == "Reported: Open Door"
    assert "The information is wrong or out of date" in email.body
    assert "They closed last spring." in email.body
    assert settings.SITE_URL + open_door.get_absolute_url() in email.body
    assert settings.SITE_URL + reverse("admin:directory_report_change", args=[report.pk]) in (
        email.body
    )
    assert response.redirect_chain == [(reverse("report_sent"), 302)]


def test_the_reporter_learns_nothing_about_the_entry_or_its_owner(client, open_door, make_entry):
    hidden = make_entry("Quiet Corner", contact_email="quiet@example.org")
    first = client.post(report_link(client, open_door), report_data(), follow=True)
    link = report_link(client, hidden)
    lifecycle.withdraw(entry=hidden)

    later = client.post(link, report_data(started=started(nonce="n2")))

    thanks = first.content.decode()
    for private in ["Open Door", "owner-private@example.org", "flag", "Published", "published"]:
        assert private not in thanks
    assert later.status_code == 404  # withdrawn since: the same answer as its profile gives
    assert Report.objects.count() == 1
    assert [email.to for email in mail.outbox] == [["moderators@example.org"]]  # none to them


def test_report_pages_are_kept_out_of_search_engines(client, open_door):
    form = client.get(report_link(client, open_door)).content.decode()

    assert "Disallow: /report/" in client.get("/robots.txt").content.decode()
    assert '<meta name="robots" content="noindex">' in form


def test_a_report_without_an_email_address_is_welcome(client, open_door):
    client.post(report_link(client, open_door), report_data(reporter_email="", details=""))

    report = Report.objects.get()
    assert report.reporter_email == "" and report.details == ""
    [email] = mail.outbox
    assert email.reply_to == []
    assert "They did not give an email address." in email.body


def test_an_entry_flagged_for_another_reason_keeps_that_reason(client, make_entry):
    entry = make_entry("Open Door", flagged=True, flag_reason="Same email as entry #3.")

    client.post(report_link(client, entry), report_data())

    entry.refresh_from_db()
    assert entry.flagged and entry.flag_reason == "Same email as entry #3."


@pytest.mark.parametrize(
    "page", ["", "forged", "/entries/open-door/", "eyJwYXRoIjoiLyJ9:bad:signature"]
)
def test_a_report_link_we_did_not_make_is_refused_with_a_clear_400(client, open_door, page):
    response = client.get(reverse("report"), {"page": page})

    assert response.status_code == 400
    assert "This report link is not complete." in response.content.decode()


@pytest.mark.parametrize(
    "trap",
    [
        lambda: {"company_fax": "555-1234"},
        lambda: {"started": started(seconds_ago=0.5)},
        lambda: {"started": "forged"},
    ],
)
def test_a_bot_gets_a_plain_failure_and_nothing_is_stored(client, open_door, trap):
    response = client.post(report_link(client, open_door), report_data(**trap()))

    assert response.status_code == 400
    assert not Report.objects.exists() and not mail.outbox
    open_door.refresh_from_db()
    assert not open_door.flagged


def test_a_report_needs_a_reason_and_keeps_what_was_typed(client, open_door):
    response = client.post(report_link(client, open_door), report_data(reason="because"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice." in html
    assert "They closed last spring." in html
    assert not Report.objects.exists()


def test_over_the_rate_limit_a_reporter_is_told_when_to_try_again(client, open_door, settings):
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"report": "1/h"}
    link = report_link(client, open_door)
    client.post(link, report_data())

    response = client.post(link, report_data(details="And again."))

    assert response.status_code == 429
    assert "please try again after" in response.content.decode()
    assert "And again." in response.content.decode()
    assert Report.objects.count() == 1


def test_erasing_an_entry_erases_the_reports_about_it(client, open_door):
    client.post(report_link(client, open_door), report_data())

    lifecycle.erase(entry=open_door)

    assert not Report.objects.exists()


# --- In the admin ---------------------------------------------------------------------------


def entry_list(client, **query):
    return client.get(reverse("admin:directory_entry_changelist"), query)


def test_moderators_see_reported_entries_first_and_are_pointed_to_them(
    client, make_entry, moderator
):
    make_entry("Aardvark Allies")
    reported = make_entry("Zebra Zone")
    client.post(report_link(client, reported), report_data())
    client.force_login(moderator)

    everyone = entry_list(client, status="all")
    queue = entry_list(client)
    only_reported = entry_list(client, status="all", reports="open")

    assert [e.name for e in everyone.context["cl"].result_list] == ["Zebra Zone", "Aardvark Allies"]
    assert "1 entry has open reports from visitors." in queue.content.decode()
    assert [e.name for e in only_reported.context["cl"].result_list] == ["Zebra Zone"]


def test_the_entry_page_shows_its_reports_and_closes_them_with_who_and_when(
    client, open_door, moderator
):
    client.post(report_link(client, open_door), report_data())
    client.force_login(moderator)
    change_page = reverse("admin:directory_entry_change", args=[open_door.pk])

    page = client.get(change_page).content.decode()
    closed = client.post(
        change_page,
        {CHANGE_FORM_ACTION_FIELD: "close_reports", "_selected_action": [open_door.pk]},
        follow=True,
    )

    assert "Reports from visitors" in page
    assert "They closed last spring." in page and "sam@example.net" in page
    report = Report.objects.get()
    assert report.closed_by == moderator and report.closed_at is not None
    open_door.refresh_from_db()
    assert not open_door.flagged and open_door.flag_reason == ""
    assert "Closed 1 report." in closed.content.decode()
    assert list(entry_list(client, status="all", reports="open").context["cl"].result_list) == []


def test_the_reports_list_opens_on_open_reports_and_closes_a_selection(
    client, open_door, moderator
):
    client.post(report_link(client, open_door), report_data())
    client.force_login(moderator)
    changelist = reverse("admin:directory_report_changelist")
    [report] = client.get(changelist).context["cl"].result_list

    client.post(changelist, {"action": "close", "index": 0, "_selected_action": [report.pk]})

    report.refresh_from_db()
    assert report.closed_by == moderator
    assert list(client.get(changelist).context["cl"].result_list) == []
    assert [r.pk for r in client.get(changelist, {"state": "all"}).context["cl"].result_list] == [
        report.pk
    ]
    assert client.get(reverse("admin:directory_report_add")).status_code == 403
