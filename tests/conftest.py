import os
import shutil
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.utils.text import slugify

# The fuzz's closing line, summed over the workers when the suite runs on several cores.
from tests.fuzz_summary import (  # noqa: F401
    pytest_sessionfinish,
    pytest_terminal_summary,
    pytest_testnodedown,
)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the test database is a file (one per test process), as the site's own is,
    rather than Django's in-memory one. An in-memory database has a single connection, which
    the live server then shares between every thread answering the browser's requests at
    once; SQLite connections are not made for that, and now and then a request failed (a
    503 from a map page's data). With a file, each thread has its own connection, as in
    production."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        test_database = tmp_path_factory.getbasetemp() / "relmap-test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(test_database)


@pytest.fixture(autouse=True)
def test_settings(settings):
    """Every test sees its own writes at once: no content version memo, empty caches."""
    from relmap.pagecache import recent_pages

    settings.VERSION_CHECK_SECONDS = 0
    cache.clear()
    recent_pages.clear()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Passwords hashed in a blink: the real hasher is slow on purpose, and tests that sign in
    or create users would spend most of their time in it. The site's processes started by
    the fault tests keep the real one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def save_published(db):
    """Save a change to something the public sees as the admin does: the row, then the
    version of its part of the site moved forward (directory.models.ContentVersion)."""
    from directory.models import ContentVersion

    def save(row, scope=ContentVersion.Scope.DIRECTORY):
        row.save()
        ContentVersion.bump(scope)

    return save


@pytest.fixture
def changed_a_minute_ago(db):
    """As if the site's content last changed a minute ago, so that outputs carry a
    Last-Modified a client can revalidate with (a change less than a second old has none)."""
    from datetime import timedelta

    from django.utils import timezone

    from directory.models import ContentVersion

    def backdate():
        ContentVersion.objects.update(changed_at=timezone.now() - timedelta(minutes=1))

    return backdate


@pytest.fixture
def make_sector(db):
    from directory.models import Sector

    def make(name="Health and care", **fields):
        slug = fields.pop("slug", name.lower().replace(" ", "-"))
        return Sector.objects.get_or_create(slug=slug, defaults={"name": name, **fields})[0]

    return make


@pytest.fixture
def make_entry(db, make_sector):
    """An entry, published unless told otherwise, in one sector, with optional themes. Like
    every change to the directory, it moves the directory's version forward."""
    from directory.models import ContentVersion, Entry

    def make(name="Moston Neighbours", *, sectors=None, themes=(), **fields):
        values = {
            "kind": Entry.Kind.ORGANISATION,
            "summary": f"{name} brings neighbours together.",
            "place_name": "Manchester",
            "region": "England",
            "latitude": 53.4808,
            "longitude": -2.2426,
            "contact_email": "hello@example.org",
            "status": Entry.Status.PUBLISHED,
        } | fields
        entry = Entry.objects.create(name=name, **values)
        entry.sectors.set(sectors if sectors is not None else [make_sector()])
        if themes:
            entry.themes.set(list(themes))
        ContentVersion.bump(ContentVersion.Scope.DIRECTORY)
        return entry

    return make


@pytest.fixture
def make_story(db, make_sector):
    """A story, published unless told otherwise, in one sector, with one section. Like
    every change to the stories, it moves their version forward."""
    from directory.models import ContentVersion
    from stories.models import Story, StorySection

    def make(
        title="Walking alongside",
        *,
        sectors=None,
        themes=(),
        sections=(("What happened", "They kept turning up."),),
        **fields,
    ):
        values = {
            "slug": slugify(title),
            "strapline": f"{title}: a strapline.",
            "summary": f"{title}: a summary.",
            "scale": Story.Scale.NEIGHBOURHOOD,
            "organisation_kind": Story.OrganisationType.CHARITY,
            "published": True,
        } | fields
        story = Story.objects.create(title=title, **values)
        story.sectors.set(sectors if sectors is not None else [make_sector()])
        if themes:
            story.themes.set(list(themes))
        for order, (heading, text) in enumerate(sections):
            StorySection.objects.create(story=story, heading=heading, text=text, order=order)
        ContentVersion.bump(ContentVersion.Scope.STORIES)
        return story

    return make


@pytest.fixture
def make_alert(db):
    """An alert subscription, confirmed an hour ago unless told otherwise (`confirmed=False`),
    so that what is published from now on is news to it."""
    from datetime import timedelta

    from django.utils import timezone

    from directory.models import AlertSubscription

    def make(email="sam@example.org", *, confirmed=True, sectors=(), themes=(), **fields):
        started = timezone.now() - timedelta(hours=1) if confirmed else None
        values = {"confirmed_at": started, "sent_up_to": started, "frequency": "daily"} | fields
        subscription = AlertSubscription.objects.create(email=email, **values)
        subscription.sectors.set(sectors)
        subscription.themes.set(themes)
        return subscription

    return make


@pytest.fixture
def make_gathering(db, make_sector):
    """A published, in-person gathering in Manchester a week from now, lasting two hours.
    Like every change to the directory, it moves the directory's version forward."""
    from datetime import timedelta

    from django.utils import timezone

    from directory.models import ContentVersion, Gathering

    def make(title="Kitchen table conversation", *, sectors=None, themes=(), **fields):
        starts_at = fields.pop("starts_at", timezone.now() + timedelta(days=7))
        values = {
            "description": f"{title}: come and talk about what makes relationships work.",
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=2),
            "place_name": "Manchester",
            "region": "England",
            "latitude": 53.4808,
            "longitude": -2.2426,
            "status": Gathering.Status.PUBLISHED,
        } | fields
        gathering = Gathering.objects.create(title=title, **values)
        gathering.sectors.set(sectors if sectors is not None else [make_sector()])
        if themes:
            gathering.themes.set(list(themes))
        ContentVersion.bump(ContentVersion.Scope.DIRECTORY)
        return gathering

    return make


@pytest.fixture
def moderator(django_user_model):
    """A staff member in the Moderators group, with exactly that group's permissions."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "morgan", "morgan@example.org", "a long and unguessable passphrase", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def find_chromium() -> str | None:
    """Debian's Chromium (or CHROMIUM_PATH); Playwright never downloads a browser here."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    chromium = find_chromium()
    if chromium is None:
        reason = "Chromium not found: install Debian's `chromium` package or set CHROMIUM_PATH"
        # CI must really run the browser tests, so a missing browser fails there.
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    args = ["--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start its sandbox as root
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=args)
        yield browser
        browser.close()


class PageProblems:
    """Console errors, uncaught exceptions and CSP violations a page reported."""

    def __init__(self):
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []

    def __bool__(self):
        return bool(self.console_errors or self.page_errors)

    def __repr__(self):
        return f"console errors: {self.console_errors}; page errors: {self.page_errors}"


@pytest.fixture
def page_problems():
    return PageProblems()


@pytest.fixture
def page(browser, live_server, page_problems, transactional_db):
    """A fresh page against the live server; requests to any other host are aborted."""
    yield from open_page(browser, live_server, page_problems)


@pytest.fixture
def page_without_javascript(browser, live_server, page_problems, transactional_db):
    yield from open_page(browser, live_server, page_problems, java_script_enabled=False)


def open_page(browser, live_server, page_problems, **context_options):
    own_host = urlsplit(live_server.url).netloc
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, **context_options
    )
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if urlsplit(route.request.url).netloc == own_host else route.abort()
        ),
    )
    page = context.new_page()
    # Chromium reports CSP violations as console errors, so these catch them too. Map tiles
    # are aborted on purpose (hermetic tests), so their failed loads are not problems.
    page.on(
        "console",
        lambda message: (
            page_problems.console_errors.append(message.text)
            if message.type == "error" and "net::ERR_FAILED" not in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: page_problems.page_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def serious_accessibility_violations():
    """A function giving axe-core's serious or critical violations on a page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def violations(page) -> list[dict]:
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in axe.run(page).response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]

    return violations


def pytest_report_header(config):
    from django.db import connection

    return f"database: {connection.vendor} ({connection.settings_dict['NAME']})"
