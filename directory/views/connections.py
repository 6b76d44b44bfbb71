"""An owner's connections, from the entry's private link: propose one ("we work with"),
confirm or decline one proposed to you, cancel your own, end one. The steps themselves, and
their rules, are in directory/connections.py."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import connections
from ..forms import ConnectionProposalForm, ConnectionSearchForm
from ..forms.connections import CANDIDATES_SHOWN
from ..models import Connection
from .map import prebuilt_export
from .owners import owner_edit_refused, refused_on_manage_page, with_managed_entry

__all__ = [
    "manage_connection_new",
    "manage_connection_confirm",
    "manage_connection_end",
    "connections_geojson",
    "connections_kumu",
    "connections_graphml",
]

GONE = gettext_lazy(
    "That connection no longer exists: it was ended, or the other side declined or cancelled "
    "it. Nothing else has changed."
)


@require_http_methods(["GET", "HEAD", "POST"])
@with_managed_entry
def manage_connection_new(request, *, entry, token):
    """GET finds entries by name; POST proposes a connection to the one chosen."""
    search = ConnectionSearchForm(request.POST if request.method == "POST" else request.GET)
    found = search.found(proposer=entry)
    form = ConnectionProposalForm(request.POST or None, proposer=entry, found=found)
    status = 200
    if request.method == "POST" and form.is_valid():
        if refused := owner_edit_refused(request):
            form.add_error(None, refused)
            status = 429
        else:
            try:
                connections.propose(proposer=entry, **form.cleaned_data)
            except connections.ConnectionRefused as refusal:
                form.add_error(None, refusal)
            else:
                messages.success(request, proposed(form.cleaned_data["partner"].name))
                return redirect("directory:manage", token=token)
    context = {"entry": entry, "token": token, "search": search, "form": form}
    context |= {"found": found[:CANDIDATES_SHOWN], "more": len(found) > CANDIDATES_SHOWN}
    return render(request, "directory/connections/manage_new.html", context, status=status)


def proposed(name: str) -> str:
    return _(
        "We have emailed %(name)s to ask them to confirm. Nothing is shown on either profile "
        "or on the map until they do, and we will email you when they have."
    ) % {"name": name}


@require_POST
@with_managed_entry
def manage_connection_confirm(request, *, entry, token, pk):
    connection = Connection.objects.filter(partner=entry, pk=pk).select_related("proposer")
    if (connection := connection.first()) is None:
        return refused_on_manage_page(request, entry=entry, token=token, refused=GONE, status=404)
    if refused := owner_edit_refused(request):
        return refused_on_manage_page(request, entry=entry, token=token, refused=refused)
    connections.confirm(connection=connection, by=entry)
    messages.success(request, confirmed(connection.proposer.name))
    return redirect("directory:manage", token=token)


def confirmed(name: str) -> str:
    return _(
        "You and %(name)s are connected. While both entries are on the map, both profiles "
        "list it, and either of you can end it here at any time."
    ) % {"name": name}


@require_http_methods(["GET", "HEAD", "POST"])
@with_managed_entry
def manage_connection_end(request, *, entry, token, pk):
    """GET asks before a confirmed connection is ended; POST ends any connection of the
    entry's, which is also how a proposal is declined or cancelled. Never rate-limited, like
    withdrawing: either side may end a connection at once."""
    found = Connection.objects.involving(entry).select_related("proposer", "partner")
    if (connection := found.filter(pk=pk).first()) is None:
        return refused_on_manage_page(request, entry=entry, token=token, refused=GONE, status=404)
    other = connection.other_side(entry)
    if request.method != "POST":
        context = {"entry": entry, "token": token, "connection": connection, "other": other}
        return render(request, "directory/connections/manage_end.html", context)
    connections.end(connection=connection, by=entry)
    messages.success(request, ended(connection, entry=entry, other=other))
    return redirect("directory:manage", token=token)


def ended(connection: Connection, *, entry, other) -> str:
    """What ending it meant, from the side of the entry that ended it."""
    names = {"name": other.name}
    if connection.is_confirmed:
        return _("Your connection with %(name)s has ended. Neither profile lists it now.") % names
    if connection.partner_id == entry.pk:
        return _("You declined %(name)s’s proposal. Nothing about it was ever shown.") % names
    return _("You cancelled your proposal to %(name)s. Nothing about it was ever shown.") % names


# --- The public network as open data (directory/connection_exports.py) ---------------------


@require_safe
def connections_geojson(request):
    return prebuilt_export(request, "connections_geojson", content_type="application/geo+json")


@require_safe
def connections_kumu(request):
    return prebuilt_export(request, "connections_kumu", content_type="application/json")


@require_safe
def connections_graphml(request):
    response = prebuilt_export(
        request, "connections_graphml", content_type="application/graphml+xml; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="relationships-map-connections.graphml"'
    return response
