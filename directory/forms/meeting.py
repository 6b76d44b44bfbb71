"""The meeting place's forms: writing to an owner or the team, reporting a page, and the
resources entries share."""

from django import forms
from django.utils.translation import gettext_lazy
from taggit.models import Tag

from ..models import ContactMessage, Entry, PendingChanges, Report, Resource, TeamMessage
from .bots import BotCheckedForm
from .fields import HTTP_URL, ThemesField


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
        """The kept resources, for lifecycle.submit_owner_changes."""
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
