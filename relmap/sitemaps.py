from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import sitemaps
from django.urls import reverse


class SiteSitemap(sitemaps.Sitemap):
    """Absolute URLs from SITE_URL, never from the request's Host header."""

    protocol = urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class PageSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "about",
            "privacy",
            "contact_us",
            "directory:map",
            "directory:open_data",
            "directory:resources",
            "stories:list",
            "stories:case_maker",
        ]

    def location(self, item):
        return reverse(item)
