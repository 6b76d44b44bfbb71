from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from directory.sitemaps import EntrySitemap, GatheringSitemap
from stories.sitemaps import StorySitemap

from . import views
from .sitemaps import PageSitemap

sitemaps = {
    "pages": PageSitemap,
    "entries": EntrySitemap,
    "stories": StorySitemap,
    "gatherings": GatheringSitemap,
}

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", TemplateView.as_view(template_name="pages/about.html"), name="about"),
    path("privacy/", views.privacy, name="privacy"),
    path("contact/", views.contact_us, name="contact_us"),
    path("contact/sent/", views.contact_us_sent, name="contact_us_sent"),
    path("report/", views.report, name="report"),
    path("report/sent/", views.report_sent, name="report_sent"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type=views.PLAIN_TEXT),
        name="robots",
    ),
    path("sitemap.xml", views.sitemap_index, {"sitemaps": sitemaps}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        views.sitemap,
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("admin/", admin.site.urls),
    path("", include("directory.urls")),
    path("", include("stories.urls")),
]

handler400 = "relmap.views.bad_request"
handler500 = "relmap.views.server_error"
