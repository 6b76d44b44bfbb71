"""Filters read from a listing's query string: one family for the map, the shared resources,
the stories and the case maker.

Every listing is forgiving in the same way: a value we cannot use is dropped, or a text cut
short, with a note the page shows, so a stale or hand-edited link still shows something. The
one exception is geometry the map's own script sends (a box, a point, a radius): a bad one is
not a person's typing but a broken request, and is refused with a 400 saying what is wrong.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.models import Tag

from ..geo import MAX_QUERY_LENGTH, UNKNOWN_PLACE_HELP, Place, lookup_place
from ..models import Entry, EntryQuerySet, Resource, Sector

RADIUS_CHOICES = [(5, "5 km"), (10, "10 km"), (25, "25 km"), (50, "50 km"), (100, "100 km")]
DEFAULT_RADIUS_KM = 25
MAX_RADIUS_KM = 500


def cut(text: str, *, limit: int, part: str, notes: list[str]) -> str:
    """`text` cut to `limit` characters, with a note naming the `part`: a long value is
    shortened, never refused."""
    if len(text) <= limit:
        return text
    notes.append(
        _("Your %(part)s was longer than %(limit)s characters, so we cut it there.")
        % {"part": part, "limit": limit}
    )
    return text[:limit].rstrip()


ALL_SECTORS = gettext_lazy("All sectors")


def sector_choice(label, *, empty_label=ALL_SECTORS) -> forms.ModelChoiceField:
    """A sector chosen by its slug, as every listing's links carry it."""
    return forms.ModelChoiceField(
        label=label,
        required=False,
        queryset=Sector.objects.all(),
        to_field_name="slug",
        empty_label=empty_label,
    )


class ForgivingFilterForm(forms.Form):
    """Filters from a query string that combine. A value we cannot use is dropped with a note
    for the page (NOTES, by field name); a field in STRICT is refused with a 400 instead, its
    error as the reason. RENAMED maps a query parameter's old name to its new one, so that
    links people kept still work while the forms send the new name."""

    NOTES: dict[str, str] = {}
    STRICT: frozenset[str] = frozenset()
    RENAMED: dict[str, str] = {}

    def __init__(self, data=None, **kwargs):
        if data is not None and any(old in data for old in self.RENAMED):
            data = data.copy()
            for old, new in self.RENAMED.items():
                if old in data and new not in data:
                    data[new] = data[old]
        super().__init__(data, **kwargs)
        self.more_notes: list[str] = []

    def note(self, message: str) -> None:
        self.more_notes.append(message)

    @property
    def notes(self) -> list[str]:
        self.filters()
        return [self.NOTES[name] for name in self.errors if name in self.NOTES] + self.more_notes

    @property
    def is_filtered(self) -> bool:
        return any(self.filters().values())

    def filters(self) -> dict:
        """The values that could be used; the invalid ones are left out."""
        self.is_valid()
        for name in self.STRICT:
            if name in self.errors:
                raise BadRequest(self.errors[name][0])
        return {name: self.cleaned_data.get(name) for name in self.fields}


@dataclass(frozen=True)
class Bounds:
    south: float
    west: float
    north: float
    east: float


class BoundsField(forms.Field):
    """`west,south,east,north` in degrees, the order GeoJSON and Leaflet use."""

    def to_python(self, value) -> Bounds | None:
        if value in self.empty_values:
            return None
        try:
            west, south, east, north = (float(part) for part in value.split(","))
        except ValueError:
            raise ValidationError(_("bbox must be four numbers: west,south,east,north.")) from None
        if not (-90 <= south <= north <= 90 and -180 <= west <= 180 and -180 <= east <= 180):
            raise ValidationError(
                _("bbox is out of range: latitudes -90 to 90, longitudes -180 to 180.")
            )
        if west > east:
            raise ValidationError(_("bbox must have west not greater than east."))
        return Bounds(south=south, west=west, north=north, east=east)


class CoordinateField(forms.Field):
    """A latitude or longitude in degrees, named in its errors as the query names it."""

    def __init__(self, *, name: str, limit: float, **kwargs):
        self.name, self.limit = name, limit
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.error_messages["required"] = gettext_lazy("%(name)s must be a number.") % {
            "name": name
        }

    def to_python(self, value) -> float | None:
        if value in self.empty_values:
            return None
        try:
            number = float(value)
        except ValueError:
            raise ValidationError(_("%(name)s must be a number.") % {"name": self.name}) from None
        if not -self.limit <= number <= self.limit:
            raise ValidationError(_("%(name)s is out of range.") % {"name": self.name})
        return number


def parse_bbox(value: str) -> Bounds:
    return _parse_strictly(BoundsField(), value)


def parse_coordinate(value: str, *, name: str, limit: float) -> float:
    return _parse_strictly(CoordinateField(name=name, limit=limit, required=True), value)


def _parse_strictly(form_field: forms.Field, value: str):
    try:
        return form_field.clean(value)
    except ValidationError as error:
        raise BadRequest(error.messages[0]) from None


@dataclass
class EntryFilters:
    """What a visitor asked the map for, cleaned by EntryFilterForm."""

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
        return EntryFilterForm(params).entry_filters()

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

    @property
    def refinement_count(self) -> int:
        """The filters in use besides the place, as the map's "Filters (2)" button counts them:
        the place has its own search box, and a radius is counted only when it is not the
        default and there is a place for it to narrow around."""
        custom_radius = bool(self.near) and self.radius_km != DEFAULT_RADIUS_KM
        return sum(map(bool, [self.text, self.kind, self.sector, self.theme, custom_radius]))


class EntryFilterForm(ForgivingFilterForm):
    """The map's filters: the controls a visitor sees, and the geometry the map's script adds
    (a box, or a point with its place's name)."""

    # Without max_length: a longer search is cut with a note (clean_q), not dropped.
    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": MAX_QUERY_LENGTH}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("Everyone"))] + Entry.Kind.choices,
    )
    sector = sector_choice(gettext_lazy("Sector"))
    theme = forms.CharField(label=gettext_lazy("Theme"), required=False)
    near = forms.CharField(
        label=gettext_lazy("Near"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Town or postcode")}),
    )
    radius = forms.IntegerField(
        label=gettext_lazy("Within"),
        required=False,
        min_value=1,
        max_value=MAX_RADIUS_KM,
        initial=DEFAULT_RADIUS_KM,
        widget=forms.Select(choices=RADIUS_CHOICES),
        error_messages={
            "invalid": gettext_lazy("radius must be a whole number of kilometres."),
            "min_value": gettext_lazy("radius must be between 1 and 500 km."),
            "max_value": gettext_lazy("radius must be between 1 and 500 km."),
        },
    )
    lat = CoordinateField(name="lat", limit=90, widget=forms.HiddenInput)
    lng = CoordinateField(name="lng", limit=180, widget=forms.HiddenInput)
    bbox = BoundsField(required=False, widget=forms.HiddenInput)

    NOTES = {
        "kind": gettext_lazy("We ignored an unknown kind of entry."),
        "sector": gettext_lazy("We ignored a sector we do not know."),
    }
    STRICT = frozenset({"radius", "lat", "lng", "bbox"})

    @classmethod
    def for_query(cls, params) -> "EntryFilterForm":
        """Bound to the query, so the controls show what was asked, with the default radius
        when none was given."""
        data = params.copy()
        data.setdefault("radius", str(DEFAULT_RADIUS_KM))
        return cls(data)

    def clean_q(self) -> str:
        text = self.cleaned_data["q"].strip()
        return cut(text, limit=MAX_QUERY_LENGTH, part=_("search"), notes=self.more_notes)

    def clean(self):
        cleaned = super().clean()
        # A point comes as a pair: half of one is a broken request.
        for name, other in [("lat", "lng"), ("lng", "lat")]:
            if self.data.get(other) and not self.data.get(name) and name not in self.errors:
                self.add_error(name, _("%(name)s must be a number.") % {"name": name})
        return cleaned

    def entry_filters(self) -> EntryFilters:
        chosen = self.filters()
        theme_text = chosen["theme"][:MAX_QUERY_LENGTH]
        filters = EntryFilters(
            text=chosen["q"] or "",
            kind=chosen["kind"] or "",
            sector=chosen["sector"],
            theme=self._theme(theme_text),
            radius_km=chosen["radius"] or DEFAULT_RADIUS_KM,
            bounds=chosen["bbox"],
            notes=self.notes,
        )
        if theme_text and filters.theme is None:
            filters.notes.append(
                _("No entry has the theme “%(theme)s” yet.") % {"theme": theme_text}
            )
        place_text = self.data.get("near", "").strip()[:MAX_QUERY_LENGTH]
        if chosen["lat"] is not None:
            filters.near = Place(
                name=place_text or _("your chosen point"),
                area="",
                country_code="",
                latitude=chosen["lat"],
                longitude=chosen["lng"],
                kind="point",
            )
        elif place_text:
            if candidates := lookup_place(place_text):
                filters.near, *filters.other_places = candidates
            else:
                filters.notes.append(
                    _("We could not find “%(place)s”. %(help)s")
                    % {"place": place_text, "help": UNKNOWN_PLACE_HELP}
                )
        return filters

    @staticmethod
    def _theme(text: str) -> Tag | None:
        """Looked up only for the filters, not when the controls are drawn. Links carry the
        slug; a person may type the theme's name."""
        if not text:
            return None
        return Tag.objects.filter(Q(slug=text) | Q(name__iexact=text)).first()


class ResourceFilterForm(ForgivingFilterForm):
    """The shared resources' filters."""

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
    sector = sector_choice(gettext_lazy("Sector of whoever shared it"))

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
