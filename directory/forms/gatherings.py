"""Gatherings as their organiser writes them, and the gatherings list's filters."""

import zoneinfo
from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.models import Tag

from ..geo import MAX_QUERY_LENGTH, UNKNOWN_PLACE_HELP, lookup_place
from ..models import Gathering, GatheringQuerySet
from ..models.gatherings import DEFAULT_TIME_ZONE
from .bots import IssuedForm
from .entry import PlacePicking
from .fields import (
    HTTP_URL,
    NOT_THIS_WEB_ADDRESS,
    OPTIONAL_LABEL,
    TOO_LONG,
    SectorsField,
    ThemesField,
    not_a_web_address,
)
from .filters import (
    DEFAULT_RADIUS_KM,
    MAX_RADIUS_KM,
    RADIUS_CHOICES,
    ForgivingFilterForm,
    sector_choice,
)

LOCAL_TIME = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_TIME, **kwargs)


class GatheringForm(PlacePicking, forms.ModelForm):
    """A gathering as an entry's owner posts or edits it. The times are typed as the clock
    reads where it happens (its time zone) and stored in UTC."""

    OPTIONAL_FIELDS = [
        "themes",
        "sectors",
        "online_link",
        "booking_link",
        "capacity_note",
        "recording_link",
        "notes",
    ]

    starts_at = forms.DateTimeField(
        label=gettext_lazy("Starts"), widget=LocalDateTimeInput(), input_formats=[LOCAL_TIME]
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("Ends"), widget=LocalDateTimeInput(), input_formats=[LOCAL_TIME]
    )
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Gathering
        fields = [
            "title",
            "description",
            "starts_at",
            "ends_at",
            "time_zone",
            "format",
            "place_name",
            "latitude",
            "longitude",
            "online_link",
            "link_is_open",
            "sectors",
            "themes",
            "booking_link",
            "capacity_note",
            "recording_link",
            "notes",
        ]
        widgets = {
            "format": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6}),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "sectors": forms.CheckboxSelectMultiple,
        }
        field_classes = {"sectors": SectorsField, "themes": ThemesField}
        labels = {"place_name": gettext_lazy("Town, village or postcode")}
        help_texts = {
            "time_zone": gettext_lazy("The times above are as the clock reads there."),
            "place_name": gettext_lazy(
                "In person only. A gathering's place is public: it is shown where it is."
            ),
            "online_link": gettext_lazy("Online only: where people join."),
            "recording_link": gettext_lazy("Once it is over: a recording people can watch."),
            "notes": gettext_lazy("Once it is over: what was said, or where to read more."),
        }
        error_messages = {
            "title": {"required": gettext_lazy("Please give the gathering a title.")},
            "description": {
                "required": gettext_lazy("Please say what the gathering is about, and for whom.")
            },
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = Gathering.Format.choices  # no empty choice for radios
        self.fields["place_name"].required = False
        for form_field in self.fields.values():
            form_field.error_messages["max_length"] = TOO_LONG
        for name in self.OPTIONAL_FIELDS:
            self.fields[name].label_suffix = OPTIONAL_LABEL
            self.fields[name].required = False
        for name in ["online_link", "booking_link", "recording_link"]:
            self.fields[name].error_messages["invalid"] = NOT_THIS_WEB_ADDRESS
        if self.instance.pk and not self.is_bound:
            # Shown as the clock reads where it happens.
            self.initial["starts_at"] = self.instance.local_start.strftime(LOCAL_TIME)
            self.initial["ends_at"] = self.instance.local_end.strftime(LOCAL_TIME)

    def clean(self):
        cleaned = super().clean()
        for name in ["online_link", "booking_link", "recording_link"]:
            if link := cleaned.get(name):
                try:
                    HTTP_URL(link)  # URLField alone also accepts ftp:// links
                except forms.ValidationError:
                    self.add_error(name, not_a_web_address(link))
        zone = zoneinfo.ZoneInfo(cleaned.get("time_zone") or DEFAULT_TIME_ZONE)
        for name in ["starts_at", "ends_at"]:
            if isinstance(cleaned.get(name), datetime):
                # Typed as local time there, whatever the server's time zone.
                cleaned[name] = timezone.make_aware(timezone.make_naive(cleaned[name]), zone)
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at < starts_at:
            self.add_error("ends_at", _("The gathering cannot end before it starts."))
        if cleaned.get("format") == Gathering.Format.ONLINE:
            if not cleaned.get("online_link"):
                self.add_error("online_link", _("Please give the link where people join."))
        elif cleaned.get("format") == Gathering.Format.IN_PERSON:
            self._clean_location(cleaned)
        return cleaned


class NewGatheringForm(IssuedForm, GatheringForm):
    """A new gathering: its form is stamped when given out, so that a second click posts
    nothing more."""

    def clean_started(self):
        if self.submission_id is None:
            raise forms.ValidationError(
                _("This form could not be checked. Please open it again from your page.")
            )
        return self.cleaned_data["started"]


class GatheringFilterForm(ForgivingFilterForm):
    """The gatherings list's filters, which the iCalendar feed reads too."""

    sector = sector_choice(gettext_lazy("Sector"))
    theme = forms.ModelChoiceField(
        label=gettext_lazy("Theme"),
        required=False,
        queryset=Tag.objects.none(),  # set per form: public() depends on the time
        to_field_name="slug",
        empty_label=gettext_lazy("All themes"),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("In person or online"),
        required=False,
        choices=[("", gettext_lazy("Either")), *Gathering.Format.choices],
    )
    near = forms.CharField(
        label=gettext_lazy("Near"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Town or postcode")}),
    )
    radius = forms.TypedChoiceField(
        label=gettext_lazy("Within"),
        required=False,
        coerce=int,
        choices=RADIUS_CHOICES,
        empty_value=DEFAULT_RADIUS_KM,
        initial=DEFAULT_RADIUS_KM,
    )

    NOTES = {
        "sector": gettext_lazy("We ignored a sector we do not know."),
        "theme": gettext_lazy("We ignored a theme that no gathering has yet."),
        "format": gettext_lazy("We ignored a kind of gathering we do not know."),
        "radius": gettext_lazy("We ignored a distance we do not offer and looked within 25 km."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only themes a visitor can find a gathering under.
        self.fields["theme"].queryset = (
            Tag.objects.filter(gathering__in=Gathering.objects.public()).distinct().order_by("name")
        )

    @property
    def is_filtered(self) -> bool:
        # The radius alone (always set, to the default at least) narrows nothing.
        chosen = self.filters()
        return any(chosen[name] for name in ["sector", "theme", "format", "near"])

    def clean_near(self) -> str:
        return self.cleaned_data["near"].strip()[:MAX_QUERY_LENGTH]

    def apply(self, gatherings: GatheringQuerySet) -> GatheringQuerySet:
        chosen = self.filters()
        if chosen["sector"]:
            gatherings = gatherings.in_sector(chosen["sector"])
        if chosen["theme"]:
            gatherings = gatherings.with_theme(chosen["theme"].slug)
        if chosen["format"]:
            gatherings = gatherings.filter(format=chosen["format"])
        if chosen["near"]:
            if candidates := lookup_place(chosen["near"]):
                place = candidates[0]
                return gatherings.near(
                    latitude=place.latitude,
                    longitude=place.longitude,
                    radius_km=min(chosen["radius"] or DEFAULT_RADIUS_KM, MAX_RADIUS_KM),
                )
            self.note(
                _("We could not find “%(place)s”. %(help)s")
                % {"place": chosen["near"], "help": UNKNOWN_PLACE_HELP}
            )
        return gatherings
