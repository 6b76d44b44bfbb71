"""Demo connections for `make run` and demos: confirmed "we work with" between demo entries
near one another, about one for every two demo entries. Which entries are joined, and how,
depends on the seed and the entries' slugs alone, so the same demo entries always get the
same connections; running it again adds none, since a pair has at most one."""

import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from .demo import DEFAULT_SEED
from .models import Connection, ConnectionKind, ContentVersion, Entry

# Entries are grouped in squares of this many degrees (some 11 km north to south); each looks
# for a partner in its own square, then in the ring of squares around it, and so on out to
# MAX_RING rings, so that the lines stay short and read as neighbours working together.
CELL_DEGREES = 0.1
MAX_RING = 10
# The share of demo entries that propose one connection.
PROPOSING_SHARE = 0.5
KINDS = [kind for kind in ConnectionKind.values if kind != ConnectionKind.OTHER]
PHRASES = [
    "",
    "We run a weekly lunch club together",
    "We refer people to each other’s groups",
    "We share a room and a kettle on Tuesdays",
    "We train our volunteers together",
    "We meet each term to learn from each other",
]


def build_demo_connections(*, seed: int = DEFAULT_SEED, dry_run: bool = False) -> int:
    """Join nearby demo entries; return how many connections were (or would be) made."""
    entries = Entry.objects.public().filter(is_demo=True)
    rows = entries.order_by("slug").values_list("pk", "slug", "public_latitude", "public_longitude")
    cells = defaultdict(list)
    for pk, slug, latitude, longitude in rows:
        cells[int(latitude // CELL_DEGREES), int(longitude // CELL_DEGREES)].append((pk, slug))
    cells = dict(cells)
    existing = {
        frozenset(pair) for pair in Connection.objects.values_list("proposer_id", "partner_id")
    }
    now = timezone.now()
    new = []
    for cell, members in cells.items():
        for pk, slug in members:
            rng = random.Random(f"{seed}:connection:{slug}")
            if rng.random() >= PROPOSING_SHARE:
                continue
            if not (candidates := _nearest_others(cells, cell, pk)):
                continue
            partner = rng.choice(candidates)
            if frozenset((pk, partner)) in existing:
                continue
            existing.add(frozenset((pk, partner)))
            new.append(
                Connection(
                    proposer_id=pk,
                    partner_id=partner,
                    kind=rng.choice(KINDS),
                    phrase=rng.choice(PHRASES),
                    status=Connection.Status.CONFIRMED,
                    confirmed_at=now,
                )
            )
    if new and not dry_run:
        with transaction.atomic():
            Connection.objects.bulk_create(new, batch_size=2000)
            ContentVersion.bump(ContentVersion.Scope.DIRECTORY)
    return len(new)


def _nearest_others(cells: dict, cell: tuple[int, int], pk: int) -> list[int]:
    """The other entries in the nearest ring of squares around `cell` that holds any."""
    row, column = cell
    for ring in range(MAX_RING + 1):
        found = [
            other
            for d_row in range(-ring, ring + 1)
            for d_column in range(-ring, ring + 1)
            if max(abs(d_row), abs(d_column)) == ring
            for other, _slug in cells.get((row + d_row, column + d_column), [])
            if other != pk
        ]
        if found:
            return found
    return []
