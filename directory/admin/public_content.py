"""Every admin of something the public sees keeps the content version moving."""

from django.db import transaction

from ..models import ContentVersion


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
