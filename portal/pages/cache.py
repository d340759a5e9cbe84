"""Anonymous views of CMS pages, kept in the default cache.

Only anonymous GETs without private state are kept (no messages, no CSRF token,
no cookie set). Each URL path has a version in the cache; purging a URL — which
Wagtail's frontend-cache app does on publish and unpublish, and
`portal.pages.signals` does when the marketplace data a page shows changes — bumps
that version, so every cached variant of the path (pagination, filters) is dropped.
"""

import hashlib
import uuid
from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

# Query parameters that select a variant of a page; any other parameter bypasses the cache.
VARIANT_PARAMETERS = {"page", "category"}
HEADERS_KEPT = ("Content-Type",)  # the middleware adds the rest on every response


def _version_key(path):
    return "pagecache:v:" + hashlib.sha1(path.encode()).hexdigest()


def _response_key(path, version, query, variant=""):
    digest = hashlib.sha1(f"{path}?{query}#{variant}".encode()).hexdigest()
    return f"pagecache:r:{version}:{digest}"


def _visitor_variant(request):
    """The one per-visitor choice a cached page shows: the large-text switch (a class on <html>)."""
    from portal.core.context_processors import large_text_chosen

    return "large-text" if large_text_chosen(request) else ""


def purge_path(path):
    cache.set(_version_key(path), uuid.uuid4().hex, None)


class ResponseCacheBackend(BaseBackend):
    """A Wagtail frontend-cache backend for the cache this module keeps."""

    def purge(self, url):
        purge_path(urlsplit(url).path or "/")


def _cacheable_request(request):
    if request.method not in ("GET", "HEAD") or settings.PAGE_CACHE_SECONDS <= 0:
        return False
    if request.user.is_authenticated or getattr(request, "is_preview", False):
        return False
    if set(request.GET) - VARIANT_PARAMETERS:
        return False
    return len(messages.get_messages(request)) == 0


def _cacheable_response(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in response.get("Cache-Control", "")
    )


def cached_page_view(view):
    """Wrap Wagtail's serve view with the anonymous page cache."""

    @wraps(view)
    def serve(request, path):
        if not _cacheable_request(request):
            return view(request, path)
        query = urlencode(sorted(request.GET.items()))
        version = cache.get(_version_key(request.path)) or "0"
        key = _response_key(request.path, version, query, _visitor_variant(request))
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, path)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if _cacheable_response(request, response):
            page = (getattr(response, "context_data", None) or {}).get("page")
            seconds = getattr(page, "cache_seconds", settings.PAGE_CACHE_SECONDS)
            if seconds:
                headers = {name: response[name] for name in HEADERS_KEPT if name in response}
                cache.set(key, (response.content, headers), seconds)
                response["X-Page-Cache"] = "miss"
        return response

    return serve
