"""Alerts, part 2: the digests, built and sent by the task worker, through the real email
backend (locmem), with one-click unsubscribe; and what building them costs in queries."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from directory import alerts, lifecycle
from directory.models import AlertSubscription, Entry, Gathering

pytestmark = pytest.mark.django_db

FROME = {"place_name": "Frome", "latitude": 51.2279, "longitude": -2.3215}
YORK = {"place_name": "York", "latitude": 53.959, "longitude": -1.0815}


def send_daily():
    call_command("send_alert_digests", "--frequency", "daily", verbosity=0)


@pytest.fixture
def frome_alert(make_alert):
    return make_alert(radius_km=10, **FROME)


def test_a_new_entry_in_the_area_arrives_in_the_next_digest_with_one_click_unsubscribe(
    frome_alert, make_entry, settings
):
    make_entry("Frome Friends", **FROME)

    send_daily()

    [digest] = mail.outbox
    assert digest.to == ["sam@example.org"]
    assert digest.from_email == settings.DEFAULT_FROM_EMAIL  # the site's sender identity
    assert digest.subject == "New on the Relationships Map: 1 entry"
    assert "Frome Friends, Frome" in digest.body
    assert settings.SITE_URL + "/entries/frome-friends/" in digest.body
    assert settings.SITE_OPERATOR_NAME in digest.body  # the site's footer
    html = digest.alternatives[0].content
    assert '<a href="http://' in html and "Frome Friends</a>" in html
    unsubscribe = digest.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{settings.SITE_URL}/alerts/unsubscribe/")
    assert unsubscribe.endswith("/>")
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "hello@example.org" not in digest.body + html  # never the entry's private address
    message = digest.message()
    assert message["List-Unsubscribe"] == unsubscribe


def test_a_second_run_sends_nothing_new(frome_alert, make_entry):
    make_entry("Frome Friends", **FROME)
    send_daily()

    send_daily()

    assert len(mail.outbox) == 1
    frome_alert.refresh_from_db()
    assert frome_alert.last_sent_at is not None


def test_the_next_digest_holds_only_what_is_new_since_the_last(frome_alert, make_entry):
    make_entry("Frome Friends", **FROME)
    send_daily()
    make_entry("Frome Walkers", **FROME)

    send_daily()

    assert "Frome Walkers" in mail.outbox[1].body
    assert "Frome Friends" not in mail.outbox[1].body


def test_nothing_is_sent_when_nothing_is_new_and_the_mark_still_moves(frome_alert, make_entry):
    make_entry("York Neighbours", **YORK)  # outside the area
    before = frome_alert.sent_up_to

    send_daily()

    frome_alert.refresh_from_db()
    assert not mail.outbox
    assert frome_alert.sent_up_to > before and frome_alert.last_sent_at is None


def test_entries_public_before_the_alert_began_are_not_news(make_alert, make_entry):
    make_entry("Frome Friends", **FROME)
    make_alert(radius_km=10, confirmed_at=timezone.now(), sent_up_to=timezone.now(), **FROME)

    send_daily()

    assert not mail.outbox


def test_a_withdrawn_or_pending_entry_never_appears(frome_alert, make_entry):
    withdrawn = make_entry("Gone Away", **FROME)
    lifecycle.withdraw(entry=withdrawn)
    make_entry("Still Waiting", status=Entry.Status.AWAITING_REVIEW, **FROME)
    make_entry("Frome Friends", **FROME)

    send_daily()

    [digest] = mail.outbox
    assert "Frome Friends" in digest.body
    assert "Gone Away" not in digest.body and "Still Waiting" not in digest.body


def test_an_entry_approved_later_is_news_when_it_is_approved(frome_alert, make_entry):
    waiting = make_entry("Frome Friends", status=Entry.Status.AWAITING_REVIEW, **FROME)
    send_daily()
    assert not mail.outbox

    lifecycle.approve(entry=waiting)
    send_daily()

    assert "Frome Friends" in mail.outbox[-1].body


def test_sectors_and_themes_narrow_the_digest_as_the_map_filters_do(
    make_alert, make_entry, make_sector
):
    health, education = make_sector("Health and care"), make_sector("Education")
    listening = make_entry("Listeners", sectors=[health], themes=["listening"], **YORK)
    make_entry("Teachers", sectors=[education], themes=["listening"], **YORK)
    make_entry("Carers", sectors=[health], themes=["caring"], **YORK)
    make_alert(sectors=[health], themes=list(listening.themes.all()))

    send_daily()

    [digest] = mail.outbox
    assert "Listeners" in digest.body
    assert "Teachers" not in digest.body and "Carers" not in digest.body


def test_a_map_view_alert_hears_of_entries_inside_its_box_only(make_alert, make_entry):
    make_alert(south=51.0, west=-2.6, north=51.5, east=-2.0)
    make_entry("Frome Friends", **FROME)
    make_entry("York Neighbours", **YORK)

    send_daily()

    assert "Frome Friends" in mail.outbox[0].body
    assert "York Neighbours" not in mail.outbox[0].body


def test_new_stories_come_only_to_those_who_asked_and_only_once_published(make_alert, make_story):
    make_alert("stories@example.org", wants_stories=True, **YORK, radius_km=5)
    make_alert("entries@example.org", **YORK, radius_km=5)
    make_story("Walking alongside")
    make_story("Not yet", published=False)

    send_daily()

    [digest] = mail.outbox
    assert digest.to == ["stories@example.org"]
    assert digest.subject == "New stories on the Relationships Map"
    assert "Walking alongside" in digest.body and "Not yet" not in digest.body


def test_new_gatherings_in_the_area_and_online_come_to_those_who_asked(
    make_alert, make_gathering, make_entry
):
    make_alert("gatherings@example.org", wants_gatherings=True, radius_km=10, **FROME)
    make_alert("entries@example.org", radius_km=10, **FROME)
    organiser = make_entry("Frome Friends", **FROME)
    make_gathering("Tea in Frome", organiser=organiser, **FROME)
    make_gathering("Online circle", format=Gathering.Format.ONLINE, online_link="https://x.org/")
    make_gathering("Tea in York", **YORK)
    make_gathering("Waiting tea", status=Gathering.Status.AWAITING_REVIEW, **FROME)
    make_gathering("Over", starts_at=timezone.now() - timedelta(days=2), **FROME)

    send_daily()

    entries_only, asked = sorted(mail.outbox, key=lambda message: message.to)
    assert asked.to == ["gatherings@example.org"]
    assert "Tea in Frome, Frome" in asked.body and "Online circle, Online" in asked.body
    for absent in ["Tea in York", "Waiting tea", "Over"]:
        assert absent not in asked.body
    assert "Tea in Frome" not in entries_only.body
    assert "new gatherings there and online" in asked.body


def test_a_gathering_published_before_the_last_digest_is_not_news_again(
    frome_alert, make_gathering
):
    frome_alert.wants_gatherings = True
    frome_alert.save()
    make_gathering("Tea in Frome", **FROME)
    send_daily()

    send_daily()

    [digest] = mail.outbox
    assert digest.subject == "New on the Relationships Map: 1 gathering"


def test_daily_and_weekly_alerts_go_out_on_their_own_runs(make_alert, make_entry):
    make_alert("daily@example.org")
    make_alert("weekly@example.org", frequency="weekly")
    make_entry("Frome Friends", **FROME)

    send_daily()
    assert [m.to for m in mail.outbox] == [["daily@example.org"]]
    call_command("send_alert_digests", "--frequency", "weekly", verbosity=0)

    assert [m.to for m in mail.outbox] == [["daily@example.org"], ["weekly@example.org"]]


def test_unconfirmed_alerts_get_no_digest(make_alert, make_entry):
    make_alert(confirmed=False)
    make_entry("Frome Friends", **FROME)

    send_daily()

    assert not mail.outbox


def test_the_digests_one_click_unsubscribe_stops_the_alert_with_a_bare_post(
    frome_alert, make_entry, settings
):
    make_entry("Frome Friends", **FROME)
    send_daily()
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")

    # What a mail program sends (RFC 8058): a POST with no cookie and no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        url.removeprefix(settings.SITE_URL),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert not AlertSubscription.objects.exists()
    make_entry("Frome Walkers", **FROME)
    send_daily()
    assert len(mail.outbox) == 1


def test_each_digest_goes_to_its_subscriber_alone(make_alert, make_entry):
    make_alert("one@example.org")
    make_alert("two@example.org")
    make_entry("Frome Friends", **FROME)

    send_daily()

    assert sorted(m.to for m in mail.outbox) == [["one@example.org"], ["two@example.org"]]
    for message in mail.outbox:
        assert not message.cc and not message.bcc and not message.reply_to
        other = "two@" if message.to == ["one@example.org"] else "one@"
        assert other not in message.body + message.alternatives[0].content


def test_subscribers_are_sent_in_batches_of_the_configured_size(make_alert, make_entry):
    for number in range(5):
        make_alert(f"reader{number}@example.org")
    make_entry("Frome Friends", **FROME)

    batches = alerts.send_digests(frequency="daily", batch_size=2)

    assert batches == 3 and len(mail.outbox) == 5


def test_a_batch_run_twice_sends_each_digest_once(frome_alert, make_entry):
    make_entry("Frome Friends", **FROME)
    until = timezone.now().isoformat()

    alerts.deliver_alert_digests.call(subscription_ids=[frome_alert.pk], until=until)
    alerts.deliver_alert_digests.call(subscription_ids=[frome_alert.pk], until=until)

    assert len(mail.outbox) == 1


@pytest.mark.parametrize("subscribers,entries", [(3, 2), (60, 40)])
def test_building_and_sending_a_batch_costs_the_same_few_queries_whatever_its_size(
    subscribers, entries, make_alert, make_entry, make_gathering, make_sector, make_story,
    django_assert_max_num_queries,
):  # fmt: skip
    health = make_sector("Health and care")
    for number in range(subscribers):
        make_alert(
            f"reader{number}@example.org",
            sectors=[health],
            wants_stories=True,
            wants_gatherings=True,
        )
    for number in range(entries):
        make_entry(f"Entry {number}", themes=["listening"], **FROME)
        make_gathering(f"Gathering {number}", sectors=[health], themes=["listening"], **FROME)
    make_story("Walking alongside")
    ids = list(AlertSubscription.objects.values_list("pk", flat=True))

    # The subscriptions, their sectors and themes; the entries, theirs, the stories, the
    # gatherings and theirs; and the two updates of the marks: never one per subscriber, per
    # entry or per gathering.
    with django_assert_max_num_queries(12):
        alerts.deliver_alert_digests.call(
            subscription_ids=ids, until=(timezone.now() + timedelta(seconds=1)).isoformat()
        )

    assert len(mail.outbox) == subscribers
    assert all(f"Entry {entries - 1}" in message.body for message in mail.outbox)
    assert all(f"Gathering {entries - 1}" in message.body for message in mail.outbox)


UNREACHABLE_SMTP = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2, "use_tls": False},
    }
}
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


# Real transactions, as the worker needs (see test_emails.py).
@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_is_down_delays_the_digests_and_loses_none(
    make_alert, make_entry, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    first, second = make_alert("one@example.org"), make_alert("two@example.org")
    make_entry("Frome Friends", **FROME)
    settings.MAILERS = UNREACHABLE_SMTP
    send_daily()

    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert not mail.outbox
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["subscription_ids"] == [first.pk, second.pk]
    assert AlertSubscription.objects.filter(last_sent_at__isnull=False).count() == 0
    settings.MAILERS = LOCMEM  # the mail server is back
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    send_daily()
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.org", "two@example.org"]


def test_a_long_digest_shows_fifty_entries_and_links_to_the_map_for_the_rest(
    frome_alert, make_entry, settings
):
    for number in range(53):
        make_entry(f"Frome Group {number:02}", **FROME)

    send_daily()

    [digest] = mail.outbox
    assert digest.subject == "New on the Relationships Map: 53 entries"
    assert digest.body.count("\n* ") == 50 and "Frome Group 52" not in digest.body
    assert "And 3 more, on the map:" in digest.body
    assert f"{settings.SITE_URL}/map/?near=Frome&lat=51.2279&lng=-2.3215&radius=10" in digest.body


def test_alert_pages_reached_by_a_private_link_are_kept_out_of_caches_and_search_engines(
    client, make_alert
):
    from directory import tokens

    links = tokens.alert_links(make_alert())

    for url in [links["alerts_manage"], links["alerts_unsubscribe"], "/alerts/manage/forged/"]:
        response = client.get(url)
        assert response["Cache-Control"] == "no-store", url
        assert response["X-Robots-Tag"] == "noindex", url
        assert response["Referrer-Policy"] == "same-origin", url
