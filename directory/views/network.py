"""Who works with whom: the public connections as lines for the map, and an entry's
neighbourhood two steps out. Both start from Connection.objects.public()."""

from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from relmap.pagecache import answers_per_version

from .. import mapdata
from ..forms import parse_bbox
from ..mapdata.connections import MIN_ZOOM, lines_answer, public_line_index

__all__ = ["map_connections"]


def connections_config() -> dict:
    """What static/js/connections.js needs to draw the lines on the map, in map_config."""
    return {
        "url": reverse("directory:map_connections"),
        "minZoom": MIN_ZOOM,
        "messages": {
            "zoomIn": _(
                "Zoom in to see who works with whom: the lines show from about a county across."
            ),
            "count": _("Lines in view: %(count)s."),
            "capped": _(
                "The %(shown)s shortest of the %(total)s lines in view are drawn: "
                "zoom in to see the rest."
            ),
            "none": _("Nobody in view has said who they work with yet."),
            "failed": _(
                "The lines could not be loaded. Each profile lists who the entry works with."
            ),
        },
    }


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
