from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe
from taggit.models import Tag

from relmap.pagecache import (
    answers_per_version,
    cache_page_per_version,
    pregzipped_response,
    versioned_response,
)

from .. import connections, exports, mapdata
from ..forms import EntryFilterForm, EntryFilters, parse_coordinate
from ..geo import MAX_QUERY_LENGTH, UNKNOWN_PLACE_HELP, lookup_place, nearest_place
from ..mapdata.connections import MIN_ZOOM as CONNECTIONS_MIN_ZOOM
from ..models import Connection, ConnectionKind, Entry, EntryQuerySet

__all__ = [
    "map_config",
    "map_page",
    "map_data",
    "map_point",
    "entry_detail",
    "entries_geojson",
    "entries_csv",
    "places",
    "open_data",
    "embed_map",
]

# Pages are kept until the directory changes, or this long at most (a sector renamed in the
# admin changes no entry).
PAGE_CACHE_SECONDS = 10 * 60
ENTRIES_PER_PAGE = 20
POINT_ENTRIES_SHOWN = 10
# Kindred spirits are sought among about this many nearest entries: plenty to find six that
# share a sector or theme, and few enough to stay fast in the busiest city.
KINDRED_CANDIDATES = 150
EXPORT_BUILDING = gettext_lazy("The export is being prepared. Please try again in a few seconds.")


def map_config(*, link_target: str = "") -> dict:
    """What static/js/map.js needs to know, for json_script."""
    return {
        "dataUrl": reverse("directory:map_data"),
        "resultsUrl": reverse("directory:map_results"),
        "pointUrl": reverse("directory:map_point"),
        "linkTarget": link_target,
        "overlays": [
            {**overlay, "label": gettext(overlay["label"]), "url": reverse(overlay["url_name"])}
            for overlay in settings.MAP_OVERLAYS
        ],
        "messages": {
            "unavailable": gettext("These entries are no longer on the map."),
            "more": gettext("and %(count)s more here: zoom in or use the list."),
            "failed": gettext("The map could not load its entries. The list still works."),
        },
        "connections": connections_config(),
    }


def connections_config() -> dict:
    """What static/js/connections.js needs to draw the lines on the map, in map_config."""
    return {
        "url": reverse("directory:map_connections"),
        "minZoom": CONNECTIONS_MIN_ZOOM,
        "messages": {
            "zoomIn": gettext(
                "Zoom in to see who works with whom: the lines show from about a county across."
            ),
            "count": gettext("Lines in view: %(count)s."),
            "capped": gettext(
                "The %(shown)s shortest of the %(total)s lines in view are drawn: "
                "zoom in to see the rest."
            ),
            "none": gettext("Nobody in view has said who they work with yet."),
            "failed": gettext(
                "The lines could not be loaded. Each profile lists who the entry works with."
            ),
        },
    }


def public_themes() -> list[Tag]:
    return list(Tag.objects.filter(entry__in=Entry.objects.public()).distinct().order_by("name"))


def filtered_public_entries(request) -> tuple[EntryFilterForm, EntryFilters, EntryQuerySet]:
    """The map's filter form bound to the query (its controls show what was asked), what it
    asks for, and the public entries that match."""
    form = EntryFilterForm.for_query(request.GET)
    filters = form.entry_filters()
    return form, filters, filters.apply(Entry.objects.public())


@require_safe
@cache_page_per_version(mapdata.current_version, timeout=PAGE_CACHE_SECONDS)
def map_page(request, template_name="directory/map.html"):
    """The map and its list; without JavaScript, a paginated, filterable list. The map's
    script asks for `template_name="directory/_results.html"` to refresh only the list."""
    form, filters, entries = filtered_public_entries(request)
    paginator = Paginator(entries, ENTRIES_PER_PAGE)
    if not filters.is_filtered:
        # Counting 100,000 rows is this page's slowest query, and the version check
        # already knows the number (at most a second old).
        paginator.count = mapdata.public_entry_count()
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "form": form,
        "page": page,
        "themes": mapdata.per_version("themes", public_themes),
        "map_config": map_config(),
    }
    return render(request, template_name, context)


@require_safe
def map_data(request):
    filters = entries = None
    if request.GET:  # the hot path, the unfiltered map, skips parsing filters
        _form, filters, entries = filtered_public_entries(request)
    if filters and filters.is_filtered:
        data = mapdata.filtered_map_data(entries, query=_query_without(request, "page"))
    else:
        data = mapdata.public_map_data()
    # Revalidate every time (a 304 is cheap) so that a moderator's change shows at once.
    return versioned_response(
        request,
        mapdata.as_read_now(data.stamp),
        content=lambda: pregzipped_response(
            request, body=data.body, gzipped=data.gzipped, content_type="application/json"
        ),
        public=True,
        no_cache=True,
    )


@require_safe
@answers_per_version(mapdata.current_version, public=True, max_age=60)
def map_point(request):
    """The entries at one point of the map (a marker can stand for several), matching the
    map's filters, for the marker's popup."""
    _form, _filters, entries = filtered_public_entries(request)
    latitude = parse_coordinate(request.GET.get("point_lat", ""), name="point_lat", limit=90)
    longitude = parse_coordinate(request.GET.get("point_lng", ""), name="point_lng", limit=180)
    at_point = entries.at_point(
        latitude=latitude, longitude=longitude, tolerance=0.5 / mapdata.COORDINATE_SCALE
    )
    shown = list(at_point[:POINT_ENTRIES_SHOWN])
    return JsonResponse(
        {
            "total": len(shown) if len(shown) < POINT_ENTRIES_SHOWN else at_point.count(),
            "entries": [
                {
                    "name": entry.name,
                    "kind": entry.kind,
                    "kind_label": entry.get_kind_display(),
                    "summary": entry.summary,
                    "place": entry.place_name,
                    "url": entry.get_absolute_url(),
                    "demo": entry.is_demo,
                }
                for entry in shown
            ],
        }
    )


@require_safe
@cache_page_per_version(mapdata.current_version, timeout=PAGE_CACHE_SECONDS)
def entry_detail(request, slug):
    entry = get_object_or_404(
        Entry.objects.public().prefetch_related("sectors", "themes", "resources__themes"),
        slug=slug,
    )
    context = {
        "entry": entry,
        "entry_location": {
            "latitude": entry.public_latitude,
            "longitude": entry.public_longitude,
            "approximate": entry.is_approximate,
            "kind": entry.kind,
        },
        "connections": connections.seen_from(entry, Connection.objects.public()),
        "kindred": Entry.objects.public().kindred_to(
            entry,
            within_km=mapdata.radius_holding(
                latitude=entry.public_latitude,
                longitude=entry.public_longitude,
                entries=KINDRED_CANDIDATES,
            ),
        ),
    }
    return render(request, "directory/entry_detail.html", context)


@require_safe
def entries_geojson(request):
    return _export(request, "geojson", content_type="application/geo+json")


@require_safe
def entries_csv(request):
    response = _export(request, "csv", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="relationships-map-entries.csv"'
    # The data package is the CSV's metadata: its columns, types and licence (RFC 8288).
    described_by = settings.SITE_URL + reverse("directory:datapackage")
    response["Link"] = f'<{described_by}>; rel="describedby"; type="application/json"'
    return response


@require_safe
def places(request):
    """Candidates for the place picker: by name or postcode (?q=), or the nearest town or
    village to a point on the map (?lat=&lng=)."""
    if "q" in request.GET:
        found = lookup_place(request.GET["q"][:MAX_QUERY_LENGTH])
    else:
        latitude = parse_coordinate(request.GET.get("lat", ""), name="lat", limit=90)
        longitude = parse_coordinate(request.GET.get("lng", ""), name="lng", limit=180)
        nearest = nearest_place(latitude=latitude, longitude=longitude)
        found = [nearest] if nearest else []
    return JsonResponse(
        {
            "places": [
                {
                    "label": place.label,
                    "name": place.name,
                    "note": place.note,
                    "latitude": place.latitude,
                    "longitude": place.longitude,
                }
                for place in found
            ],
            "help": "" if found else str(UNKNOWN_PLACE_HELP),
        }
    )


@require_safe
def open_data(request):
    return render(
        request,
        "directory/open_data.html",
        {
            "licence_name": settings.OPEN_DATA_LICENCE_NAME,
            "licence_url": settings.OPEN_DATA_LICENCE_URL,
            "connection_kinds": ConnectionKind,
        },
    )


@xframe_options_exempt
@csp_override({**settings.SECURE_CSP, "frame-ancestors": ["*"]})
@require_safe
def embed_map(request):
    """A bare map for other sites' iframes: the only page that may be framed."""
    return render(
        request, "directory/embed_map.html", {"map_config": map_config(link_target="_blank")}
    )


def _export(request, name: str, *, content_type: str) -> HttpResponse:
    """An export of the entries: unfiltered, the whole file; filtered, the pieces of the
    entries that match."""
    _form, filters, entries = filtered_public_entries(request)
    matching = entries.values_list("pk", flat=True) if filters.is_filtered else None
    return prebuilt_export(request, name, content_type=content_type, only=matching)


def prebuilt_export(request, name: str, *, content_type: str, only=None) -> HttpResponse:
    """A prebuilt export (directory/exports.py): its pregzipped bytes, or only the pieces of
    the entries with these ids. Its validators are those of the snapshot's version, which may
    be older than the directory's while the next snapshot is built."""
    try:
        snapshot = exports.current_snapshot()
    except exports.ExportUnavailable:
        response = HttpResponse(EXPORT_BUILDING, status=503, content_type="text/plain")
        response["Retry-After"] = "10"
        return response
    export = getattr(snapshot, name)

    def content() -> HttpResponse:
        if only is not None:
            # Not compressed here: the proxy in front compresses on the fly (deploy/nginx.conf).
            body = export.only(only)
            return HttpResponse(body, content_type=content_type)
        return pregzipped_response(
            request, body=export.body, gzipped=export.gzipped, content_type=content_type
        )

    return versioned_response(
        request,
        mapdata.as_read_now(snapshot.stamp),
        content=content,
        cors=True,  # open data: anyone may fetch it
        public=True,
        max_age=300,
    )


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()
