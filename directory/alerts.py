"""Alerts for new kindred spirits: subscribing with a double opt-in, and the digests of what
became public since a subscriber's last one, built and sent by the task worker in batches.

A digest is built from a few queries per batch whatever its size: the batch's subscriptions
with their choices, then everything made public since the oldest of their high-water marks,
matched to each subscriber in memory. A subscriber's mark moves to the batch's `until` once
their digest is sent, or at once when nothing was new, so a digest never repeats an item.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from . import tokens
from .emails import render_email, send_or_retry
from .models import AlertSubscription, Entry, Gathering


@dataclass(frozen=True)
class NewItem:
    """Something made public that a digest may list."""

    title: str
    summary: str
    url: str
    place: str
    published_at: datetime
    latitude: float | None = None
    longitude: float | None = None
    # Names, as public records give them; a sector's and a theme's name are unique.
    sectors: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    # When a gathering starts, in words, as the clock reads where it happens.
    when: str = ""

    def is_wanted_by(self, subscription: AlertSubscription) -> bool:
        """New since the subscriber's last digest, in their area (an online gathering, which
        has no point, is in every area), sectors and themes."""
        return (
            self.published_at > subscription.sent_up_to
            and (self.latitude is None or subscription.covers_point(self.latitude, self.longitude))
            and subscription.wants_topics(sectors=self.sectors, themes=self.themes)
        )


# A digest lists at most this many entries and links to the map for the rest: an alert for
# the whole map could otherwise grow into a directory of its own.
DIGEST_ENTRIES_SHOWN = 50


@dataclass(frozen=True)
class Digest:
    subscription: AlertSubscription
    entries: list[NewItem]
    stories: list[NewItem]
    gatherings: list[NewItem]

    @property
    def shown_entries(self) -> list[NewItem]:
        return self.entries[:DIGEST_ENTRIES_SHOWN]

    @property
    def more_entries(self) -> int:
        return max(len(self.entries) - DIGEST_ENTRIES_SHOWN, 0)


def map_url(subscription: AlertSubscription) -> str:
    """The map showing the alert's area, for the entries a digest has no room for."""
    if subscription.has_place:
        query = {"near": subscription.place_name, "lat": subscription.latitude}
        query |= {"lng": subscription.longitude, "radius": subscription.radius_km}
    elif subscription.has_box:
        box = (subscription.west, subscription.south, subscription.east, subscription.north)
        query = {"bbox": ",".join(map(str, box))}
    else:
        query = {}
    url = settings.SITE_URL + reverse("directory:map")
    return f"{url}?{urlencode(query)}" if query else url


def subscribe(*, form) -> AlertSubscription:
    """Save a new, unconfirmed alert from a valid AlertSubscribeForm and queue the email that
    asks its address to confirm, in one transaction."""
    with transaction.atomic():
        subscription = form.save()
        deliver_alert_confirmation.enqueue(subscription_id=subscription.pk)
    return subscription


def confirm(*, subscription: AlertSubscription) -> bool:
    """Start the alert: from now on, what becomes public is news to it. False when it was
    already confirmed (a second click changes nothing)."""
    now = timezone.now()
    started = AlertSubscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True)
    if not started.update(confirmed_at=now, sent_up_to=now):
        return False
    subscription.confirmed_at = subscription.sent_up_to = now
    return True


def unsubscribe(*, subscription: AlertSubscription) -> None:
    """Stop the alert: the address and its choices are deleted, not kept."""
    subscription.delete()


def stories_offered() -> bool:
    return bool(settings.ALERT_STORY_MODEL)


def new_entries(*, since: datetime, until: datetime) -> list[NewItem]:
    """Entries made public in (since, until], read as their public records (the open data's
    one serialisation, so a digest can show nothing the exports do not): three queries."""
    entries = Entry.objects.public().filter(published_at__gt=since, published_at__lte=until)
    return [
        NewItem(
            title=record["name"],
            summary=record["summary"],
            url=record["url"],
            place=record["place"],
            published_at=datetime.fromisoformat(record["published_at"]),
            latitude=record["latitude"],
            longitude=record["longitude"],
            sectors=frozenset(record["sectors"]),
            themes=frozenset(record["themes"]),
        )
        for record in entries.order_by("published_at", "pk").public_records()
    ]


def new_stories(*, since: datetime, until: datetime) -> list[NewItem]:
    """Stories published in (since, until], through their own visibility rule: one query."""
    if not stories_offered():
        return []
    story_model = apps.get_model(settings.ALERT_STORY_MODEL)
    published = story_model.objects.published().filter(
        published_at__gt=since, published_at__lte=until
    )
    return [
        NewItem(
            title=story.title,
            summary=story.summary,
            url=settings.SITE_URL + story.get_absolute_url(),
            place="",
            published_at=story.published_at,
        )
        for story in published.order_by("published_at", "pk")
    ]


def new_gatherings(*, since: datetime, until: datetime) -> list[NewItem]:
    """Gatherings still to come that were first published in (since, until], through their
    own visibility rule: three queries."""
    published = (
        Gathering.objects.public()
        .going_ahead()
        .upcoming()
        .filter(published_at__gt=since, published_at__lte=until)
        .prefetch_related("sectors", "themes")
    )
    return [
        NewItem(
            title=gathering.title,
            summary=Truncator(gathering.description).words(40),
            url=gathering.absolute_url(),
            place=gathering.place_name if not gathering.is_online else _("Online"),
            published_at=gathering.published_at,
            latitude=gathering.latitude,
            longitude=gathering.longitude,
            sectors=frozenset(sector.name for sector in gathering.sectors.all()),
            themes=frozenset(theme.name for theme in gathering.themes.all()),
            when=gathering.starts_in_words,
        )
        for gathering in published
    ]


def build_digests(*, subscriptions: list[AlertSubscription], until: datetime) -> list[Digest]:
    """The digest of each subscription with something new since its mark, up to `until`.
    Prefetch the subscriptions' sectors and themes; this adds at most four queries."""
    if not subscriptions:
        return []
    since = min(subscription.sent_up_to for subscription in subscriptions)
    entries = new_entries(since=since, until=until)
    stories, gatherings = [], []
    if any(subscription.wants_stories for subscription in subscriptions):
        stories = new_stories(since=since, until=until)
    if any(subscription.wants_gatherings for subscription in subscriptions):
        gatherings = new_gatherings(since=since, until=until)
    by_latitude = sorted(entries, key=lambda entry: entry.latitude)
    latitudes = [entry.latitude for entry in by_latitude]
    digests = []
    for subscription in subscriptions:
        candidates = entries
        if band := subscription.latitude_band():
            # Only the entries in the area's band of latitude, in the order they were published.
            low, high = bisect_left(latitudes, band[0]), bisect_right(latitudes, band[1])
            candidates = sorted(by_latitude[low:high], key=lambda entry: entry.published_at)
        digest = Digest(
            subscription=subscription,
            entries=[entry for entry in candidates if entry.is_wanted_by(subscription)],
            stories=[story for story in stories if story.published_at > subscription.sent_up_to]
            if subscription.wants_stories
            else [],
            gatherings=[g for g in gatherings if g.is_wanted_by(subscription)]
            if subscription.wants_gatherings
            else [],
        )
        if digest.entries or digest.stories or digest.gatherings:
            digests.append(digest)
    return digests


def digest_email(digest: Digest) -> EmailMultiAlternatives:
    """A digest with one-click unsubscribe (RFC 8058): mail programs show an "Unsubscribe"
    button that POSTs to the link, and the POST alone stops the alert."""
    links = tokens.alert_links(digest.subscription)
    message = render_email(
        kind="alert_digest",
        context={
            "digest": digest,
            "subscription": digest.subscription,
            "map_url": map_url(digest.subscription),
            **links,
        },
        to=[digest.subscription.email],
    )
    message.extra_headers["List-Unsubscribe"] = f"<{links['alerts_unsubscribe']}>"
    message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


def send_digests(*, frequency: str, batch_size: int | None = None) -> int:
    """Queue a task per batch of confirmed subscriptions of this frequency, each to send
    what became public up to now. Returns how many batches were queued."""
    until = timezone.now().isoformat()
    batch_size = batch_size or settings.ALERT_BATCH_SIZE
    ids = list(
        AlertSubscription.objects.confirmed()
        .filter(frequency=frequency)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    batches = [ids[start : start + batch_size] for start in range(0, len(ids), batch_size)]
    for batch in batches:
        deliver_alert_digests.enqueue(subscription_ids=batch, until=until)
    return len(batches)


def subscriptions_to_send(
    *, subscription_ids: list[int], until: datetime
) -> list[AlertSubscription]:
    """The batch's confirmed subscriptions with their choices: three queries. A mark already
    at `until` means the batch was sent before (a task run twice)."""
    return list(
        AlertSubscription.objects.confirmed()
        .filter(pk__in=subscription_ids, sent_up_to__lt=until)
        .prefetch_related("sectors", "themes")
    )


@task()
def deliver_alert_digests(*, subscription_ids: list[int], until: str, attempt: int = 1) -> str:
    until_time = datetime.fromisoformat(until)
    subscriptions = subscriptions_to_send(subscription_ids=subscription_ids, until=until_time)
    digests = build_digests(subscriptions=subscriptions, until=until_time)
    with_news = {digest.subscription.pk for digest in digests}
    sent = []
    try:
        for number, digest in enumerate(digests):
            send_or_retry(
                digest_email(digest),
                task=deliver_alert_digests,
                attempt=attempt,
                # A retry sends only the digests not sent yet.
                subscription_ids=[later.subscription.pk for later in digests[number:]],
                until=until,
            )
            sent.append(digest.subscription.pk)
    finally:
        nothing_new = [s.pk for s in subscriptions if s.pk not in with_news]
        move_marks(sent=sent, nothing_new=nothing_new, until=until_time)
    return f"sent {len(sent)} digests; nothing new for {len(nothing_new)}"


def move_marks(*, sent: list[int], nothing_new: list[int], until: datetime) -> None:
    """Two updates for a whole batch; a mark never moves backwards."""
    behind = Q(sent_up_to__lt=until)
    AlertSubscription.objects.filter(behind, pk__in=nothing_new).update(sent_up_to=until)
    AlertSubscription.objects.filter(behind, pk__in=sent).update(
        sent_up_to=until, last_sent_at=timezone.now()
    )


@task()
def deliver_alert_confirmation(*, subscription_id: int, attempt: int = 1) -> str:
    """The email asking a new subscriber to confirm, with the link to change or stop it."""
    subscription = AlertSubscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return "alert gone: nothing to send"
    context = {
        "subscription": subscription,
        "confirm_url": tokens.alert_confirmation_url(subscription),
        **tokens.alert_links(subscription),
    }
    message = render_email(kind="alert_confirm", context=context, to=[subscription.email])
    send_or_retry(
        message, task=deliver_alert_confirmation, attempt=attempt, subscription_id=subscription_id
    )
    return "sent"


def purge_unconfirmed_alerts(*, dry_run: bool = False) -> int:
    """Delete alerts never confirmed within UNCONFIRMED_ENTRY_DAYS, as unconfirmed entries go."""
    stale = AlertSubscription.objects.unconfirmed_expired()
    if dry_run:
        return stale.count()
    return stale.delete()[1].get(AlertSubscription._meta.label, 0)
