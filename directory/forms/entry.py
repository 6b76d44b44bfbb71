"""An entry as its owner writes it: joining the map, editing later, and asking for a link."""

import copy

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.models import Tag

from ..geo import UNKNOWN_PLACE_HELP, is_within_reach, lookup_place, parse_postcode
from ..models import EDITABLE_FIELDS, MAX_LINKS, OWNER_FIELDS, Entry, PendingChanges
from .bots import BotCheckedForm
from .fields import (
    HTTP_URL,
    NOT_THIS_WEB_ADDRESS,
    OPTIONAL_LABEL,
    TOO_LONG,
    SectorsField,
    ThemesField,
    not_a_web_address,
)

PRACTITIONER_OR_ORGANISATION = gettext_lazy(
    "Please choose whether you are joining as a practitioner or an organisation."
)
MAX_LINK_LENGTH = 300


class PlacePicking:
    """For a model form with the place picker's fields (place_name, latitude, longitude) and
    a region: the one place rule for entries and gatherings alike."""

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
                if is_within_reach(place, latitude=latitude, longitude=longitude)
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

    def save(self, commit=True):
        placed = super().save(commit=False)
        placed.region = self.cleaned_data.get("region", placed.region)
        if commit:
            placed.save()
            self.save_m2m()
        return placed


class EntryForm(PlacePicking, forms.ModelForm):
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
        # All an owner writes but the region, which comes with the place a lookup finds.
        fields = [name for name in OWNER_FIELDS if name != "region"]
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

    def changes(self) -> PendingChanges:
        """The owner's edit, for lifecycle.submit_owner_changes."""
        return PendingChanges(
            fields={
                name: self.cleaned_data[name]
                for name in EDITABLE_FIELDS
                if name in self.cleaned_data
            },
            sectors=[sector.pk for sector in self.cleaned_data["sectors"]],
            themes=list(self.cleaned_data["themes"]),
        )


class JoinForm(BotCheckedForm, EntryForm):
    """The public join form: the entry, consent, and two quiet checks against bots."""

    consent = forms.BooleanField(
        label=gettext_lazy(
            "I agree that what I have written here, apart from my email address, will be public "
            "on the map, as the privacy page explains."
        ),
        error_messages={"required": gettext_lazy("Please tick to agree, or we cannot add you.")},
    )


def new_join_form() -> JoinForm:
    return JoinForm.issued(initial={"show_exact_location": True})


class ManageLinkRequestForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your email address"), max_length=254)
