"""Benchmark of who works with whom: the map's lines and the network page over a large
directory with many confirmed connections.

    .venv/bin/python bench/connections.py     # PostgreSQL: 100,000 entries, 50,000 connections
    .venv/bin/python bench/connections.py --database sqlite --entries 5000 --connections 2500

The directory is `demo_map`'s (kept in bench/results between runs, as bench/run.py keeps it).
Connections are made afresh each run, bulk-created and confirmed: each between an entry and
one of its 30 nearest in a west-to-east sweep of narrow bands of latitude (nearby pairs, as
real partnerships mostly are), among them one well-connected entry in central London with 40
partners, each with three partners of its own. Measures, in this process:
  1. building the lines of a version of the directory (once per change);
  2. /map/connections.json for a city (Greater London, about what a laptop shows at zoom 10)
     and for the whole country: time (warm, median), lines sent and in all, bytes plain and
     gzipped at nginx's level (deploy/nginx.conf);
  3. the network page of the well-connected entry, uncached: time (median) and queries;
and, if Chromium is found, serving the site as bench/run.py does (one gunicorn worker
behind nginx): the first request for lines after the change (the worker builds them), then
in headless Chromium the time from moving the map to central London to its lines drawn, at
zoom 10, 11 and 12.
Prints and writes bench/results/connections.json.
"""

import argparse
import gzip
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import RESULTS, Server, chromium_page, in_process_django  # noqa: E402

# west, south, east, north
BOXES = {
    "city": (-0.51, 51.28, 0.33, 51.69),  # Greater London
    "country": (-8.65, 49.86, 1.77, 60.86),  # Great Britain
}
CENTRAL_LONDON = (51.5072, -0.1276)
HUB_PARTNERS = 40
NEAREST = 30
NGINX_GZIP_LEVEL = 4


def make_connections(*, count: int, seed: int = 1) -> str:
    """`count` confirmed connections between nearby public entries, and a well-connected
    entry in central London; its slug."""
    from django.utils import timezone

    from directory.models import Connection, ContentVersion, Entry

    rng = random.Random(seed)
    Connection.objects.all().delete()
    # Bands of 0.05 degree of latitude, west to east within a band: neighbours in this order
    # are near one another.
    rows = sorted(
        Entry.objects.public().values_list("pk", "public_latitude", "public_longitude"),
        key=lambda row: (int(row[1] * 20), row[2]),
    )
    ids = [pk for pk, _latitude, _longitude in rows]
    pairs = set()

    def pair(first: int, second: int) -> None:
        if first != second:
            pairs.add((min(first, second), max(first, second)))

    hub = min(
        rows, key=lambda row: (row[1] - CENTRAL_LONDON[0]) ** 2 + (row[2] - CENTRAL_LONDON[1]) ** 2
    )[0]
    # Its partners each work with three more entries a little further along: more entries
    # two steps out than the network page shows.
    position = ids.index(hub)
    for offset in range(1, HUB_PARTNERS + 1):
        pair(hub, ids[position + offset])
        further = position + HUB_PARTNERS + 3 * offset
        for other in ids[further : further + 3]:
            pair(ids[position + offset], other)
    while len(pairs) < count:
        here = rng.randrange(len(ids) - 1)
        pair(ids[here], ids[min(here + rng.randint(1, NEAREST), len(ids) - 1)])
    kinds = Connection.Kind.values
    now = timezone.now()
    Connection.objects.bulk_create(
        [
            Connection(
                proposer_id=first,
                partner_id=second,
                kind=rng.choice(kinds),
                status=Connection.Status.CONFIRMED,
                confirmed_at=now,
            )
            for first, second in sorted(pairs)
        ],
        batch_size=2000,
    )
    ContentVersion.bump(ContentVersion.Scope.DIRECTORY)
    return Entry.objects.get(pk=hub).slug


def median_ms(run, times: int = 15) -> float:
    timings = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 1)


def line_measures(client) -> dict:
    from directory.mapdata import current_version
    from directory.mapdata.connections import build_index, public_line_index

    started = time.perf_counter()
    index = build_index(current_version())
    results = {
        "build_seconds": round(time.perf_counter() - started, 2),
        "drawable_lines": len(index.lines),
    }
    public_line_index()  # as the first request after a change does
    for name, box in BOXES.items():
        url = "/map/connections.json?bbox=" + ",".join(map(str, box))
        body = client.get(url).content
        answer = json.loads(body)
        results[name] = {
            "ms_median": median_ms(lambda url=url: client.get(url)),
            "lines_sent": len(answer["lines"]),
            "lines_in_box": answer["total"],
            "bytes": len(body),
            "bytes_gzipped": len(gzip.compress(body, compresslevel=NGINX_GZIP_LEVEL)),
        }
    return results


def network_measures(client, slug: str) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from directory.mapdata.connections import neighbourhood_of
    from directory.models import Entry

    # A visitor with a session is never served the page cache: the page is built each time.
    client.cookies[settings.SESSION_COOKIE_NAME] = "bench"
    url = f"/entries/{slug}/network/"
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    queries = len(captured)  # read now: the next request clears the log of queries
    neighbourhood = neighbourhood_of(Entry.objects.get(slug=slug))
    return {
        "ms_median": median_ms(lambda: client.get(url)),
        "queries": queries,
        "first_step": len(neighbourhood.first_step),
        "second_step_shown": neighbourhood.second_step_shown,
        "second_step_in_all": neighbourhood.second_step_count,
    }


def browser_measures(env: dict[str, str]) -> dict:
    """The first request for lines after the change, then the time from moving the map to
    central London at each zoom to its lines drawn."""
    server = Server(env, workers=1)
    try:
        box = ",".join(map(str, BOXES["city"]))
        first = server.get(f"/map/connections.json?bbox={box}", {"Accept-Encoding": "gzip"})
        results = {"first_request_after_change_ms": round(first[3] * 1000)}
        with chromium_page(server) as page:
            if page is None:
                return results
            page.goto(server.url("/map/?connections=1"))
            page.wait_for_selector(".map-cluster", timeout=30_000)
            page.wait_for_load_state("networkidle")
            for zoom in [10, 11, 12]:
                results[f"zoom_{zoom}"] = page.evaluate(DRAW_TIMING, [*CENTRAL_LONDON, zoom])
    finally:
        server.stop()
    return results


# Moves the map and waits for static/js/connections.js to say it has drawn the lines.
DRAW_TIMING = """([latitude, longitude, zoom]) => new Promise(resolve => {
    const map = window.relmap.directoryMap;
    const root = document.documentElement;
    const before = root.dataset.connectionRenders;
    const started = performance.now();
    const check = () => {
        if (root.dataset.connectionRenders === before) {
            requestAnimationFrame(check);
            return;
        }
        const drawn = performance.now();
        const asked = performance.getEntriesByType("resource")
            .filter(entry => entry.name.includes("/map/connections.json"))
            .pop();
        resolve({
            ms_to_lines: Math.round(drawn - started),
            ms_fetching: Math.round(asked.duration),
            // Each line is a move and a draw in its kind's path.
            lines: Array.from(document.querySelectorAll("path.map-connection")).reduce(
                (sum, path) => sum + (path.getAttribute("d").match(/M/g) || []).length, 0),
        });
    };
    map.setView([latitude, longitude], zoom, {animate: false});
    check();
})"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=50_000)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    options = parser.parse_args()

    with in_process_django(entries=options.entries, database=options.database) as env:
        from django.test import Client

        from directory.models import Connection

        started = time.perf_counter()
        hub = make_connections(count=options.connections)
        client = Client(HTTP_HOST="127.0.0.1")
        results = {
            "database": options.database,
            "entries": options.entries,
            "connections": Connection.objects.count(),
            "making_connections_seconds": round(time.perf_counter() - started, 1),
            "lines": line_measures(client),
            "network_page": network_measures(client, hub),
            "chromium": browser_measures(env),
        }
    (RESULTS / "connections.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
