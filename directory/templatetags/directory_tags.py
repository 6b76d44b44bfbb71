import json
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import json_script
from django.utils.safestring import mark_safe

from directory.datapackage import dataset_structured_data
from directory.geo import distance_km
from directory.inbox import report_link_token

register = template.Library()

# The characters that could end a <script> element or confuse the HTML parser, as
# Django's json_script escapes them.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(value) -> str:
    """A dict as JSON safe to place inside <script type="application/ld+json">."""
    return mark_safe(json.dumps(value, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES))


@register.simple_tag
def distance_from(entry, place) -> str:
    """Rounded distance from a place to an entry's public location, e.g. "3.2 km"."""
    kilometres = distance_km(
        entry.public_latitude, entry.public_longitude, place.latitude, place.longitude
    )
    return f"{kilometres:.1f} km" if kilometres < 10 else f"{kilometres:.0f} km"


@register.simple_tag
def open_dataset_structured_data() -> dict:
    """The open data as a schema.org Dataset, for the open data page's JSON-LD."""
    return dataset_structured_data()


@register.simple_tag(takes_context=True)
def report_url(context, title: str) -> str:
    """The "Report this page" address for the page being rendered, titled `title`."""
    token = report_link_token(path=context["request"].path, title=str(title))
    return f"{reverse('report')}?{urlencode({'page': token})}"


@register.simple_tag
def leaflet_config() -> str:
    """settings.LEAFLET_CONFIG's map options for static/js/leaflet-map.js, as json_script: the
    maps are made by our own script, so that no page needs an inline one."""
    config = settings.LEAFLET_CONFIG
    _name, tile_url, tile_options = config["TILES"][0]
    options = {
        "center": list(config["DEFAULT_CENTER"]),
        "zoom": config["DEFAULT_ZOOM"],
        "minZoom": config["MIN_ZOOM"],
        "maxZoom": config["MAX_ZOOM"],
        "tileUrl": tile_url,
        "tileOptions": tile_options,
    }
    return json_script(options, "leaflet-config")
