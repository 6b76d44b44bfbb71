from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET


# Placeholders until the map and join issues land, so the site's navigation never 404s.
@require_GET
def map_page(request):
    return render(request, "under_construction.html", {"title": _("The map")})


@require_GET
def join(request):
    return render(request, "under_construction.html", {"title": _("Join the map")})
