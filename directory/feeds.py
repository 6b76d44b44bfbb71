from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from relmap.feeds import SiteFeed

from . import mapdata
from .models import Entry


class LatestEntriesFeed(SiteFeed):
    title = _("New on the Relationships Map")
    url_name = "directory:entries_feed"
    version = mapdata.current_version
    subtitle = _("Practitioners and organisations who have just joined the map.")

    def link(self):
        return settings.SITE_URL + reverse("directory:map")

    def items(self):
        return Entry.objects.public().order_by("-published_at", "-pk")[:30]

    def item_title(self, item):
        return item.name

    def item_description(self, item):
        return item.summary
