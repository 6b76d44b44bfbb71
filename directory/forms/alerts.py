"""Alerts: what a visitor asks to hear about, and where."""

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.models import Tag

from ..geo import MAX_QUERY_LENGTH, UNKNOWN_PLACE_HELP, is_within_reach, lookup_place
from ..models import AlertSubscription, Sector
from .bots import BotCheckedForm
from .fields import SectorsField, ThemesField
from .filters import DEFAULT_RADIUS_KM, RADIUS_CHOICES, BoundsField, CoordinateField, EntryFilters

AREA_FIELDS = ["place_name", "latitude", "longitude", "radius_km", "south", "west", "north", "east"]


class AlertForm(forms.ModelForm):
    """An alert's choices, as its subscriber changes them from their private link. The area is
    a place and a radius, else the map's view it was made from (a box), else anywhere."""

    near = forms.CharField(
        label=gettext_lazy("Near a town, village or postcode"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=gettext_lazy("Leave it empty to hear about the whole map."),
    )
    radius = forms.TypedChoiceField(
        label=gettext_lazy("Within"),
        choices=RADIUS_CHOICES,
        coerce=int,
        initial=DEFAULT_RADIUS_KM,
    )
    # Where the map had found the place, so that "Newport" stays the Newport it meant.
    lat = CoordinateField(name="lat", limit=90, widget=forms.HiddenInput)
    lng = CoordinateField(name="lng", limit=180, widget=forms.HiddenInput)
    bbox = BoundsField(required=False, widget=forms.HiddenInput)
    sectors = SectorsField(
        label=gettext_lazy("Sectors"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Choose none to hear about every sector."),
    )
    themes = ThemesField(
        label=gettext_lazy("Themes"),
        required=False,
        help_text=gettext_lazy(
            "Separated by commas: loneliness, mentoring. Leave it empty to hear about every theme."
        ),
    )

    class Meta:
        model = AlertSubscription
        fields = ["sectors", "wants_stories", "wants_gatherings", "frequency"]
        widgets = {"frequency": forms.RadioSelect}
        labels = {
            "wants_stories": gettext_lazy("Tell me about new stories too"),
            "wants_gatherings": gettext_lazy(
                "Tell me about new gatherings too (in the same area and fields, and online ones)"
            ),
            "frequency": gettext_lazy("How often"),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["frequency"].choices = AlertSubscription.Frequency.choices
        if not settings.ALERT_STORY_MODEL:
            del self.fields["wants_stories"]
        if self.instance.pk and not self.is_bound:
            self.initial |= self.initial_area(self.instance)

    @staticmethod
    def initial_area(subscription: AlertSubscription) -> dict:
        initial = {"themes": list(subscription.themes.all())}
        if subscription.has_place:
            initial |= {
                "near": subscription.place_name,
                "lat": subscription.latitude,
                "lng": subscription.longitude,
                "radius": subscription.radius_km,
            }
        elif subscription.has_box:
            box = (subscription.west, subscription.south, subscription.east, subscription.north)
            initial["bbox"] = ",".join(f"{number:f}" for number in box)
        return initial

    @classmethod
    def initial_from_map(cls, query) -> dict:
        """What the map was showing (its place, view, sector and theme), to start from."""
        filters = EntryFilters.from_query(query)
        initial = {"sectors": [filters.sector.pk] if filters.sector else []}
        if filters.theme:
            initial["themes"] = [filters.theme]
        if filters.near:
            return initial | {
                "near": filters.near.name,
                "lat": filters.near.latitude,
                "lng": filters.near.longitude,
                "radius": filters.radius_km,
            }
        if filters.bounds:
            initial["bbox"] = query.get("bbox")
        return initial

    def clean_themes(self) -> list[Tag]:
        """Themes entries already have: an alert can only wait for a theme it can match."""
        found, unknown = {}, []
        for name in self.cleaned_data["themes"]:
            tag = Tag.objects.filter(Q(name__iexact=name) | Q(slug=name)).first()
            if tag is None:
                unknown.append(f"“{name}”")
            else:
                found[tag.pk] = tag
        if unknown:
            raise forms.ValidationError(
                _(
                    "No entry has the theme %(themes)s yet, so an alert could not match it. "
                    "Please check the spelling, or leave it out."
                )
                % {"themes": ", ".join(unknown)}
            )
        return list(found.values())

    def clean(self):
        cleaned = super().clean()
        area = dict.fromkeys(AREA_FIELDS)
        if near := cleaned.get("near", "").strip():
            area |= self.place_area(near, cleaned)
        elif bounds := cleaned.get("bbox"):
            area |= {"south": bounds.south, "west": bounds.west}
            area |= {"north": bounds.north, "east": bounds.east}
        area["place_name"] = area["place_name"] or ""
        for name, value in area.items():
            setattr(self.instance, name, value)
        return cleaned

    def place_area(self, near: str, cleaned: dict) -> dict:
        latitude, longitude = cleaned.get("lat"), cleaned.get("lng")
        candidates = lookup_place(near)
        have_point = latitude is not None and longitude is not None
        # The point the map found is kept unless the person has since typed another place.
        if have_point and (
            not candidates
            or any(is_within_reach(p, latitude=latitude, longitude=longitude) for p in candidates)
        ):
            name = near
        elif candidates:
            name, latitude, longitude = (
                candidates[0].name,
                candidates[0].latitude,
                candidates[0].longitude,
            )
        else:
            self.add_error(
                "near",
                _("We could not find “%(place)s”. %(help)s")
                % {"place": near, "help": UNKNOWN_PLACE_HELP},
            )
            return {}
        return {
            "place_name": name[:120],
            "latitude": latitude,
            "longitude": longitude,
            "radius_km": cleaned.get("radius") or DEFAULT_RADIUS_KM,
        }

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.themes.set(self.cleaned_data["themes"])


class AlertSubscribeForm(BotCheckedForm, AlertForm):
    """A new alert from the public page: the choices, the address, and the join form's two
    checks against bots."""

    class Meta(AlertForm.Meta):
        fields = ["email", *AlertForm.Meta.fields]
        widgets = AlertForm.Meta.widgets | {
            "email": forms.EmailInput(attrs={"autocomplete": "email"})
        }
        labels = AlertForm.Meta.labels | {"email": gettext_lazy("Your email address")}
        help_texts = {
            "email": gettext_lazy(
                "Only for these alerts. Nobody else sees it, and the entries you hear about "
                "are never told it."
            )
        }
