"""Connections in the staff's workplace: who says they work with whom, and whether it shows.
Owners make them; staff may correct how one is described, or end one, through
directory.connections (which moves the directory's version when a public one goes)."""

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from .. import connections
from ..models import Connection
from .decisions import EVERYWHERE
from .public_content import ChangesPublicContent


@admin.register(Connection)
class ConnectionAdmin(ChangesPublicContent, admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "shown", "confirmed_at", "created_at"]
    list_filter = ["status", "kind", "proposer__is_demo"]
    list_select_related = ["proposer", "partner"]
    search_fields = ["proposer__name", "partner__name", "phrase"]
    date_hierarchy = "created_at"
    fields = ["proposer", "partner", "kind", "phrase", "status", "created_at", "confirmed_at"]
    # Only the two owners can say they work together: staff may change the words, not who.
    readonly_fields = ["proposer", "partner", "status", "created_at", "confirmed_at"]
    actions = ["end"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        public = Connection.objects.public().filter(pk=OuterRef("pk"))
        return super().get_queryset(request).annotate(is_shown=Exists(public))

    @admin.display(description=_("shown publicly"), boolean=True, ordering="is_shown")
    def shown(self, connection):
        return connection.is_shown

    @admin.action(
        description=_("End this connection"),
        description_plural=_("End the selected connections"),
        permissions=["delete"],
        location=EVERYWHERE,
    )
    def end(self, request, queryset):
        chosen = list(queryset)
        for connection in chosen:
            connections.end(connection=connection, by=None)
        self.message_user(
            request,
            _("Ended %(count)d; neither side’s profile lists it now.") % {"count": len(chosen)},
            messages.SUCCESS,
        )
