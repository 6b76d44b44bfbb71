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

from relmap.pagecache import answers_per_version

from .. import datapackage, mapdata, murmurations, openreferral
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
# What comes from the entries carries validators of the directory's version; anyone may
# fetch it, from any site, and caches may keep it a few minutes.
of_the_directory = answers_per_version(mapdata.current_version, cors=True, public=True, max_age=300)


@require_safe
@of_the_directory
def murmurations_profile(request, slug):
    entry = get_object_or_404(
        Entry.objects.public().prefetch_related("sectors", "themes"), slug=slug
    )
    return JsonResponse(murmurations.profile(entry))


@require_safe
@of_the_directory
def murmurations_index(request):
    """Every profile's URL, for a site owner to register with the Murmurations index."""
    rows = murmurations.index_rows(Entry.objects.public().order_by("pk"))

    def chunks():
        yield '{"profiles":['
        # Rows go out in batches: one write per row would cost more than building it.
        for batch in itertools.batched(enumerate(rows), INDEX_BATCH_ROWS):
            yield "".join(("," if number else "") + json.dumps(row) for number, row in batch)
        yield "]}"

    return StreamingHttpResponse(chunks(), content_type="application/json")


@require_safe
@of_the_directory
def openreferral_root(request):
    return JsonResponse(openreferral.api_description())


@require_safe
@of_the_directory
def openreferral_organizations(request):
    return _openreferral_page(request, item=openreferral.organization)


@require_safe
@of_the_directory
def openreferral_services(request):
    return _openreferral_page(request, item=openreferral.service)


@require_safe
@of_the_directory
def openreferral_organization(request, record_id: uuid.UUID):
    entry = _organisation_or_404(record_id, record_type="organization")
    return JsonResponse(openreferral.organization(entry))


@require_safe
@of_the_directory
def openreferral_service(request, record_id: uuid.UUID):
    entry = _organisation_or_404(record_id, record_type="service")
    return JsonResponse(openreferral.service(entry))


@require_safe
def datapackage_json(request):
    return _open(JsonResponse(datapackage.data_package()))


def _openreferral_page(request, *, item):
    paging = openreferral.Paging.from_query(request.GET)
    entries = openreferral.organisations(search=request.GET.get("search", ""))
    return JsonResponse(openreferral.page_of(entries, paging=paging, item=item))


def _organisation_or_404(record_id: uuid.UUID, *, record_type: str) -> Entry:
    pk = openreferral.entry_pk(record_id, record_type=record_type)
    return get_object_or_404(openreferral.organisations(), pk=pk)


def _open(response):
    """Open data that does not come from the entries: anyone may fetch it, from any site, and
    caches may keep it a few minutes."""
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=300)
    return response
