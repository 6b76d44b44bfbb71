"""The connections as lines on the map: /map/connections.json for the part of the map in
view, read from Connection.objects.public() once per version of the directory."""

import pytest
from django.urls import reverse

from directory.forms.filters import Bounds
from directory.mapdata.connections import MAX_LINES, public_line_index
from directory.models import Connection, ContentVersion, Entry
from tests.network import connect

pytestmark = pytest.mark.django_db

MANCHESTER = (53.4808, -2.2426)
SALFORD = (53.4875, -2.2901)
FROME = (51.2283, -2.3221)
# Around Greater Manchester, as the map sends it: west,south,east,north.
MANCHESTER_BOX = "-2.6,53.3,-2.0,53.6"


@pytest.fixture
def placed(make_entry):
    def place(name, point, **fields):
        return make_entry(name, latitude=point[0], longitude=point[1], **fields)

    return place


def lines_for(client, bbox=MANCHESTER_BOX) -> dict:
    response = client.get(reverse("directory:map_connections"), {"bbox": bbox})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def in_degrees(answer: dict) -> list[tuple]:
    scale = answer["scale"]
    return [
        (lat1 / scale, lng1 / scale, lat2 / scale, lng2 / scale, kind)
        for lat1, lng1, lat2, lng2, kind in answer["lines"]
    ]


def test_a_confirmed_connection_in_view_is_a_line_between_its_entries(client, placed):
    connect(placed("Moston Neighbours", MANCHESTER), placed("Salford Sharers", SALFORD))

    answer = lines_for(client)

    assert in_degrees(answer) == [(*MANCHESTER, *SALFORD, "partners")]
    assert answer["total"] == 1
    assert answer["kinds"]["partners"] == "We work in partnership"


def test_a_line_with_one_end_in_view_is_sent_and_one_with_neither_is_not(client, placed):
    manchester, frome = placed("Moston Neighbours", MANCHESTER), placed("Frome Friends", FROME)
    connect(manchester, frome, kind=Connection.Kind.LEARNING)
    connect(frome, placed("Bath Befrienders", (51.3811, -2.3590)))

    assert in_degrees(lines_for(client)) == [(*MANCHESTER, *FROME, "learning")]


def test_a_proposed_connection_is_never_a_line(client, placed):
    connect(
        placed("Moston Neighbours", MANCHESTER), placed("Salford Sharers", SALFORD), confirmed=False
    )

    assert lines_for(client)["lines"] == []


def test_a_connection_to_an_entry_that_is_not_public_is_never_a_line(client, placed):
    manchester = placed("Moston Neighbours", MANCHESTER)
    connect(manchester, placed("Salford Sharers", SALFORD, status=Entry.Status.AWAITING_REVIEW))
    connect(
        manchester, placed("Leigh Listeners", (53.4975, -2.5190), status=Entry.Status.WITHDRAWN)
    )

    assert lines_for(client)["lines"] == []


def test_a_practitioners_end_is_its_public_point_never_where_they_are(client, placed):
    practitioner = placed("Ann Practitioner", (53.44401, -2.22003), kind=Entry.Kind.PRACTITIONER)
    connect(practitioner, placed("Moston Neighbours", MANCHESTER))

    ((lat1, lng1, *_rest),) = in_degrees(lines_for(client))

    assert (lat1, lng1) == pytest.approx(
        (practitioner.public_latitude, practitioner.public_longitude), abs=1e-4
    )
    assert (lat1, lng1) != pytest.approx((53.44401, -2.22003), abs=1e-4)


def test_a_connection_ended_leaves_the_map_on_revalidation(client, placed):
    connection = connect(
        placed("Moston Neighbours", MANCHESTER), placed("Salford Sharers", SALFORD)
    )
    url = reverse("directory:map_connections") + f"?bbox={MANCHESTER_BOX}"
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    connection.delete()
    ContentVersion.bump(ContentVersion.Scope.DIRECTORY)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again.json()["lines"] == []
    assert "no-cache" in again["Cache-Control"]


def test_the_lines_are_read_once_per_version_of_the_directory(placed, django_assert_num_queries):
    connect(placed("Moston Neighbours", MANCHESTER), placed("Salford Sharers", SALFORD))
    first = public_line_index()

    with django_assert_num_queries(1):  # the version check, which tests run at every call
        assert public_line_index() is first

    connect(placed("Frome Friends", FROME), placed("Bath Befrienders", (51.3811, -2.3590)))
    assert len(public_line_index().lines) == 2


def test_past_the_cap_the_shortest_lines_are_kept_and_the_total_says_how_many(placed):
    hub = placed("Moston Neighbours", MANCHESTER)
    for number, far in enumerate([0.02, 0.3, 0.1, 0.05]):
        connect(hub, placed(f"Partner {number}", (MANCHESTER[0] + far, MANCHESTER[1])))
    bounds = Bounds(south=53.3, west=-2.6, north=53.9, east=-2.0)

    total, lines = public_line_index().count_and_lines_in(bounds, limit=2)

    assert total == 4
    assert [round(line.lat2 / 10_000 - MANCHESTER[0], 2) for line in lines] == [0.02, 0.05]


def test_the_answer_says_how_many_lines_it_holds_at_most(client):
    assert lines_for(client)["limit"] == MAX_LINES


@pytest.mark.parametrize(
    ("bbox", "message"),
    [
        (None, "bbox is required"),
        ("", "bbox is required"),
        ("-2.6,53.3,-2.0", "bbox must be four numbers"),
        ("west,south,east,north", "bbox must be four numbers"),
        ("-2.6,53.3,-2.0,95", "bbox is out of range"),
        ("-2.0,53.3,-2.6,53.6", "west not greater than east"),
    ],
)
def test_a_malformed_box_is_a_400_that_says_what_is_wrong(client, bbox, message):
    params = {} if bbox is None else {"bbox": bbox}

    response = client.get(reverse("directory:map_connections"), params)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_head_answers_as_get_does(client, placed):
    connect(placed("Moston Neighbours", MANCHESTER), placed("Salford Sharers", SALFORD))
    url = reverse("directory:map_connections") + f"?bbox={MANCHESTER_BOX}"

    got, head = client.get(url), client.head(url)

    assert head.status_code == got.status_code == 200
    assert head["ETag"] == got["ETag"]
    assert head.content == b""
