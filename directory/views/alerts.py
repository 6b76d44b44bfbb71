"""Alerts: subscribing, confirming, changing and stopping, all without an account."""

from functools import wraps

from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from .. import alerts, ratelimits, tokens
from ..forms import AlertForm, AlertSubscribeForm
from .owners import kept_private, rate_limit_message

__all__ = [
    "alerts_subscribe",
    "alerts_sent",
    "alerts_confirm",
    "alerts_manage",
    "alerts_unsubscribe",
]

LINK_INVALID = "directory/alerts/link_invalid.html"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def alerts_subscribe(request):
    """The form starts from what the map was showing when its link was followed."""
    if request.method != "POST":
        form = AlertSubscribeForm.issued(initial=AlertForm.initial_from_map(request.GET))
        return render(request, "directory/alerts/subscribe.html", {"form": form})
    form = AlertSubscribeForm(request.POST)
    if form.looks_automated():
        return HttpResponseBadRequest(
            _("We could not accept this form."), content_type="text/plain"
        )
    if form.is_valid():
        if retry_at := ratelimits.retry_after(request, group="alert"):
            form.add_error(None, rate_limit_message(retry_at))
            return render(request, "directory/alerts/subscribe.html", {"form": form}, status=429)
        alerts.subscribe(form=form)
        return redirect("directory:alerts_sent")
    return render(request, "directory/alerts/subscribe.html", {"form": form})


@require_safe
def alerts_sent(request):
    return render(request, "directory/alerts/sent.html")


def with_alert(find):
    """Resolve a private alert link with `find` (a tokens function), or show the invalid-link
    page; either way kept private as an owner's pages are."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, token):
            subscription = find(token)
            if subscription is None:
                return kept_private(render(request, LINK_INVALID, status=404))
            return kept_private(view(request, subscription=subscription, token=token))

        return wrapped

    return decorate


@require_http_methods(["GET", "HEAD", "POST"])
@with_alert(tokens.alert_to_confirm)
def alerts_confirm(request, *, subscription, token):
    """GET shows a button and POST confirms, so that mail scanners do not confirm for people."""
    confirmed_now = request.method == "POST" and alerts.confirm(subscription=subscription)
    context = {"subscription": subscription, "confirmed_now": confirmed_now}
    context |= tokens.alert_links(subscription)
    return render(request, "directory/alerts/confirm.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@with_alert(tokens.alert_to_manage)
def alerts_manage(request, *, subscription, token):
    form = AlertForm(request.POST or None, instance=subscription)
    saved = request.method == "POST" and form.is_valid()
    if saved:
        form.save()
    context = {"form": form, "saved": saved, "subscription": subscription, "token": token}
    return render(request, "directory/alerts/manage.html", context)


# RFC 8058: a mail program's one-click POST carries no CSRF token, and needs none: the
# signed link is the only credential, and stopping an alert is all it can do.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@with_alert(tokens.alert_to_manage)
def alerts_unsubscribe(request, *, subscription, token):
    """GET asks first (a link scanner must not stop an alert); POST stops it at once."""
    if request.method == "POST":
        alerts.unsubscribe(subscription=subscription)
        return render(request, "directory/alerts/stopped.html")
    return render(request, "directory/alerts/unsubscribe.html", {"token": token})
