"""An entry's network page: who it works with and who they work with in turn, as nested
lists that need no script, from Connection.objects.public() only."""

import json

import pytest
from django.urls import reverse

from directory import lifecycle
from directory.mapdata.connections import SECOND_STEP_ENTRIES
from directory.models import Connection, Entry
from tests.network import connect

pytestmark = pytest.mark.django_db

NETWORK_LINK = "See who they work with, two steps out"


def network_url(entry) -> str:
    return reverse("directory:entry_network", kwargs={"slug": entry.slug})


def network_of(client, entry) -> str:
    response = client.get(network_url(entry))
    assert response.status_code == 200
    return response.content.decode()


def map_data(client, entry) -> dict:
    response = client.get(network_url(entry))
    return json.loads(
        response.content.decode()
        .split('id="network-map-data" type="application/json">')[1]
        .split("</script>")[0]
    )


@pytest.fixture
def chain(make_entry):
    """Moston works with Salford, which works with Leigh, which works with Wigan: Leigh is two
    steps from Moston and Wigan three."""
    names = ["Moston Neighbours", "Salford Sharers", "Leigh Listeners", "Wigan Welcomers"]
    entries = [make_entry(name) for name in names]
    connect(entries[0], entries[1], phrase="we run a lunch club together")
    connect(entries[2], entries[1], kind=Connection.Kind.REFERRALS)
    connect(entries[2], entries[3])
    return entries


def test_the_network_lists_both_steps_nested_and_nothing_further(client, chain):
    moston, salford, leigh, wigan = chain

    html = network_of(client, moston)

    assert "One step out: 1 entry works with Moston Neighbours" in html
    assert "We work in partnership: “we run a lunch club together”" in html
    assert "Two steps out, through Salford Sharers:" in html
    assert html.index(salford.name) < html.index("Two steps out, through") < html.index(leigh.name)
    assert "We refer people to each other" in html
    assert f'href="{leigh.get_absolute_url()}"' in html
    assert wigan.name not in html


def test_a_proposed_connection_or_one_to_an_entry_not_public_is_left_out(client, make_entry):
    moston = make_entry("Moston Neighbours")
    salford = make_entry("Salford Sharers")
    connect(moston, salford)
    connect(moston, make_entry("Waiting Partner"), confirmed=False)
    connect(salford, make_entry("Hidden Helpers", status=Entry.Status.AWAITING_REVIEW))
    connect(salford, make_entry("Asked Later"), confirmed=False)

    html = network_of(client, moston)

    for absent in ["Waiting Partner", "Hidden Helpers", "Asked Later", "Two steps out, through"]:
        assert absent not in html


def test_neighbours_of_one_another_stay_one_step_out(client, make_entry):
    moston, salford, leigh = (make_entry(name) for name in ["Moston", "Salford", "Leigh"])
    connect(moston, salford)
    connect(moston, leigh)
    connect(salford, leigh)

    html = network_of(client, moston)

    assert "One step out: 2 entries work with Moston" in html
    assert "Two steps out, through" not in html


def test_only_public_entries_have_a_network_page(client, make_entry):
    pending = make_entry("Waiting", status=Entry.Status.AWAITING_REVIEW)
    connect(make_entry("Moston Neighbours"), pending)

    assert client.get(network_url(pending)).status_code == 404
    missing = reverse("directory:entry_network", kwargs={"slug": "nobody"})
    assert client.get(missing).status_code == 404


def test_an_entry_nobody_works_with_yet_says_so(client, make_entry):
    html = network_of(client, make_entry("Moston Neighbours"))

    assert "Nobody has confirmed yet that they work with Moston Neighbours." in html
    assert 'id="network-map"' not in html


def test_past_the_bound_the_page_says_how_many_entries_two_steps_out_it_leaves_out(
    client, make_entry
):
    moston, salford = make_entry("Moston"), make_entry("Salford")
    connect(moston, salford)
    for number in range(SECOND_STEP_ENTRIES + 3):
        connect(salford, make_entry(f"Further {number:02}"))

    html = network_of(client, moston)

    assert html.count('">Further ') == SECOND_STEP_ENTRIES
    assert (
        f"There are {SECOND_STEP_ENTRIES + 3} entries two steps out; "
        f"this page shows {SECOND_STEP_ENTRIES} of them." in html
    )


# The directory's version (for the page cache), the entry, its connections, their
# connections, and, only when there are more entries two steps out than the page shows, how
# many there are.
NETWORK_QUERIES = 5


def test_the_network_runs_a_bounded_number_of_queries_however_large_it_is(
    client, make_entry, django_assert_max_num_queries
):
    moston, salford = make_entry("Moston"), make_entry("Salford")
    connect(moston, salford)
    connect(salford, make_entry("Leigh"))
    with django_assert_max_num_queries(NETWORK_QUERIES - 1):
        network_of(client, moston)
    for number in range(8):
        near = make_entry(f"Near {number}")
        connect(moston, near)
        for further in range(8):
            connect(near, make_entry(f"Further {number}-{further}"))

    with django_assert_max_num_queries(NETWORK_QUERIES):
        html = network_of(client, moston)

    assert "One step out: 9 entries work with Moston" in html
    assert html.count('">Further ') == SECOND_STEP_ENTRIES


def test_the_small_map_shows_practitioners_at_their_public_point_only(client, make_entry):
    practitioner = make_entry(
        "Ann Practitioner", kind=Entry.Kind.PRACTITIONER, latitude=53.44401, longitude=-2.22003
    )
    moston = make_entry("Moston Neighbours", latitude=53.51, longitude=-2.19)
    connect(moston, practitioner)

    data = map_data(client, moston)

    ann = next(point for point in data["points"] if point["name"] == "Ann Practitioner")
    assert (ann["latitude"], ann["longitude"]) == (
        practitioner.public_latitude,
        practitioner.public_longitude,
    )
    assert "53.44401" not in json.dumps(data)
    assert data["lines"] == [
        [53.51, -2.19, practitioner.public_latitude, practitioner.public_longitude, 1]
    ]


def test_the_profile_links_to_the_network_only_when_the_entry_has_a_public_connection(
    client, make_entry
):
    moston, salford = make_entry("Moston Neighbours"), make_entry("Salford Sharers")
    proposed = connect(moston, salford, confirmed=False)
    assert NETWORK_LINK not in client.get(moston.get_absolute_url()).content.decode()

    proposed.status = Connection.Status.CONFIRMED
    proposed.save()
    connect(make_entry("Leigh Listeners"), make_entry("Wigan Welcomers"))  # moves the version

    html = client.get(moston.get_absolute_url()).content.decode()
    assert NETWORK_LINK in html
    assert f'href="{network_url(moston)}"' in html


def test_withdrawing_an_entry_takes_it_off_the_map_and_out_of_its_partners_network(
    client, make_entry
):
    moston = make_entry("Moston Neighbours", latitude=53.51, longitude=-2.19)
    salford = make_entry("Salford Sharers", latitude=53.4875, longitude=-2.2901)
    leigh = make_entry("Leigh Listeners", latitude=53.4975, longitude=-2.5190)
    connect(moston, salford)
    connect(salford, leigh)
    in_view = {"bbox": "-3,53,-2,54"}
    assert len(client.get(reverse("directory:map_connections"), in_view).json()["lines"]) == 2

    lifecycle.withdraw(entry=salford)

    assert Connection.objects.filter(proposer=moston, partner=salford).exists()  # kept, hidden
    assert client.get(reverse("directory:map_connections"), in_view).json()["lines"] == []
    assert "Nobody has confirmed yet that they work with Moston Neighbours." in network_of(
        client, moston
    )
    assert "Salford Sharers" not in network_of(client, leigh)
    assert client.get(network_url(salford)).status_code == 404
    assert NETWORK_LINK not in client.get(moston.get_absolute_url()).content.decode()
