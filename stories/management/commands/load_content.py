from django.core.management import call_command
from django.core.management.base import BaseCommand

# The site's own content, in dependency order. Each fixture gives its rows fixed primary
# keys, so loading again updates them in place instead of adding copies.
CONTENT_FIXTURES: list[str] = ["sectors"]


def load_content(*, verbosity: int = 1) -> None:
    if CONTENT_FIXTURES:
        call_command("loaddata", *CONTENT_FIXTURES, verbosity=verbosity)


class Command(BaseCommand):
    help = "Loads (or refreshes) the sectors, stories and evidence from fixtures/. Idempotent."

    def handle(self, **options):
        load_content(verbosity=options["verbosity"])
        self.stdout.write(
            self.style.SUCCESS(f"Site content loaded ({len(CONTENT_FIXTURES)} fixture files).")
        )
