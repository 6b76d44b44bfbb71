"""The entry form as people fill it in, to join or to edit: which fields are optional, what
each error says, and the fields that apply to organisations only."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from directory.models import Entry
from tests.private_links import manage_path

from .test_owner_journeys import owner_edit

pytestmark = pytest.mark.django_db

OPTIONAL = {
    "description": "Description",
    "inspiration": "What inspires your practice",
    "themes": "Themes",
    "organisation_type": "Organisation type",
    "website": "Website",
    "links": "Other links",
}


@pytest.mark.parametrize("page", ["join", "edit"])
def test_optional_fields_say_so_in_their_label_and_required_ones_do_not(client, make_entry, page):
    address = {
        "join": lambda: reverse("directory:join"),
        "edit": lambda: manage_path(make_entry("Open Door"), "directory:manage_edit"),
    }[page]()

    html = client.get(address).content.decode()

    for name, label in OPTIONAL.items():
        assert f'for="id_{name}">{label} <span class="optional">(optional)</span></label>' in html
    for name, label in [("name", "Name"), ("summary", "Summary"), ("place_name", "Town")]:
        assert f'for="id_{name}">{label}' in html
    assert html.count('<span class="optional">') == len(OPTIONAL)
    assert "Sectors</legend>" in html and "Kind</legend>" in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"kind": ""},
            "kind",
            "Please choose whether you are joining as a practitioner or an organisation.",
        ),
        (
            {"kind": "robot"},
            "kind",
            "Please choose whether you are joining as a practitioner or an organisation.",
        ),
        ({"name": ""}, "name", "Please give your name, or your organisation's."),
        (
            {"name": "x" * 125},
            "name",
            "Please shorten this to 120 characters or fewer: it has 125 now.",
        ),
        (
            {"summary": ""},
            "summary",
            "Please write a sentence or two about what you do, and for whom.",
        ),
        (
            {"summary": "x" * 300},
            "summary",
            "Please shorten this to 280 characters or fewer: it has 300 now.",
        ),
        (
            {"description": "x" * 5001},
            "description",
            "Please shorten this to 5000 characters or fewer: it has 5001 now.",
        ),
        ({"sectors": []}, "sectors", "Please choose at least one sector you work in."),
        ({"sectors": ["999"]}, "sectors", "Please choose sectors from the list."),
        (
            {"kind": "organisation", "organisation_type": "cult"},
            "organisation_type",
            "Please choose an organisation type from the list.",
        ),
        (
            {"contact_email": ""},
            "contact_email",
            "Please give your email address: we need it to confirm your entry, and we never "
            "show it.",
        ),
        (
            {"contact_email": "pat at example"},
            "contact_email",
            "“pat at example” is not an email address. Please check it: it should look like "
            "name@example.org.",
        ),
        (
            {"website": "javascript:alert(1)"},
            "website",
            "“javascript:alert(1)” is not a web address. Please give one starting with https:// "
            "or http://, such as https://example.org.",
        ),
        (
            {"links": "ftp://files.example"},
            "links",
            "“ftp://files.example” is not a web address. Please give one starting with https:// "
            "or http://, such as https://example.org.",
        ),
        (
            {"links": "\n".join(f"https://{n}.example" for n in range(6))},
            "links",
            "Please give at most 4 links: you gave 6.",
        ),
        (
            {"links": "https://example.org/" + "x" * 300},
            "links",
            "Please keep each link to 300 characters or fewer: “https://example.org/xxxxxxxxxx…” "
            "has 320.",
        ),
        (
            {"themes": ", ".join(f"theme {n}" for n in range(12))},
            "themes",
            "Please give at most 10 themes: you gave 12.",
        ),
        (
            {"themes": "y" * 60},
            "themes",
            "Please keep each theme to 50 characters or fewer: “yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy…” "
            "has 60.",
        ),
        (
            {"place_name": "Xyzzyville"},
            "place_name",
            "We could not find “Xyzzyville”. Try a nearby town, the first half of a postcode "
            "(such as BA11), or pick the point on the map.",
        ),
        (
            {"place_name": ""},
            "place_name",
            "Please type a town or postcode, or pick your place on the map.",
        ),
    ],
)
def test_each_error_says_what_is_wrong_and_how_to_put_it_right(
    client, join_data, changes, field, message
):
    response = client.post(reverse("directory:join"), join_data(**changes))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    label = response.context["form"][field].label
    html = response.content.decode()
    assert escape(f"{label}: {message}") in html  # in the summary, which links to the field
    assert "My grandmother." in html  # everything typed elsewhere is kept
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("kind", "stored"),
    [
        ("practitioner", ("", True)),  # the organisations' questions do not apply: ignored
        ("organisation", ("charity", False)),
    ],
)
def test_the_organisations_questions_are_kept_only_for_organisations(
    client, join_data, kind, stored
):
    client.post(
        reverse("directory:join"),
        join_data(kind=kind, organisation_type="charity", show_exact_location=""),
    )

    entry = Entry.objects.get()
    assert (entry.organisation_type, entry.show_exact_location) == stored


def test_a_practitioner_s_edit_of_organisation_only_fields_changes_nothing(client, make_entry):
    entry = make_entry("Pat Jones", kind=Entry.Kind.PRACTITIONER, show_exact_location=True)

    response = owner_edit(client, entry, organisation_type="charity", show_exact_location="")

    assert Entry.objects.get().held_changes is None
    assert "You did not change anything" in response.content.decode()


@pytest.mark.parametrize("page", ["join", "edit"])
def test_the_organisation_only_fields_are_marked_for_the_script_that_hides_them(
    client, make_entry, page
):
    address = {
        "join": lambda: reverse("directory:join"),
        "edit": lambda: manage_path(make_entry("Open Door"), "directory:manage_edit"),
    }[page]()

    html = client.get(address).content.decode()

    assert html.count("data-organisations-only") == 2
    assert '<script src="/static/js/entry-form.js"' in html
    assert "their organisation type and whether to show their exact location" in html
