from django.template.loader import render_to_string


def test_500_page_renders_without_any_context():
    # Django renders 500.html with an empty context: no request, no context processors.
    html = render_to_string("500.html")

    assert 'href="#main"' in html
    assert "<footer" in html


def test_400_and_403_pages_render_in_the_site_layout(rf):
    for template_name in ["400.html", "403.html"]:
        html = render_to_string(template_name, request=rf.get("/"))
        assert '<main id="main"' in html
