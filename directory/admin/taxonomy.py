"""Sectors and themes, which sort the entries."""

from django.contrib import admin
from django.db import transaction
from taggit.admin import TagAdmin
from taggit.models import Tag

from ..models import ContentVersion, Sector
from .public_content import ChangesPublicContent

# Themes are taggit's tags: renaming or merging one changes the entries' public records.
admin.site.unregister(Tag)


@admin.register(Tag)
class ThemeAdmin(ChangesPublicContent, TagAdmin):
    def merge_tags_view(self, request):
        with transaction.atomic():
            response = super().merge_tags_view(request)
            if request.method == "POST":
                ContentVersion.bump(self.version_scope)
        return response


@admin.register(Sector)
class SectorAdmin(ChangesPublicContent, admin.ModelAdmin):
    list_display = ["name", "slug", "display_order"]
    list_editable = ["display_order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
