"""Benchmark of the alert digests: building and sending them for many subscribers over a
large directory, as the task worker does, batch by batch.

    .venv/bin/python bench/alerts.py        # PostgreSQL: 100,000 entries, 10,000 subscribers
    .venv/bin/python bench/alerts.py --database sqlite --entries 5000 --subscribers 1000

The directory is `demo_map`'s (kept in bench/results between runs, as bench/run.py keeps it),
its entries' publication spread over a year so that a day's window holds about 1/365 of them
(`--window-days 7` for a weekly digest). Subscribers are made afresh each run with a seeded
mix of areas (a place and radius, a map view, or anywhere), sectors, themes and stories, all
last sent `--window-days` ago. Two passes over the batches: building the digests alone,
then the real task, `deliver_alert_digests`, with emails rendered and handed to Django's
in-memory backend instead of an SMTP server. Prints and writes bench/results/alerts.json:
total time, time and queries per subscriber and per batch, for each pass.
"""

import argparse
import json
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import RESULTS, in_process_django  # noqa: E402


def spread_publication(*, now, window_days: int) -> int:
    """Entry i was published (i mod 365) days ago, give or take an hour: how many fall in the
    window."""
    from django.db.models import F

    from directory.models import Entry

    entries = Entry.objects.public().annotate(day=F("id") % 365)
    entries.update(published_at=now - timedelta(days=400))
    for day in range(window_days):
        entries.filter(day=day).update(published_at=now - timedelta(days=day, hours=1))
    since = now - timedelta(days=window_days)
    return Entry.objects.public().filter(published_at__gt=since).count()


def make_subscribers(*, count: int, sent_up_to, seed: int = 1) -> list[int]:
    from taggit.models import Tag

    from directory.models import AlertSubscription, Entry, Sector

    rng = random.Random(seed)
    AlertSubscription.objects.all().delete()
    points = list(Entry.objects.public().values_list("public_latitude", "public_longitude")[:5000])
    sectors = list(Sector.objects.values_list("pk", flat=True))
    themes = list(Tag.objects.filter(entry__isnull=False).distinct().values_list("pk", flat=True))
    subscriptions = []
    for number in range(count):
        latitude, longitude = rng.choice(points)
        area = rng.random()
        fields = {}
        if area < 0.7:
            fields = {"place_name": "Somewhere", "latitude": latitude, "longitude": longitude}
            fields["radius_km"] = rng.choice([5, 10, 25, 50])
        elif area < 0.9:
            fields = {"south": latitude - 0.3, "north": latitude + 0.3}
            fields |= {"west": longitude - 0.5, "east": longitude + 0.5}
        subscriptions.append(
            AlertSubscription(
                email=f"reader{number}@example.org",
                frequency="daily",
                confirmed_at=sent_up_to,
                sent_up_to=sent_up_to,
                wants_stories=rng.random() < 0.25,
                **fields,
            )
        )
    created = AlertSubscription.objects.bulk_create(subscriptions, batch_size=1000)
    AlertSubscription.sectors.through.objects.bulk_create(
        [
            AlertSubscription.sectors.through(
                alertsubscription_id=s.pk, sector_id=rng.choice(sectors)
            )
            for s in created
            if rng.random() < 0.4
        ],
        batch_size=1000,
    )
    AlertSubscription.themes.through.objects.bulk_create(
        [
            AlertSubscription.themes.through(alertsubscription_id=s.pk, tag_id=rng.choice(themes))
            for s in created
            if themes and rng.random() < 0.1
        ],
        batch_size=1000,
    )
    return [s.pk for s in created]


def measure(*, subscription_ids: list[int], until) -> dict:
    """Two passes over the same batches: building the digests alone (read only), then the
    whole task as the worker runs it (building, rendering, sending, moving the marks)."""
    from django.conf import settings
    from django.core import mail

    from directory.alerts import build_digests, deliver_alert_digests, subscriptions_to_send

    batch_size = settings.ALERT_BATCH_SIZE
    batches = [
        subscription_ids[start : start + batch_size]
        for start in range(0, len(subscription_ids), batch_size)
    ]

    def build(batch):
        subscriptions = subscriptions_to_send(subscription_ids=batch, until=until)
        return build_digests(subscriptions=subscriptions, until=until)

    built = timed_batches(batches, build)
    mail.outbox = []
    sent = timed_batches(
        batches,
        lambda batch: deliver_alert_digests.call(subscription_ids=batch, until=until.isoformat()),
    )
    digests = len(mail.outbox)
    entries = sum(message.body.count("\n* ") for message in mail.outbox)
    count = len(subscription_ids)
    return {
        "batches": len(batches),
        "batch_size": batch_size,
        "build_total_seconds": round(sum(built["seconds"]), 2),
        "build_ms_per_subscriber": round(1000 * sum(built["seconds"]) / count, 3),
        "build_queries_per_batch_max": max(built["queries"]),
        "build_queries_per_subscriber": round(sum(built["queries"]) / count, 4),
        "send_total_seconds": round(sum(sent["seconds"]), 2),
        "send_ms_per_subscriber": round(1000 * sum(sent["seconds"]) / count, 3),
        "send_slowest_batch_seconds": round(max(sent["seconds"]), 3),
        "send_queries_per_batch_max": max(sent["queries"]),
        "send_queries_per_subscriber": round(sum(sent["queries"]) / count, 4),
        "digests_sent": digests,
        "entries_listed_per_digest_mean": round(entries / digests, 1) if digests else 0,
    }


def timed_batches(batches: list[list[int]], run) -> dict[str, list]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seconds, queries = [], []
    for batch in batches:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            run(batch)
            seconds.append(time.perf_counter() - started)
        queries.append(len(captured))
    return {"seconds": seconds, "queries": queries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--window-days", type=int, default=1, help="1 daily, 7 weekly")
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    options = parser.parse_args()

    with in_process_django(entries=options.entries, database=options.database):
        from django.conf import settings
        from django.utils import timezone

        # Rendered and sent as the worker would, into memory instead of to a mail server.
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        now = timezone.now()
        new_entries = spread_publication(now=now, window_days=options.window_days)
        ids = make_subscribers(
            count=options.subscribers, sent_up_to=now - timedelta(days=options.window_days)
        )
        results = {
            "database": options.database,
            "entries": options.entries,
            "subscribers": options.subscribers,
            "window_days": options.window_days,
            "entries_new_in_window": new_entries,
        } | measure(subscription_ids=ids, until=now)
    (RESULTS / "alerts.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
