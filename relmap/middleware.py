import ipaddress
import logging

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


class ClientAddressMiddleware:
    """Sets REMOTE_ADDR to the visitor's address when the site runs behind trusted proxies.

    Each proxy appends the address it received the request from to X-Forwarded-For, so with
    N trusted proxies the visitor is the Nth address from the right; anything further left
    could be forged by the visitor. Rate limits and login lockouts read REMOTE_ADDR."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        proxies = settings.TRUSTED_PROXY_COUNT
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if proxies and forwarded:
            addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
            if len(addresses) >= proxies and is_ip_address(addresses[-proxies]):
                request.META["REMOTE_ADDR"] = addresses[-proxies]
        return self.get_response(request)


def is_ip_address(text: str) -> bool:
    """Rate limits and the login lockouts' address column accept nothing else."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY as the Permissions-Policy header on every response,
    so that no page, nor anything a page embeds, can ask for a camera, a microphone or the
    visitor's location that the site never uses."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.policy)
        return response


class RefuseNulCharactersMiddleware:
    """Answers 400 (the styled page, through handler400) when the path, a query-string or a
    form parameter's name or value holds a NUL character.

    PostgreSQL cannot store or even compare text holding NUL, so a NUL that reaches any query
    is a database error, wherever the value goes: a filter, a form field, a choice looked up
    by slug, a parameter's name. One check here, before any view, covers every view present
    and future, which per-field rules in each form could not (filters read the query string
    directly). No person types a NUL, so nothing a person wrote is lost. It is the only such
    character: Django decodes the request's bytes with replacement characters, so lone
    surrogates and other text PostgreSQL rejects never arrive."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or any(
            has_nul(parameters) for parameters in (request.GET, request.POST)
        ):
            raise BadRequest(
                _(
                    "Part of the address or the form holds a character we cannot accept "
                    "(a null character). Please remove it and try again."
                )
            )
        return self.get_response(request)


def has_nul(parameters) -> bool:
    return any(
        "\x00" in name or any("\x00" in value for value in values)
        for name, values in parameters.lists()
    )


logger = logging.getLogger(__name__)

# How long a visitor is asked to wait while the database is out of reach.
DATABASE_RETRY_AFTER_SECONDS = 60


def is_database_outage(exception: BaseException | None) -> bool:
    return isinstance(exception, OperationalError | InterfaceError)


def database_unavailable() -> HttpResponse:
    """503, come back shortly: the database could not be reached or was too busy. No template
    context, since anything that needs the database could fail again."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    return response


class DatabaseOutageMiddleware:
    """A view that cannot reach the database answers 503 with Retry-After, in development as
    in production: handler500 does the same for errors outside views, but Django shows its
    debugging page instead of handler500 while DEBUG is on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        # Logged with its traceback: "database is locked" and a refused connection both end
        # here, and only the traceback tells the operator which it was and where.
        logger.warning("The database could not answer %s", request.path, exc_info=exception)
        return database_unavailable()
