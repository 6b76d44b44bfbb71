import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from directory import lifecycle
from directory.mapdata.wire import unpack
from directory.models import Entry

pytestmark = pytest.mark.django_db


def test_map_page_lists_public_entries_and_offers_the_filters(client, make_entry):
    make_entry("Open Door")

    response = client.get(reverse("directory:map"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Open Door" in html
    assert 'id="map-filters"' in html
    assert 'id="map-config"' in html


def test_map_page_filters_by_sector_kind_theme_and_text(client, make_entry, make_sector):
    arts = make_sector("Arts and culture")
    make_entry("Painters", kind=Entry.Kind.PRACTITIONER, sectors=[arts], themes=["murals"])
    make_entry("Sculptors", sectors=[arts])
    make_entry("Nurses", kind=Entry.Kind.PRACTITIONER, themes=["murals"])

    response = client.get(
        reverse("directory:map"),
        {"sector": "arts-and-culture", "kind": "practitioner", "theme": "murals", "q": "paint"},
    )

    assert [e.name for e in response.context["page"].object_list] == ["Painters"]


def test_a_theme_can_be_given_by_its_name(client, make_entry):
    make_entry("Painters", themes=["Street murals"])
    make_entry("Singers")

    response = client.get(reverse("directory:map"), {"theme": "street murals"})

    assert [e.name for e in response.context["page"].object_list] == ["Painters"]


def test_unknown_filter_values_are_ignored_with_a_visible_note(client, make_entry):
    make_entry("Open Door")

    response = client.get(reverse("directory:map"), {"sector": "astrology", "kind": "robot"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Open Door" in html
    assert "We ignored a sector we do not know." in html
    assert "We ignored an unknown kind of entry." in html


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "1,2,3"},
        {"bbox": "a,b,c,d"},
        {"bbox": "-10,95,10,96"},
        {"bbox": "10,50,-10,51"},
        {"radius": "9999", "lat": "51", "lng": "0"},
        {"radius": "-1", "lat": "51", "lng": "0"},
        {"radius": "many", "lat": "51", "lng": "0"},
        {"lat": "91", "lng": "0"},
        {"lat": "51", "lng": "nan-ish"},
    ],
)
def test_out_of_range_geometry_is_a_400_with_a_message(client, params):
    for url_name in ["directory:map", "directory:map_data", "directory:entries_geojson"]:
        response = client.get(reverse(url_name), params)
        assert response.status_code == 400
        assert "must" in response.content.decode() or "out of range" in response.content.decode()


def test_an_over_long_search_is_cut_with_a_note(client, make_entry):
    response = client.get(reverse("directory:map"), {"q": "x" * 5000})

    assert response.status_code == 200
    assert "longer than 100 characters, so we cut it there" in response.content.decode()


def test_an_out_of_range_page_shows_the_last_page(client, make_entry):
    for number in range(25):
        make_entry(f"Entry {number:02}")

    response = client.get(reverse("directory:map"), {"page": "99"})

    assert response.context["page"].number == 2


def test_near_a_point_orders_by_distance_and_shows_it(client, make_entry):
    make_entry("London", latitude=51.5072, longitude=-0.1276)
    make_entry("Stockport", latitude=53.4106, longitude=-2.1575)

    response = client.get(
        reverse("directory:map"), {"lat": "53.48", "lng": "-2.24", "radius": "100"}
    )

    assert [e.name for e in response.context["page"].object_list] == ["Stockport"]
    assert " km" in response.content.decode()


def test_near_a_typed_town_or_postcode_finds_entries_around_it(client, make_entry):
    make_entry("Frome Friends", latitude=51.2283, longitude=-2.3221)
    make_entry("Leeds Listeners", latitude=53.7997, longitude=-1.5492)

    by_town = client.get(reverse("directory:map"), {"near": "Frome", "radius": "10"})
    by_postcode = client.get(reverse("directory:map"), {"near": "BA11 1AA", "radius": "10"})

    for response in [by_town, by_postcode]:
        assert [e.name for e in response.context["page"].object_list] == ["Frome Friends"]
    assert "within 10 km of Frome, Somerset, England" in by_town.content.decode()


def test_an_unknown_place_is_ignored_with_advice(client, make_entry):
    make_entry("Open Door")

    response = client.get(reverse("directory:map"), {"near": "Xyzzyville"})

    html = response.content.decode()
    assert "Open Door" in html
    assert "We could not find “Xyzzyville”" in html
    assert "postcode" in html


def test_results_fragment_is_the_list_alone(client, make_entry):
    make_entry("Open Door", latitude=53.5, longitude=-2.2)
    make_entry("Far Away", latitude=51.5, longitude=-0.1)

    response = client.get(reverse("directory:map_results"), {"bbox": "-3,53,-2,54"})

    html = response.content.decode()
    assert "<html" not in html
    assert "Open Door" in html and "Far Away" not in html
    assert "1 entry in view" in html


def test_map_data_packs_every_public_position_and_kind(client, make_entry):
    make_entry("One", latitude=53.4808, longitude=-2.2426)
    second = make_entry("Two", kind=Entry.Kind.PRACTITIONER, latitude=51.5, longitude=-0.12)

    points = unpack(client.get(reverse("directory:map_data")).content)

    assert points[1] == (53.4808, -2.2426, "o", 1)
    assert points[0][2:] == ("p", 1)
    public_position = (second.public_latitude, second.public_longitude)
    assert points[0][:2] == pytest.approx(public_position, abs=1e-4)


def test_entries_at_one_spot_become_one_point_with_their_count(client, make_entry):
    for name in ["Ann", "Bob"]:
        make_entry(name, kind=Entry.Kind.PRACTITIONER, latitude=53.48081, longitude=-2.24261)
    make_entry("Hub", latitude=53.4808, longitude=-2.2426)

    points = unpack(client.get(reverse("directory:map_data")).content)

    kinds_and_counts = sorted(point[2:] for point in points)
    assert kinds_and_counts == [("o", 1), ("p", 2)]


def test_map_data_stays_compact(client, make_entry):
    for number in range(60):
        make_entry(f"Entry {number}", latitude=50 + number / 100, longitude=-5 + number / 70)

    response = client.get(reverse("directory:map_data"), HTTP_ACCEPT_ENCODING="gzip")

    assert len(response.content) < 60 * 8  # bytes a point, gzipped


def test_map_data_is_gzipped_when_the_client_accepts_it(client, make_entry):
    make_entry()

    response = client.get(reverse("directory:map_data"), HTTP_ACCEPT_ENCODING="gzip, br")

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]


def test_map_data_answers_304_to_a_conditional_request_until_the_directory_changes(
    client, make_entry
):
    entry = make_entry()
    etag = client.get(reverse("directory:map_data"))["ETag"]

    unchanged = client.get(reverse("directory:map_data"), HTTP_IF_NONE_MATCH=etag)
    lifecycle.withdraw(entry=entry)
    changed = client.get(reverse("directory:map_data"), HTTP_IF_NONE_MATCH=etag)

    assert unchanged.status_code == 304
    assert changed.status_code == 200
    assert unpack(changed.content) == []


def test_map_data_accepts_the_same_filters_as_the_map(client, make_entry):
    make_entry("Person", kind=Entry.Kind.PRACTITIONER)
    organisation = make_entry("Group", kind=Entry.Kind.ORGANISATION)

    response = client.get(reverse("directory:map_data"), {"kind": "organisation"})

    points = unpack(response.content)
    assert [point[:3] for point in points] == [
        (organisation.public_latitude, organisation.public_longitude, "o")
    ]


def point_of(entry) -> dict:
    return {"point_lat": entry.public_latitude, "point_lng": entry.public_longitude}


def test_a_point_gives_the_public_details_of_the_entries_there(client, make_entry):
    entry = make_entry("Open Door", summary="A warm welcome.")

    data = client.get(reverse("directory:map_point"), point_of(entry)).json()

    assert data == {
        "total": 1,
        "entries": [
            {
                "name": "Open Door",
                "kind": "organisation",
                "kind_label": "Organisation",
                "summary": "A warm welcome.",
                "place": "Manchester",
                "url": entry.get_absolute_url(),
                "demo": False,
            }
        ],
    }


def test_a_point_lists_only_entries_matching_the_maps_filters(client, make_entry):
    group = make_entry("Group", latitude=53.48, longitude=-2.24)
    make_entry("Person", kind=Entry.Kind.PRACTITIONER, latitude=53.48, longitude=-2.24)
    make_entry("Elsewhere", latitude=51.5, longitude=-0.12)

    data = client.get(
        reverse("directory:map_point"), point_of(group) | {"kind": "organisation"}
    ).json()

    assert [e["name"] for e in data["entries"]] == ["Group"]


def test_a_crowded_point_shows_ten_entries_and_counts_the_rest(client, make_entry):
    for number in range(13):
        entry = make_entry(f"Entry {number:02}", latitude=53.48, longitude=-2.24)

    data = client.get(reverse("directory:map_point"), point_of(entry)).json()

    assert (data["total"], len(data["entries"])) == (13, 10)


@pytest.mark.parametrize(
    "params", [{}, {"point_lat": "x", "point_lng": "1"}, {"point_lat": "91", "point_lng": "0"}]
)
def test_a_point_needs_valid_coordinates(client, params):
    assert client.get(reverse("directory:map_point"), params).status_code == 400


def test_profile_shows_public_details_links_to_filters_and_kindred(client, make_entry):
    entry = make_entry("Open Door", themes=["listening"], website="https://open.example")
    make_entry("Kindred Soul", themes=["listening"])

    response = client.get(entry.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Open Door" in html and "https://open.example" in html
    assert f"{reverse('directory:map')}?theme=listening" in html
    assert f"{reverse('directory:map')}?sector=health-and-care" in html
    assert "Kindred Soul" in html
    assert "hello@example.org" not in html


def test_profile_carries_schema_org_json_ld_with_public_fields_only(client, make_entry):
    entry = make_entry("Open Door", summary="</script><script>alert(1)</script>")

    html = client.get(entry.get_absolute_url()).content.decode()

    block = html.split('<script type="application/ld+json"', 1)[1].split(">", 1)[1]
    data = json.loads(block.split("</script>", 1)[0])
    assert data["@type"] == "Organization"
    assert data["name"] == "Open Door"
    assert data["description"] == "</script><script>alert(1)</script>"
    assert "email" not in json.dumps(data)


def test_demo_entries_say_so_on_their_profile(client, make_entry):
    entry = make_entry(is_demo=True)

    assert "demonstration entry" in client.get(entry.get_absolute_url()).content.decode()


def test_geojson_is_an_rfc7946_feature_collection_longitude_first(client, make_entry):
    entry = make_entry("Open Door", latitude=53.4808, longitude=-2.2426, themes=["listening"])

    response = client.get(reverse("directory:entries_geojson"))

    data = json.loads(response.content)
    assert response["Content-Type"] == "application/geo+json"
    assert data["type"] == "FeatureCollection"
    feature = data["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-2.2426, 53.4808]}
    assert feature["properties"]["name"] == "Open Door"
    assert feature["properties"]["themes"] == ["listening"]
    assert feature["properties"]["url"].endswith(entry.get_absolute_url())


def test_csv_holds_the_same_public_records(client, make_entry):
    make_entry("Open Door", themes=["listening", "food"])

    response = client.get(reverse("directory:entries_csv"))

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    assert rows[0]["name"] == "Open Door"
    assert rows[0]["themes"] == "food; listening"
    assert "contact_email" not in rows[0]


@pytest.mark.parametrize("url_name", ["directory:entries_geojson", "directory:entries_csv"])
def test_exports_answer_conditional_requests_and_may_be_cached(
    client, make_entry, changed_a_minute_ago, url_name
):
    make_entry()
    changed_a_minute_ago()
    first = client.get(reverse(url_name))

    repeat = client.get(reverse(url_name), HTTP_IF_NONE_MATCH=first["ETag"])

    by_date = client.get(reverse(url_name), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert "max-age=300" in first["Cache-Control"]
    assert repeat.status_code == 304
    assert by_date.status_code == 304


def test_feed_lists_newly_published_entries_as_atom(client, make_entry, settings):
    entry = make_entry("Open Door")

    response = client.get(reverse("directory:entries_feed"))

    root = ET.fromstring(response.content)
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [e.findtext(f"{atom}title") for e in root.findall(f"{atom}entry")]
    links = [e.find(f"{atom}link").get("href") for e in root.findall(f"{atom}entry")]
    assert titles == ["Open Door"]
    assert links == [settings.SITE_URL + entry.get_absolute_url()]


def test_sitemap_lists_public_entries_with_absolute_site_urls(client, make_entry, settings):
    entry = make_entry("Open Door")

    index = client.get(reverse("sitemap"))
    section = client.get("/sitemap-entries.xml")

    assert b"sitemap-entries.xml" in index.content
    assert f"{settings.SITE_URL}{entry.get_absolute_url()}".encode() in section.content


def test_embed_is_the_only_page_other_sites_may_frame(client):
    embed = client.get(reverse("directory:embed_map"))
    page = client.get(reverse("directory:map"))

    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_open_data_page_names_the_licence(client, settings):
    html = client.get(reverse("directory:open_data")).content.decode()

    assert settings.OPEN_DATA_LICENCE_URL in html
    assert reverse("directory:entries_geojson") in html


# sector, theme, count, page, the form's sectors, the directory's version (in production at
# most once a second) and the themes (once per version)
MAP_LIST_QUERIES = 7


def test_map_list_runs_a_constant_number_of_queries(client, make_entry, django_assert_num_queries):
    filters = {"sector": "health-and-care", "theme": "listening"}
    for number in range(3):
        make_entry(f"Entry {number}", themes=["listening"])
    with django_assert_num_queries(MAP_LIST_QUERIES):
        client.get(reverse("directory:map"), filters)
    for number in range(3, 40):
        make_entry(f"Entry {number}", themes=["listening"])
    with django_assert_num_queries(MAP_LIST_QUERIES):
        client.get(reverse("directory:map"), filters)


# The entry, its sectors, themes and shared resources, the directory's version, the count
# of public entries (once per version), the kindred spirits, the entry's upcoming
# gatherings and whether it has a public connection. An entry with resources
# takes one more, for their themes (see test_meeting.py).
# Two of these are the directory's version, which tests read at every call (the page cache
# asks first, then the kindred search); in production, at most once a second per process.
PROFILE_QUERIES = 10


def test_profile_runs_a_constant_number_of_queries(client, make_entry, django_assert_num_queries):
    entry = make_entry("Me", themes=["listening"])
    make_entry("Kindred", themes=["listening"])
    with django_assert_num_queries(PROFILE_QUERIES):
        client.get(entry.get_absolute_url())
    for number in range(30):
        make_entry(f"Kindred {number}", themes=["listening"])
    with django_assert_num_queries(PROFILE_QUERIES):
        client.get(entry.get_absolute_url())
