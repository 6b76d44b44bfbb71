"""The meeting place: writing to an entry's owner, and the resources entries share."""

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from .. import ratelimits
from ..emails import send_contact_message
from ..forms import ContactForm, ResourceFilterForm, ResourceFormSet
from ..models import Entry, Resource
from .owners import owner_changes_page, rate_limit_message, with_managed_entry

__all__ = ["contact", "contact_sent", "resources", "manage_resources"]

RESOURCES_PER_PAGE = 20


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def contact(request, slug):
    entry = get_object_or_404(Entry.objects.public(), slug=slug)
    if not entry.accepts_messages:
        return render(request, "directory/contact.html", {"entry": entry})
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        if form.looks_automated():
            # A plain answer for a bot; nothing is saved or sent.
            return HttpResponseBadRequest(
                _("We could not accept this form."), content_type="text/plain"
            )
        if form.is_valid():
            if retry_at := ratelimits.retry_after(request, group="contact"):
                form.add_error(None, rate_limit_message(retry_at))
                context = {"entry": entry, "form": form}
                return render(request, "directory/contact.html", context, status=429)
            with transaction.atomic():
                message = form.save(commit=False)
                message.entry = entry
                message.save()
                send_contact_message(message=message)
            return redirect("directory:contact_sent", slug=entry.slug)
    return render(request, "directory/contact.html", {"entry": entry, "form": form})


@require_safe
def contact_sent(request, slug):
    entry = get_object_or_404(Entry.objects.public(), slug=slug)
    return render(request, "directory/contact_sent.html", {"entry": entry})


@require_safe
def resources(request):
    form = ResourceFilterForm(request.GET)
    found = form.apply(Resource.objects.public()).select_related("entry").prefetch_related("themes")
    context = {
        "form": form,
        "page": Paginator(found, RESOURCES_PER_PAGE).get_page(request.GET.get("page")),
    }
    return render(request, "directory/resources.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@with_managed_entry
def manage_resources(request, *, entry, token):
    formset = ResourceFormSet.for_entry(entry, data=request.POST or None)
    return owner_changes_page(
        request, entry=entry, token=token, form=formset, template="directory/manage_resources.html"
    )
