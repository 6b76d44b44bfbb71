"""Pages load only what they use: Leaflet only where there is a map, Supercluster only where
the map clusters, nothing else of django-leaflet's anywhere, and in a real browser no asset
fails to load and no page breaks accessibility on a phone. Every public page is walked from
the URL configuration, so a page added later is checked too."""

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.urls import URLPattern, URLResolver, get_resolver

from stories.models import Story

# Parts of the URL configuration that are not public pages: the admin, and the owners' private
# links and the sitemaps' sections, whose URLs take a token or a section name.
PRIVATE_NAMESPACES = {"admin"}
PRIVATE_PARAMETERS = {"token", "section", "record_id"}
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
SCRIPT_SOURCE = re.compile(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", re.IGNORECASE)
STYLESHEET = re.compile(r"<link\b[^>]*\brel=\"stylesheet\"[^>]*\bhref=\"([^\"]+)\"", re.IGNORECASE)
MAP_KIND = re.compile(r"\bdata-map=\"(\w+)\"")
# The maps that cluster their markers with Supercluster (static/js/map.js's ClusterLayer).
CLUSTERED_MAPS = {"directory", "teaser", "embed"}
PLACE_PICKER = 'id="place-map"'
REPORT_LINK = re.compile(r"href=\"(/report/\?[^\"]+)\"")
# All that the site takes from django-leaflet's files.
LEAFLET_FILES = {"leaflet/leaflet.js", "leaflet/leaflet.css"}


def public_routes(resolver=None, prefix="", namespace="") -> Iterator[tuple[str, str]]:
    """(namespace, route) for every route a visitor can open, outside the admin and the private
    links."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace not in PRIVATE_NAMESPACES:
                yield from public_routes(pattern, route, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and not (
            set(PARAMETER.findall(route)) & PRIVATE_PARAMETERS
        ):
            yield namespace, route


@pytest.fixture
def public_pages(client, make_entry, make_gathering):
    """Every public HTML page as a visitor gets it (path → HTML), with a public entry, a story
    with a place and one without, so that every kind of page has something to show."""
    entry = make_entry("Open Door")
    # Its slug is the entry's too, so that the walk finds the gathering's page.
    make_gathering("Open Door", organiser=entry)
    stories = [
        Story.objects.create(
            title=title,
            slug=slug,
            summary="A summary.",
            scale=Story.Scale.NEIGHBOURHOOD,
            organisation_kind=Story.OrganisationType.CHARITY,
            published=True,
            **place,
        )
        for title, slug, place in [
            ("Walking alongside", "walking-alongside", {"latitude": 53.48, "longitude": -2.24}),
            ("Nowhere in particular", "nowhere-in-particular", {}),
        ]
    ]
    slugs = {"directory": [entry.slug], "stories": [story.slug for story in stories]}
    paths = []
    for namespace, route in public_routes():
        if "<slug" in route:
            paths += ["/" + route.replace("<slug:slug>", slug) for slug in slugs[namespace]]
        else:
            paths.append("/" + route)
    pages = {}
    for path in paths:
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        # Whole pages only: the map's list fragment (/map/results/) is part of the map page.
        if html.lstrip().startswith("<!DOCTYPE html>"):
            pages[path] = html
    # The report form opens only from a page's own signed link.
    report_path = REPORT_LINK.search(pages[entry.get_absolute_url()]).group(1)
    pages[report_path.replace("&amp;", "&")] = client.get(report_path).content.decode()
    return pages


def assets_of(html: str) -> list[str]:
    """The paths of the scripts and style sheets a page loads."""
    return [urlsplit(url).path for url in SCRIPT_SOURCE.findall(html) + STYLESHEET.findall(html)]


def test_every_public_page_is_walked(public_pages):
    walked = set(public_pages)

    assert {
        "/",
        "/about/",
        "/privacy/",
        "/map/",
        "/embed/map/",
        "/entries/open-door/",
        "/entries/open-door/contact/",
        "/gatherings/",
        "/gatherings/past/",
        "/gatherings/open-door/",
        "/stories/",
        "/stories/walking-alongside/",
        "/stories/nowhere-in-particular/",
        "/join/",
        "/resources/",
        "/case-maker/",
        "/alerts/",
    } <= walked, sorted(walked)
    assert any(path.startswith("/report/?") for path in walked)
    assert "/map/results/" not in walked


def test_leaflet_loads_only_on_pages_with_a_map(public_pages):
    for path, html in public_pages.items():
        has_map = bool(MAP_KIND.search(html)) or PLACE_PICKER in html
        assets = assets_of(html)

        assert ("/static/leaflet/leaflet.js" in assets) == has_map, path
        assert ("/static/leaflet/leaflet.css" in assets) == has_map, path
        assert ("/static/css/map.css" in assets) == has_map, path


def test_supercluster_loads_only_where_a_map_clusters(public_pages):
    clustering = set()
    for path, html in public_pages.items():
        clusters = bool(set(MAP_KIND.findall(html)) & CLUSTERED_MAPS)
        loads_supercluster = any("supercluster" in asset for asset in assets_of(html))

        assert loads_supercluster == clusters, path
        if clusters:
            clustering.add(path)
    assert {"/", "/map/", "/embed/map/"} <= clustering


def test_no_page_loads_a_drawing_plugin_or_other_django_leaflet_extras(public_pages):
    for path, html in public_pages.items():
        from_leaflet = {
            asset.removeprefix("/static/")
            for asset in assets_of(html)
            if asset.startswith("/static/leaflet/")
        }

        assert from_leaflet <= LEAFLET_FILES, path


def test_every_asset_a_page_loads_exists(public_pages):
    for path, html in public_pages.items():
        missing = [
            asset for asset in assets_of(html) if not finders.find(asset.removeprefix("/static/"))
        ]

        assert missing == [], path


@pytest.mark.browser
def test_every_public_page_on_a_phone_loads_all_its_assets_with_no_errors_or_serious_violations(
    page, page_problems, public_pages, serious_accessibility_violations, live_server
):
    page.set_viewport_size({"width": 375, "height": 812})
    failed = []
    page.on(
        "response",
        lambda response: (
            failed.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.url.startswith(live_server.url)
            else None
        ),
    )
    violations = {}

    for path in public_pages:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        if found := serious_accessibility_violations(page):
            violations[path] = found

    assert failed == []
    assert violations == {}
    assert not page_problems, page_problems
