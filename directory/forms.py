import copy
import secrets
import time
from dataclasses import dataclass, field

from django import forms
from django.core import signing
from django.core.exceptions import BadRequest
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.forms import TagField
from taggit.models import Tag

from .geo import UNKNOWN_PLACE_HELP, Place, distance_km, lookup_place, parse_postcode
from .models import (
    EDITABLE_FIELDS,
    MAX_LINKS,
    ContactMessage,
    Entry,
    EntryQuerySet,
    PendingChanges,
    Report,
    Resource,
    Sector,
    TeamMessage,
    check_themes,
)

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

    @property
    def refinement_count(self) -> int:
        """The filters in use besides the place, as the map's "Filters (2)" button counts them:
        the place has its own search box, and a radius is counted only when it is not the
        default and there is a place for it to narrow around."""
        custom_radius = bool(self.near) and self.radius_km != DEFAULT_RADIUS_KM
        return sum(map(bool, [self.text, self.kind, self.sector, self.theme, custom_radius]))


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


HTTP_URL = URLValidator(schemes=["http", "https"])
OPTIONAL_LABEL = format_html(' <span class="optional">{}</span>', gettext_lazy("(optional)"))
TOO_LONG = gettext_lazy(
    "Please shorten this to %(limit_value)d characters or fewer: it has %(show_value)d now."
)


PRACTITIONER_OR_ORGANISATION = gettext_lazy(
    "Please choose whether you are joining as a practitioner or an organisation."
)
MAX_LINK_LENGTH = 300


NOT_THIS_WEB_ADDRESS = gettext_lazy(
    "“%(value)s” is not a web address. Please give one starting with https:// or http://, "
    "such as https://example.org."
)


def not_a_web_address(value: str) -> forms.ValidationError:
    return forms.ValidationError(NOT_THIS_WEB_ADDRESS, params={"value": value[:80]})


class SectorsField(forms.ModelMultipleChoiceField):
    """Sectors chosen by id. An id larger than any database integer is a choice we do not
    have: SQLite raises OverflowError (a 500) for it, where PostgreSQL finds nothing."""

    LARGEST_ID = 2**63 - 1

    def clean(self, value):
        for choice in value if isinstance(value, list | tuple) else []:
            try:
                too_large = abs(int(choice)) > self.LARGEST_ID
            except (TypeError, ValueError):
                continue  # not a number at all: Django's own check refuses it
            if too_large:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": choice},
                )
        return super().clean(value)


class ThemesField(TagField):
    """Themes separated by commas, each short enough to be stored and found again."""

    def clean(self, value) -> list[str]:
        names = super().clean(value)
        check_themes(names)
        return names


class EntryForm(forms.ModelForm):
    """An entry as its owner writes it: used to join the map and, later, to edit. Optional
    fields say so in their label; each error says what is wrong and how to put it right."""

    # The place is not among them although it is not required: a point picked on the map
    # will do instead, and _clean_location asks for one or the other.
    OPTIONAL_FIELDS = [
        "description",
        "inspiration",
        "themes",
        "organisation_type",
        "website",
        "links",
    ]

    links = forms.CharField(
        label=gettext_lazy("Other links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Up to %(count)s, one per line: a blog, a social media profile, a report."
        )
        % {"count": MAX_LINKS},
    )
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Entry
        fields = [
            "kind",
            "name",
            "summary",
            "description",
            "inspiration",
            "sectors",
            "themes",
            "organisation_type",
            "place_name",
            "latitude",
            "longitude",
            "show_exact_location",
            "website",
            "links",
            "contact_email",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "inspiration": forms.Textarea(attrs={"rows": 4}),
            "sectors": forms.CheckboxSelectMultiple,
        }
        field_classes = {"sectors": SectorsField, "themes": ThemesField}
        labels = {"place_name": gettext_lazy("Town, village or postcode")}
        error_messages = {
            "kind": {
                "required": PRACTITIONER_OR_ORGANISATION,
                "invalid_choice": PRACTITIONER_OR_ORGANISATION,
            },
            "name": {"required": gettext_lazy("Please give your name, or your organisation's.")},
            "summary": {
                "required": gettext_lazy(
                    "Please write a sentence or two about what you do, and for whom."
                )
            },
            "sectors": {
                "required": gettext_lazy("Please choose at least one sector you work in."),
                "invalid_choice": gettext_lazy("Please choose sectors from the list."),
                "invalid_pk_value": gettext_lazy("Please choose sectors from the list."),
            },
            "organisation_type": {
                "invalid_choice": gettext_lazy("Please choose an organisation type from the list.")
            },
            "contact_email": {
                "required": gettext_lazy(
                    "Please give your email address: we need it to confirm your entry, and we "
                    "never show it."
                ),
                "invalid": gettext_lazy(
                    "“%(value)s” is not an email address. Please check it: it should look like "
                    "name@example.org."
                ),
            },
        }
        help_texts = {
            "kind": gettext_lazy(
                "Organisations are also asked their organisation type and whether to show "
                "their exact location."
            ),
            "name": gettext_lazy("Your name, or your organisation's."),
            "summary": gettext_lazy("One or two sentences: what you do, and for whom."),
            "description": gettext_lazy("Plain text; leave a blank line between paragraphs."),
            "themes": gettext_lazy(
                "Words people might search for, separated by commas: loneliness, mentoring."
            ),
            "place_name": gettext_lazy(
                "A postcode is only used to find its area: we never show it, and individuals "
                "appear on the map about a kilometre from their real location."
            ),
            "show_exact_location": gettext_lazy(
                "Organisations only. Untick to appear about a kilometre away instead."
            ),
            "contact_email": gettext_lazy(
                "Never shown. We use it to confirm your entry and to pass on messages."
            ),
        }

    @classmethod
    def for_owner(cls, entry: Entry, data=None) -> "EntryForm":
        """The owner's edit form, showing the changes waiting for review if there are any.
        Bound to a copy of the entry, because a ModelForm writes what it cleans onto its
        instance, and the entry must stay as it is until the edit is compared and approved."""
        draft, initial = copy.copy(entry), {}
        if held := entry.held_changes:
            for name, value in held.fields.items():
                setattr(draft, name, value)
            if held.sectors is not None:
                initial["sectors"] = held.sectors
            if held.themes is not None:
                # TagField shows Tag objects; unsaved ones carry the names.
                initial["themes"] = [Tag(name=name) for name in held.themes]
        form = cls(data, instance=draft, initial=initial)
        form.shows_pending = bool(held)
        return form

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["sectors"].help_text = gettext_lazy("Choose one or more.")
        self.fields["kind"].choices = Entry.Kind.choices  # no empty choice for radios
        self.fields["organisation_type"].required = False
        self.fields["place_name"].required = False  # a point picked on the map will do
        for form_field in self.fields.values():
            form_field.error_messages["max_length"] = TOO_LONG
        for name in self.OPTIONAL_FIELDS:
            self.fields[name].label_suffix = OPTIONAL_LABEL
        self.fields["website"].error_messages["invalid"] = NOT_THIS_WEB_ADDRESS
        if self.instance.pk and not self.is_bound:
            self.initial["links"] = "\n".join(self.instance.links)

    def clean_website(self) -> str:
        website = self.cleaned_data["website"]
        if website:
            try:
                HTTP_URL(website)  # URLField alone also accepts ftp:// links
            except forms.ValidationError:
                raise not_a_web_address(website) from None
        return website

    def clean_links(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise forms.ValidationError(
                _("Please give at most %(count)s links: you gave %(given)s.")
                % {"count": MAX_LINKS, "given": len(lines)}
            )
        for line in lines:
            if len(line) > MAX_LINK_LENGTH:
                raise forms.ValidationError(
                    _(
                        "Please keep each link to %(count)s characters or fewer: “%(link)s…” "
                        "has %(length)s."
                    )
                    % {"count": MAX_LINK_LENGTH, "link": line[:30], "length": len(line)}
                )
            try:
                HTTP_URL(line)
            except forms.ValidationError:
                raise not_a_web_address(line) from None
        return lines

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Entry.Kind.PRACTITIONER:
            # The organisations' questions do not apply: a practitioner has no organisation
            # type and is always shown about a kilometre away, whatever the box says (and
            # keeping the stored value means an edit does not count it as a change).
            cleaned["organisation_type"] = ""
            cleaned["show_exact_location"] = self.instance.show_exact_location
        self._clean_location(cleaned)
        return cleaned

    def _clean_location(self, cleaned: dict) -> None:
        """A point picked on the map wins; otherwise the typed place is looked up. A full
        postcode is never stored: it becomes its district, which is what the map shows."""
        place_text = cleaned.get("place_name", "").strip()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        candidates = lookup_place(place_text) if place_text else []
        if latitude is not None and longitude is not None:
            if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                self.add_error("place_name", _("That point is not on the map. Please pick again."))
                return
            nearby = [
                place
                for place in candidates
                if distance_km(place.latitude, place.longitude, latitude, longitude) <= 30
            ]
            if not place_text or parse_postcode(place_text):
                cleaned["place_name"] = nearby[0].name if nearby else _("A place on the map")
            cleaned["region"] = nearby[0].area if nearby else ""
            return
        if not place_text:
            self.add_error(
                "place_name", _("Please type a town or postcode, or pick your place on the map.")
            )
        elif not candidates:
            self.add_error(
                "place_name",
                _("We could not find “%(place)s”. %(help)s")
                % {"place": place_text, "help": UNKNOWN_PLACE_HELP},
            )
        else:
            place = candidates[0]
            cleaned["latitude"], cleaned["longitude"] = place.latitude, place.longitude
            cleaned["place_name"], cleaned["region"] = place.name, place.area

    def changes(self) -> PendingChanges:
        """The owner's edit, for moderation.submit_owner_changes."""
        return PendingChanges(
            fields={
                name: self.cleaned_data[name]
                for name in EDITABLE_FIELDS
                if name in self.cleaned_data
            },
            sectors=[sector.pk for sector in self.cleaned_data["sectors"]],
            themes=list(self.cleaned_data["themes"]),
        )

    def save(self, commit=True):
        entry = super().save(commit=False)
        entry.region = self.cleaned_data.get("region", entry.region)
        if commit:
            entry.save()
            self.save_m2m()
        return entry


MIN_SECONDS_TO_FILL_IN = 3
STARTED_SALT = "directory.join.started"  # named for the join form, where it began


class BotCheckedForm(forms.Form):
    """Two quiet checks against bots, for the public forms that reach people: the join form,
    Contact us and reports. Pair them with a rate limit (directory/ratelimits.py)."""

    # Hidden from people by CSS; bots that fill every field give themselves away.
    company_fax = forms.CharField(
        required=False,
        label=gettext_lazy("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)

    @classmethod
    def issued(cls, *, initial: dict | None = None):
        """A new, empty form stamped with the time it was given out."""
        started = signing.dumps(
            {"nonce": secrets.token_hex(8), "at": time.time()}, salt=STARTED_SALT
        )
        return cls(initial=(initial or {}) | {"started": started})

    def looks_automated(self) -> bool:
        """A bot: it filled the hidden field, or sent the form back faster than a person
        could, or not as we gave it out."""
        started = self.issued_stamp()
        return bool(
            self.data.get("company_fax")
            or started is None
            or time.time() - started["at"] < MIN_SECONDS_TO_FILL_IN
        )

    def issued_stamp(self) -> dict | None:
        try:
            return signing.loads(self.data.get("started", ""), salt=STARTED_SALT, max_age=86400)
        except signing.BadSignature:
            return None


class JoinForm(BotCheckedForm, EntryForm):
    """The public join form: the entry, consent, and two quiet checks against bots."""

    consent = forms.BooleanField(
        label=gettext_lazy(
            "I agree that what I have written here, apart from my email address, will be public "
            "on the map, as the privacy page explains."
        ),
        error_messages={"required": gettext_lazy("Please tick to agree, or we cannot add you.")},
    )

    @property
    def submission_id(self) -> str:
        """The same for every post of one filled-in form, so a second click is spotted."""
        return self.issued_stamp()["nonce"]


def new_join_form() -> JoinForm:
    return JoinForm.issued(initial={"show_exact_location": True})


class ManageLinkRequestForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your email address"), max_length=254)


class ContactForm(forms.ModelForm):
    """A visitor's message to an entry's owner; the view sets the entry."""

    # Hidden from people by CSS, like the join form's; bots that fill every field give
    # themselves away.
    company_fax = forms.CharField(
        required=False,
        label=gettext_lazy("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = ContactMessage
        fields = ["sender_name", "sender_email", "body"]
        widgets = {
            "sender_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "sender_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "body": forms.Textarea(attrs={"rows": 8}),
        }
        labels = {"body": gettext_lazy("Your message")}
        help_texts = {
            "sender_email": gettext_lazy("So that they can reply to you."),
            "body": gettext_lazy("Up to 5,000 characters."),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def looks_automated(self) -> bool:
        return bool(self.data.get("company_fax"))


MAX_RESOURCES = 5
NOT_A_WEB_ADDRESS = gettext_lazy("Please give a web address starting with http:// or https://.")


class ResourceForm(forms.Form):
    """One shared resource as its owner writes it: a link, a title, a note and themes."""

    title = forms.CharField(
        label=gettext_lazy("Title"), max_length=Resource._meta.get_field("title").max_length
    )
    url = forms.URLField(
        label=gettext_lazy("Link"),
        max_length=Resource._meta.get_field("url").max_length,
        assume_scheme="https",
        error_messages={"invalid": NOT_A_WEB_ADDRESS},
        help_text=gettext_lazy("A web address starting with https:// or http://."),
    )
    note = forms.CharField(
        label=gettext_lazy("One-line note"),
        required=False,
        max_length=Resource._meta.get_field("note").max_length,
        help_text=gettext_lazy("What it is, and why others might find it useful."),
    )
    themes = ThemesField(
        label=gettext_lazy("Themes"),
        required=False,
        help_text=gettext_lazy("Separated by commas: loneliness, mentoring."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            HTTP_URL(url)  # URLField alone also accepts ftp:// links
        except forms.ValidationError:
            raise forms.ValidationError(NOT_A_WEB_ADDRESS) from None
        return url


class BaseResourceFormSet(forms.BaseFormSet):
    @classmethod
    def for_entry(cls, entry: Entry, data=None) -> "BaseResourceFormSet":
        """Prefilled with the resources waiting for review if there are any, otherwise with
        the published ones."""
        pending = held.resources if (held := entry.held_changes) else None
        if pending is not None:
            # TagField expects Tag objects as its initial value; unsaved ones carry the names.
            initial = [
                shared | {"themes": [Tag(name=name) for name in shared.get("themes", [])]}
                for shared in pending
            ]
        else:
            initial = [
                {"title": r.title, "url": r.url, "note": r.note, "themes": list(r.themes.all())}
                for r in entry.resources.prefetch_related("themes")
            ]
        formset = cls(data, initial=initial, prefix="resources")
        formset.shows_pending = pending is not None
        return formset

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = gettext_lazy("Remove this resource")

    def changes(self) -> PendingChanges:
        """The kept resources, for moderation.submit_owner_changes."""
        return PendingChanges(
            resources=[
                {
                    "title": form.cleaned_data["title"],
                    "url": form.cleaned_data["url"],
                    "note": form.cleaned_data["note"],
                    "themes": form.cleaned_data["themes"],
                }
                for form in self.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
        )


ResourceFormSet = forms.formset_factory(
    ResourceForm,
    formset=BaseResourceFormSet,
    extra=2,
    max_num=MAX_RESOURCES,
    validate_max=True,
    can_delete=True,
    can_delete_extra=False,
)


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


class TeamMessageForm(BotCheckedForm, ContactForm):
    """A visitor's message to the team ("Contact us"): the fields of a message to an entry,
    with both of the join form's checks against bots."""

    class Meta(ContactForm.Meta):
        model = TeamMessage
        help_texts = ContactForm.Meta.help_texts | {
            "sender_email": gettext_lazy("So that we can reply to you.")
        }


class ReportForm(BotCheckedForm, forms.ModelForm):
    """A visitor's report that a page breaks the rules; the view sets the page and entry."""

    class Meta:
        model = Report
        fields = ["reason", "details", "reporter_email"]
        widgets = {
            "reason": forms.RadioSelect,
            "details": forms.Textarea(attrs={"rows": 6}),
            "reporter_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        labels = {
            "reason": gettext_lazy("What is wrong?"),
            "details": gettext_lazy("Tell us more (optional)"),
            "reporter_email": gettext_lazy("Your email address (optional)"),
        }
        help_texts = {
            "details": gettext_lazy(
                "What you noticed, and where on the page. Up to 2,000 characters."
            ),
            "reporter_email": gettext_lazy(
                "Only if you are happy for a moderator to write to you with a question. "
                "We never pass it on."
            ),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = Report.Reason.choices  # no empty choice for radios
