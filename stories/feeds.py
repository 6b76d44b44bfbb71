from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from relmap.feeds import SiteFeed

from .models import Story
from .views import stories_version


class LatestStoriesFeed(SiteFeed):
    title = _("Stories from the Relationships Map")
    url_name = "stories:feed"
    version = stories_version
    subtitle = _("Accounts of relationship-centred practice across the UK.")

    def link(self):
        return settings.SITE_URL + reverse("stories:list")

    def items(self):
        return Story.objects.published().for_cards().order_by("-published_at", "-pk")[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_categories(self, item):
        return [sector.name for sector in item.sectors.all()]
