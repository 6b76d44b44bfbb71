"""Who works with whom: the public connections as lines for the map, and an entry's
neighbourhood two steps out. Both start from Connection.objects.public()."""

from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from relmap.pagecache import answers_per_version, cache_page_per_version

from .. import mapdata
from ..forms import parse_bbox
from ..mapdata.connections import (
    SECOND_STEP_ENTRIES,
    lines_answer,
    neighbourhood_of,
    public_line_index,
)
from ..models import Entry
from .map import PAGE_CACHE_SECONDS

__all__ = ["map_connections", "entry_network"]


@require_safe
@answers_per_version(mapdata.current_version, public=True, no_cache=True)
def map_connections(request):
    """The public connections with at least one end in ?bbox=west,south,east,north, for the
    map's "who works with whom" lines. Revalidated every time (a 304 is cheap) so that an
    ended connection leaves the map at once."""
    if not request.GET.get("bbox"):
        raise BadRequest(_("bbox is required: west,south,east,north of the part of the map."))
    bounds = parse_bbox(request.GET["bbox"])
    body = lines_answer(public_line_index(), bounds)
    # Not compressed here: the proxy in front compresses on the fly (deploy/nginx.conf).
    return HttpResponse(body, content_type="application/json")


@require_safe
@cache_page_per_version(mapdata.current_version, timeout=PAGE_CACHE_SECONDS)
def entry_network(request, slug):
    """Who a public entry works with, and who they work with in turn: nested lists that need
    no script, and a small map of the same lines."""
    entry = get_object_or_404(Entry.objects.public(), slug=slug)
    neighbourhood = neighbourhood_of(entry)
    context = {
        "entry": entry,
        "neighbourhood": neighbourhood,
        "network_map": neighbourhood.map_data(entry),
        "second_step_limit": SECOND_STEP_ENTRIES,
    }
    return render(request, "directory/network/entry_network.html", context)
