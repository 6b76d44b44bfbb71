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
from collections import OrderedDict
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
            if (page := recent_pages.get(key)) is None and (page := cache.get(key)) is not None:
                recent_pages.put(key, page, timeout)
            if page is not None:
                return _response(page, request)
            response = view(request, *args, **kwargs)
            if _storable(request, response):
                page = _page(response, request)
                cache.set(key, page, timeout)
                recent_pages.put(key, page, timeout)
            return response

        cached_view.__name__, cached_view.__doc__ = view.__name__, view.__doc__
        return cached_view

    return decorator


class RecentPages:
    """The pages this process served last, so that the busiest are not fetched from the shared
    cache on every visit. Keys hold the versions, so a change makes a new key; a page is
    dropped when its timeout passes, as in the shared cache."""

    def __init__(self, size: int):
        self.size = size
        self.lock = threading.Lock()
        self.pages: OrderedDict[str, tuple[float, CachedPage]] = OrderedDict()

    def get(self, key: str) -> CachedPage | None:
        with self.lock:
            expires_at, page = self.pages.get(key, (0.0, None))
            if page is None or expires_at < time.monotonic():
                return None
            self.pages.move_to_end(key)
            return page

    def put(self, key: str, page: CachedPage, timeout: int) -> None:
        with self.lock:
            self.pages[key] = (time.monotonic() + timeout, page)
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


recent_pages = RecentPages(size=200)


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
