import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_every_page_sends_a_strict_content_security_policy(client):
    directives = csp_directives(client.get(reverse("home")))

    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    for name, values in directives.items():
        assert "'unsafe-inline'" not in values, name
        assert "'unsafe-eval'" not in values, name


def test_pages_forbid_framing_and_sniffing(client):
    response = client.get(reverse("home"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_no_template_uses_inline_style_or_unsigned_inline_script(settings):
    template_dir = settings.BASE_DIR / "templates"
    for path in template_dir.rglob("*.html"):
        text = path.read_text()
        assert 'style="' not in text, path
        for chunk in text.split("<script")[1:]:
            opening_tag = chunk.split(">", 1)[0]
            # JSON-LD is data, never run, so the CSP's script rules do not apply to it.
            is_data = 'type="application/ld+json"' in opening_tag
            assert "src=" in opening_tag or "csp_nonce" in opening_tag or is_data, path


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("get", "/", {"HTTP_HOST": "evil.example"}),  # host not allowed
        ("get", "/%ff%fe/", {}),  # not UTF-8
        ("get", "/map/?" + "q=x&" * 5000, {}),  # far too many parameters
        ("post", "/", {}),  # no CSRF token, wrong method
        ("put", "/healthz", {}),
        ("get", "/entries/%00/", {}),
        ("get", "/map/data.json?bbox=%00", {}),
    ],
)
def test_malformed_requests_get_a_4xx_not_a_500(client, method, path, headers):
    response = getattr(client, method)(path, **headers)

    assert 400 <= response.status_code < 500
