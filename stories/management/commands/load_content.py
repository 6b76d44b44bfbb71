from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

# The site's own content, in dependency order, each row with a fixed primary key.
CONTENT_FIXTURES: list[str] = ["sectors", "stories", "evidence"]


def load_content(*, refresh: bool = False, verbosity: int = 0) -> int:
    """Add the content rows that are missing and leave the others alone, so that running
    it after every release never undoes what staff have written in the admin. With
    `refresh`, every row is loaded over what is there (loaddata). Returns rows added."""
    if refresh:
        call_command("loaddata", *CONTENT_FIXTURES, verbosity=verbosity)
        return 0
    added = 0
    with transaction.atomic():
        for name in CONTENT_FIXTURES:
            fixture = (settings.BASE_DIR / "fixtures" / f"{name}.json").read_text()
            for row in serializers.deserialize("json", fixture):
                if not type(row.object)._default_manager.filter(pk=row.object.pk).exists():
                    row.save()
                    added += 1
    return added


class Command(BaseCommand):
    help = (
        "Adds the sectors, stories and evidence from fixtures/ that are missing. Idempotent, "
        "and it keeps staff edits; --refresh overwrites them with the fixtures."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Load every row over the current one, undoing edits made in the admin.",
        )

    def handle(self, *, refresh, verbosity, **options):
        added = load_content(refresh=refresh, verbosity=verbosity)
        done = "Refreshed all" if refresh else f"Added {added} missing"
        self.stdout.write(self.style.SUCCESS(f"{done} content rows from {CONTENT_FIXTURES}."))
