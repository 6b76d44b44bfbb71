from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed


class SiteFeed(Feed):
    """An Atom feed of items with get_absolute_url, published_at and updated_at; links are
    absolute from SITE_URL, never from the request's Host header."""

    feed_type = Atom1Feed

    def item_link(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
