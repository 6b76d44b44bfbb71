"""A map page asks for its list, its data and its overlays at once. On the embedded SQLite
database, as on PostgreSQL, each of those requests has to be answered, not refused as if the
database were out of reach (503)."""

from concurrent.futures import ThreadPoolExecutor
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest
from django.urls import reverse

# The requests a map page makes as soon as it opens, several visitors at once.
MAP_PAGE_REQUESTS = [
    reverse("directory:map"),
    reverse("directory:map_data"),
    reverse("directory:map_results"),
    reverse("directory:gatherings_geojson"),
    reverse("stories:map_layer"),
]


def status_of(url: str) -> int:
    try:
        with urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_every_request_of_twenty_visitors_opening_the_map_at_once_is_answered(
    live_server, make_entry
):
    make_entry("Fallowfield Friends", latitude=53.4440, longitude=-2.2200)
    # Each visitor looks near a different place, so no answer comes from a cache.
    places = [
        "M14 5",
        "Manchester",
        "Frome",
        "Leeds",
        "York",
        "Bath",
        "Hull",
        "Derby",
        "Ely",
        "Wells",
    ]
    urls = [
        f"{live_server.url}{path}?{urlencode({'near': place})}"
        for place in places * 2
        for path in MAP_PAGE_REQUESTS
    ]

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(status_of, urls))

    assert statuses == [200] * len(urls)
