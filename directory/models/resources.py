"""Ideas and resources an entry shares."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from .entries import Entry
from .taxonomy import Sector


class ResourceQuerySet(models.QuerySet):
    def public(self):
        """A resource is public exactly when the entry that shared it is."""
        return self.filter(entry__in=Entry.objects.public())

    def with_theme(self, theme_slug: str):
        return self.filter(themes__slug=theme_slug)

    def in_sector(self, sector: Sector):
        return self.filter(entry__sectors=sector)


class Resource(models.Model):
    """An idea or resource an entry shares: a link with a title and a one-line note."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(_("title"), max_length=120)
    url = models.URLField(_("link"), max_length=300)
    note = models.CharField(_("one-line note"), max_length=200, blank=True)
    themes = TaggableManager(_("themes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("shared resource")
        verbose_name_plural = _("shared resources")

    def __str__(self):
        return self.title
