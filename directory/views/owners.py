"""Joining the map and managing an entry from a private link: no passwords for the public."""

from functools import wraps

from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import lifecycle, ratelimits, tokens
from ..changes import EditInWords, waiting_for_review, what_changes
from ..connections import OwnersConnections
from ..forms import EntryForm, JoinForm, ManageLinkRequestForm, new_join_form

__all__ = [
    "join",
    "join_sent",
    "join_confirm",
    "manage_request",
    "manage_request_sent",
    "manage",
    "manage_edit",
    "manage_messages",
    "manage_withdraw",
    "manage_withdraw_changes",
    "manage_delete",
    "manage_data",
    "manage_new_link",
]


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def join(request):
    if request.method != "POST":
        return render(request, "directory/join.html", {"form": new_join_form()})
    form = JoinForm(request.POST)
    if not form.is_valid():
        # Errors first: a person who sends too soon still sees what to fix, and an
        # invalid form saves nothing, bot or not.
        return render(request, "directory/join.html", {"form": form})
    if form.looks_automated():
        # A plain answer for a bot; nothing is saved.
        return HttpResponseBadRequest(
            _("We could not accept this form."), content_type="text/plain"
        )
    if retry_at := ratelimits.retry_after(request, group="join"):
        form.add_error(None, rate_limit_message(retry_at))
        return render(request, "directory/join.html", {"form": form}, status=429)
    # A second click of the same form lands on the same page, without a second entry.
    lifecycle.submit_entry(
        entry=form.save(commit=False),
        sectors=form.cleaned_data["sectors"],
        themes=form.cleaned_data["themes"],
        submission_id=form.submission_id,
    )
    return redirect("directory:join_sent")


@require_safe
def join_sent(request):
    return render(request, "directory/join_sent.html")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def join_confirm(request, token):
    """GET shows a button and POST confirms, so that mail scanners that open links do not
    confirm on a person's behalf."""
    entry = tokens.entry_to_confirm(token)
    if entry is None:
        return render(request, "directory/link_invalid.html", status=404)
    confirmed_now = request.method == "POST" and lifecycle.confirm_email(entry=entry)
    return render(
        request, "directory/join_confirm.html", {"entry": entry, "confirmed_now": confirmed_now}
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage_request(request):
    """Ask for a fresh private link. The answer is the same whether or not we know the
    address, so that nobody can find out who is on the map."""
    form = ManageLinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if retry_at := ratelimits.retry_after(request, group="manage-link"):
            form.add_error(None, rate_limit_message(retry_at))
            return render(request, "directory/manage_request.html", {"form": form}, status=429)
        lifecycle.send_management_links(email=form.cleaned_data["email"])
        return redirect("directory:manage_request_sent")
    return render(request, "directory/manage_request.html", {"form": form})


@require_safe
def manage_request_sent(request):
    return render(request, "directory/manage_request_sent.html")


def with_managed_entry(view):
    """Resolve the private link to its entry, or show the friendly invalid-link page; keep
    these pages out of caches, search engines and other sites' logs. (same-origin, not
    no-referrer: with no-referrer browsers send "Origin: null" and CSRF refuses the forms.)"""

    @wraps(view)
    def wrapped(request, token, **kwargs):
        entry = tokens.entry_to_manage(token)
        if entry is None:
            response = render(request, "directory/link_invalid.html", status=404)
        else:
            response = view(request, entry=entry, token=token, **kwargs)
        return kept_private(response)

    return wrapped


def kept_private(response):
    """A page reached by a private link, kept out of caches, search engines and other sites'
    logs."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@with_managed_entry
def manage(request, *, entry, token):
    return render(request, "directory/manage.html", manage_context(entry, token))


def manage_context(entry, token, **extra) -> dict:
    """What the manage page shows: the entry, what waits for review, its connections."""
    return {
        "entry": entry,
        "token": token,
        "waiting": waiting_for_review(entry),
        "connections": OwnersConnections.of(entry),
        **extra,
    }


def owner_edit_refused(request) -> str | None:
    """Count an owner's edit against the address's limit; when over it, what to say. (Only
    edits: withdrawing and erasing are never limited.)"""
    retry_at = ratelimits.retry_after(request, group="owner-edit")
    return rate_limit_message(retry_at) if retry_at else None


def refused_on_manage_page(request, *, entry, token, refused: str, status: int = 429):
    context = manage_context(entry, token, refused=refused)
    return render(request, "directory/manage.html", context, status=status)


def edit_saved(request, *, entry, token, result: lifecycle.EditResult):
    """What became of the edit, part by part, and what now waits for a moderator."""
    context = {
        "entry": entry,
        "token": token,
        "outcome": result.outcome,
        "edit": EditInWords.of(before=result.before, after=result.after),
        "waiting": waiting_for_review(entry),
    }
    return render(request, "directory/manage_saved.html", context)


def owner_changes_page(request, *, entry, token, form, template: str):
    """A page where the owner changes their entry through `form` (its fields, or its shared
    resources; anything with changes()): a valid POST within the owner's edit limit goes to
    the lifecycle, and the next page says what became of each change. Over the limit, the
    form comes back as typed."""
    context = {"entry": entry, "token": token, "form": form}
    if request.method == "POST" and form.is_valid():
        if refused := owner_edit_refused(request):
            context["refused"] = refused
            return render(request, template, context, status=429)
        result = lifecycle.submit_owner_changes(entry=entry, changes=form.changes())
        return edit_saved(request, entry=entry, token=token, result=result)
    return render(request, template, context)


@require_http_methods(["GET", "HEAD", "POST"])
@with_managed_entry
def manage_edit(request, *, entry, token):
    form = EntryForm.for_owner(entry, data=request.POST or None)
    return owner_changes_page(
        request, entry=entry, token=token, form=form, template="directory/manage_edit.html"
    )


@require_POST
@with_managed_entry
def manage_messages(request, *, entry, token):
    if refused := owner_edit_refused(request):
        return refused_on_manage_page(request, entry=entry, token=token, refused=refused)
    lifecycle.set_accepts_messages(entry=entry, accepts=request.POST.get("accepts") == "on")
    return redirect("directory:manage", token=token)


@require_POST
@with_managed_entry
def manage_new_link(request, *, entry, token):
    if refused := owner_edit_refused(request):
        return refused_on_manage_page(request, entry=entry, token=token, refused=refused)
    lifecycle.replace_management_links(entry=entry)
    return render(request, "directory/manage_new_link.html")


@require_http_methods(["GET", "HEAD", "POST"])
@with_managed_entry
def manage_withdraw(request, *, entry, token):
    """GET asks, POST withdraws; either way the page says where the entry stands."""
    context = {"entry": entry, "token": token, "was_public": entry.is_published}
    context["was_withdrawn"] = entry.is_withdrawn
    if request.method != "POST":
        return render(request, "directory/manage_withdraw.html", context)
    lifecycle.withdraw(entry=entry)
    return render(request, "directory/manage_withdrawn.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@with_managed_entry
def manage_withdraw_changes(request, *, entry, token):
    """GET shows the changes waiting for a moderator and asks; POST drops them."""
    context = {"entry": entry, "token": token}
    if request.method != "POST":
        context["waiting"] = waiting_for_review(entry)
        return render(request, "directory/manage_withdraw_changes.html", context)
    withdrawn = lifecycle.withdraw_changes(entry=entry)
    context["withdrawn"] = what_changes(withdrawn) if withdrawn else ""
    return render(request, "directory/manage_changes_withdrawn.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@with_managed_entry
def manage_delete(request, *, entry, token):
    if request.method == "POST":
        erasure = lifecycle.erase(entry=entry)
        return render(request, "directory/manage_deleted.html", {"erasure": erasure})
    context = {
        "entry": entry,
        "token": token,
        "resources": entry.resources.count(),
        "waiting": bool(entry.held_changes),
    }
    return render(request, "directory/manage_delete.html", context)


@require_safe
@with_managed_entry
def manage_data(request, *, entry, token):
    response = JsonResponse(lifecycle.personal_data(entry=entry), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="relationships-map-{entry.slug}.json"'
    return response


def rate_limit_message(retry_at) -> str:
    return _(
        "You have sent this form several times in a short while. To keep the map free of spam, "
        "please try again after %(time)s."
    ) % {"time": time_format(retry_at.astimezone(), "H:i")}
