"""Anonymous copies of the portal's own public views, kept until the data or the time changes them.

Most people who open a project, a council, a topic or a meeting are not signed in, and what
they are shown depends only on the address, their language and their text size. A view
decorated with `kept_for_anonymous` (an API viewset: `KeptForAnonymousMixin`) answers such a
visitor from a copy, rendered once and kept in the shared cache:

- while the data version (`portal.core.writes`) is the one read before it was rendered: any
  committed write of shown data, by any process, through any path, retires every copy;
- until the earliest moment the view said its page changes by the clock alone (`keep_until`:
  a funding deadline, a meeting's start, a vote's close), and `KEPT_VIEW_SECONDS` at most, so
  wording such as "3 days left" is never older than that;
- never for a visitor with a session, a message waiting, any cookie set by the response, a
  CSRF token in the page, or a status other than 200. `?nocache=1` renders it afresh (how the
  bench measures the rendering itself).

The CMS page cache (`portal.pages.cache`) shares the response helpers below.
"""

import gzip
import hashlib
import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from .kept import ProcessCopies
from .writes import data_version

BYPASS_PARAMETER = "nocache"
HEADERS_KEPT = ("Content-Type",)  # the middleware adds the rest on every response


# --- shared with the CMS page cache ------------------------------------------------------------


def visitor_variant(request, language=None):
    """The per-visitor choices a kept page shows: the language it is shown in (a visitor who chose
    English is sent from a Chinese address to its translation, or sees the English menus) and the
    large-text switch (a class on <html>)."""
    from portal.core.context_processors import large_text_chosen

    return (language or translation.get_language()) + ("|large-text" if large_text_chosen(request) else "")


def without_private_state(request):
    """No session and no message cookie: an anonymous visitor with no message waiting."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and CookieStorage.cookie_name not in request.COOKIES


def anonymous_without_messages(request):
    if without_private_state(request):
        return True
    if request.user.is_authenticated:
        return False
    return len(messages.get_messages(request)) == 0


def cacheable_response(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in response.get("Cache-Control", "")
    )


def kept_entry(version, response, seconds, headers=HEADERS_KEPT, compress=True):
    """What is stored: (version, body, headers, expires at, gzip-compressed body or None).

    Pages are kept compressed too: most visitors take gzip, and a phone on a slow link gets a fifth
    of the bytes (compressed once here, not on every request). API answers are sent as rendered.
    """
    kept_headers = {name: response[name] for name in headers if name in response}
    compressed = gzip.compress(response.content, compresslevel=6) if compress else None
    return (version, response.content, kept_headers, time.time() + seconds, compressed)


def kept_response(stored, request):
    """The kept page as this client takes it: gzip-compressed when it says it can."""
    _version, content, _headers, _expires, compressed = stored
    # A kept page holds nothing secret (no CSRF token, no session: see cacheable_response), so
    # sending it compressed gives nothing away (BREACH needs a secret in the body).
    if compressed is not None and "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", ""):
        response = HttpResponse(compressed)
        response["Content-Encoding"] = "gzip"
        return response
    return HttpResponse(content)


def kept_hit(stored, request):
    response = kept_response(stored, request)
    for name, value in stored[2].items():
        response[name] = value
    # What a visitor is served depends on their cookies and on whether they take gzip.
    patch_vary_headers(response, ("Accept-Encoding", "Cookie"))
    response["X-Page-Cache"] = "hit"
    response._page_cache_entry = stored  # the front of the stack may keep its final headers
    return response


# --- the portal's own views --------------------------------------------------------------------

# Copies this process read from the shared cache recently: key -> stored entry. Only the data
# version is read from the shared cache on a hit.
_LOCAL = ProcessCopies(512)


def keep_until(request, *moments):
    """The page changes by the clock alone at these moments (past ones and None are ignored)."""
    now = timezone.now()
    future = [moment for moment in moments if moment is not None and moment > now]
    if future:
        earliest = min(future).timestamp()
        request._kept_until = min(getattr(request, "_kept_until", earliest), earliest)


def _seconds_to_keep(request):
    seconds = settings.KEPT_VIEW_SECONDS
    until = getattr(request, "_kept_until", None)
    if until is not None:
        seconds = min(seconds, until - time.time())
    return int(seconds)


def _key(request, variant):
    query = urlencode(sorted(request.GET.items()))
    raw = f"{request.scheme}://{request.get_host()}{request.path}?{query}#{variant}"
    return "keptview:" + hashlib.sha1(raw.encode()).hexdigest()


def _stored(key, version):
    stored = _LOCAL.get(key)
    if stored is None or stored[0] != version or stored[3] <= time.time():
        stored = cache.get(key)
        if stored is None or stored[0] != version or stored[3] <= time.time():
            return None
        _LOCAL.put(key, stored)
    return stored


def _store(key, request, version, response, compress=True):
    seconds = _seconds_to_keep(request)
    if seconds <= 0:
        return
    cache.set(key, kept_entry(version, response, seconds, compress=compress), seconds)
    patch_vary_headers(response, ("Accept-Encoding", "Cookie"))
    response["X-Page-Cache"] = "miss"


def _kept_get(request):
    return request.method in ("GET", "HEAD") and settings.KEPT_VIEW_SECONDS > 0 and BYPASS_PARAMETER not in request.GET


def _drop_bypass_parameter(request):
    query = request.GET.copy()
    del query[BYPASS_PARAMETER]
    request.GET = query


def kept_for_anonymous(view):
    """Answer anonymous GETs of a public view from a kept copy (see the module's text)."""

    @wraps(view)
    def serve(request, *args, **kwargs):
        if BYPASS_PARAMETER in request.GET:
            _drop_bypass_parameter(request)  # the view renders the page as it would without it
            return view(request, *args, **kwargs)
        if not (_kept_get(request) and anonymous_without_messages(request)):
            return view(request, *args, **kwargs)
        key = _key(request, visitor_variant(request))
        version = data_version()  # read before rendering: a write during it retires the copy
        stored = _stored(key, version)
        if stored is not None:
            return kept_hit(stored, request)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if cacheable_response(request, response):
            _store(key, request, version, response)
        return response

    return serve


class KeptForAnonymousMixin:
    """`list` and `retrieve` of an API viewset answered from a kept copy for anonymous clients.

    Authentication, permissions and throttles have run by then (DRF's `initial`), so a kept copy
    changes nothing about who may ask how often. Only JSON is kept (the browsable API carries a
    CSRF token and the visitor's name).
    """

    def list(self, request, *args, **kwargs):
        return self._kept(request, super().list, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._kept(request, super().retrieve, *args, **kwargs)

    def _kept(self, request, handler, *args, **kwargs):
        renderer = getattr(request, "accepted_renderer", None)
        if BYPASS_PARAMETER in request.query_params:
            _drop_bypass_parameter(request._request)  # filters and pagination see the query without it
            return handler(request, *args, **kwargs)
        if not (
            _kept_get(request)
            and not request.user.is_authenticated
            and "HTTP_AUTHORIZATION" not in request.META
            and getattr(renderer, "format", None) == "json"
        ):
            return handler(request, *args, **kwargs)
        key = _key(request, f"api|{request.accepted_media_type}|{translation.get_language()}")
        version = data_version()
        stored = _stored(key, version)
        if stored is not None:
            return kept_hit(stored, request)
        response = handler(request, *args, **kwargs)
        response.accepted_renderer = renderer
        response.accepted_media_type = request.accepted_media_type
        response.renderer_context = self.get_renderer_context()
        response.render()
        if cacheable_response(request, response):
            _store(key, request, version, response, compress=False)
        return response
