from relmap.sitemaps import SiteSitemap

from .models import Entry


class EntrySitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self):
        return Entry.objects.public().order_by("pk").only("slug", "updated_at")

    def lastmod(self, entry):
        return entry.updated_at
