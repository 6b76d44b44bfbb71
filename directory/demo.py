"""Synthetic demo entries, so the map can be shown, tried and benchmarked before real ones exist.

Every demo entry is `is_demo=True`, says "(demo)" in its name, has a `demo+<n>@example.invalid`
contact address and a `demo-<n>-...` slug, and is made up from templates: no real person or
organisation is named. Entry number n is generated from (seed, n) alone, so the same seed gives
the same entries however many are asked for, and a later, larger run only adds the missing
numbers. Rows are written with bulk_create because the map is benchmarked with 100,000 of them.
"""

import functools
import itertools
import math
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from .geo import KM_PER_DEGREE_LATITUDE, Place, uk_and_ireland_places
from .models import ContentVersion, Entry, Sector

DEMO_SUFFIX = " (demo)"
DEMO_EMAIL = "demo+{number}@example.invalid"
DEMO_EMAIL_RE = re.compile(r"demo\+(\d+)@example\.invalid")
DEFAULT_SEED = 1
JITTER_KM = 3.0
# Big enough that bulk_create amortises its overhead, small enough to keep memory flat.
CHUNK_SIZE = 2_000
PROGRESS_EVERY = 10_000

# Used only when no sectors exist yet (the real ones come from a fixture).
DEFAULT_SECTOR_NAMES = [
    "Health and care",
    "Criminal justice",
    "Local government and public services",
    "Community and neighbourhood",
    "Arts and culture",
    "Education and young people",
    "End of life and deathcare",
    "Integration and cohesion",
    "Faith and belief",
    "Business and work",
    "Housing",
    "Charity and voluntary sector",
]

THEMES = [
    "loneliness",
    "listening",
    "mentoring",
    "neighbourliness",
    "compassionate communities",
    "trust",
    "peer support",
    "intergenerational",
    "restorative practice",
    "befriending",
    "belonging",
    "kindness",
    "community building",
    "conversation",
    "relational welfare",
    "family support",
    "reconciliation",
    "hospitality",
    "wellbeing",
    "social prescribing",
    "asset-based community development",
    "co-production",
    "empathy",
    "dialogue",
    "bereavement support",
    "mutual aid",
    "relational leadership",
    "conflict resolution",
    "storytelling",
    "shared meals",
]

FIRST_NAMES = [
    "Amira", "Ben", "Chloe", "Dev", "Eilidh", "Femi", "Gareth", "Hana", "Isla", "Jamal",
    "Kezia", "Liam", "Mei", "Nia", "Oisín", "Priya", "Rhys", "Saoirse", "Tomasz", "Una",
    "Zainab", "Callum", "Ffion", "Yusuf", "Grace", "Kwame", "Lowri", "Aleksandra", "Rory",
    "Sunita", "Owen", "Bethan", "Ade", "Morag", "Hamish", "Leah", "Farah", "Ewan", "Niamh",
    "Joseph",
]  # fmt: skip
SURNAMES = [
    "Clarke", "Okafor", "Patel", "Jones", "MacLeod", "Evans", "Begum", "Kowalski", "Murphy",
    "Ahmed", "Campbell", "Davies", "Nguyen", "Hughes", "Mensah", "Robertson", "Shah", "Thomas",
    "Walsh", "Williams", "Fraser", "Khan", "Lewis", "Morgan", "Novak", "O'Neill", "Price", "Reid",
    "Singh", "Taylor", "Ward", "Young", "Bennett", "Chowdhury", "Doyle", "Ellis", "Grant",
    "Hussain", "Ibrahim", "Lloyd",
]  # fmt: skip
# Deliberately homely, made-up names; the place name goes in front.
ORGANISATION_NAMES = [
    "Long Table Project",
    "Open Door Circle",
    "Front Step Network",
    "Kettle On Collective",
    "Shared Bench Project",
    "Porch Light Network",
    "Common Thread Circle",
    "Listening Lantern",
    "Good Company Hub",
    "Neighbourly Ways",
    "Side by Side Project",
    "Village Green Circle",
]
ROLES = [
    "community connector",
    "counsellor",
    "mediator",
    "youth worker",
    "chaplain",
    "social prescriber",
    "coach",
    "group facilitator",
    "end-of-life doula",
    "restorative practitioner",
    "family support worker",
    "befriending coordinator",
    "art therapist",
    "community nurse",
    "housing officer",
    "teacher",
]
ACTIVITIES = [
    "helping people who feel alone find their way back into local life",
    "bringing neighbours together over food and conversation",
    "listening first and helping people find their own next step",
    "building trust between families and the services around them",
    "connecting older and younger people through shared projects",
    "repairing harm through honest, face-to-face conversations",
    "supporting people through loss, illness and change",
    "making sure nobody has to face a hard time without a friend",
    "turning strangers on the same street into neighbours",
    "creating small, steady spaces where people are known by name",
    "helping people with lived experience support one another",
    "growing the confidence of people who are rarely asked what they think",
]
PRACTICES = [
    "Sessions are small and unhurried, and people come back because they are remembered.",
    "Most of the work happens over a cup of tea rather than across a desk.",
    "People are asked what matters to them before anything is offered.",
    "Relationships are kept going for years, not closed after a set number of sessions.",
    "Volunteers and the people they meet learn from each other as equals.",
    "Local groups, schools and services are invited in rather than referred on.",
]
INSPIRATIONS = [
    "Seeing how much changes when someone simply turns up, week after week.",
    "A neighbour who once sat with me when I needed it most.",
    "The belief that nobody is beyond the reach of a good relationship.",
    "Years of watching systems work better when people know each other.",
    "The quiet courage of the people I meet.",
    "Growing up in a street where everybody looked out for everybody.",
]


@dataclass(frozen=True)
class DemoResult:
    removed: int
    created: int
    existing: int


@dataclass(frozen=True)
class _Atlas:
    """GB places with cumulative weights for random.choices, overall and per region."""

    places: list[Place]
    cum_weights: list[float]
    regions: list[tuple[list[Place], list[float]]]


@functools.cache
def _atlas() -> _Atlas:
    places = [place for place in uk_and_ireland_places() if place.country_code == "GB"]
    # Weighting by plain population would put one entry in eight in central London, a pile
    # nobody could read on the map; a power below one keeps cities first and towns visible.
    weights = [max(place.population, 500) ** 0.75 for place in places]
    by_region: dict[str, list[tuple[Place, float]]] = {}
    for place, weight in zip(places, weights, strict=True):
        by_region.setdefault(place.area, []).append((place, weight))
    # Biggest regions first, so even a small demo map starts with the big cities.
    ordered = sorted(by_region.items(), key=lambda item: (-sum(w for _, w in item[1]), item[0]))
    regions = [
        ([place for place, _ in members], list(itertools.accumulate(w for _, w in members)))
        for _, members in ordered
    ]
    return _Atlas(places=places, cum_weights=list(itertools.accumulate(weights)), regions=regions)


def default_sectors() -> list[Sector]:
    """The existing sectors, or a default set when there are none yet (idempotent by slug)."""
    sectors = list(Sector.objects.order_by("slug"))
    if sectors:
        return sectors
    for order, name in enumerate(DEFAULT_SECTOR_NAMES, start=1):
        Sector.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "display_order": order}
        )
    return list(Sector.objects.order_by("slug"))


def theme_tags() -> dict[str, Tag]:
    """A Tag for each theme, reusing tags that differ only in case (TAGGIT_CASE_INSENSITIVE)."""
    tags = {}
    for name in THEMES:
        tag = Tag.objects.filter(name__iexact=name).order_by("pk").first()
        if tag is None:
            tag = Tag(name=name)
            tag.save()  # Tag.save() picks a free slug
        tags[name] = tag
    return tags


def build_demo_map(
    *,
    count: int,
    seed: int = DEFAULT_SEED,
    clear: bool = False,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    """Make the number of demo entries `count`: remove them all first with `clear`, then add
    the missing ones. Existing demo entries are never changed or, without `clear`, removed,
    so a second identical run adds nothing; when there are already `count` or more it does
    nothing. Real entries are never touched."""
    demo = Entry.objects.filter(is_demo=True)
    with transaction.atomic():
        removed = demo.count() if clear else 0
        if clear and not dry_run:
            demo.delete()
        existing = 0 if clear else demo.count()
        taken = set() if clear else _demo_numbers()
        numbers = list(itertools.islice(_free_numbers(taken), max(count - existing, 0)))
        if not dry_run and numbers:
            _create_entries(numbers=numbers, seed=seed, progress=progress)
        if not dry_run and (removed or numbers):
            ContentVersion.bump(ContentVersion.Scope.DIRECTORY)
    return DemoResult(removed=removed, created=len(numbers), existing=existing)


def _demo_numbers() -> set[int]:
    emails = Entry.objects.filter(is_demo=True).values_list("contact_email", flat=True)
    return {int(match[1]) for email in emails if (match := DEMO_EMAIL_RE.fullmatch(email))}


def _free_numbers(taken: set[int]):
    return (number for number in itertools.count(1) if number not in taken)


def _create_entries(
    *, numbers: list[int], seed: int, progress: Callable[[str], None] | None
) -> None:
    sectors = default_sectors()
    tags = theme_tags()
    content_type = ContentType.objects.get_for_model(Entry)
    taken_slugs = set(Entry.objects.filter(slug__startswith="demo-").values_list("slug", flat=True))
    now = timezone.now()
    total, done = len(numbers), 0
    for start in range(0, total, CHUNK_SIZE):
        batch = [
            demo_entry(number=number, seed=seed, sectors=sectors, now=now)
            for number in numbers[start : start + CHUNK_SIZE]
        ]
        for entry, _, _ in batch:
            entry.slug = _free_slug(entry.slug, taken=taken_slugs)
        # bulk_create skips save(), so demo_entry() has already filled in what save() would.
        Entry.objects.bulk_create([entry for entry, _, _ in batch])
        Entry.sectors.through.objects.bulk_create(
            Entry.sectors.through(entry_id=entry.pk, sector_id=sector.pk)
            for entry, entry_sectors, _ in batch
            for sector in entry_sectors
        )
        TaggedItem.objects.bulk_create(
            TaggedItem(content_type=content_type, object_id=entry.pk, tag=tags[theme])
            for entry, _, themes in batch
            for theme in themes
        )
        previous, done = done, done + len(batch)
        if progress and done // PROGRESS_EVERY > previous // PROGRESS_EVERY:
            progress(f"Created {done:,} of {total:,} demo entries…")


def _free_slug(slug: str, *, taken: set[str]) -> str:
    candidate, suffix = slug, 2
    while candidate in taken:
        candidate, suffix = f"{slug}-{suffix}", suffix + 1
    taken.add(candidate)
    return candidate


def demo_entry(
    *, number: int, seed: int, sectors: list[Sector], now: datetime
) -> tuple[Entry, list[Sector], list[str]]:
    """Demo entry `number` for `seed` (unsaved, with its sectors and theme names). It depends
    on nothing else, so entry 7 is the same whether 10 or 100,000 entries are made."""
    rng = random.Random(f"{seed}:{number}")
    place = _pick_place(rng=rng, number=number)
    latitude, longitude = _jitter(rng=rng, latitude=place.latitude, longitude=place.longitude)
    entry_sectors = rng.sample(sectors, k=min(rng.randint(1, 3), len(sectors)))
    themes = rng.sample(THEMES, k=rng.randint(1, 4))
    activity = rng.choice(ACTIVITIES)
    if rng.random() < 0.6:
        kind = Entry.Kind.PRACTITIONER
        first_name = rng.choice(FIRST_NAMES)
        base_name = f"{first_name} {rng.choice(SURNAMES)}"
        role = _with_article(rng.choice(ROLES))
        summary = f"{role.capitalize()} in {place.name}, {activity}."
        opening = f"{first_name} works as {role} in and around {place.name}."
        organisation_type = ""
        show_exact_location = True  # ignored: practitioners are always shown approximately
        inspiration = rng.choice(INSPIRATIONS) if rng.random() < 0.5 else ""
        who = "person"
    else:
        kind = Entry.Kind.ORGANISATION
        base_name = f"{place.name} {rng.choice(ORGANISATION_NAMES)}"
        organisation_type = rng.choice(Entry.OrganisationType.values)
        type_label = _organisation_label(organisation_type)
        summary = f"{type_label.capitalize()} in {place.name}, {activity}."
        opening = f"{base_name} is {type_label} rooted in {place.name}."
        show_exact_location = rng.random() < 0.85
        inspiration = ""
        who = "organisation"
    description = " ".join(
        [
            opening,
            f"The work draws on {_join(themes)}.",
            rng.choice(PRACTICES),
            f"This is a demonstration entry: the {who} and every detail here are made up.",
        ]
    )
    entry = Entry(
        kind=kind,
        name=base_name + DEMO_SUFFIX,
        slug=f"demo-{number}-{slugify(base_name)}"[:140],
        summary=summary,
        description=description,
        inspiration=inspiration,
        organisation_type=organisation_type,
        place_name=place.name,
        region=place.area,
        latitude=latitude,
        longitude=longitude,
        show_exact_location=show_exact_location,
        contact_email=DEMO_EMAIL.format(number=number),
        status=Entry.Status.PUBLISHED,
        is_demo=True,
        published_at=now,
    )
    entry.public_latitude, entry.public_longitude = entry.public_location()
    return entry, entry_sectors, themes


def _pick_place(*, rng: random.Random, number: int) -> Place:
    atlas = _atlas()
    # The first entries visit each region once, so every region has some whatever the weights.
    if number <= len(atlas.regions):
        places, cum_weights = atlas.regions[number - 1]
    else:
        places, cum_weights = atlas.places, atlas.cum_weights
    return rng.choices(places, cum_weights=cum_weights)[0]


def _jitter(*, rng: random.Random, latitude: float, longitude: float) -> tuple[float, float]:
    """A point up to JITTER_KM from the place, uniform over the disc, so markers don't stack."""
    distance = JITTER_KM * math.sqrt(rng.random())
    bearing = rng.uniform(0, 2 * math.pi)
    km_per_degree_longitude = KM_PER_DEGREE_LATITUDE * math.cos(math.radians(latitude))
    dlat = distance * math.cos(bearing) / KM_PER_DEGREE_LATITUDE
    dlng = distance * math.sin(bearing) / km_per_degree_longitude
    return round(latitude + dlat, 6), round(longitude + dlng, 6)


def _organisation_label(organisation_type: str) -> str:
    if organisation_type == Entry.OrganisationType.OTHER:
        return "an organisation"
    return _with_article(str(Entry.OrganisationType(organisation_type).label).lower())


def _with_article(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
