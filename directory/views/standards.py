"""The directory in open standards others' tools read: Murmurations profiles, an Open
Referral UK API for organisations, and the open data's datapackage.json. The JSON is built
from public entries in directory/murmurations.py, openreferral.py and datapackage.py."""

import itertools
import json
import uuid

from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from .. import datapackage, murmurations, openreferral
from ..models import Entry

__all__ = [
    "murmurations_profile",
    "murmurations_index",
    "openreferral_root",
    "openreferral_organizations",
    "openreferral_organization",
    "openreferral_services",
    "openreferral_service",
    "datapackage_json",
]

INDEX_BATCH_ROWS = 1000
# Each view answers HEAD as well as GET (require_safe), as HTTP says a GET resource should.


@require_safe
def murmurations_profile(request, slug):
    entry = get_object_or_404(
        Entry.objects.public().prefetch_related("sectors", "themes"), slug=slug
    )
    return _open(JsonResponse(murmurations.profile(entry)))


@require_safe
def murmurations_index(request):
    """Every profile's URL, for a site owner to register with the Murmurations index."""
    rows = murmurations.index_rows(Entry.objects.public().order_by("pk"))

    def chunks():
        yield '{"profiles":['
        # Rows go out in batches: one write per row would cost more than building it.
        for batch in itertools.batched(enumerate(rows), INDEX_BATCH_ROWS):
            yield "".join(("," if number else "") + json.dumps(row) for number, row in batch)
        yield "]}"

    return _open(StreamingHttpResponse(chunks(), content_type="application/json"))


@require_safe
def openreferral_root(request):
    return _open(JsonResponse(openreferral.api_description()))


@require_safe
def openreferral_organizations(request):
    return _openreferral_page(request, item=openreferral.organization)


@require_safe
def openreferral_services(request):
    return _openreferral_page(request, item=openreferral.service)


@require_safe
def openreferral_organization(request, record_id: uuid.UUID):
    entry = _organisation_or_404(record_id, record_type="organization")
    return _open(JsonResponse(openreferral.organization(entry)))


@require_safe
def openreferral_service(request, record_id: uuid.UUID):
    entry = _organisation_or_404(record_id, record_type="service")
    return _open(JsonResponse(openreferral.service(entry)))


@require_safe
def datapackage_json(request):
    return _open(JsonResponse(datapackage.data_package()))


def _openreferral_page(request, *, item):
    paging = openreferral.Paging.from_query(request.GET)
    entries = openreferral.organisations(search=request.GET.get("search", ""))
    return _open(JsonResponse(openreferral.page_of(entries, paging=paging, item=item)))


def _organisation_or_404(record_id: uuid.UUID, *, record_type: str) -> Entry:
    pk = openreferral.entry_pk(record_id, record_type=record_type)
    return get_object_or_404(openreferral.organisations(), pk=pk)


def _open(response):
    """Open data: anyone may fetch it, from any site, and caches may keep it a few minutes."""
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=300)
    return response
