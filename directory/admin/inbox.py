"""What visitors send the staff: reports on pages and messages through Contact us."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import inbox
from ..models import Report, TeamMessage
from .decisions import EVERYWHERE


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
