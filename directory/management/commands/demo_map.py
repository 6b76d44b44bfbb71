"""Fills the map with made-up, clearly labelled demo entries for demos and benchmarks."""

from django.core.management.base import BaseCommand, CommandError

from directory.demo import DEFAULT_SEED, build_demo_map
from directory.demo_connections import build_demo_connections
from directory.demo_gatherings import build_demo_gatherings


class Command(BaseCommand):
    help = (
        "Makes the number of demo entries (is_demo, published, named '... (demo)') equal to "
        "--count, spread over real GB places. Idempotent: existing demo entries are kept and "
        "only missing ones are added, so running it again changes nothing. --clear first removes "
        "every demo entry (and nothing else). The same --seed always gives the same entries. "
        "It also adds the demo gatherings, and confirmed connections between nearby demo "
        "entries (about one for every two), the same ones for the same --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--count", type=int, default=None, help="How many demo entries there should be."
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"Default {DEFAULT_SEED}."
        )
        parser.add_argument(
            "--clear", action="store_true", help="Remove all demo entries first (only them)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would happen; write nothing."
        )

    def handle(self, *, count, seed, clear, dry_run, **options):
        if count is None and not clear:
            raise CommandError("Give --count N, --clear, or both.")
        if count is not None and count < 0:
            raise CommandError("--count cannot be negative.")
        result = build_demo_map(
            count=count or 0,
            seed=seed,
            clear=clear,
            dry_run=dry_run,
            progress=self.stdout.write if options["verbosity"] else None,
        )
        parts = [f"removed {result.removed:,} demo entries"] if clear else []
        if result.existing:
            parts.append(f"kept {result.existing:,} existing")
        parts.append(f"created {result.created:,} (seed {seed})")
        parts.append(f"{build_demo_gatherings(dry_run=dry_run)} missing demo gatherings made")
        connections = build_demo_connections(seed=seed, dry_run=dry_run)
        parts.append(f"{connections:,} demo connections between nearby demo entries made")
        report = ", ".join(parts)
        if dry_run:
            report = f"Dry run, nothing written: would have {report}"
        self.stdout.write(self.style.SUCCESS(report[0].upper() + report[1:] + "."))
        if result.existing > (count or 0):
            self.stdout.write("There are more demo entries than --count; add --clear to trim.")
