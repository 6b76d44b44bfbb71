"""Filters read from a listing's query string."""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import BadRequest
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.models import Tag

from ..geo import UNKNOWN_PLACE_HELP, Place, lookup_place
from ..models import Entry, EntryQuerySet, Resource, Sector

RADIUS_CHOICES = [(5, "5 km"), (10, "10 km"), (25, "25 km"), (50, "50 km"), (100, "100 km")]
DEFAULT_RADIUS_KM = 25
MAX_RADIUS_KM = 500
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class Bounds:
    south: float
    west: float
    north: float
    east: float


def parse_bbox(value: str) -> Bounds:
    """`west,south,east,north` in degrees, the order GeoJSON and Leaflet use."""
    try:
        west, south, east, north = (float(part) for part in value.split(","))
    except ValueError:
        raise BadRequest(_("bbox must be four numbers: west,south,east,north.")) from None
    if not (-90 <= south <= north <= 90 and -180 <= west <= 180 and -180 <= east <= 180):
        raise BadRequest(_("bbox is out of range: latitudes -90 to 90, longitudes -180 to 180."))
    if west > east:
        raise BadRequest(_("bbox must have west not greater than east."))
    return Bounds(south=south, west=west, north=north, east=east)


def parse_coordinate(value: str, *, name: str, limit: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise BadRequest(_("%(name)s must be a number.") % {"name": name}) from None
    if not -limit <= number <= limit:
        raise BadRequest(_("%(name)s is out of range.") % {"name": name})
    return number


@dataclass
class EntryFilters:
    """What a visitor asked the map for, cleaned: each filter that could not be used is
    dropped with a note the page shows, and malformed geometry raises BadRequest (400)."""

    text: str = ""
    kind: str = ""
    sector: Sector | None = None
    theme: Tag | None = None
    near: Place | None = None
    other_places: list[Place] = field(default_factory=list)
    radius_km: int = DEFAULT_RADIUS_KM
    bounds: Bounds | None = None
    notes: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params) -> "EntryFilters":
        filters = cls()
        filters.text = params.get("q", "").strip()
        if len(filters.text) > MAX_QUERY_LENGTH:
            filters.text = filters.text[:MAX_QUERY_LENGTH]
            filters.notes.append(_("Your search was long, so we used its first 200 characters."))
        filters._clean_choices(params)
        filters._clean_near(params)
        if params.get("bbox"):
            filters.bounds = parse_bbox(params["bbox"])
        return filters

    def _clean_choices(self, params) -> None:
        if kind := params.get("kind", ""):
            if kind in Entry.Kind.values:
                self.kind = kind
            else:
                self.notes.append(_("We ignored an unknown kind of entry."))
        if slug := params.get("sector", ""):
            self.sector = Sector.objects.filter(slug=slug[:80]).first()
            if self.sector is None:
                self.notes.append(_("We ignored a sector we do not know."))
        if theme := params.get("theme", "")[:100]:
            # Links carry the slug; a person may type the theme's name.
            self.theme = Tag.objects.filter(Q(slug=theme) | Q(name__iexact=theme)).first()
            if self.theme is None:
                self.notes.append(_("No entry has the theme “%(theme)s” yet.") % {"theme": theme})

    def _clean_near(self, params) -> None:
        if params.get("radius"):
            try:
                self.radius_km = int(params["radius"])
            except ValueError:
                raise BadRequest(_("radius must be a whole number of kilometres.")) from None
            if not 1 <= self.radius_km <= MAX_RADIUS_KM:
                raise BadRequest(_("radius must be between 1 and 500 km."))
        place_text = params.get("near", "").strip()[:100]
        if params.get("lat") or params.get("lng"):
            latitude = parse_coordinate(params.get("lat", ""), name="lat", limit=90)
            longitude = parse_coordinate(params.get("lng", ""), name="lng", limit=180)
            self.near = Place(
                name=place_text or _("your chosen point"),
                area="",
                country_code="",
                latitude=latitude,
                longitude=longitude,
                kind="point",
            )
        elif place_text:
            candidates = lookup_place(place_text)
            if candidates:
                self.near, *self.other_places = candidates
            else:
                self.notes.append(
                    _("We could not find “%(place)s”. %(help)s")
                    % {"place": place_text, "help": UNKNOWN_PLACE_HELP}
                )

    def apply(self, entries: EntryQuerySet) -> EntryQuerySet:
        if self.kind:
            entries = entries.of_kind(self.kind)
        if self.sector:
            entries = entries.in_sector(self.sector)
        if self.theme:
            entries = entries.with_theme(self.theme.slug)
        if self.text:
            entries = entries.matching(self.text)
        if self.bounds:
            entries = entries.in_bounds(
                south=self.bounds.south,
                west=self.bounds.west,
                north=self.bounds.north,
                east=self.bounds.east,
            )
        if self.near:
            return entries.near(
                latitude=self.near.latitude,
                longitude=self.near.longitude,
                radius_km=self.radius_km,
            )
        return entries

    @property
    def is_filtered(self) -> bool:
        return any([self.text, self.kind, self.sector, self.theme, self.near, self.bounds])


class EntryFilterForm(forms.Form):
    """The filter controls as a visitor sees them (GET); EntryFilters does the cleaning."""

    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=MAX_QUERY_LENGTH)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("Everyone"))] + Entry.Kind.choices,
    )
    sector = forms.ModelChoiceField(
        label=gettext_lazy("Sector"),
        required=False,
        queryset=Sector.objects.all(),
        to_field_name="slug",
        empty_label=gettext_lazy("All sectors"),
    )
    theme = forms.CharField(label=gettext_lazy("Theme"), required=False, max_length=100)
    near = forms.CharField(
        label=gettext_lazy("Near"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Town or postcode")}),
    )
    radius = forms.TypedChoiceField(
        label=gettext_lazy("Within"),
        required=False,
        coerce=int,
        choices=RADIUS_CHOICES,
        initial=DEFAULT_RADIUS_KM,
    )

    @classmethod
    def for_query(cls, params) -> "EntryFilterForm":
        """Bound to the query, so the controls show what was asked, with the default radius
        when none was given."""
        data = params.copy()
        data.setdefault("radius", str(DEFAULT_RADIUS_KM))
        return cls(data)


class ForgivingFilterForm(forms.Form):
    """Filters from a query string that combine, where a value we cannot use is dropped with
    a note for the page (NOTES, by field name) instead of an error."""

    NOTES: dict[str, str] = {}

    @property
    def notes(self) -> list[str]:
        return [self.NOTES[name] for name in self.errors]

    @property
    def is_filtered(self) -> bool:
        return any(self.filters().values())

    def filters(self) -> dict:
        """The values that could be used; the invalid ones are left out."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields}


class ResourceFilterForm(ForgivingFilterForm):
    """The shared resources' filters, from the query string. They combine; a value we cannot
    use is dropped with a note for the page, never an error."""

    theme = forms.ModelChoiceField(
        label=gettext_lazy("Theme"),
        required=False,
        # Only themes a visitor can find a resource under.
        queryset=Tag.objects.filter(resource__in=Resource.objects.public())
        .distinct()
        .order_by("name"),
        to_field_name="slug",
        empty_label=gettext_lazy("All themes"),
    )
    sector = forms.ModelChoiceField(
        label=gettext_lazy("Sector of whoever shared it"),
        required=False,
        queryset=Sector.objects.all(),
        to_field_name="slug",
        empty_label=gettext_lazy("All sectors"),
    )

    NOTES = {
        "theme": gettext_lazy("We ignored a theme that no shared resource has yet."),
        "sector": gettext_lazy("We ignored a sector we do not know."),
    }

    def apply(self, resources):
        chosen = self.filters()
        if chosen["theme"]:
            resources = resources.with_theme(chosen["theme"].slug)
        if chosen["sector"]:
            resources = resources.in_sector(chosen["sector"])
        return resources
