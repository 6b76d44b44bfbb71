from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import Entry


class LatestEntriesFeed(Feed):
    feed_type = Atom1Feed
    title = _("New on the Relationships Map")
    subtitle = _("Practitioners and organisations who have just joined the map.")

    def link(self):
        return settings.SITE_URL + reverse("directory:map")

    def items(self):
        return Entry.objects.public().order_by("-published_at", "-pk")[:30]

    def item_title(self, item):
        return item.name

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
