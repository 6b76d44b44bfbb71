"""Emails through the task queue as tests send them: the worker run once, and mail servers
that are down or back."""

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

UNREACHABLE_SMTP = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        # Port 9 on loopback: nothing listens, so every connection is refused at once.
        "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2, "use_tls": False},
    }
}
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def run_worker() -> None:
    """The task worker, once through the queue."""
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def retry_with_the_mail_server_back(settings, retry: DBTaskResult) -> None:
    """The queued `retry` of an email, run now that the mail server answers again."""
    settings.MAILERS = LOCMEM
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
