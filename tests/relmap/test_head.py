"""HEAD answers wherever GET does, with the same status and headers and no body (RFC 9110,
9.3.2). Every public address comes from the URLconf itself, so a new one is not forgotten."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from directory import openreferral, tokens
from directory.models import Entry
from tests.private_links import manage_token, token_of

pytestmark = pytest.mark.django_db

CONVERTER = re.compile(r"<(?:(?P<type>\w+):)?(?P<name>\w+)>")
# Values that differ between any two responses, whatever the method.
PER_RESPONSE = re.compile(r"nonce-[\w+/=-]+|csrftoken=[^;]+")
# A never-cached page expires the second it is sent, so two responses may differ by a second.
SENT_AT = {"Expires"}


def public_routes(patterns=None, prefix: str = "", namespace: str = "") -> list[tuple]:
    """(namespace, route) for every address in the URLconf except the staff's admin."""
    routes = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith("admin/"):
                continue
            inner = pattern.namespace or namespace
            routes += public_routes(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            routes.append((namespace, route))
    return routes


@pytest.fixture
def addresses(make_entry, make_story, make_gathering, changed_a_minute_ago):
    """Every public route made into an address that finds something where it can."""
    organisation = make_entry("Open Door")
    # Its slug is the entry's too, so that both the entry's and the gathering's pages answer.
    gathering = make_gathering("Open Door", organiser=organisation)
    unconfirmed = make_entry("New Here", status=Entry.Status.AWAITING_CONFIRMATION)
    story = make_story("Walking Alongside", latitude=53.5, longitude=-2.2)
    values = {
        ("directory", "slug"): organisation.slug,
        ("stories", "slug"): story.slug,
        "token": manage_token(organisation),
        "section": "entries",
        "pk": str(gathering.pk),
    }
    confirm_token = token_of(tokens.confirmation_url(unconfirmed))
    # A version changed in this second has no Last-Modified until the next one, which could
    # come between a GET and its HEAD.
    changed_a_minute_ago()

    def address(namespace: str, route: str) -> str:
        def value(match):
            name = match["name"]
            if name == "record_id":
                kind = "service" if "services" in route else "organization"
                return str(openreferral.record_id(organisation.pk, record_type=kind))
            if name == "token" and route.startswith("join/confirm"):
                return confirm_token
            return values.get((namespace, name)) or values[name]

        return "/" + CONVERTER.sub(value, route).lstrip("^").rstrip("$")

    return [address(namespace, route) for namespace, route in public_routes()]


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def comparable_headers(response) -> dict:
    return {
        name: "…" if name in SENT_AT else PER_RESPONSE.sub("…", value)
        for name, value in response.headers.items()
        if name != "Content-Length"
    } | {"cookies": sorted(response.cookies)}


def test_the_urlconf_walk_finds_the_public_addresses(addresses):
    expected_addresses = ["/", "/map/data.json", "/entries.csv", "/stories.geojson", "/healthz"]
    for expected in [*expected_addresses, "/gatherings/open-door.ics"]:
        assert expected in addresses
    assert not [address for address in addresses if address.startswith("/admin/")]


def test_every_public_address_answers_head_as_it_answers_get(client, addresses):
    for address in addresses:
        got = client.get(address)
        head = client.head(address)

        assert head.status_code == got.status_code, address
        assert head.status_code != 405 or got.status_code == 405, address
        assert comparable_headers(head) == comparable_headers(got), address
        assert body_of(head) == b"", address


def test_addresses_that_take_a_form_answer_head_too(client, addresses):
    forms = ["/join/", "/contact/", "/manage/", "/entries/open-door/contact/"]

    for address in forms:
        assert client.head(address).status_code == 200, address
