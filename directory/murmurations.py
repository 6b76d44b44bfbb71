"""Murmurations profiles (https://murmurations.network): each public entry described in a
published Murmurations schema, so that the network's index can list the map's entries and
its aggregators can show them. Public fields only: never the email, and a practitioner's
point is the same approximate one the map shows.

Organisations use the library's organisations schema; practitioners, who are people, its
people schema. The site only publishes the profiles: a site owner tells the index about
them (see "Open data and standards" in the README)."""

import hashlib
import http.client
import json
import logging
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse

from .connections import seen_from
from .models import Connection, Entry, EntryQuerySet

logger = logging.getLogger(__name__)

INDEX_TIMEOUT_SECONDS = 10
INDEX_CHUNK_SIZE = 2000
ORGANISATION_SCHEMA = "organizations_schema-v1.0.0"
PRACTITIONER_SCHEMA = "people_schema-v0.1.0"
# The people schema allows at most 100 characters of locality; our place names allow 120.
LOCALITY_MAX_LENGTH = 100


def schema_for(kind: str) -> str:
    return PRACTITIONER_SCHEMA if kind == Entry.Kind.PRACTITIONER else ORGANISATION_SCHEMA


def profile_url(entry: Entry) -> str:
    return settings.SITE_URL + reverse("directory:murmurations_profile", args=[entry.slug])


def profile(entry: Entry) -> dict:
    """The entry's profile. Sectors and themes should be prefetched."""
    page_url = settings.SITE_URL + entry.get_absolute_url()
    data = {
        "linked_schemas": [schema_for(entry.kind)],
        "name": entry.name,
        # The index identifies an entity by its own website where it has one.
        "primary_url": _web_url(entry.website) or page_url,
        "tags": _tags(entry),
        # Aggregators show the first ~160 characters as a summary, so the summary leads.
        "description": "\n\n".join(text for text in [entry.summary, entry.description] if text),
        "urls": _urls(entry, page_url),
        "geolocation": {"lat": entry.public_latitude, "lon": entry.public_longitude},
    }
    if relationships := _relationships(entry):
        data["relationships"] = relationships
    if entry.accepts_messages:
        contact_url = reverse("directory:contact", args=[entry.slug])
        data["contact_details"] = {"contact_form": settings.SITE_URL + contact_url}
    if entry.kind == Entry.Kind.PRACTITIONER:
        data["locality"] = entry.place_name[:LOCALITY_MAX_LENGTH]
        if entry.region:
            data["region"] = entry.region
    else:
        data["status"] = "active"
        data["full_address"] = ", ".join(part for part in [entry.place_name, entry.region] if part)
    return data


def index_rows(entries: EntryQuerySet) -> Iterator[dict]:
    """One row per profile, in the shape of the Murmurations index's own node listing, for
    a site owner (or an aggregator) to find every profile URL."""
    # The list holds every public entry, so it reads plain values, not model instances, and
    # builds the URLs, which differ only in their slug, from one reverse() (most of its time).
    before, after = profile_url(Entry(slug="slug")).rsplit("slug", 1)
    rows = entries.values_list("slug", "kind", "updated_at").iterator(INDEX_CHUNK_SIZE)
    for slug, kind, updated_at in rows:
        yield {
            "profile_url": f"{before}{slug}{after}",
            "linked_schemas": [schema_for(kind)],
            "last_updated": int(updated_at.timestamp()),
        }


@dataclass
class Registration:
    """What the index was told: profiles posted, profiles deleted, and requests that failed."""

    posted: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def node_id(url: str) -> str:
    """The index's id for a profile: the SHA-256 of its URL."""
    return hashlib.sha256(url.encode()).hexdigest()


def register_with_index(*, index_url: str, dry_run: bool = False) -> Registration:
    """Tell a Murmurations index (e.g. https://index.murmurations.network/v2) about every
    public profile, so that it fetches them again, and that the profiles of entries once
    public but no longer are gone (their URLs already answer 404, which the index checks).
    Entries erased from the database cannot be named here: delete those by hand."""
    registration = Registration()
    public = Entry.objects.public()
    gone = Entry.objects.exclude(pk__in=public.values("pk")).filter(published_at__isnull=False)
    for entry in public.order_by("pk").only("slug").iterator():
        url = profile_url(entry)
        sent = dry_run or _sent("POST", f"{index_url}/nodes", payload={"profile_url": url})
        (registration.posted if sent else registration.failed).append(url)
    for entry in gone.order_by("pk").only("slug").iterator():
        url = profile_url(entry)
        sent = dry_run or _sent("DELETE", f"{index_url}/nodes/{node_id(url)}")
        (registration.deleted if sent else registration.failed).append(url)
    return registration


def _sent(method: str, address: str, *, payload: dict | None = None) -> bool:
    """Whether the index accepted the request."""
    request = urllib.request.Request(
        address,
        data=json.dumps(payload).encode() if payload is not None else None,
        method=method,
        headers={
            "Content-Type": "application/json",
            "User-Agent": f"{settings.SITE_NAME} ({settings.SITE_URL})",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=INDEX_TIMEOUT_SECONDS):
            return True
    except (OSError, http.client.HTTPException) as error:
        # OSError covers refused connections, timeouts and HTTP error statuses.
        logger.warning("The Murmurations index refused %s %s: %s", method, address, error)
        return False


def _tags(entry: Entry) -> list[str]:
    # The site's name leads, so that an aggregator can find all of the map's entries.
    tags = [settings.SITE_NAME, str(entry.get_kind_display())]
    if entry.organisation_type:
        tags.append(str(entry.get_organisation_type_display()))
    tags += [sector.name for sector in entry.sectors.all()]
    tags += sorted(theme.name for theme in entry.themes.all())
    return list(dict.fromkeys(tags))  # the schema wants each tag once


def _urls(entry: Entry, page_url: str) -> list[dict]:
    urls = [{"name": f"{settings.SITE_NAME} profile", "url": page_url}]
    if website := _web_url(entry.website):
        urls.append({"name": "Website", "url": website})
    urls += [{"name": "Link", "url": link} for link in entry.links if _web_url(link)]
    unique: dict[str, dict] = {}
    for item in urls:
        unique.setdefault(item["url"], item)  # the schema wants each URL once
    return list(unique.values())


def _relationships(entry: Entry) -> list[dict]:
    """The entry's public connections, with the entry as the subject and the other side's
    primary URL as the object. The organisations schema wants the predicate as a URL: each
    kind is defined at its own anchor on the open data page. The people schema wants words."""
    open_data = settings.SITE_URL + reverse("directory:open_data")
    relationships = []
    for connection in seen_from(entry, Connection.objects.public()):
        other = connection.other
        page_url = settings.SITE_URL + other.get_absolute_url()
        if entry.kind == Entry.Kind.PRACTITIONER:
            predicate = {"predicate": str(connection.get_kind_display())}
        else:
            predicate = {"predicate_url": f"{open_data}#connection-kind-{connection.kind}"}
        relationships.append(predicate | {"object_url": _web_url(other.website) or page_url})
    # The schemas want each relationship once; two sides may share a website.
    unique = {json.dumps(item, sort_keys=True): item for item in relationships}
    return list(unique.values())


def _web_url(url: str) -> str:
    """The URL if it is http or https, which the schemas require; otherwise nothing."""
    return url if url.startswith(("http://", "https://")) else ""
