from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from directory.forms.filters import ForgivingFilterForm, sector_choice
from directory.models import Sector

from .casemaker import TEXT_LIMITS
from .models import EvidenceTheme, Story, StoryQuerySet, StoryTheme


class SectorWithStoriesField(forms.ModelChoiceField):
    """Only the sectors a visitor can find a story in, each with how many: "Health and care
    (2)". One query, counting in the database."""

    def __init__(self, **kwargs):
        published = Q(stories__in=Story.objects.published())
        queryset = (
            Sector.objects.annotate(story_count=Count("stories", filter=published, distinct=True))
            .filter(story_count__gt=0)
            # A query that counts leaves Meta.ordering out, so it is given again here.
            .order_by(*Sector._meta.ordering)
        )
        super().__init__(queryset=queryset, **kwargs)

    def label_from_instance(self, sector: Sector) -> str:
        return f"{sector.name} ({sector.story_count})"


class StoryFilterForm(ForgivingFilterForm):
    """The story list's filters."""

    sector = SectorWithStoriesField(
        label=_("Sector"),
        required=False,
        to_field_name="slug",
        empty_label=_("All sectors"),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        required=False,
        # Only themes that a visitor can find a story under.
        queryset=StoryTheme.objects.filter(story__in=Story.objects.published()).distinct(),
        to_field_name="slug",
        empty_label=_("All themes"),
    )
    scale = forms.ChoiceField(
        label=_("Scale"), required=False, choices=[("", _("Any scale")), *Story.Scale.choices]
    )
    organisation_type = forms.ChoiceField(
        label=_("Kind of organisation"),
        required=False,
        choices=[("", _("Any kind")), *Story.OrganisationType.choices],
    )

    NOTES = {
        "sector": _("We ignored a sector that no story is in yet."),
        "theme": _("We ignored a theme that no story has yet."),
        "scale": _("We ignored a scale we do not know."),
        "organisation_type": _("We ignored a kind of organisation we do not know."),
    }
    # ?kind= meant this until it was renamed, so as not to read as the map's kind of entry.
    RENAMED = {"kind": "organisation_type"}

    def apply(self, stories: StoryQuerySet) -> StoryQuerySet:
        chosen = self.filters()
        if chosen["sector"]:
            stories = stories.in_sector(chosen["sector"])
        if chosen["theme"]:
            stories = stories.with_theme(chosen["theme"])
        if chosen["scale"]:
            stories = stories.at_scale(chosen["scale"])
        if chosen["organisation_type"]:
            stories = stories.of_organisation_type(chosen["organisation_type"])
        return stories


class CaseBuilderForm(ForgivingFilterForm):
    """The DIY case's own words, and what to show first. The statistics and stories are
    checkboxes the template lays out beside their order numbers (see stories/casemaker.py)."""

    sector = sector_choice(_("Your sector"), empty_label=_("Any sector"))
    theme = forms.ModelMultipleChoiceField(
        label=_("Themes you care about"),
        required=False,
        queryset=EvidenceTheme.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=TEXT_LIMITS["title"],
        help_text=_("For example: Why we want to work relationally."),
    )
    audience = forms.CharField(
        label=_("Who it is for"),
        required=False,
        max_length=TEXT_LIMITS["audience"],
        help_text=_("For example: our board, the commissioners, the team."),
    )
    context = forms.CharField(
        label=_("Your context"),
        required=False,
        max_length=TEXT_LIMITS["context"],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Where you are now, and why this matters to you (up to %(limit)d characters).")
        % {"limit": TEXT_LIMITS["context"]},
    )
    ask = forms.CharField(
        label=_("Your ask"),
        required=False,
        max_length=TEXT_LIMITS["ask"],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you would like them to do (up to %(limit)d characters).")
        % {"limit": TEXT_LIMITS["ask"]},
    )

    def fit(self) -> tuple[Sector | None, list[EvidenceTheme]]:
        """The sector and themes to show first; values we do not know are left out."""
        chosen = self.filters()
        return chosen["sector"], list(chosen["theme"] or [])
