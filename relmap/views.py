import sys
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from directory import inbox, mapdata, ratelimits, retention
from directory.forms import BotCheckedForm, ReportForm, TeamMessageForm
from directory.models import Entry
from directory.views import map_config
from directory.views.owners import rate_limit_message
from stories.models import Story
from stories.views import stories_version

from .middleware import database_unavailable, is_database_outage
from .pagecache import answers_per_version, cache_page_per_version

# Pages with a version of all they show are kept until it changes, or this long at most.
PAGE_CACHE_SECONDS = 10 * 60
PLAIN_TEXT = "text/plain; charset=utf-8"


@require_safe
@cache_page_per_version(mapdata.current_version, stories_version, timeout=PAGE_CACHE_SECONDS)
def home(request):
    context = {
        # Counting 100,000 rows on every visit was this page's slowest work; the directory's
        # version check knows the number (at most a second old).
        "entry_count": mapdata.public_entry_count(),
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
@require_safe
def healthz(request):
    """For load balancers: 200 while the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type=PLAIN_TEXT)
    return HttpResponse("ok\n", content_type=PLAIN_TEXT)


# The sitemaps list entries and stories: their validators come from both versions, since
# Django's own Last-Modified (the newest item's) goes backwards when that item is withdrawn.
sitemaps_of_content = answers_per_version(
    mapdata.current_version, stories_version, public=True, max_age=3600
)
sitemap_index = require_safe(sitemaps_of_content(sitemap_views.index))
sitemap = require_safe(sitemaps_of_content(sitemap_views.sitemap))


# Seconds a visitor (or a crawler) is asked to wait when the database is not answering.


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
    if is_database_outage(sys.exception()):
        return database_unavailable()
    return HttpResponseServerError(render_to_string("500.html"))


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says (the admin's pages say nothing)."""
    return redirect(static("img/favicon.svg"), permanent=True)


@require_safe
def privacy(request):
    """The privacy notice, its periods and outside services read from the settings in force."""
    context = {
        "retention": retention.periods(),
        "hosting_location": settings.DATA_HOSTING_LOCATION,
        "tile_host": urlsplit(settings.MAP_TILE_URL).hostname,
        "place_lookup_host": urlsplit(settings.PLACE_LOOKUP_ONLINE_URL).hostname or "",
    }
    return render(request, "pages/privacy.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def contact_us(request):
    if request.method != "POST":
        return render(request, "pages/contact.html", {"form": TeamMessageForm.issued()})
    form = TeamMessageForm(request.POST)
    if refusal := refuse_unless_welcome(
        request, form, group="team-message", template="pages/contact.html", context={}
    ):
        return refusal
    inbox.receive_team_message(message=form.save(commit=False))
    return redirect("contact_us_sent")


@require_safe
def contact_us_sent(request):
    return render(request, "pages/contact_sent.html")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report(request):
    """Report a page that shows a report link (a profile or a story); a report on a profile
    is linked to its entry, which must be public, as the profile itself must be."""
    page = inbox.reported_page(request.GET.get("page", ""))
    if page is None:
        raise BadRequest(_("This report link is not complete. Please use the link on the page."))
    match = resolve(page["path"])
    entry = None
    if match.view_name == "directory:entry":
        entry = get_object_or_404(Entry.objects.public(), slug=match.kwargs["slug"])
    context = {"page": page, "entry": entry}
    if request.method != "POST":
        return render(request, "pages/report.html", context | {"form": ReportForm.issued()})
    form = ReportForm(request.POST)
    if refusal := refuse_unless_welcome(
        request, form, group="report", template="pages/report.html", context=context
    ):
        return refusal
    report = form.save(commit=False)
    report.entry, report.page_path, report.page_title = entry, page["path"], page["title"][:200]
    inbox.file_report(report=report)
    # The thank-you page knows nothing of the page or entry, so it cannot tell anything.
    return redirect("report_sent")


@require_safe
def report_sent(request):
    return render(request, "pages/report_sent.html")


def refuse_unless_welcome(
    request, form: BotCheckedForm, *, group: str, template: str, context: dict
) -> HttpResponse | None:
    """The answer to a public form post that must not be saved, or None when it may be:
    field errors first (an invalid form saves nothing, bot or not), a plain 400 for a bot,
    and the rate limit's 429, which keeps everything typed."""
    if not form.is_valid():
        return render(request, template, context | {"form": form})
    if form.looks_automated():
        return HttpResponseBadRequest(
            _("We could not accept this form."), content_type="text/plain"
        )
    if retry_at := ratelimits.retry_after(request, group=group):
        form.add_error(None, rate_limit_message(retry_at))
        return render(request, template, context | {"form": form}, status=429)
    return None
