"""The entries' admin: the review queue, an owner's held changes shown field by field, the
moderators' export, and a map for correcting a location."""

import json
import logging

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count, F, Q
from django.http import HttpResponseNotAllowed, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import inbox, lifecycle
from ..changes import waiting_for_review
from ..models import Entry, Report
from .decisions import CHANGE_FORM_ACTION_FIELD, EVERYWHERE, ModerationActions
from .inbox import message_closed_reports
from .public_content import ChangesPublicContent
from .resources import ResourceInline

# The admin's log, whichever of its modules writes to it.
logger = logging.getLogger("directory.admin")
# Close enough to tell one street from the next when correcting a location.
FOCUSED_MAP_ZOOM = 13


class StatusFilter(admin.SimpleListFilter):
    """Status, opening on the review queue: with no choice made, staff see what awaits them.
    A search looks through every status, so an email address finds its entry wherever it is."""

    title = _("status")
    parameter_name = "status"
    ANY = "all"

    def lookups(self, request, model_admin):
        return [(self.ANY, _("All")), *Entry.Status.choices]

    def value(self):
        if chosen := super().value():
            return chosen
        return self.ANY if self.request.GET.get("q") else Entry.Status.AWAITING_REVIEW

    def queryset(self, request, queryset):
        if self.value() == self.ANY:
            return queryset
        return queryset.filter(status=self.value())

    def choices(self, changelist):
        # Django's own first choice links to "no choice", which here is the review queue
        # again; "All" is an explicit lookup instead.
        choices = super().choices(changelist)
        next(choices)
        yield from choices


class PendingChangesFilter(admin.SimpleListFilter):
    title = _("changes awaiting review")
    parameter_name = "pending"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pending_changes__isnull=False)
        if self.value() == "no":
            return queryset.filter(pending_changes__isnull=True)
        return queryset


class OpenReportsFilter(admin.SimpleListFilter):
    title = _("reports from visitors")
    parameter_name = "reports"

    def lookups(self, request, model_admin):
        return [("open", _("Open reports")), ("none", _("No open reports"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(inbox.has_open_reports())
        if self.value() == "none":
            return queryset.exclude(inbox.has_open_reports())
        return queryset


@admin.register(Entry)
class EntryAdmin(ChangesPublicContent, ModerationActions, SimpleHistoryAdmin):
    list_display = [
        "name",
        "kind",
        "place_name",
        "status",
        "is_flagged",
        "open_reports",
        "has_pending_changes",
        "created_at",
    ]
    list_filter = [
        StatusFilter,
        OpenReportsFilter,
        "kind",
        "sectors",
        "is_demo",
        "flagged",
        PendingChangesFilter,
    ]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["name", "contact_email", "place_name", "region"]
    ordering = ["-created_at", "-pk"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["sectors"]
    inlines = [ResourceInline]
    actions = [
        "approve",
        "reject",
        "approve_changes",
        "reject_changes",
        "download_with_private_fields",
        "close_reports",
    ]
    # Status changes go through the actions, which email the submitter and record why.
    readonly_fields = [
        "status",
        "rejection_reason",
        "public_latitude",
        "public_longitude",
        "confirmed_at",
        "published_at",
        "created_at",
        "updated_at",
    ]
    object_history_list_template = "admin/directory/entry/object_history_list.html"
    fieldsets = [
        (None, {"fields": ["kind", "name", "slug", "status", "is_demo"]}),
        (
            _("Moderation"),
            {"fields": ["flagged", "flag_reason", "rejection_reason", "confirmed_at"]},
        ),
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
                ],
                "description": _(
                    "Latitude and longitude are decimal degrees: type them into the boxes, "
                    "or click the map below (or drag its marker) to correct them. The public "
                    "location is worked out from them when the entry is saved."
                ),
            },
        ),
        (
            _("Links and contact"),
            {"fields": ["website", "links", "contact_email", "accepts_messages"]},
        ),
        (_("Dates"), {"fields": ["published_at", "created_at", "updated_at"]}),
    ]

    class Media:
        # Leaflet from django-leaflet's static files: its admin widgets need GDAL.
        css = {"all": ["leaflet/leaflet.css", "css/admin.css"]}
        js = ["leaflet/leaflet.js", "js/admin-location.js"]

    @admin.display(boolean=True, description=_("flagged"), ordering="flagged")
    def is_flagged(self, entry):
        return entry.flagged

    @admin.display(boolean=True, description=_("changes pending"))
    def has_pending_changes(self, entry):
        return entry.pending_changes is not None

    @admin.display(description=_("open reports"), ordering="open_report_count")
    def open_reports(self, entry):
        return entry.open_report_count or ""

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(open_report_count=Count("reports", filter=Q(reports__closed_at__isnull=True)))
        )

    def get_ordering(self, request):
        # Entries visitors have reported come first, whichever list a moderator is looking at.
        # An expression, not the annotation: other admins order their entry choices by this too.
        return [inbox.has_open_reports().desc(), *self.ordering]

    def get_readonly_fields(self, request, obj=None):
        # Whoever adds an entry here chooses its starting status; after that, actions rule.
        if obj is None:
            return [name for name in self.readonly_fields if name != "status"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        # SimpleHistoryAdmin records request.user as the author; the reason tells the owner's
        # edits apart from staff corrections in the history.
        obj._change_reason = "Edited in the admin" if change else "Added in the admin"
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        # Deleting is erasure: the entry's history holds personal data too.
        lifecycle.erase(entry=obj)

    def delete_queryset(self, request, queryset):
        for entry in queryset:
            lifecycle.erase(entry=entry)

    def revert_disabled(self, request, obj=None):
        # Reverting to an old version would skip moderation and its emails, and an old
        # version has no management key, so the owner's links would stop working.
        return True

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple_history's own calls select_related() with no fields when, as here, the
        # model tracks no foreign keys; Django 6.1 deprecates that.
        return history_manager.filter(**{pk_name: object_id}).select_related("history_user")

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if "status" not in request.GET and not request.GET.get("q"):
            extra_context["title"] = gettext("Entries awaiting review")
        if request.GET.get(OpenReportsFilter.parameter_name) != "open":
            # Reported entries are mostly published, so outside the review queue too.
            extra_context["entries_with_open_reports"] = Entry.objects.filter(
                inbox.has_open_reports()
            ).count()
            extra_context["open_reports_url"] = (
                reverse("admin:directory_entry_changelist") + "?status=all&reports=open"
            )
        if request.GET.get(PendingChangesFilter.parameter_name) != "yes":
            # Published entries with held changes are outside the review queue; say so.
            extra_context["entries_with_pending_changes"] = Entry.objects.filter(
                pending_changes__isnull=False
            ).count()
            extra_context["pending_changes_url"] = (
                reverse("admin:directory_entry_changelist") + "?status=all&pending=yes"
            )
        return super().changelist_view(request, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["admin_map_config"] = admin_map_config()
        if obj is not None:
            # The held changes' and the reports' buttons post to the change form's actions.
            context["decision_field"] = CHANGE_FORM_ACTION_FIELD
            context["action_checkbox_name"] = ACTION_CHECKBOX_NAME
            context["reports"] = obj.reports.select_related("closed_by").order_by(
                F("closed_at").desc(nulls_first=True), "-created_at"
            )
        if obj is not None and obj.pending_changes:
            context["pending_changes"] = pending_changes_review(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # The moderators' export: a copy of the selected entries (or all, with "select all"),
    # private fields included, for their records. Only with its own permission, and logged.

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm("directory.export_entries")

    @admin.action(
        description=_("Download as JSON, private fields included"),
        permissions=["export"],
    )
    def download_with_private_fields(self, request, queryset):
        entries = queryset.order_by("pk").prefetch_related("sectors", "themes")
        logger.info(
            "%s downloaded %s entries with their private fields",
            request.user.get_username(),
            entries.count(),
        )

        def chunks():
            yield "["
            for index, entry in enumerate(entries.iterator(chunk_size=500)):
                record = lifecycle.private_record(entry=entry)
                yield ("," if index else "") + "\n" + json.dumps(record)
            yield "\n]\n"

        response = StreamingHttpResponse(chunks(), content_type="application/json")
        filename = f"entries-{timezone.localdate().isoformat()}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @admin.action(
        description=_("Close its open reports"),
        description_plural=_("Close the open reports on the selected entries"),
        permissions=["change"],
        location=EVERYWHERE,
    )
    def close_reports(self, request, queryset):
        closed = inbox.close_reports(
            reports=Report.objects.filter(entry__in=queryset), by=request.user
        )
        message_closed_reports(self, request, closed)


def admin_map_config() -> dict:
    """What static/js/admin-location.js needs: the site's tile server, never hard-coded there."""
    leaflet = settings.LEAFLET_CONFIG
    _name, tile_url, tile_options = leaflet["TILES"][0]
    return {
        "tileUrl": tile_url,
        "attribution": tile_options.get("attribution", ""),
        "maxZoom": tile_options.get("maxZoom", leaflet.get("MAX_ZOOM", 18)),
        "center": list(leaflet["DEFAULT_CENTER"]),
        "zoom": leaflet["DEFAULT_ZOOM"],
        "focusedZoom": FOCUSED_MAP_ZOOM,
        "markerLabel": gettext("The entry's exact location"),
        "mapLabel": gettext("Map of the entry's exact location"),
    }


def pending_changes_review(entry: Entry) -> dict:
    """An owner's held changes as rows of (part, published value, proposed value), only for
    what really differs, as the owner sees them too."""
    return {"rows": waiting_for_review(entry), "submitted_at": entry.held_changes.submitted_at}
