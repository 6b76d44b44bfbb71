import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

USERNAME = "admin"


class Command(BaseCommand):
    help = (
        "Development only: creates a local superuser 'admin' with a random password and prints "
        "it. Run again, it only says how to reach the admin, so `make run` stays idempotent."
    )

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError("create_local_admin is for development (DJANGO_DEBUG=1) only.")
        admin_url = settings.SITE_URL + reverse("admin:index")
        users = get_user_model().objects
        if users.filter(username=USERNAME).exists():
            self.stdout.write(
                f"Admin: {admin_url} as '{USERNAME}' (password printed on the first run; "
                f"reset it with `.venv/bin/python manage.py changepassword {USERNAME}`)."
            )
            return
        password = secrets.token_urlsafe(12)
        users.create_superuser(USERNAME, f"{USERNAME}@localhost", password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created a local admin account. Admin: {admin_url} "
                f"user '{USERNAME}', password '{password}' (shown this once)."
            )
        )
