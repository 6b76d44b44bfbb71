from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .pagecache import Stamp, versioned_response


class PlainTextAtom1Feed(Atom1Feed):
    """Django's Atom1Feed marks every summary type="html"; ours are plain text, which Atom
    (RFC 4287) types "text", so that a reader never takes an entry's "<" for markup."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class SiteFeed(Feed):
    """An Atom feed of items with get_absolute_url, published_at and updated_at; links are
    absolute from SITE_URL, never from the request's Host header. The site is the author of
    the feed and of each entry (RFC 4287 wants one for every entry), and each entry's id is
    a tag URI from the item's number, which no later edit changes."""

    feed_type = PlainTextAtom1Feed
    author_name = _("Relationships Map")
    url_name: str  # the feed's own URL name, for its rel="self" link
    version: Callable[[], Stamp]  # the version of what the feed lists

    def __call__(self, request, *args, **kwargs):
        # Validators from the version, not the newest item's date, which goes backwards
        # when the newest item is withdrawn.
        return versioned_response(
            request,
            self.version(),
            content=lambda: super(SiteFeed, self).__call__(request, *args, **kwargs),
            public=True,
            max_age=300,
        )

    def feed_url(self):
        return settings.SITE_URL + reverse(self.url_name)

    def author_link(self):
        return settings.SITE_URL + "/"

    def item_author_name(self, item):
        return self.author_name

    def item_author_link(self, item):
        return self.author_link()

    def item_guid(self, item):
        # RFC 4151: tag:<authority>,<date the authority held the name>:<specific>
        authority = urlsplit(settings.SITE_URL).hostname
        published = item.published_at or item.updated_at
        return f"tag:{authority},{published:%Y-%m-%d}:{item._meta.model_name}/{item.pk}"

    def item_link(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
