"""Whole pages that are the same for every visitor, kept in the shared cache per version of
what they show, so that a busy page is rendered once per change rather than once per visit.

A page is cached only for a visitor with no session and no messages (so never a member of
staff previewing, never a page with a form's token), only without a query string (so nobody
can fill the cache with variants), and only when it is a plain 200. The Content Security
Policy's nonce stays per response: it is stored as a placeholder and each visitor's own
nonce is put back in. A page without a nonce is kept gzipped as well, so that nginx need not
compress it again for every visitor.
"""

import gzip
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.utils.cache import patch_vary_headers

NONCE_PLACEHOLDER = b"relmap-csp-nonce-placeholder"
MESSAGES_COOKIE = "messages"


@dataclass(frozen=True)
class CachedPage:
    content_type: str
    body: bytes
    gzipped: bytes | None  # None when the body holds a nonce, which differs per response


class Version:
    """A cheap value that changes whenever some content does, computed at most once a second
    per process (VERSION_CHECK_SECONDS; tests set 0 to see their own writes at once)."""

    def __init__(self, compute: Callable[[], str]):
        self.compute = compute
        self.lock = threading.Lock()
        self.value: str | None = None
        self.checked_at = 0.0

    def __call__(self) -> str:
        with self.lock:
            now = time.monotonic()
            if self.value is None or now - self.checked_at >= settings.VERSION_CHECK_SECONDS:
                self.value, self.checked_at = self.compute(), now
            return self.value


def cache_page_per_version(*versions: Callable[[], str], timeout: int):
    """Serve the view's page from the cache while `versions` stay the same (and for at most
    `timeout` seconds, for content that has no version of its own)."""

    def decorator(view):
        def cached_view(request, *args, **kwargs):
            if not _same_for_everyone(request):
                return view(request, *args, **kwargs)
            parts = [request.path, *(version() for version in versions)]
            key = "page:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
            if (page := cache.get(key)) is not None:
                return _response(page, request)
            response = view(request, *args, **kwargs)
            if _storable(request, response):
                cache.set(key, _page(response, request), timeout)
            return response

        cached_view.__name__, cached_view.__doc__ = view.__name__, view.__doc__
        return cached_view

    return decorator


def _same_for_everyone(request) -> bool:
    cookies = request.COOKIES
    return (
        not request.GET
        and settings.SESSION_COOKIE_NAME not in cookies
        and MESSAGES_COOKIE not in cookies
    )


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def pregzipped_response(request, *, body: bytes, gzipped: bytes, content_type: str):
    """Prebuilt bytes, gzipped for the clients that take them."""
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(gzipped, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(body, content_type=content_type)
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def _page(response, request) -> CachedPage:
    content, content_type = response.content, response["Content-Type"]
    if nonce := get_nonce(request):
        body = content.replace(str(nonce).encode(), NONCE_PLACEHOLDER)
        return CachedPage(content_type, body, None)
    return CachedPage(content_type, content, gzip.compress(content, compresslevel=6, mtime=0))


def _response(page: CachedPage, request) -> HttpResponse:
    if page.gzipped is None:
        body = page.body.replace(NONCE_PLACEHOLDER, str(get_nonce(request)).encode())
        return HttpResponse(body, content_type=page.content_type)
    return pregzipped_response(
        request, body=page.body, gzipped=page.gzipped, content_type=page.content_type
    )
