"""Contact us: a message to the team is stored (so none is lost when mail fails), emailed to
the moderators through the task queue, guarded like the join form, and handled in the admin."""

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from directory.models import TeamMessage
from tests.directory.conftest import started
from tests.mail_queue import UNREACHABLE_SMTP, retry_with_the_mail_server_back, run_worker

pytestmark = pytest.mark.django_db


def message_data(**changes) -> dict:
    return {
        "sender_name": "Sam Lee",
        "sender_email": "sam@example.net",
        "body": "Could the map show community gardens too?",
        "company_fax": "",
        "started": started(),
    } | changes


@pytest.fixture(autouse=True)
def moderators(settings):
    settings.MODERATOR_EMAILS = ["moderators@example.org"]


def test_the_page_offers_the_form_with_quiet_bot_checks(client):
    response = client.get(reverse("contact_us"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="started"' in html and 'name="company_fax"' in html
    assert response["Cache-Control"].startswith("max-age=0")  # never cached: the stamp is fresh


def test_a_message_is_stored_emailed_to_the_moderators_and_thanked_truthfully(client, settings):
    response = client.post(reverse("contact_us"), message_data(), follow=True)

    message = TeamMessage.objects.get()
    assert (message.sender_name, message.sender_email) == ("Sam Lee", "sam@example.net")
    assert message.body == "Could the map show community gardens too?"
    assert message.handled_at is None
    [email] = mail.outbox
    assert email.to == ["moderators@example.org"]
    assert email.reply_to == ["sam@example.net"]
    assert "Sam Lee" in email.subject
    assert message.body in email.body
    review_url = settings.SITE_URL + reverse(
        "admin:directory_teammessage_change", args=[message.pk]
    )
    assert review_url in email.body
    assert response.redirect_chain == [(reverse("contact_us_sent"), 302)]
    assert "Your message is saved for our team" in response.content.decode()


@pytest.mark.parametrize(
    "trap",
    [
        lambda: {"company_fax": "555-1234"},  # the hidden field, filled in
        lambda: {"started": started(seconds_ago=0.5)},  # sent back faster than a person
        lambda: {"started": "forged"},
    ],
)
def test_a_bot_gets_a_plain_failure_and_nothing_is_stored_or_sent(client, trap):
    response = client.post(reverse("contact_us"), message_data(**trap()))

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert not TeamMessage.objects.exists() and not mail.outbox


def test_a_mistake_gets_a_field_error_keeps_what_was_typed_and_stores_nothing(client):
    response = client.post(reverse("contact_us"), message_data(sender_email="sam at example"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in html
    assert "Could the map show community gardens too?" in html
    assert not TeamMessage.objects.exists() and not mail.outbox


def test_over_the_rate_limit_a_person_is_told_when_to_try_again_and_keeps_the_message(
    client, settings
):
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"team-message": "2/h"}
    for number in range(2):
        client.post(reverse("contact_us"), message_data(started=started(nonce=f"n{number}")))

    response = client.post(reverse("contact_us"), message_data(body="A third thought."))

    html = response.content.decode()
    assert response.status_code == 429
    assert "please try again after" in html
    assert "A third thought." in html
    assert TeamMessage.objects.count() == 2 and len(mail.outbox) == 2


# Real transactions: the worker calls close_old_connections(), which closes a connection it
# finds inside a test's wrapping transaction (on PostgreSQL).
@pytest.mark.django_db(transaction=True)
def test_when_mail_fails_the_message_stays_in_the_admin_and_a_later_try_sends_it(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = UNREACHABLE_SMTP

    response = client.post(reverse("contact_us"), message_data())

    assert response.status_code == 302
    assert TeamMessage.objects.count() == DBTaskResult.objects.count() == 1

    run_worker()

    assert TeamMessage.objects.count() == 1 and not mail.outbox
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2

    retry_with_the_mail_server_back(settings, retry)

    [email] = mail.outbox
    assert email.reply_to == ["sam@example.net"]
    assert TeamMessage.objects.get().body in email.body  # and it is still kept


def test_a_moderator_reads_the_message_and_marks_it_handled(client, moderator):
    client.post(reverse("contact_us"), message_data())
    message = TeamMessage.objects.get()
    client.force_login(moderator)
    changelist = reverse("admin:directory_teammessage_changelist")

    waiting = client.get(changelist)
    assert [m.pk for m in waiting.context["cl"].result_list] == [message.pk]
    page = client.get(reverse("admin:directory_teammessage_change", args=[message.pk]))
    assert message.body in page.content.decode()

    done = client.post(
        changelist,
        {"action": "mark_handled", "index": 0, "_selected_action": [message.pk]},
        follow=True,
    )

    message.refresh_from_db()
    assert message.handled_by == moderator
    assert message.handled_at is not None
    assert "Marked 1 message as handled." in done.content.decode()
    assert list(client.get(changelist).context["cl"].result_list) == []
    handled = client.get(changelist, {"state": "done"}).context["cl"].result_list
    assert [m.pk for m in handled] == [message.pk]
    assert client.get(reverse("admin:directory_teammessage_add")).status_code == 403


def test_the_footer_and_about_page_lead_to_contact_us(client):
    for url_name in ["home", "about"]:
        assert f'href="{reverse("contact_us")}"' in client.get(reverse(url_name)).content.decode()


def test_contact_us_is_in_the_sitemap(client, settings):
    sitemap = client.get("/sitemap-pages.xml").content.decode()

    assert f"<loc>{settings.SITE_URL}{reverse('contact_us')}</loc>" in sitemap
