"""Emails go through the task queue; a mail server that is down loses nothing."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from directory.models import Entry
from tests.mail_queue import UNREACHABLE_SMTP, retry_with_the_mail_server_back, run_worker

pytestmark = pytest.mark.django_db


# Real transactions: the worker calls close_old_connections(), which closes a connection
# it finds inside a test's wrapping transaction (on PostgreSQL).
@pytest.mark.django_db(transaction=True)
def test_a_failed_send_keeps_the_entry_and_a_later_try_sends_the_email(
    client,
    join_data,
    settings,  # noqa: F811
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = UNREACHABLE_SMTP

    client.post(reverse("directory:join"), join_data())
    # The entry and its email task were saved together.
    assert Entry.objects.count() == DBTaskResult.objects.count() == 1

    run_worker()

    assert Entry.objects.count() == 1 and not mail.outbox
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2

    retry_with_the_mail_server_back(settings, retry)

    [confirmation] = mail.outbox
    assert confirmation.to == ["pat@example.org"]
    assert "/join/confirm/" in confirmation.body


def test_every_email_has_a_text_and_an_html_version_with_absolute_links(
    client,
    join_data,
    settings,  # noqa: F811
):
    client.post(reverse("directory:join"), join_data())

    [message] = mail.outbox
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{settings.SITE_URL}/join/confirm/' in html
    assert f"{settings.SITE_URL}/manage/" in message.body
