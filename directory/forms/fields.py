"""Pieces the owners' forms and the importer share: web addresses, lengths, sectors, themes."""

from django import forms
from django.core.validators import URLValidator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy
from taggit.forms import TagField

from ..models import check_themes

# The one check for a web address, here and in the importer: URLField alone also accepts
# ftp:// links. Forms that want their own wording catch its error.
HTTP_URL = URLValidator(
    schemes=["http", "https"], message="Enter a web address starting with http:// or https://."
)
OPTIONAL_LABEL = format_html(' <span class="optional">{}</span>', gettext_lazy("(optional)"))
TOO_LONG = gettext_lazy(
    "Please shorten this to %(limit_value)d characters or fewer: it has %(show_value)d now."
)


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
