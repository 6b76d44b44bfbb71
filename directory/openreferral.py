"""Open Referral UK (the UK profile of the Human Services Data Specification, HSDS 3): a
read-only view of the map's organisations for the directories and referral tools of local
councils and the NHS.

Only organisations are exposed. HSDS describes organisations and the services they offer
to the public; a practitioner is a person, and the standard has no place for people. Each
organisation appears as one organization and one service (the work its entry describes),
with public fields only: never the email, and no location beyond the organisation's page.
"""

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.utils.translation import gettext as _

from .geo import MAX_QUERY_LENGTH
from .models import Entry, EntryQuerySet

HSDS_VERSION = "3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
# HSDS wants a UUID for every record. Ours keep the entry's number in the last 48 bits under
# a prefix fixed by the site and the record type, so they never change, need no new column,
# and lead straight back to the entry.
_NUMBER_BITS = 48
_NUMBER_MASK = (1 << _NUMBER_BITS) - 1


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int

    @classmethod
    def from_query(cls, query: QueryDict) -> "Paging":
        page = _whole_number(query.get("page", "1"), name="page", low=1, high=10**9)
        per_page = _whole_number(
            query.get("per_page", str(DEFAULT_PER_PAGE)), name="per_page", low=1, high=MAX_PER_PAGE
        )
        return cls(page=page, per_page=per_page)


def organisations(*, search: str = "") -> EntryQuerySet:
    """The public organisations, matching the profile's free-text `search` if given, in a
    stable order for paging."""
    entries = Entry.objects.public().of_kind(Entry.Kind.ORGANISATION)
    if search := search.strip()[:MAX_QUERY_LENGTH]:
        entries = entries.matching(search)
    return entries.order_by("pk")


def record_id(entry_pk: int, *, record_type: str) -> str:
    return str(uuid.UUID(int=_prefix(record_type) | entry_pk))


def entry_pk(record_uuid: uuid.UUID, *, record_type: str) -> int | None:
    """The entry number in one of our ids, or None when the id is not one of ours."""
    if record_uuid.int & ~_NUMBER_MASK != _prefix(record_type):
        return None
    return record_uuid.int & _NUMBER_MASK


def organization(entry: Entry) -> dict:
    data = {
        "id": record_id(entry.pk, record_type="organization"),
        "name": entry.name,
        "description": _description(entry),
        # A persistent identifier: the organisation's page on the map.
        "uri": settings.SITE_URL + entry.get_absolute_url(),
    }
    if entry.website.startswith(("http://", "https://")):
        data["website"] = entry.website
    return data


def service(entry: Entry) -> dict:
    """The organisation's work as one service. Its URL is the organisation's page on the
    map, where a visitor can write to it without ever seeing its email address."""
    return {
        "id": record_id(entry.pk, record_type="service"),
        "organization_id": record_id(entry.pk, record_type="organization"),
        "name": entry.name,
        "description": _description(entry),
        "url": settings.SITE_URL + entry.get_absolute_url(),
        "status": "active",
        "last_modified": entry.updated_at.isoformat(timespec="milliseconds"),
        "organization": organization(entry),
    }


def page_of(entries: EntryQuerySet, *, paging: Paging, item: Callable[[Entry], dict]) -> dict:
    """One page of a list, with the paging fields the UK profile's OpenAPI file defines."""
    total = entries.count()
    start = (paging.page - 1) * paging.per_page
    contents = [item(entry) for entry in entries[start : start + paging.per_page]] if total else []
    total_pages = math.ceil(total / paging.per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": paging.page,
        "size": len(contents),
        "first_page": paging.page == 1,
        "last_page": paging.page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def api_description() -> dict:
    """What the UK profile's root endpoint says about an API."""
    return {"version": HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL}


def _description(entry: Entry) -> str:
    return "\n\n".join(text for text in [entry.summary, entry.description] if text)


def _prefix(record_type: str) -> int:
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/openreferral/{record_type}")
    return namespace.int & ~_NUMBER_MASK


def _whole_number(value: str, *, name: str, low: int, high: int) -> int:
    is_number = value.isascii() and value.isdigit() and len(value) <= len(str(high))
    if not is_number or not low <= int(value) <= high:
        raise BadRequest(
            _("%(name)s must be a whole number from %(low)s to %(high)s.")
            % {"name": name, "low": low, "high": high}
        )
    return int(value)
