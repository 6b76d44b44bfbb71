from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from directory.models import Entry
from directory.views import map_config
from stories.models import Story


@require_GET
def home(request):
    context = {
        "entry_count": Entry.objects.public().count(),
        "map_config": map_config(),
        "stories": Story.objects.published().for_cards()[:3],
        "structured_data": site_structured_data(),
    }
    return render(request, "home.html", context)


def site_structured_data() -> dict:
    """schema.org JSON-LD for the home page: the site, and the organisation behind it."""
    home = settings.SITE_URL + "/"
    organisation = {
        "@type": "Organization",
        "@id": home + "#organisation",
        "name": settings.SITE_NAME,
        "url": home,
        "logo": settings.SITE_URL + static("img/apple-touch-icon.png"),
    }
    website = {
        "@type": "WebSite",
        "@id": home + "#website",
        "name": settings.SITE_NAME,
        "url": home,
        "inLanguage": "en-GB",
        "publisher": {"@id": organisation["@id"]},
        "potentialAction": {
            "@type": "SearchAction",
            "target": settings.SITE_URL + reverse("directory:map") + "?q={search_term_string}",
            "query-input": "required name=search_term_string",
        },
    }
    return {"@context": "https://schema.org", "@graph": [website, organisation]}


@never_cache
@require_GET
def healthz(request):
    """For load balancers: 200 while the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def bad_request(request, exception):
    """The styled 400 page. Our own BadRequest messages say what to fix; Django's other 400s
    (suspicious requests) stay generic so that nothing internal is disclosed."""
    message = str(exception) if type(exception) is BadRequest else ""
    return HttpResponseBadRequest(render_to_string("400.html", {"message": message}, request))


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says (the admin's pages say nothing)."""
    return redirect(static("img/favicon.svg"), permanent=True)
