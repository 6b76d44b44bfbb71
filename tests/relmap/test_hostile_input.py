"""Hostile and broken requests: each is a 4xx or a normal page, never a 500, on SQLite and
PostgreSQL. tests/relmap/test_fuzz.py throws generated input at every form and query string;
these are the plain cases, one per problem found."""

import json
import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.private_links import manage_token

pytestmark = pytest.mark.django_db


def is_styled_error_page(response, code: int) -> bool:
    html = response.content.decode()
    return '<main id="main"' in html and f"Error {code}" in html


NUL_QUERIES = [
    ("directory:map", "q=a%00b"),
    ("directory:map", "sector=%00"),
    ("directory:map", "theme=%00"),
    ("directory:map", "near=Frome%00"),
    ("directory:map_results", "q=%00"),
    ("directory:map_data", "q=%00"),
    ("directory:map_data", "theme=%00"),
    ("directory:map_point", "sector=%00&point_lat=53.48&point_lng=-2.24"),
    ("directory:entries_geojson", "q=%00"),
    ("directory:entries_csv", "theme=%00"),
    ("directory:places", "q=%00"),
    ("directory:resources", "theme=%00"),
    ("directory:resources", "sector=%00"),
    ("stories:list", "sector=%00"),
    ("stories:list", "theme=%00"),
    ("stories:case_maker", "theme=%00"),
    ("stories:case_builder", "sector=%00"),
    ("directory:map", "%00=1"),  # in a parameter's name
]


@pytest.mark.parametrize(("url_name", "query"), NUL_QUERIES)
def test_a_nul_byte_in_the_query_string_is_a_styled_400(client, make_entry, url_name, query):
    make_entry()

    response = client.get(f"{reverse(url_name)}?{query}")

    assert response.status_code == 400
    assert is_styled_error_page(response, 400)
    assert "cannot accept" in response.content.decode()


def test_an_export_with_a_nul_byte_is_refused_before_it_starts(client, make_entry):
    make_entry()

    response = client.get(reverse("directory:entries_geojson") + "?q=Moston%00")

    # A refusal, not a 200 whose body breaks off part-way.
    assert response.status_code == 400
    assert not response.streaming


def test_a_nul_byte_in_a_form_is_a_styled_400_and_nothing_is_stored(client, make_entry):
    from directory.models import ContactMessage

    entry = make_entry()

    response = client.post(
        reverse("directory:contact", args=[entry.slug]),
        {"sender_name": "Ann\x00", "sender_email": "ann@example.org", "body": "Hello"},
    )

    assert response.status_code == 400
    assert is_styled_error_page(response, 400)
    assert not ContactMessage.objects.exists()


def test_an_admin_login_with_an_overlong_username_asks_to_correct_it(client):
    response = client.post(reverse("admin:login"), {"username": "a" * 300, "password": "x"})

    assert response.status_code == 200
    assert "Please correct" in response.content.decode()
    assert not AccessAttempt.objects.filter(username__startswith="aaa").exists()


def test_an_admin_login_with_the_longest_username_still_signs_in(client):
    name = "a" * get_user_model()._meta.get_field("username").max_length
    get_user_model().objects.create_superuser(name, "admin@example.org", "a long passphrase")

    response = client.post(
        reverse("admin:login"), {"username": name, "password": "a long passphrase"}
    )

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_body_over_the_limit_is_a_styled_413(client, settings):
    too_big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = client.post(
        reverse("directory:manage_request"),
        f"email={too_big}",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 413
    assert is_styled_error_page(response, 413)
    assert "larger than any of our forms" in response.content.decode()


def test_a_form_with_more_fields_than_any_of_ours_is_a_styled_400(client, settings):
    fields = "&".join(f"f{n}=x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))

    response = client.post(
        reverse("directory:manage_request"),
        fields,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert "more parts than any" in response.content.decode()


def test_a_file_upload_is_refused_since_no_form_takes_one(client):
    body = (
        "--boundary\r\n"
        'Content-Disposition: form-data; name="email"; filename="a.txt"\r\n'
        "Content-Type: text/plain\r\n\r\nhello\r\n--boundary--\r\n"
    )

    response = client.post(
        reverse("directory:manage_request"),
        body,
        content_type="multipart/form-data; boundary=boundary",
    )

    assert response.status_code == 400


def test_a_body_as_large_as_our_largest_form_is_still_read(client):
    # The largest form is a story with five sections of up to 8,000 characters, in the admin;
    # outside ASCII, each character takes nine bytes percent-encoded.
    sections = {f"sections-{n}-text": "é" * 8000 for n in range(5)}

    response = client.post(reverse("directory:manage_request"), {"email": "no"} | sections)

    assert response.status_code == 200
    assert response.context["form"].errors["email"]


@pytest.mark.parametrize("url_name", ["home", "directory:map_data", "stories:list", "admin:login"])
def test_every_response_turns_off_browser_features_the_site_never_uses(client, url_name):
    policy = client.get(reverse(url_name))["Permissions-Policy"]

    features = dict(part.strip().split("=") for part in policy.split(","))
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert features[feature] == "()", feature
    # The case maker's copy button writes to the clipboard.
    assert features["clipboard-write"] == "(self)"


def test_error_pages_carry_the_permissions_policy_too(client):
    assert "camera=()" in client.get("/no-such-page/")["Permissions-Policy"]
    assert "camera=()" in client.get("/map/?q=%00")["Permissions-Policy"]


def test_no_script_asks_for_the_visitors_location(settings):
    # The policy turns geolocation off; a script that wants it must turn it back on there.
    for path in (settings.BASE_DIR / "static" / "js").glob("*.js"):
        assert "geolocation" not in path.read_text(), path


def test_a_forged_forwarded_address_is_not_taken_as_the_visitors(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    response = client.post(
        reverse("directory:manage_request"),
        {"email": "ann@example.org"},
        HTTP_X_FORWARDED_FOR="not-an-address",
    )

    # Rate limits read the address: a forged one must not break them.
    assert response.status_code == 302


def pages_with_the_database_at(database_url: str, paths: list[str]) -> dict[str, dict]:
    """Each path's status, Retry-After and body, served in a fresh interpreter whose database
    is out of reach (production error handling: DEBUG off, as in the tests)."""
    code = (
        "import json, sys, django; django.setup();"
        "from django.conf import settings; settings.DEBUG = False;"
        "from django.test import Client; client = Client(raise_request_exception=False);"
        "responses = {path: client.get(path) for path in sys.argv[1:]};"
        "print(json.dumps({path: {'status': r.status_code, 'retry_after': r.get('Retry-After'),"
        " 'body': r.content.decode()} for path, r in responses.items()}))"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "relmap.settings",
        "DJANGO_DEBUG": "1",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": database_url,
    }
    inherited = {name: os.environ[name] for name in ["PATH", "HOME"] if name in os.environ}
    result = subprocess.run(
        [sys.executable, "-c", code, *paths],
        cwd=django_settings.BASE_DIR,
        env=inherited | env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


PAGES_NEEDING_THE_DATABASE = [
    "/",
    "/map/",
    "/map/data.json",
    "/entries/moston-neighbours/",
    "/stories/",
    "/case-maker/",
    "/resources/",
]


@pytest.mark.parametrize(
    "database_url",
    [
        # Port 9 (discard) on loopback: nothing listens, so the connection is refused.
        "postgres://nobody@127.0.0.1:9/nothing?connect_timeout=2",
        # A volume that is not mounted: SQLite cannot open the file.
        "sqlite:////nonexistent-volume/relmap/db.sqlite3",
    ],
    ids=["postgresql", "sqlite"],
)
def test_pages_answer_503_with_retry_after_while_the_database_is_unreachable(database_url):
    pages = pages_with_the_database_at(database_url, [*PAGES_NEEDING_THE_DATABASE, "/healthz"])

    for path in PAGES_NEEDING_THE_DATABASE:
        assert pages[path]["status"] == 503, path
        assert int(pages[path]["retry_after"]) > 0, path
        assert "Error 503" in pages[path]["body"], path
        assert "try again shortly" in pages[path]["body"], path
    assert pages["/healthz"]["status"] == 503


def test_other_server_errors_are_still_a_styled_500(rf):
    from relmap.views import server_error

    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Error 500" in response.content.decode()


def join_form_with_themes(sector, themes: str) -> dict[str, str]:
    from tests.directory.conftest import started

    return {
        "kind": "practitioner", "name": "Pat Jones", "summary": "I help neighbours.",
        "sectors": str(sector.pk), "themes": themes, "place_name": "Frome",
        "contact_email": "pat@example.org", "consent": "on", "started": started(),
    }  # fmt: skip


@pytest.mark.parametrize("theme", ["a" * 101, "ﬀ" * 51], ids=["long name", "long slug"])
def test_a_theme_too_long_to_store_is_a_field_error_on_joining(client, make_sector, theme):
    # Found by the fuzz (tests/relmap/test_fuzz.py): a 500 on PostgreSQL.
    from directory.models import Entry

    response = client.post(
        reverse("directory:join"), join_form_with_themes(make_sector(), f"listening, {theme}")
    )

    assert response.status_code == 200
    assert "to 50 characters or fewer" in str(response.context["form"].errors["themes"])
    assert theme in response.content.decode()  # what was typed is kept
    assert not Entry.objects.exists()


def test_a_theme_too_long_to_store_is_a_field_error_on_sharing_a_resource(client, make_entry):
    from directory.models import Resource

    entry = make_entry()
    token = manage_token(entry)
    form = {
        "resources-TOTAL_FORMS": "1", "resources-INITIAL_FORMS": "0",
        "resources-MIN_NUM_FORMS": "0", "resources-MAX_NUM_FORMS": "5",
        "resources-0-title": "A guide", "resources-0-url": "https://guide.example",
        "resources-0-themes": "a" * 101,
    }  # fmt: skip

    response = client.post(reverse("directory:manage_resources", args=[token]), form)

    assert response.status_code == 200
    assert "to 50 characters or fewer" in response.content.decode()
    assert not Resource.objects.exists()


@pytest.mark.parametrize("sector", ["9" * 30, "-" + "9" * 30, str(2**63)])
def test_a_sector_number_no_database_can_hold_is_a_field_error(client, make_sector, sector):
    # Found by the fuzz: an OverflowError (a 500) on SQLite.
    from directory.models import Entry

    form = join_form_with_themes(make_sector(), "listening") | {"sectors": sector}

    response = client.post(reverse("directory:join"), form)

    assert response.status_code == 200
    assert response.context["form"].errors["sectors"]
    assert not Entry.objects.exists()
