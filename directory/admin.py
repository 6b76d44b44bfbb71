from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Entry, Sector


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "display_order"]
    list_editable = ["display_order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "place_name", "status", "is_demo", "updated_at"]
    list_filter = ["status", "kind", "sectors", "is_demo"]
    search_fields = ["name", "contact_email", "place_name", "region"]
    readonly_fields = ["public_latitude", "public_longitude", "created_at", "updated_at"]
    filter_horizontal = ["sectors"]
    date_hierarchy = "created_at"
    fieldsets = [
        (None, {"fields": ["kind", "name", "slug", "status", "is_demo"]}),
        (_("About"), {"fields": ["summary", "description", "inspiration", "sectors", "themes"]}),
        (_("Organisation"), {"fields": ["organisation_type"]}),
        (
            _("Location"),
            {
                "fields": [
                    "place_name",
                    "region",
                    ("latitude", "longitude"),
                    "show_exact_location",
                    ("public_latitude", "public_longitude"),
                ]
            },
        ),
        (_("Links and contact"), {"fields": ["website", "links", "contact_email"]}),
        (_("Dates"), {"fields": ["published_at", "created_at", "updated_at"]}),
    ]
