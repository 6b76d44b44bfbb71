from relmap.sitemaps import SiteSitemap

from .models import Entry, Gathering


class EntrySitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self):
        return Entry.objects.public().order_by("pk").only("slug", "updated_at")

    def lastmod(self, entry):
        return entry.updated_at


class GatheringSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return Gathering.objects.public().order_by("pk").only("slug", "updated_at")

    def lastmod(self, gathering):
        return gathering.updated_at
