import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url_name", ["home", "about", "privacy"])
def test_site_pages_render_in_the_base_layout(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#main"' in html  # skip link
    assert '<main id="main"' in html
    assert "<footer" in html


def test_navigation_links_to_every_section(client):
    html = client.get(reverse("home")).content.decode()

    for url_name in ["directory:map", "stories:list", "stories:case_maker", "directory:join"]:
        assert f'href="{reverse(url_name)}"' in html


def test_footer_credits_openstreetmap(client):
    html = client.get(reverse("home")).content.decode()

    assert "https://www.openstreetmap.org/copyright" in html


def test_pages_declare_british_english(client):
    assert '<html lang="en-gb"' in client.get(reverse("home")).content.decode()


def test_unknown_url_gets_the_styled_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert 'href="#main"' in response.content.decode()


def test_robots_txt_points_at_the_sitemap(client, settings):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in response.content.decode()


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.parametrize("path", ["/robots.txt", "/healthz"])
def test_plain_text_answers_declare_their_charset(client, path):
    assert client.get(path)["Content-Type"] == "text/plain; charset=utf-8"


def test_favicon_ico_leads_to_the_svg_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
