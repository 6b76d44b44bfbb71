from django.core.exceptions import BadRequest
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from directory import mapdata
from directory.views import map_config
from stories.models import Story
from stories.views import stories_version

from .pagecache import cache_page_per_version

# Pages with a version of all they show are kept until it changes, or this long at most.
PAGE_CACHE_SECONDS = 10 * 60


@require_GET
@cache_page_per_version(mapdata.current_version, stories_version, timeout=PAGE_CACHE_SECONDS)
def home(request):
    context = {
        # Counting 100,000 rows on every visit was this page's slowest work; the directory's
        # version check knows the number (at most a second old).
        "entry_count": mapdata.public_entry_count(),
        "map_config": map_config(),
        "stories": Story.objects.published().for_cards()[:3],
    }
    return render(request, "home.html", context)


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
