"""An owner's "we work with": finding the other entry by name, then saying how."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..geo import MAX_QUERY_LENGTH
from ..models import Connection, Entry

# A short list to choose from; a longer one means the name needs more letters.
CANDIDATES_SHOWN = 10


class ConnectionSearchForm(forms.Form):
    """The other entry's name, as far as the owner remembers it."""

    name = forms.CharField(
        label=_("Their name on the map"), max_length=MAX_QUERY_LENGTH, required=False
    )

    def found(self, *, proposer: Entry) -> list[Entry]:
        """Public entries, other than the proposer, whose names hold every word typed: up
        to one more than CANDIDATES_SHOWN, so that the page can say when there are more."""
        words = self.cleaned_data["name"].split() if self.is_valid() else []
        if not words:
            return []
        candidates = Entry.objects.public().exclude(pk=proposer.pk)
        for word in words:
            candidates = candidates.filter(name__icontains=word)
        return list(candidates.order_by("name", "pk")[: CANDIDATES_SHOWN + 1])


class ConnectionProposalForm(forms.ModelForm):
    """Which of the entries found, how the two work together, and a phrase. Any public entry
    is accepted (the list shown may be older than the map), and the rules that need both
    sides (not twice, not too many) are checked by directory.connections.propose."""

    partner = forms.ModelChoiceField(
        label=_("Who you work with"),
        queryset=Entry.objects.none(),
        to_field_name="slug",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Please choose the entry you work with."),
            "invalid_choice": _("That entry is no longer on the map. Please search for it again."),
        },
    )

    class Meta:
        model = Connection
        fields = ["partner", "kind", "phrase"]
        labels = {"phrase": _("In a few words (optional)")}
        error_messages = {"kind": {"required": _("Please say how you work together.")}}

    def __init__(self, *args, proposer: Entry, found: list[Entry], **kwargs):
        super().__init__(*args, **kwargs)
        partner = self.fields["partner"]
        partner.queryset = Entry.objects.public().exclude(pk=proposer.pk)
        # Only the entries found are offered, each with its place to tell namesakes apart.
        partner.choices = [
            (entry.slug, f"{entry.name} ({entry.place_name})") for entry in found[:CANDIDATES_SHOWN]
        ]
