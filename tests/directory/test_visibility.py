"""Nothing unpublished is ever public, and a practitioner's exact point never leaves the site."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from directory import lifecycle, openreferral
from directory.mapdata.wire import unpack
from directory.models import Entry, PendingChanges

pytestmark = pytest.mark.django_db

NOT_PUBLISHED = [status for status in Entry.Status.values if status != Entry.Status.PUBLISHED]
# The Leaflet map and JSON-LD use JSON; the list, feeds and exports use text; the open
# standards (Murmurations, Open Referral UK) use JSON. Between them, these are every public
# output that lists or counts entries.
PUBLIC_LISTINGS = [
    ("home", {}),
    ("directory:map", {}),
    ("directory:map", {"q": "Hidden"}),
    ("directory:map_results", {"bbox": "-10,49,3,61"}),
    ("directory:entries_csv", {}),
    ("directory:entries_geojson", {}),
    ("directory:entries_feed", {}),
    ("directory:murmurations_index", {}),
    ("directory:openreferral_organizations", {}),
    ("directory:openreferral_services", {}),
    ("directory:openreferral_services", {"search": "Hidden"}),
]


def body_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("status", NOT_PUBLISHED)
def test_unpublished_entries_are_absent_from_every_public_output(client, make_entry, status):
    shown = make_entry("Shown Publicly", themes=["listening"])
    hidden = make_entry("Hidden Entry", status=status, themes=["listening"])

    for url_name, params in PUBLIC_LISTINGS:
        body = body_of(client.get(reverse(url_name), params))
        assert "Hidden Entry" not in body, url_name
        assert hidden.slug not in body, url_name

    points = unpack(client.get(reverse("directory:map_data")).content)
    assert [point[:2] for point in points] == [(shown.public_latitude, shown.public_longitude)]
    assert b"hidden-entry" not in client.get("/sitemap-entries.xml").content
    assert client.get(hidden.get_absolute_url()).status_code == 404
    for url in entry_records(hidden):
        assert client.get(url).status_code == 404, url
    at_hidden = {"point_lat": hidden.public_latitude, "point_lng": hidden.public_longitude}
    at_point = client.get(reverse("directory:map_point"), at_hidden).json()
    assert [entry["name"] for entry in at_point["entries"]] == ["Shown Publicly"]
    assert "Hidden Entry" not in client.get(shown.get_absolute_url()).content.decode()  # kindred


@pytest.mark.parametrize("status", NOT_PUBLISHED)
def test_counts_include_only_published_entries(client, make_entry, status):
    make_entry("Shown Publicly")
    make_entry("Hidden Entry", status=status)

    assert client.get(reverse("home")).context["entry_count"] == 1
    assert client.get(reverse("directory:map")).context["page"].paginator.count == 1


def test_a_practitioners_exact_point_appears_in_no_public_response(client, make_entry):
    person = make_entry(
        "Pat Practitioner",
        kind=Entry.Kind.PRACTITIONER,
        latitude=53.523417,
        longitude=-2.176389,
        themes=["listening"],
    )
    make_entry("Neighbour", themes=["listening"])  # shows the person among kindred spirits
    exact_fragments = ["53.5234", "-2.1763", "535234", "-21763"]

    responses = [client.get(reverse(name), params) for name, params in PUBLIC_LISTINGS]
    responses += [
        client.get(person.get_absolute_url()),
        client.get(Entry.objects.get(name="Neighbour").get_absolute_url()),
        client.get(reverse("directory:map_data")),
        client.get(
            reverse("directory:map_point"),
            {"point_lat": person.public_latitude, "point_lng": person.public_longitude},
        ),
        client.get(reverse("directory:embed_map")),
        client.get(reverse("directory:murmurations_profile", args=[person.slug])),
    ]
    for response in responses:
        body = body_of(response)
        for fragment in exact_fragments:
            assert fragment not in body, (response.request["PATH_INFO"], fragment)


def test_contact_emails_appear_in_no_public_response(client, make_entry):
    entry = make_entry("Open Door", contact_email="private.person@example.org")

    for url_name, params in PUBLIC_LISTINGS:
        assert "private.person" not in body_of(client.get(reverse(url_name), params))
    assert "private.person" not in client.get(entry.get_absolute_url()).content.decode()
    for url in entry_records(entry):
        assert "private.person" not in body_of(client.get(url)), url


def test_alert_subscribers_appear_in_no_public_response(client, make_entry, make_alert):
    """Addresses and alerts, confirmed or not, are nobody's business but the subscriber's."""
    entry = make_entry("Open Door", place_name="Frome", latitude=51.2279, longitude=-2.3215)
    make_alert("confirmed.reader@example.org", place_name="Zedtown", latitude=51.2, longitude=-2.3)
    make_alert("unconfirmed.reader@example.org", confirmed=False, place_name="Zedtown")
    pages = [reverse(url_name) + "?" + urlencode(params) for url_name, params in PUBLIC_LISTINGS]
    pages += [entry.get_absolute_url(), *entry_records(entry), reverse("directory:alerts")]
    pages += [reverse("privacy"), reverse("directory:open_data"), "/sitemap.xml"]

    for url in pages:
        body = body_of(client.get(url))
        assert ".reader@" not in body and "Zedtown" not in body, url


def entry_records(entry) -> list[str]:
    """The entry's own records in the open standards."""
    return [
        reverse("directory:murmurations_profile", args=[entry.slug]),
        reverse(
            "directory:openreferral_organization",
            args=[openreferral.record_id(entry.pk, record_type="organization")],
        ),
        reverse(
            "directory:openreferral_service",
            args=[openreferral.record_id(entry.pk, record_type="service")],
        ),
    ]


# Every public output that lists entries, as a client keeps and revalidates it: name, the
# address, and what to ask for (a point's popup is asked for at the entry's own spot).
REVALIDATED_OUTPUTS = [
    ("directory:map_data", {}),
    ("directory:map_data", {"kind": "organisation"}),
    ("directory:map_point", "at the entry"),
    ("directory:entries_geojson", {}),
    ("directory:entries_geojson", {"kind": "organisation"}),
    ("directory:entries_csv", {}),
    ("directory:entries_csv", {"q": "Neighbours"}),
    ("directory:murmurations_index", {}),
    ("directory:openreferral_organizations", {}),
    ("directory:openreferral_services", {}),
    ("directory:entries_feed", {}),
    ("sitemap-entries", {}),
]


def fetch(client, url_name: str, params, entry, **headers):
    if url_name == "sitemap-entries":
        return client.get("/sitemap-entries.xml", **headers)
    if params == "at the entry":
        params = {"point_lat": entry.public_latitude, "point_lng": entry.public_longitude}
    return client.get(reverse(url_name), params, **headers)


def shows(body: str, entry, name: str, url_name: str) -> bool:
    """Whether an output shows the entry under this name, by name, address or position."""
    if url_name == "directory:map_data":
        return (entry.public_latitude, entry.public_longitude) in [
            point[:2] for point in unpack(body.encode())
        ]
    return name in body or entry.slug in body


def withdraw(entry):
    lifecycle.withdraw(entry=entry)


def erase(entry):
    lifecycle.erase(entry=entry)


def reject(entry):
    lifecycle.reject(entry=entry, reason="Not relationship-centred.")


def rename(entry):
    """The owner edits the published entry's name and a moderator approves it."""
    lifecycle.submit_owner_changes(
        entry=entry, changes=PendingChanges(fields={"name": "Renamed Neighbours"})
    )
    lifecycle.approve_changes(entry=Entry.objects.get(pk=entry.pk))


CHANGES = [withdraw, erase, reject, rename]


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize(("url_name", "params"), REVALIDATED_OUTPUTS)
def test_a_client_revalidating_any_output_after_a_change_gets_the_new_content(
    client, make_entry, changed_a_minute_ago, url_name, params, change
):
    make_entry("Kept Place", latitude=51.5, longitude=-0.12)
    changed = make_entry("Moston Neighbours", latitude=53.4808, longitude=-2.2426)
    changed_a_minute_ago()
    first = fetch(client, url_name, params, changed)
    first_body = body_of(first)
    assert first.status_code == 200
    assert shows(first_body, changed, "Moston Neighbours", url_name)
    assert first.has_header("ETag") and first.has_header("Last-Modified"), url_name

    change(changed)
    by_tag = fetch(client, url_name, params, changed, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = fetch(
        client, url_name, params, changed, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )

    for response in [by_tag, by_date]:
        assert response.status_code == 200, (url_name, response.status_code)
        body = body_of(response)
        if change is not rename:
            assert not shows(body, changed, "Moston Neighbours", url_name), url_name
        elif "Moston Neighbours" in first_body:  # the outputs that show names
            assert "Renamed Neighbours" in body, url_name
