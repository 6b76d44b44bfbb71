"""Backups as the README describes them: `pg_dump -Fc` of a real database, `pg_restore` into a
new one, and a site on the restored database that serves the same entries and honours the
owners' private links, as long as it has the same DJANGO_SECRET_KEY."""

import subprocess
from urllib.parse import urlsplit

import pytest
import requests

from tests.processes import Site, manage, site_environment

# The module's own PostgreSQL cluster is started once: on several cores its tests share a worker.
pytestmark = pytest.mark.xdist_group("test_backups")

ENTRY_COLUMNS = "id, slug, name, status, contact_email, latitude, longitude, manage_key"


@pytest.fixture(scope="module")
def backed_up_site(postgres_cluster, tmp_path_factory):
    """A site with content, a demo map and an owner's private link, then its backup."""
    env = site_environment(database_url=postgres_cluster.url)
    manage("migrate", "--no-input", env=env)
    manage("load_content", env=env)
    manage("demo_map", "--count", "12", "--seed", "3", env=env)
    private_link = manage(
        "shell",
        "--verbosity=0",
        "-c",
        "from directory import tokens; from directory.models import Entry; "
        "print(tokens.management_url(Entry.objects.public().order_by('pk').first()))",
        env=env,
    ).strip()
    backup = tmp_path_factory.mktemp("backup") / "relmap.dump"
    subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", backup, postgres_cluster.url], check=True)
    return {"backup": backup, "private_link": urlsplit(private_link).path}


@pytest.fixture(scope="module")
def restored_database(postgres_cluster, backed_up_site):
    url = postgres_cluster.create_database("relmap_restored")
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "-d", url, backed_up_site["backup"]],
        check=True,
    )
    return url


def serve(database_url: str, log, **variables) -> Site:
    return Site(env=site_environment(database_url=database_url, **variables), log=log)


def test_a_restored_backup_holds_the_same_entries(postgres_cluster, restored_database):
    query = f"SELECT {ENTRY_COLUMNS} FROM directory_entry ORDER BY id"

    original = postgres_cluster.query(query)

    assert len(original) == 12
    assert postgres_cluster.query(query, database="relmap_restored") == original


def test_the_restored_site_serves_the_same_entries_and_the_owners_links(
    postgres_cluster, backed_up_site, restored_database, tmp_path
):
    public = postgres_cluster.query(
        "SELECT slug, name FROM directory_entry WHERE status = 'published' ORDER BY id"
    )
    site = serve(restored_database, tmp_path / "site.log")
    try:
        for slug, name in public:
            profile = requests.get(f"{site.url}/entries/{slug}/", timeout=10)
            assert profile.status_code == 200 and name in profile.text, slug
        link = site.url + backed_up_site["private_link"]
        owners_data = requests.get(link + "data.json", timeout=10)
    finally:
        site.stop()

    assert requests.codes.ok == owners_data.status_code
    entry = owners_data.json()["entry"]
    assert (entry["id"], entry["name"]) == (
        postgres_cluster.query(
            "SELECT id, name FROM directory_entry WHERE status = 'published' ORDER BY id LIMIT 1"
        )[0]
    )


def test_without_the_same_secret_key_every_private_link_stops_working(
    backed_up_site, restored_database, tmp_path
):
    site = serve(
        restored_database,
        tmp_path / "site.log",
        DJANGO_SECRET_KEY="a-new-key-because-the-old-one-was-not-kept-with-the-backup",
    )
    try:
        response = requests.get(site.url + backed_up_site["private_link"], timeout=10)
    finally:
        site.stop()

    assert response.status_code == 404
    assert "This link no longer works" in response.text
