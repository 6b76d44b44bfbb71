import sys

from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _
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


# Seconds a visitor (or a crawler) is asked to wait when the database is not answering.
DATABASE_RETRY_AFTER_SECONDS = 60


def bad_request(request, exception):
    """The styled 400 page. Our own BadRequest messages say what to fix; Django's other 400s
    (suspicious requests) stay generic so that nothing internal is disclosed, except a body
    over the limits in settings, which is a 413 or a 400 that says so."""
    message = str(exception) if type(exception) is BadRequest else ""
    status = 400
    if isinstance(exception, RequestDataTooBig):
        status = 413
        message = _("What you sent was larger than any of our forms accepts.")
    elif isinstance(exception, TooManyFieldsSent):
        message = _("What you sent had more parts than any of our forms or addresses has.")
    context = {"message": message, "status": status}
    return HttpResponse(render_to_string("400.html", context, request), status=status)


def server_error(request):
    """The styled 500 page, or a 503 asking to come back shortly when the database could not
    be reached or was too busy. Django calls this inside its exception handler, with no
    arguments, so the exception is at hand. No template context: anything that needs the
    database (sessions, messages) could fail again."""
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(render_to_string("500.html"))


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says (the admin's pages say nothing)."""
    return redirect(static("img/favicon.svg"), permanent=True)
