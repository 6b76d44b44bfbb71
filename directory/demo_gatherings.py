"""A few gatherings for `make run` and demos: made-up, clearly labelled upcoming ones, and the
case maker's launch conversation as a past gathering with its recording. Idempotent: each is
found by its slug and made only when missing, so running again changes nothing."""

import zoneinfo
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from .models import ContentVersion, Entry, Gathering
from .models.gatherings import DEFAULT_TIME_ZONE

# The case maker's "Come along to a workshop" lists gatherings with this theme.
CASE_MAKING_THEME = "case making"
# Not the real recording's address, which we do not hold: staff replace it in the admin.
PLACEHOLDER_RECORDING = "https://example.org/recording-placeholder"
LAUNCH_SLUG = "the-case-makers-launch-conversation"

UPCOMING = [
    {
        "slug": "making-the-case-for-relationships-online-demo",
        "title": "Making the case for relationships: an online workshop (demo)",
        "description": "An hour with the case maker: choosing figures and stories for your "
        "board or commissioners, and saying it in your own words.",
        "days_ahead": 14,
        "format": Gathering.Format.ONLINE,
        "online_link": "https://example.org/demo-workshop",
        "themes": [CASE_MAKING_THEME],
    },
    {
        "slug": "case-making-workshop-manchester-demo",
        "title": "Case-making workshop in Manchester (demo)",
        "description": "Bring the case you are making; leave with a page you can share.",
        "days_ahead": 35,
        "place": ("Manchester", "England", 53.4808, -2.2426),
        "themes": [CASE_MAKING_THEME, "commissioning"],
        "capacity_note": "Twenty places.",
    },
    {
        "slug": "kitchen-table-conversation-leeds-demo",
        "title": "Kitchen table conversation in Leeds (demo)",
        "description": "Neighbours and practitioners swap what has worked for them.",
        "days_ahead": 21,
        "place": ("Leeds", "England", 53.8008, -1.5491),
        "themes": ["neighbourliness", "listening"],
        "organised_by_a_demo_entry": True,
    },
]

LAUNCH = {
    "slug": LAUNCH_SLUG,
    "title": "The case maker's launch conversation",
    "description": "The case maker was launched with Elizabeth Oldfield and Matt Lloyd-Rose, "
    "joined by story contributors Sarah Yardley, Christine Frazer and Russ Bellenie: a "
    "recorded online conversation about why relationships matter and how to make the case.",
    "notes": "The recording link and the time shown are placeholders until staff add the "
    "real ones in the admin.",
    "recording_link": PLACEHOLDER_RECORDING,
    "themes": [CASE_MAKING_THEME],
}


def build_demo_gatherings(*, dry_run: bool = False) -> int:
    """Make the demo gatherings and the launch conversation that are missing; return how
    many were (or, with dry_run, would be) made."""
    missing = [
        spec
        for spec in [*UPCOMING, LAUNCH]
        if not Gathering.objects.filter(slug=spec["slug"]).exists()
    ]
    if dry_run or not missing:
        return len(missing)
    with transaction.atomic():
        for spec in missing:
            _make(spec)
        ContentVersion.bump(ContentVersion.Scope.DIRECTORY)
    return len(missing)


def _make(spec: dict) -> Gathering:
    zone = zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)
    if spec is LAUNCH:
        starts_at = datetime.combine(_last_22_april(), time(18, 0), zone)
    else:
        day = timezone.localdate() + timedelta(days=spec["days_ahead"])
        starts_at = datetime.combine(day, time(18, 30), zone)
    gathering = Gathering(
        slug=spec["slug"],
        title=spec["title"],
        description=spec["description"],
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1, minutes=30),
        status=Gathering.Status.PUBLISHED,
        is_demo=spec is not LAUNCH,
        notes=spec.get("notes", ""),
        recording_link=spec.get("recording_link", ""),
        capacity_note=spec.get("capacity_note", ""),
    )
    if place := spec.get("place"):
        gathering.place_name, gathering.region, gathering.latitude, gathering.longitude = place
    else:
        gathering.format = Gathering.Format.ONLINE
        gathering.online_link = spec.get("online_link", "")
    if spec.get("organised_by_a_demo_entry"):
        gathering.organiser = Entry.objects.public().filter(is_demo=True).order_by("pk").first()
    gathering.save()
    gathering.themes.set(spec["themes"])
    return gathering


def _last_22_april():
    today = timezone.localdate()
    this_year = today.replace(month=4, day=22)
    return this_year if this_year < today else this_year.replace(year=today.year - 1)
