"""Resources the entries share, on their own and inside an entry's page."""

from django.contrib import admin

from ..models import Resource
from .public_content import ChangesPublicContent


@admin.register(Resource)
class ResourceAdmin(ChangesPublicContent, admin.ModelAdmin):
    list_display = ["title", "entry", "url"]
    search_fields = ["title", "url", "note", "entry__name"]
    autocomplete_fields = ["entry"]
    list_select_related = ["entry"]
    fields = ["entry", "title", "url", "note", "themes"]


class ResourceInline(admin.TabularInline):
    model = Resource
    fields = ["title", "url", "note"]
    extra = 0
    show_change_link = True
