from django.contrib import admin, messages
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from directory.admin import ChangesPublicContent
from directory.models import ContentVersion

from .citations import in_text
from .fidelity import unsupported_terms
from .models import EvidenceTheme, Source, Statistic, Story, StorySection, StoryTheme


class ChangesStories(ChangesPublicContent):
    """Stories and evidence: saves, deletions and bulk actions move their version forward."""

    version_scope = ContentVersion.Scope.STORIES

    def set_published(self, queryset, published: bool) -> int:
        """Publish or unpublish the selection in one go, and move the version forward."""
        with transaction.atomic():
            count = queryset.exclude(published=published).update(published=published)
            ContentVersion.bump(self.version_scope)
        return count


class StorySectionInline(admin.StackedInline):
    model = StorySection
    extra = 0
    min_num = 1
    fields = ["order", "heading", "text"]


@admin.register(Story)
class StoryAdmin(ChangesStories, admin.ModelAdmin):
    list_display = ["title", "scale", "organisation_kind", "published", "display_order", "preview"]
    list_display_links = ["title"]
    list_editable = ["display_order"]
    list_filter = ["published", "scale", "sectors", "organisation_kind"]
    search_fields = ["title", "strapline", "summary", "organisation_name", "place_name"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["sectors"]
    autocomplete_fields = ["related_entries"]
    readonly_fields = ["published_at", "created_at", "updated_at"]
    inlines = [StorySectionInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "strapline", "summary", "published", "display_order"]}),
        (_("Filed under"), {"fields": ["sectors", "themes", "scale", "organisation_kind"]}),
        (
            _("Who and where"),
            {
                "fields": ["organisation_name", "place_name", ("latitude", "longitude")],
                "description": _(
                    "Name an organisation or place only once it is confirmed. A story with "
                    "both coordinates appears on the map's story layer."
                ),
            },
        ),
        (_("Pull quote"), {"fields": ["pull_quote", "pull_quote_attribution"]}),
        (
            _("Image"),
            {
                "fields": ["image_url", "image_alt", "image_credit"],
                "description": _("A path under /static/ or /media/ on this site."),
            },
        ),
        (_("On the map"), {"fields": ["related_entries"]}),
        (_("Dates"), {"fields": ["published_at", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("View"))
    def preview(self, story):
        label = _("Read") if story.is_published() else _("Preview")
        return format_html('<a href="{}">{}</a>', story.get_absolute_url(), label)

    @admin.action(description=_("Publish the selected stories"))
    def publish(self, request, queryset):
        # save() dates each story's first publication, so no bulk update() here.
        stories = list(queryset.filter(published=False))
        with transaction.atomic():
            for story in stories:
                story.published = True
                story.save(update_fields=["published", "updated_at"])
            ContentVersion.bump(self.version_scope)
        count = len(stories)
        message = ngettext("Published %d story.", "Published %d stories.", count) % count
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Unpublish the selected stories"))
    def unpublish(self, request, queryset):
        count = self.set_published(queryset, False)
        message = ngettext("Unpublished %d story.", "Unpublished %d stories.", count) % count
        self.message_user(request, message, messages.SUCCESS)


@admin.register(StoryTheme)
class StoryThemeAdmin(ChangesStories, admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(EvidenceTheme)
class EvidenceThemeAdmin(ChangesStories, admin.ModelAdmin):
    list_display = ["name", "slug", "display_order"]
    list_editable = ["display_order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Source)
class SourceAdmin(ChangesStories, admin.ModelAdmin):
    list_display = ["short", "kind", "year", "title", "verified"]
    list_filter = ["verified", "kind"]
    search_fields = ["key", "authors", "title", "container", "doi"]
    prepopulated_fields = {"key": ["title"]}
    fieldsets = [
        (None, {"fields": ["key", "kind", "verified"]}),
        (_("Who and when"), {"fields": ["authors", ("year", "month", "day")]}),
        (
            _("What and where"),
            {
                "fields": [
                    "title",
                    "container",
                    ("volume", "issue", "pages", "article_number"),
                    "isbn",
                ]
            },
        ),
        (_("Links"), {"fields": ["doi", "url"]}),
    ]

    @admin.display(description=_("Citation"), ordering="authors")
    def short(self, source):
        return in_text(source)


@admin.register(Statistic)
class StatisticAdmin(ChangesStories, admin.ModelAdmin):
    list_display = ["label", "figure", "source", "agrees", "published", "display_order"]
    list_editable = ["display_order"]
    list_filter = ["published", "themes", "sectors", "source__verified"]
    list_select_related = ["source"]
    search_fields = ["label", "figure", "finding", "source__authors", "source__title"]
    readonly_fields = ["source_check"]
    autocomplete_fields = ["source", "related_sources"]
    filter_horizontal = ["themes", "sectors"]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["label", "figure", "finding", "accuracy_note"]}),
        (
            _("Source"),
            {
                "fields": ["source", "related_sources", "source_says", "source_check"],
                "description": _(
                    "Check the figure against the source itself, then note here what the "
                    "source says: its exact figures and key words."
                ),
            },
        ),
        (_("Filed under"), {"fields": ["themes", "sectors"]}),
        (
            _("A comparison to chart"),
            {
                "fields": [
                    ("change_here_label", "change_here"),
                    ("change_elsewhere_label", "change_elsewhere"),
                ],
                "description": _("Only for a figure that sets one change against another."),
            },
        ),
        (None, {"fields": ["published", "display_order"]}),
    ]

    @admin.display(description=_("Agrees with its source record"), boolean=True)
    def agrees(self, statistic):
        return not unsupported_terms(statistic)

    @admin.display(description=_("Checked against the source record"))
    def source_check(self, statistic):
        if missing := unsupported_terms(statistic):
            return _("Not in the source record: %(terms)s") % {"terms": ", ".join(missing)}
        return _("Agrees with the source record.")

    @admin.action(description=_("Publish the selected statistics"))
    def publish(self, request, queryset):
        count = self.set_published(queryset, True)
        message = ngettext("Published %d statistic.", "Published %d statistics.", count) % count
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Unpublish the selected statistics"))
    def unpublish(self, request, queryset):
        count = self.set_published(queryset, False)
        message = ngettext("Unpublished %d statistic.", "Unpublished %d statistics.", count)
        self.message_user(request, message % count, messages.SUCCESS)
