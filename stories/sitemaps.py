from relmap.sitemaps import SiteSitemap

from .models import Story


class StorySitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self):
        return Story.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, story):
        return story.updated_at
