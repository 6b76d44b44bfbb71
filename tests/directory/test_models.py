import pytest
from django.db import IntegrityError, transaction

from directory.models import Entry, snap_to_grid

pytestmark = pytest.mark.django_db

NOT_PUBLISHED = [status for status in Entry.Status.values if status != Entry.Status.PUBLISHED]


def test_public_holds_only_published_entries(make_entry):
    published = make_entry("Open Door")
    for status in NOT_PUBLISHED:
        make_entry(f"Hidden {status}", status=status)

    assert list(Entry.objects.public()) == [published]


@pytest.mark.parametrize("status", Entry.Status.values)
def test_is_published_mirrors_the_queryset_rule(make_entry, status):
    entry = make_entry(status=status)

    assert entry.is_published == Entry.objects.public().filter(pk=entry.pk).exists()


def test_practitioners_are_shown_on_a_grid_never_at_their_exact_point(make_entry):
    entry = make_entry(kind=Entry.Kind.PRACTITIONER, latitude=53.523456, longitude=-2.176543)

    assert (entry.public_latitude, entry.public_longitude) != (entry.latitude, entry.longitude)
    assert abs(entry.public_latitude - entry.latitude) < 0.009
    assert abs(entry.public_longitude - entry.longitude) < 0.016


def test_snapping_is_stable_for_nearby_points_in_one_cell():
    first = snap_to_grid(51.50701, -0.12801, km=1.0)
    second = snap_to_grid(51.50702, -0.12802, km=1.0)

    assert first == second
    assert snap_to_grid(*first, km=1.0) == first  # the centre stays in its own cell


def test_organisations_show_their_exact_point_unless_they_chose_approximate(make_entry):
    exact = make_entry("Exact", latitude=51.507, longitude=-0.128)
    approximate = make_entry("Approx", latitude=51.507, longitude=-0.128, show_exact_location=False)

    assert (exact.public_latitude, exact.public_longitude) == (51.507, -0.128)
    assert (approximate.public_latitude, approximate.public_longitude) != (51.507, -0.128)


def test_public_location_follows_a_moved_entry(make_entry):
    entry = make_entry(latitude=51.507, longitude=-0.128)
    entry.latitude, entry.longitude = 53.4808, -2.2426
    entry.save(update_fields=["latitude", "longitude"])
    entry.refresh_from_db()

    assert (entry.public_latitude, entry.public_longitude) == (53.4808, -2.2426)


def test_slugs_are_unique_and_stable(make_entry):
    first = make_entry("Open Door")
    second = make_entry("Open Door")
    first.name = "Open Door Renamed"
    first.save()

    assert (first.slug, second.slug) == ("open-door", "open-door-2")


def test_publishing_stamps_the_publication_time_once(make_entry):
    entry = make_entry(status=Entry.Status.AWAITING_REVIEW)
    assert entry.published_at is None

    entry.status = Entry.Status.PUBLISHED
    entry.save()
    stamped = entry.published_at
    entry.save()

    assert stamped is not None and entry.published_at == stamped


@pytest.mark.parametrize(
    "fields",
    [{"latitude": 91}, {"latitude": -90.5}, {"longitude": 180.1}, {"status": "secret"}],
)
def test_database_rejects_impossible_values(make_entry, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_entry(**fields)


def test_near_orders_nearest_first_and_respects_the_radius(make_entry):
    manchester = make_entry("Manchester", latitude=53.4808, longitude=-2.2426)
    stockport = make_entry("Stockport", latitude=53.4106, longitude=-2.1575)
    london = make_entry("London", latitude=51.5072, longitude=-0.1276)

    nearest_first = Entry.objects.public().near(latitude=53.48, longitude=-2.24)
    within_30km = Entry.objects.public().near(latitude=53.48, longitude=-2.24, radius_km=30)

    assert list(nearest_first) == [manchester, stockport, london]
    assert list(within_30km) == [manchester, stockport]


def test_matching_finds_words_in_any_public_text_field_and_themes(make_entry):
    gardeners = make_entry("Green Fingers", summary="Growing food together.", themes=["gardening"])
    make_entry("Tea Club", summary="Tea and talk.", place_name="Frome")

    assert list(Entry.objects.matching("growing")) == [gardeners]
    assert list(Entry.objects.matching("GARDENING")) == [gardeners]
    assert [e.name for e in Entry.objects.matching("frome tea")] == ["Tea Club"]
    assert list(Entry.objects.matching("growing frome")) == []


def test_filters_chain(make_entry, make_sector):
    arts = make_sector("Arts and culture")
    match = make_entry("Painters", kind=Entry.Kind.PRACTITIONER, sectors=[arts], themes=["murals"])
    make_entry("Sculptors", kind=Entry.Kind.ORGANISATION, sectors=[arts], themes=["murals"])
    make_entry("Singers", kind=Entry.Kind.PRACTITIONER, themes=["murals"])

    found = (
        Entry.objects.public().of_kind(Entry.Kind.PRACTITIONER).in_sector(arts).with_theme("murals")
    )

    assert list(found) == [match]


def test_in_bounds_keeps_entries_inside_the_box(make_entry):
    inside = make_entry("Inside", latitude=53.5, longitude=-2.2)
    make_entry("Outside", latitude=51.5, longitude=-0.1)

    found = Entry.objects.in_bounds(south=53, west=-3, north=54, east=-2)

    assert list(found) == [inside]


def test_kindred_share_a_sector_or_theme_are_public_and_nearest_first(make_entry, make_sector):
    health, arts = make_sector("Health and care"), make_sector("Arts and culture")
    entry = make_entry("Me", sectors=[health], themes=["listening"])
    near_theme = make_entry("Near", sectors=[arts], themes=["listening"], latitude=53.49)
    far_sector = make_entry("Far", sectors=[health], latitude=51.5, longitude=-0.12)
    make_entry("Unrelated", sectors=[arts], latitude=53.481)
    make_entry("Hidden", sectors=[health], status=Entry.Status.AWAITING_REVIEW)

    kindred = Entry.objects.public().kindred_to(entry, within_km=None)

    assert list(kindred) == [near_theme, far_sector]


def test_kindred_are_sought_only_as_far_as_asked(make_entry):
    entry = make_entry("Me", themes=["listening"])
    near = make_entry("Near", themes=["listening"], latitude=53.49)
    make_entry("Far", themes=["listening"], latitude=51.5, longitude=-0.12)

    kindred = Entry.objects.public().kindred_to(entry, within_km=50)

    assert list(kindred) == [near]
