"""Moderation decisions as admin actions: approve or reject an entry, approve or reject its
owner's changes. Each is one Decision taken the same way (directory.lifecycle saves the
entry and emails its owner); only what it applies to, does and says differs."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .. import lifecycle
from ..models import Entry

# Moderation decisions can be taken on a selection in the list or on the entry being read.
EVERYWHERE = [admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM]
# Django names a change form's action field after the location's prefix; the reject page and
# the held-changes buttons post to it so that Django routes them to the same actions.
CHANGE_FORM_ACTION_FIELD = f"{admin.ActionLocation.CHANGE_FORM.value}-action"
APPROVABLE = {Entry.Status.AWAITING_REVIEW, Entry.Status.REJECTED}
# A published entry may be taken down with a reason too; an unconfirmed address is never
# emailed, so entries awaiting confirmation cannot be rejected.
REJECTABLE = {Entry.Status.AWAITING_REVIEW, Entry.Status.PUBLISHED}


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=Entry._meta.get_field("rejection_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 70}),
        help_text=_(
            "Emailed to the submitter as you write it: say what would need to change for "
            "the entry to be published."
        ),
    )


class ChangesRejectionForm(RejectionForm):
    """The reason is optional here: the published version stays, and the owner is told
    either way."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = False
        self.fields["reason"].help_text = _(
            "Optional. Emailed to the owner as you write it: say what would need to change "
            "for these changes to be published."
        )


@dataclass(frozen=True)
class ReasonPage:
    """The page asking for a decision's reason. `intro` counts the entries decided on and
    `left_alone_note` the others, as %(count)d."""

    form: type[RejectionForm]
    title: str
    intro: str
    left_alone_note: str
    submit_label: str


@dataclass(frozen=True)
class Decision:
    """One moderation decision: which selected entries it applies to, what it does to each
    (a directory.lifecycle function), and what it tells the moderator. Counted texts are
    ngettext_lazy keyed on "count"."""

    action: str  # the admin action's name, which the reason page posts back
    applies_to: Callable[[Entry], bool]
    take: Callable[..., None]
    done: str
    left_alone: str
    # Said, and nothing done, when it applies to none of the selection; empty: report as usual.
    applies_to_none: str = ""
    reason_page: ReasonPage | None = None
    # Said when the entry's changes cannot be stored; empty: the error is not expected.
    cannot_take: str = ""


CHANGES_LEFT_ALONE = ngettext_lazy(
    "Left %(count)d entry alone: it has no changes awaiting review.",
    "Left %(count)d entries alone: they have no changes awaiting review.",
    "count",
)

APPROVE = Decision(
    action="approve",
    applies_to=lambda entry: entry.status in APPROVABLE,
    take=lifecycle.approve,
    done=ngettext_lazy(
        "Published %(count)d entry and emailed its submitter a link to the profile.",
        "Published %(count)d entries and emailed each submitter a link to the profile.",
        "count",
    ),
    left_alone=ngettext_lazy(
        "Left %(count)d entry alone: only entries awaiting review or rejected can be approved.",
        "Left %(count)d entries alone: only entries awaiting review or rejected can be approved.",
        "count",
    ),
)

REJECT = Decision(
    action="reject",
    applies_to=lambda entry: entry.status in REJECTABLE,
    take=lifecycle.reject,
    done=ngettext_lazy(
        "Rejected %(count)d entry and emailed the reason to its submitter.",
        "Rejected %(count)d entries and emailed the reason to each submitter.",
        "count",
    ),
    left_alone=ngettext_lazy(
        "Left %(count)d entry alone: only entries awaiting review or published can be rejected.",
        "Left %(count)d entries alone: only entries awaiting review or published can be rejected.",
        "count",
    ),
    applies_to_none=_(
        "Nothing was rejected: only entries awaiting review or published can be rejected."
    ),
    reason_page=ReasonPage(
        form=RejectionForm,
        title=_("Reject with a reason"),
        intro=ngettext_lazy(
            "This entry will be rejected, and its submitter emailed the reason you give:",
            "These %(count)d entries will be rejected, and each submitter emailed the reason "
            "you give:",
            "count",
        ),
        left_alone_note=ngettext_lazy(
            "This one will be left alone: only entries awaiting review or published can be "
            "rejected.",
            "These %(count)d will be left alone: only entries awaiting review or published "
            "can be rejected.",
            "count",
        ),
        submit_label=_("Reject and email the reason"),
    ),
)

APPROVE_CHANGES = Decision(
    action="approve_changes",
    applies_to=lambda entry: bool(entry.pending_changes),
    take=lifecycle.approve_changes,
    done=ngettext_lazy(
        "Published the owner's changes to %(count)d entry and emailed its owner.",
        "Published the owners' changes to %(count)d entries and emailed each owner.",
        "count",
    ),
    left_alone=CHANGES_LEFT_ALONE,
    cannot_take=_(
        "Could not publish the changes to “%(entry)s”: %(problem)s Reject them, and its owner "
        "can send them again."
    ),
)

REJECT_CHANGES = Decision(
    action="reject_changes",
    applies_to=lambda entry: bool(entry.pending_changes),
    take=lifecycle.reject_changes,
    done=ngettext_lazy(
        "Discarded the owner's changes to %(count)d entry and emailed its owner; the "
        "published version stays.",
        "Discarded the owners' changes to %(count)d entries and emailed each owner; the "
        "published versions stay.",
        "count",
    ),
    left_alone=CHANGES_LEFT_ALONE,
    reason_page=ReasonPage(
        form=ChangesRejectionForm,
        title=_("Reject the owner's changes"),
        intro=ngettext_lazy(
            "The owner's changes to this entry will be discarded and the published version "
            "kept. The owner is emailed, with your reason if you give one:",
            "The owners' changes to these %(count)d entries will be discarded and the "
            "published versions kept. Each owner is emailed, with your reason if you give one:",
            "count",
        ),
        left_alone_note=ngettext_lazy(
            "This one has no changes awaiting review and will be left alone.",
            "These %(count)d have no changes awaiting review and will be left alone.",
            "count",
        ),
        submit_label=_("Reject and email the owner"),
    ),
)


class ModerationActions:
    """The four decisions as actions of the entry admin, each taken by decide()."""

    @admin.action(
        description=_("Approve and publish"),
        description_plural=_("Approve and publish the selected entries"),
        permissions=["change"],
        location=EVERYWHERE,
    )
    def approve(self, request, queryset):
        return self.decide(request, queryset, APPROVE)

    @admin.action(
        description=_("Reject with a reason…"),
        description_plural=_("Reject the selected entries with a reason…"),
        permissions=["change"],
        location=EVERYWHERE,
    )
    def reject(self, request, queryset):
        return self.decide(request, queryset, REJECT)

    @admin.action(
        description=_("Approve the owner's changes"),
        description_plural=_("Approve the owners' changes to the selected entries"),
        permissions=["change"],
        location=EVERYWHERE,
    )
    def approve_changes(self, request, queryset):
        return self.decide(request, queryset, APPROVE_CHANGES)

    @admin.action(
        description=_("Reject the owner's changes"),
        description_plural=_("Reject the owners' changes to the selected entries"),
        permissions=["change"],
        location=EVERYWHERE,
    )
    def reject_changes(self, request, queryset):
        return self.decide(request, queryset, REJECT_CHANGES)

    def decide(self, request, queryset, decision: Decision):
        entries, left_alone = partition(queryset, decision.applies_to)
        if not entries and decision.applies_to_none:
            self.message_user(request, decision.applies_to_none, messages.WARNING)
            return None
        reason = {}
        if decision.reason_page and entries:
            # The first visit comes from the action menu; the reason page then posts it.
            page = decision.reason_page
            form = page.form(request.POST if "reason" in request.POST else None)
            if not form.is_valid():
                return self.ask_for_reason(request, decision, form, entries, left_alone)
            reason = {"reason": form.cleaned_data["reason"]}
        taken = 0
        for entry in entries:
            try:
                decision.take(entry=entry, **reason)
            except ValidationError as error:
                if not decision.cannot_take:
                    raise
                problem = {"entry": entry, "problem": " ".join(error.messages)}
                self.message_user(request, decision.cannot_take % problem, messages.ERROR)
            else:
                taken += 1
        if taken:
            self.message_user(request, decision.done % {"count": taken}, messages.SUCCESS)
        if left_alone:
            count = {"count": len(left_alone)}
            self.message_user(request, decision.left_alone % count, messages.WARNING)
        return None

    def ask_for_reason(self, request, decision: Decision, form, entries, left_alone):
        """The second step of a decision with a reason, posted back to the page the action
        came from (the list or one entry's form)."""
        page = decision.reason_page
        on_change_form = CHANGE_FORM_ACTION_FIELD in request.POST
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "action": decision.action,
            "entries": entries,
            "left_alone": left_alone,
            "form": form,
            "action_field": CHANGE_FORM_ACTION_FIELD if on_change_form else "action",
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "cancel_url": request.get_full_path(),
            "title": page.title,
            "intro": page.intro % {"count": len(entries)},
            "left_alone_note": page.left_alone_note % {"count": len(left_alone)},
            "submit_label": page.submit_label,
        }
        return TemplateResponse(request, "admin/directory/entry/reject_confirmation.html", context)


def partition(entries, keep) -> tuple[list[Entry], list[Entry]]:
    """Split a selection before acting on it: acting changes the rows a filtered queryset
    would find if it were evaluated again."""
    kept, left = [], []
    for entry in entries:
        (kept if keep(entry) else left).append(entry)
    return kept, left
