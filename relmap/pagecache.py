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
from dataclasses import dataclass, field
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

NONCE_PLACEHOLDER = b"relmap-csp-nonce-placeholder"
MESSAGES_COOKIE = "messages"


@dataclass(frozen=True)
class CachedPage:
    content_type: str
    body: bytes
    gzipped: bytes | None  # None when the body holds a nonce, which differs per response


@dataclass(frozen=True)
class Stamp:
    """A version of some content (directory.models.ContentVersion): a number that moves
    forward on every change to what the public sees, when it last moved (a Unix time), and
    when this process read it. Two stamps are the same version when their numbers and times
    are; the time guards against a database restored from an older backup reusing numbers."""

    number: int
    changed_at: float
    read_at: float = field(default_factory=time.time, compare=False)

    def __str__(self) -> str:
        return f"{self.number}:{self.changed_at!r}"

    @classmethod
    def parse(cls, text: str) -> "Stamp":
        """The stamp str() gave, as read now."""
        number, changed_at = text.split(":", 1)
        return cls(int(number), float(changed_at))

    @property
    def last_modified(self) -> int | None:
        """The whole second of the last change, once it can tell versions apart: a change
        later in that same second would carry the same date, so until the version has been
        read in a later second there is none, and clients revalidate by ETag alone (RFC
        9110, 8.8.2.2)."""
        second = int(self.changed_at)
        return second if self.read_at >= second + 1 else None


class Version:
    """The stamp of some content, read at most once a second per process
    (VERSION_CHECK_SECONDS; tests set 0 to see their own writes at once)."""

    def __init__(self, compute: Callable[[], Stamp]):
        self.compute = compute
        self.lock = threading.Lock()
        self.value: Stamp | None = None
        self.checked_at = 0.0

    def __call__(self) -> Stamp:
        with self.lock:
            now = time.monotonic()
            if self.value is None or now - self.checked_at >= settings.VERSION_CHECK_SECONDS:
                self.value, self.checked_at = self.compute(), now
            return self.value


def cache_page_per_version(*versions: Callable[[], Stamp], timeout: int):
    """Serve the view's page from the cache while `versions` stay the same (and for at most
    `timeout` seconds, for content that has no version of its own)."""

    def decorator(view):
        def cached_view(request, *args, **kwargs):
            if not _same_for_everyone(request):
                return view(request, *args, **kwargs)
            parts = [request.path, *(str(version()) for version in versions)]
            key = "page:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
            if (page := recent_pages.get(key)) is None and (page := cache.get(key)) is not None:
                recent_pages.put(key, page, timeout)
            if page is not None:
                return _response(page, request)
            response = view(request, *args, **kwargs)
            if not _storable(request, response):
                return response
            page = _page(response, request)
            cache.set(key, page, timeout)
            recent_pages.put(key, page, timeout)
            # As every later visitor gets it: gzipped for those who take it, with its Vary.
            return _response(page, request)

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


def accepts_gzip(request) -> bool:
    """Whether the client takes gzip, by Accept-Encoding and its q-values (RFC 9110, 12.5.3):
    "gzip;q=0" refuses it, and "*" stands for any coding the header does not name."""
    qualities = {}
    for coding in request.headers.get("Accept-Encoding", "").split(","):
        name, *parameters = (part.strip().lower() for part in coding.split(";"))
        quality = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0  # a q-value nobody can read accepts nothing
        if name:
            qualities[name] = quality
    quality = qualities.get("gzip", qualities.get("x-gzip", qualities.get("*", 0.0)))
    return quality > 0  # False for NaN too


def pregzipped_response(request, *, body: bytes, gzipped: bytes, content_type: str):
    """Prebuilt bytes, gzipped for the clients that take them."""
    if accepts_gzip(request):
        response = HttpResponse(gzipped, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(body, content_type=content_type)
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def versioned_response(
    request,
    *stamps: Stamp,
    content: Callable[[], HttpResponse],
    cors: bool = False,
    **cache_control,
) -> HttpResponse:
    """content(), made for these versions of what it shows, with validators that change
    with every one of them; or, when the client's copy is of these versions already, a 304
    with the ETag, Last-Modified, Cache-Control and Vary the 200 would have (RFC 9110,
    15.4.5), without calling content(). The ETag depends on the address, the versions and
    the content coding: gzip and identity are different representations, so their ETags
    differ (RFC 9110, 8.8.3.3). Open data (cors) may be read by any site."""
    key = "|".join([request.get_full_path(), *map(str, stamps)])
    coding = "-gzip" if accepts_gzip(request) else ""
    etag = f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}{coding}"'
    dates = [stamp.last_modified for stamp in stamps]
    last_modified = None if None in dates else max(dates, default=None)

    def with_validators(response: HttpResponse) -> HttpResponse:
        response["ETag"] = etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        elif response.has_header("Last-Modified"):
            del response["Last-Modified"]  # feeds and sitemaps set their own, from items
        patch_vary_headers(response, ["Accept-Encoding"])
        patch_cache_control(response, **cache_control)
        if cors:
            response["Access-Control-Allow-Origin"] = "*"
        return response

    headers = with_validators(HttpResponse())
    answer = get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=headers
    )
    if answer is not headers:
        return with_validators(answer) if answer.status_code == 304 else answer
    response = content()
    return with_validators(response) if response.status_code == 200 else response


def answers_per_version(*versions: Callable[[], Stamp], cors: bool = False, **cache_control):
    """A view whose answer depends only on its address and these versions: conditional
    requests are answered by versioned_response(), before the view does any work."""

    def decorator(view):
        @wraps(view)
        def versioned_view(request, *args, **kwargs):
            return versioned_response(
                request,
                *(version() for version in versions),
                content=lambda: view(request, *args, **kwargs),
                cors=cors,
                **cache_control,
            )

        return versioned_view

    return decorator


def _page(response, request) -> CachedPage:
    content, content_type = response.content, response["Content-Type"]
    if nonce := get_nonce(request):
        body = content.replace(str(nonce).encode(), NONCE_PLACEHOLDER)
        return CachedPage(content_type, body, None)
    return CachedPage(content_type, content, gzip.compress(content, compresslevel=6, mtime=0))


def _response(page: CachedPage, request) -> HttpResponse:
    if page.gzipped is None:
        body = page.body.replace(NONCE_PLACEHOLDER, str(get_nonce(request)).encode())
        response = HttpResponse(body, content_type=page.content_type)
    else:
        response = pregzipped_response(
            request, body=page.body, gzipped=page.gzipped, content_type=page.content_type
        )
    # A visitor with a session is given the page afresh, which may differ.
    patch_vary_headers(response, ["Cookie"])
    return response
