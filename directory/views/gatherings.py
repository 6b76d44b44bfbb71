"""Gatherings: the list (upcoming, and past ones on their own page), each gathering's page,
their iCalendar feeds, their map layer, and the owner's pages to post, edit and cancel one.
Every public output starts from Gathering.objects.public()."""

import time

from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from relmap.pagecache import Stamp, answers_per_version

from .. import calendar, gatherings, mapdata
from ..forms import GatheringFilterForm, GatheringForm, NewGatheringForm
from ..models import Gathering
from ..open_data import feature_collection
from .owners import with_managed_entry

__all__ = [
    "gathering_list",
    "gathering_detail",
    "gatherings_ics",
    "gathering_ics",
    "gatherings_geojson",
    "manage_gathering_new",
    "manage_gathering_edit",
    "manage_gathering_cancel",
]

GATHERINGS_PER_PAGE = 12
CALENDAR_TYPE = "text/calendar; charset=utf-8"
HOUR = 3600


def this_hour() -> Stamp:
    """A version that moves on the hour: which gatherings are upcoming changes with the
    clock as well as with the directory, so the feeds' validators move with both."""
    start = int(time.time()) // HOUR * HOUR
    return Stamp(start // HOUR, float(start))


def per_version_and_hour(view):
    return answers_per_version(
        mapdata.current_version, this_hour, cors=True, public=True, max_age=300
    )(view)


def public_gatherings():
    return Gathering.objects.public().select_related("organiser").prefetch_related("themes")


@require_safe
def gathering_list(request, past=False):
    """Upcoming gatherings, soonest first; or, at /gatherings/past/, those that are over."""
    form = GatheringFilterForm(request.GET)
    going_ahead = form.apply(public_gatherings().going_ahead())
    found = going_ahead.past() if past else going_ahead.upcoming()
    context = {
        "form": form,
        "past": past,
        "page": Paginator(found, GATHERINGS_PER_PAGE).get_page(request.GET.get("page")),
        "query": request.GET.urlencode(),
    }
    return render(request, "directory/gatherings/list.html", context)


@require_safe
def gathering_detail(request, slug):
    gathering = get_object_or_404(public_gatherings().prefetch_related("sectors"), slug=slug)
    return render(request, "directory/gatherings/detail.html", {"gathering": gathering})


@require_safe
@per_version_and_hour
def gatherings_ics(request):
    """Every upcoming gathering, or those matching the list's filters, with the recently
    cancelled ones marked so that subscribed calendars drop them."""
    form = GatheringFilterForm(request.GET)
    found = form.apply(public_gatherings()).upcoming()
    body = calendar.calendar_of(found, name=_("Gatherings on the Relationships Map"))
    return calendar_response(body, filename="gatherings.ics")


@require_safe
@per_version_and_hour
def gathering_ics(request, slug):
    gathering = get_object_or_404(public_gatherings(), slug=slug)
    body = calendar.calendar_of([gathering], name=gathering.title)
    return calendar_response(body, filename=f"{gathering.slug}.ics")


def calendar_response(body: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
@per_version_and_hour
def gatherings_geojson(request):
    """Upcoming in-person gatherings as GeoJSON points, for the map's layer and anyone's."""
    found = public_gatherings().going_ahead().in_person().upcoming()
    return JsonResponse(
        feature_collection([g.geojson_feature() for g in found]),
        content_type="application/geo+json",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_managed_entry
def manage_gathering_new(request, *, entry, token):
    form = NewGatheringForm(request.POST) if request.method == "POST" else NewGatheringForm.issued()
    if request.method == "POST" and form.is_valid():
        gathering = gatherings.submit(
            gathering=form.save(commit=False),
            organiser=entry,
            sectors=form.cleaned_data["sectors"],
            themes=form.cleaned_data["themes"],
            submission_id=form.submission_id,
        )
        return render(
            request, "directory/gatherings/manage_saved.html", saved(entry, gathering, token)
        )
    return render(
        request,
        "directory/gatherings/manage_form.html",
        {"entry": entry, "token": token, "form": form},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_managed_entry
def manage_gathering_edit(request, *, entry, token, pk):
    gathering = get_object_or_404(
        entry.gatherings.exclude(status=Gathering.Status.CANCELLED), pk=pk
    )
    form = GatheringForm(request.POST or None, instance=gathering)
    if request.method == "POST" and form.is_valid():
        gatherings.submit_owner_edit(
            gathering=form.save(commit=False),
            sectors=form.cleaned_data["sectors"],
            themes=form.cleaned_data["themes"],
        )
        return render(
            request, "directory/gatherings/manage_saved.html", saved(entry, gathering, token)
        )
    context = {"entry": entry, "token": token, "form": form, "gathering": gathering}
    return render(request, "directory/gatherings/manage_form.html", context)


@require_POST
@with_managed_entry
def manage_gathering_cancel(request, *, entry, token, pk):
    gathering = get_object_or_404(entry.gatherings.filter(status__in=gatherings.CANCELLABLE), pk=pk)
    gatherings.cancel(gathering=gathering)
    return redirect("directory:manage", token=token)


def saved(entry, gathering, token) -> dict:
    return {"entry": entry, "gathering": gathering, "token": token}
