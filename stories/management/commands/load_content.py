from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.core.management.color import no_style
from django.db import connection, transaction

from directory.models import ContentVersion

# The site's own content, in dependency order, each row with a fixed primary key.
CONTENT_FIXTURES: list[str] = ["sectors", "stories", "evidence"]


def load_content(*, refresh: bool = False) -> int:
    """Add the content rows that are missing and leave the others alone, so that running
    it after every release never undoes what staff have written in the admin. With
    `refresh`, every row is loaded over what is there. Returns the rows saved."""
    saved = 0
    models = set()
    with transaction.atomic():
        for name in CONTENT_FIXTURES:
            fixture = (settings.BASE_DIR / "fixtures" / f"{name}.json").read_text()
            for row in serializers.deserialize("json", fixture):
                model = type(row.object)
                models.add(model)
                if refresh or not model._default_manager.filter(pk=row.object.pk).exists():
                    row.save()
                    saved += 1
        reset_sequences(models)
        if saved:
            # Sectors are the directory's, stories and evidence the stories'.
            ContentVersion.bump(ContentVersion.Scope.DIRECTORY)
            ContentVersion.bump(ContentVersion.Scope.STORIES)
    return saved


def reset_sequences(models) -> None:
    """Rows saved with fixed primary keys leave PostgreSQL's sequences behind them, and the
    next row added in the admin would take a key already used; move each sequence past the
    highest key, as loaddata does. Nothing to do on SQLite."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


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

    def handle(self, *, refresh, **options):
        saved = load_content(refresh=refresh)
        done = "Reloaded" if refresh else "Added"
        missing = "" if refresh else " missing"
        self.stdout.write(
            self.style.SUCCESS(f"{done} {saved}{missing} content rows from {CONTENT_FIXTURES}.")
        )
