"""The staff's workplace: the review queue, moderation decisions as actions (each one goes
through directory.moderation, which saves the entry and emails its submitter), an owner's
held changes shown field by field, and a map for correcting a location."""

import json
import logging

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.http import HttpResponseNotAllowed, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from taggit.admin import TagAdmin
from taggit.models import Tag

from .. import inbox, moderation
from ..changes import waiting_for_review
from ..models import ContentVersion, Entry, Report, Resource, Sector, TeamMessage

logger = logging.getLogger(__name__)
# Moderation decisions can be taken on a selection in the list or on the entry being read.
EVERYWHERE = [admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM]
# Django names a change form's action field after the location's prefix; the reject page and
# the held-changes buttons post to it so that Django routes them to the same actions.
CHANGE_FORM_ACTION_FIELD = f"{admin.ActionLocation.CHANGE_FORM.value}-action"
APPROVABLE = {Entry.Status.AWAITING_REVIEW, Entry.Status.REJECTED}
# A published entry may be taken down with a reason too; an unconfirmed address is never
# emailed, so entries awaiting confirmation cannot be rejected.
REJECTABLE = {Entry.Status.AWAITING_REVIEW, Entry.Status.PUBLISHED}
# Close enough to tell one street from the next when correcting a location.
FOCUSED_MAP_ZOOM = 13


class ChangesPublicContent:
    """For the admin of anything the public sees: every save (with its inlines) and every
    deletion moves the version of its part of the site forward, in the same transaction,
    so that caches and clients revalidating get the change."""

    version_scope = ContentVersion.Scope.DIRECTORY

    def save_related(self, request, form, formsets, change):
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            ContentVersion.bump(self.version_scope)

    def delete_model(self, request, obj):
        with transaction.atomic():
            super().delete_model(request, obj)
            ContentVersion.bump(self.version_scope)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            ContentVersion.bump(self.version_scope)


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


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=Entry._meta.get_field("rejection_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 70}),
        help_text=_(
            "Emailed to the submitter as you write it: say what would need to change for "
            "the entry to be published."
        ),
    )


class ChangesRejectionForm(RejectionForm):
    """The reason is optional here: the published version stays, and the owner is told
    either way."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = False
        self.fields["reason"].help_text = _(
            "Optional. Emailed to the owner as you write it: say what would need to change "
            "for these changes to be published."
        )


@admin.register(Entry)
class EntryAdmin(ChangesPublicContent, SimpleHistoryAdmin):
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
        moderation.erase(entry=obj)

    def delete_queryset(self, request, queryset):
        for entry in queryset:
            moderation.erase(entry=entry)

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
        if request.GET.get("pending") != "yes":
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

    @admin.action(
        description=_("Approve and publish"),
        description_plural=_("Approve and publish the selected entries"),
        permissions=["change"],
        location=EVERYWHERE,
    )
    def approve(self, request, queryset):
        entries, left_alone = partition(queryset, lambda entry: entry.status in APPROVABLE)
        for entry in entries:
            moderation.approve(entry=entry)
        self.report(
            request,
            done=ngettext(
                "Published %(count)d entry and emailed its submitter a link to the profile.",
                "Published %(count)d entries and emailed each submitter a link to the profile.",
                len(entries),
            ),
            done_count=len(entries),
            left_alone=ngettext(
                "Left %(count)d entry alone: only entries awaiting review or rejected can be "
                "approved.",
                "Left %(count)d entries alone: only entries awaiting review or rejected can be "
                "approved.",
                len(left_alone),
            ),
            left_alone_count=len(left_alone),
        )

    @admin.action(
        description=_("Reject with a reason…"),
        description_plural=_("Reject the selected entries with a reason…"),
        permissions=["change"],
        location=EVERYWHERE,
    )
    def reject(self, request, queryset):
        entries, left_alone = partition(queryset, lambda entry: entry.status in REJECTABLE)
        if not entries:
            self.message_user(
                request,
                gettext(
                    "Nothing was rejected: only entries awaiting review or published can be "
                    "rejected."
                ),
                messages.WARNING,
            )
            return None
        # The first visit comes from the action menu; the reject page then posts the reason.
        form = RejectionForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            for entry in entries:
                moderation.reject(entry=entry, reason=form.cleaned_data["reason"])
            self.report(
                request,
                done=ngettext(
                    "Rejected %(count)d entry and emailed the reason to its submitter.",
                    "Rejected %(count)d entries and emailed the reason to each submitter.",
                    len(entries),
                ),
                done_count=len(entries),
                left_alone=ngettext(
                    "Left %(count)d entry alone: only entries awaiting review or published can "
                    "be rejected.",
                    "Left %(count)d entries alone: only entries awaiting review or published "
                    "can be rejected.",
                    len(left_alone),
                ),
                left_alone_count=len(left_alone),
            )
            return None
        return self.reason_page(
            request,
            action="reject",
            form=form,
            entries=entries,
            title=gettext("Reject with a reason"),
            intro=ngettext(
                "This entry will be rejected, and its submitter emailed the reason you give:",
                "These %(count)d entries will be rejected, and each submitter emailed the "
                "reason you give:",
                len(entries),
            ),
            left_alone=left_alone,
            left_alone_note=ngettext(
                "This one will be left alone: only entries awaiting review or published can be "
                "rejected.",
                "These %(count)d will be left alone: only entries awaiting review or published "
                "can be rejected.",
                len(left_alone),
            ),
            submit_label=gettext("Reject and email the reason"),
        )

    def reason_page(self, request, *, action, form, entries, left_alone, **texts):
        """The second step of a rejection: the reason, posted back to the page the action
        came from (the list or one entry's form). `texts` count the entries as %(count)d."""
        on_change_form = CHANGE_FORM_ACTION_FIELD in request.POST
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "action": action,
            "entries": entries,
            "left_alone": left_alone,
            "form": form,
            "action_field": CHANGE_FORM_ACTION_FIELD if on_change_form else "action",
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "cancel_url": request.get_full_path(),
        }
        counts = {"intro": len(entries), "left_alone_note": len(left_alone)}
        for name, text in texts.items():
            context[name] = text % {"count": counts[name]} if name in counts else text
        return TemplateResponse(request, "admin/directory/entry/reject_confirmation.html", context)

    @admin.action(
        description=_("Approve the owner's changes"),
        description_plural=_("Approve the owners' changes to the selected entries"),
        permissions=["change"],
        location=EVERYWHERE,
    )
    def approve_changes(self, request, queryset):
        entries, left_alone = partition(queryset, lambda entry: bool(entry.pending_changes))
        published = 0
        for entry in entries:
            try:
                moderation.approve_changes(entry=entry)
                published += 1
            except ValidationError as error:
                self.message_user(
                    request,
                    gettext(
                        "Could not publish the changes to “%(entry)s”: %(problem)s Reject them, "
                        "and its owner can send them again."
                    )
                    % {"entry": entry, "problem": " ".join(error.messages)},
                    messages.ERROR,
                )
        self.report(
            request,
            done=ngettext(
                "Published the owner's changes to %(count)d entry and emailed its owner.",
                "Published the owners' changes to %(count)d entries and emailed each owner.",
                published,
            ),
            done_count=published,
            left_alone=changes_left_alone(len(left_alone)),
            left_alone_count=len(left_alone),
        )

    @admin.action(
        description=_("Reject the owner's changes"),
        description_plural=_("Reject the owners' changes to the selected entries"),
        permissions=["change"],
        location=EVERYWHERE,
    )
    def reject_changes(self, request, queryset):
        entries, left_alone = partition(queryset, lambda entry: bool(entry.pending_changes))
        # As for rejecting an entry, a page for the reason comes first; here it may be empty.
        form = ChangesRejectionForm(request.POST if "reason" in request.POST else None)
        if not form.is_valid() and entries:
            return self.reason_page(
                request,
                action="reject_changes",
                form=form,
                entries=entries,
                title=gettext("Reject the owner's changes"),
                intro=ngettext(
                    "The owner's changes to this entry will be discarded and the published "
                    "version kept. The owner is emailed, with your reason if you give one:",
                    "The owners' changes to these %(count)d entries will be discarded and the "
                    "published versions kept. Each owner is emailed, with your reason if you "
                    "give one:",
                    len(entries),
                ),
                left_alone=left_alone,
                left_alone_note=ngettext(
                    "This one has no changes awaiting review and will be left alone.",
                    "These %(count)d have no changes awaiting review and will be left alone.",
                    len(left_alone),
                ),
                submit_label=gettext("Reject and email the owner"),
            )
        for entry in entries:
            moderation.reject_changes(entry=entry, reason=form.cleaned_data["reason"])
        self.report(
            request,
            done=ngettext(
                "Discarded the owner's changes to %(count)d entry and emailed its owner; the "
                "published version stays.",
                "Discarded the owners' changes to %(count)d entries and emailed each owner; the "
                "published versions stay.",
                len(entries),
            ),
            done_count=len(entries),
            left_alone=changes_left_alone(len(left_alone)),
            left_alone_count=len(left_alone),
        )

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
                yield ("," if index else "") + "\n" + json.dumps(moderation.private_record(entry))
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

    def report(self, request, *, done, done_count, left_alone, left_alone_count):
        if done_count:
            self.message_user(request, done % {"count": done_count}, messages.SUCCESS)
        if left_alone_count:
            self.message_user(request, left_alone % {"count": left_alone_count}, messages.WARNING)


def partition(entries, keep) -> tuple[list[Entry], list[Entry]]:
    """Split a selection before acting on it: acting changes the rows a filtered queryset
    would find if it were evaluated again."""
    kept, left = [], []
    for entry in entries:
        (kept if keep(entry) else left).append(entry)
    return kept, left


def changes_left_alone(count: int) -> str:
    return ngettext(
        "Left %(count)d entry alone: it has no changes awaiting review.",
        "Left %(count)d entries alone: they have no changes awaiting review.",
        count,
    )


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


def message_closed_reports(model_admin, request, closed: int) -> None:
    if closed:
        model_admin.message_user(
            request,
            ngettext("Closed %(count)d report.", "Closed %(count)d reports.", closed)
            % {"count": closed},
            messages.SUCCESS,
        )
    else:
        model_admin.message_user(
            request, gettext("There was no open report to close."), messages.WARNING
        )


class OpenFilter(admin.SimpleListFilter):
    """Open or closed, opening on what still needs someone: the open ones."""

    parameter_name = "state"
    ANY = "all"
    stamp_field = ""  # the field whose date marks a record as dealt with

    def lookups(self, request, model_admin):
        return [(self.ANY, _("All")), ("open", _("Open")), ("done", _("Dealt with"))]

    def value(self):
        return super().value() or "open"

    def queryset(self, request, queryset):
        if self.value() == self.ANY:
            return queryset
        return queryset.filter(**{f"{self.stamp_field}__isnull": self.value() == "open"})

    def choices(self, changelist):
        choices = super().choices(changelist)
        next(choices)  # Django's "All" is "no choice", which here means the open ones
        yield from choices


class ReportStateFilter(OpenFilter):
    title = _("state")
    stamp_field = "closed_at"


class TeamMessageStateFilter(OpenFilter):
    title = _("state")
    stamp_field = "handled_at"


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Reports from visitors, open ones first. A report arrives through the site and is closed
    by the action, which stamps who closed it and when; nothing else about it is edited."""

    list_display = ["page_title", "reason", "entry", "created_at", "closed_at", "closed_by"]
    list_filter = [ReportStateFilter, "reason"]
    list_select_related = ["entry", "closed_by"]
    search_fields = ["page_title", "page_path", "details", "reporter_email"]
    ordering = ["-created_at", "-pk"]
    date_hierarchy = "created_at"
    actions = ["close"]
    fields = [
        "page_title",
        "reported_page",
        "entry",
        "reason",
        "details",
        "reporter_email",
        "created_at",
        "closed_at",
        "closed_by",
    ]
    readonly_fields = fields

    @admin.display(description=_("page"))
    def reported_page(self, report):
        return format_html('<a href="{}">{}</a>', report.page_path, report.page_path)

    def has_add_permission(self, request):
        return False

    @admin.action(
        description=_("Close this report"),
        description_plural=_("Close the selected reports"),
        permissions=["change"],
        location=EVERYWHERE,
    )
    def close(self, request, queryset):
        message_closed_reports(
            self, request, inbox.close_reports(reports=queryset, by=request.user)
        )


@admin.register(TeamMessage)
class TeamMessageAdmin(admin.ModelAdmin):
    """Messages sent through Contact us, kept here whether or not their email went out; the
    action marks them handled, stamping who and when."""

    list_display = ["sender_name", "sender_email", "created_at", "handled_at", "handled_by"]
    list_filter = [TeamMessageStateFilter]
    list_select_related = ["handled_by"]
    search_fields = ["sender_name", "sender_email", "body"]
    ordering = ["-created_at", "-pk"]
    date_hierarchy = "created_at"
    actions = ["mark_handled"]
    fields = ["sender_name", "sender_email", "body", "created_at", "handled_at", "handled_by"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.action(
        description=_("Mark as handled"),
        description_plural=_("Mark the selected messages as handled"),
        permissions=["change"],
        location=EVERYWHERE,
    )
    def mark_handled(self, request, queryset):
        handled = inbox.mark_handled(messages=queryset, by=request.user)
        self.message_user(
            request,
            ngettext(
                "Marked %(count)d message as handled.",
                "Marked %(count)d messages as handled.",
                handled,
            )
            % {"count": handled},
            messages.SUCCESS if handled else messages.WARNING,
        )


from . import alerts  # noqa: E402, F401  (registers AlertSubscription)
