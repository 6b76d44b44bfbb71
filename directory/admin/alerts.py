from django.contrib import admin

from ..models import AlertSubscription


@admin.register(AlertSubscription)
class AlertSubscriptionAdmin(admin.ModelAdmin):
    """Staff can find an alert by its address (to answer a data request) or delete it; the
    subscriber changes it from their private link, so nothing here is edited."""

    list_display = ["email", "frequency", "place_name", "confirmed_at", "last_sent_at"]
    list_filter = ["frequency", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    readonly_fields = [
        field.name for field in AlertSubscription._meta.get_fields() if field.concrete
    ]

    def has_add_permission(self, request):
        return False  # only the address's owner may start an alert (double opt-in)
