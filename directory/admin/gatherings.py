"""Gatherings in the staff's workplace: staff post their own here, and approve, reject or
cancel those owners post, through directory.gatherings (which moves the directory's version)."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .. import gatherings
from ..models import ContentVersion, Gathering
from .decisions import EVERYWHERE, partition
from .public_content import ChangesPublicContent

# Editing these on a published gathering changes what calendars hold: SEQUENCE goes up.
CALENDAR_FIELDS = {
    "title", "description", "starts_at", "ends_at", "time_zone", "format", "place_name",
    "region", "latitude", "longitude", "online_link", "link_is_open", "booking_link",
}  # fmt: skip


@admin.register(Gathering)
class GatheringAdmin(ChangesPublicContent, admin.ModelAdmin):
    list_display = ["title", "starts_at", "format", "organiser", "status", "is_demo"]
    list_filter = ["status", "format", "is_demo", "sectors"]
    list_select_related = ["organiser"]
    search_fields = ["title", "description", "place_name", "organiser__name"]
    date_hierarchy = "starts_at"
    ordering = ["-starts_at", "-pk"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organiser", "sectors"]
    actions = ["approve", "reject", "cancel"]
    readonly_fields = ["status", "uid", "sequence", "published_at", "cancelled_at", "created_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "organiser", "is_demo"]}),
        (_("About"), {"fields": ["description", "sectors", "themes"]}),
        (_("When"), {"fields": ["starts_at", "ends_at", "time_zone"]}),
        (
            _("Where"),
            {
                "fields": [
                    "format",
                    "place_name",
                    "region",
                    ("latitude", "longitude"),
                    "online_link",
                    "link_is_open",
                ]
            },
        ),
        (_("Booking"), {"fields": ["booking_link", "capacity_note"]}),
        (_("Afterwards"), {"fields": ["recording_link", "notes"]}),
        (
            _("Moderation and calendars"),
            {
                "fields": [
                    "rejection_reason",
                    "uid",
                    "sequence",
                    "published_at",
                    "cancelled_at",
                    "created_at",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Staff posting a gathering choose its starting status; after that, actions rule.
        if obj is None:
            return [name for name in self.readonly_fields if name != "status"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        published = change and obj.status == Gathering.Status.PUBLISHED
        if published and CALENDAR_FIELDS.intersection(form.changed_data):
            obj.sequence += 1
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            ContentVersion.bump(self.version_scope)

    def act(self, request, queryset, *, allowed, step, done, left_alone):
        chosen, skipped = partition(queryset, lambda gathering: gathering.status in allowed)
        for gathering in chosen:
            step(gathering=gathering)
        if chosen:
            self.message_user(request, done % {"count": len(chosen)}, messages.SUCCESS)
        if skipped:
            self.message_user(request, left_alone % {"count": len(skipped)}, messages.WARNING)

    @admin.action(
        description=_("Approve and publish"),
        description_plural=_("Approve and publish the selected gatherings"),
        permissions=["change"],
        location=EVERYWHERE,
    )
    def approve(self, request, queryset):
        self.act(
            request,
            queryset,
            allowed=gatherings.APPROVABLE,
            step=gatherings.approve,
            done=_("Published %(count)d; it shows on the gatherings pages and feeds."),
            left_alone=_(
                "Left %(count)d alone: only gatherings awaiting review or rejected can be approved."
            ),
        )

    @admin.action(
        description=_("Reject"),
        description_plural=_("Reject the selected gatherings"),
        permissions=["change"],
        location=EVERYWHERE,
    )
    def reject(self, request, queryset):
        self.act(
            request,
            queryset,
            allowed=gatherings.REJECTABLE,
            step=lambda gathering: gatherings.reject(
                gathering=gathering, reason=gathering.rejection_reason
            ),
            done=_("Rejected %(count)d; it is on no public page or feed."),
            left_alone=_(
                "Left %(count)d alone: only gatherings awaiting review or published can be "
                "rejected."
            ),
        )

    @admin.action(
        description=_("Cancel"),
        description_plural=_("Cancel the selected gatherings"),
        permissions=["change"],
        location=EVERYWHERE,
    )
    def cancel(self, request, queryset):
        self.act(
            request,
            queryset,
            allowed=gatherings.CANCELLABLE,
            step=gatherings.cancel,
            done=_("Cancelled %(count)d; calendars that follow the feed will drop it."),
            left_alone=_("Left %(count)d alone: it was already cancelled or rejected."),
        )
