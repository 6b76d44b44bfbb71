from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET


# Placeholders until the stories and case maker issues land, so navigation never 404s.
@require_GET
def story_list(request):
    return render(request, "under_construction.html", {"title": _("Stories")})


@require_GET
def case_maker(request):
    return render(request, "under_construction.html", {"title": _("The case maker")})
