"""Anonymous views of CMS pages, kept in the default cache.

Only anonymous GETs without private state are kept (no messages, no CSRF token,
no cookie set). Each URL path has a version in the cache, read with the page in one round
trip (a page is stored with the version it was rendered for); purging a URL — which
Wagtail's frontend-cache app does on publish and unpublish, and
`portal.pages.signals` does when the marketplace data a page shows changes — bumps
that version, so every cached variant of the path (pagination, filters) is dropped.

The same versions key the fragments that pages render for everyone, signed in or not
(`cached_content`: the menu, a page's lists, breadcrumbs and language links), so a page
rendered on every request does not rebuild what has not changed. A fragment is valid for
the versions of its page's path, of every path above it and of each language's home:
publishing, unpublishing, moving or deleting a page purges the page and every page above
it (`portal.pages.signals`), and a change to a project purges the home pages, so any such
change reaches every fragment that could show it. Fragments are never used in previews.
"""

import hashlib
import re
import time
import uuid
from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.utils.cache import patch_vary_headers
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

from portal.core.kept import ProcessCopies, shared_version
from portal.core.kept_views import anonymous_without_messages, kept_entry
from portal.core.kept_views import cacheable_response as _cacheable_response
from portal.core.kept_views import kept_hit as _hit
from portal.core.kept_views import kept_response as _kept_response
from portal.core.kept_views import visitor_variant as _visitor_variant
from portal.core.kept_views import without_private_state as _without_private_state
from portal.core.middleware import chosen_language

_NONCE = re.compile(r" ?'nonce-[^']*'")
# Query parameters that select a variant of a page; any other parameter bypasses the cache.
VARIANT_PARAMETERS = {"page", "category"}


def _version_key(path):
    return "pagecache:v:" + hashlib.sha1(path.encode()).hexdigest()


def _response_key(path, query, variant=""):
    """Where a page is kept: stored with the version of its path it was rendered for, read with it in one round trip."""
    digest = hashlib.sha1(f"{path}?{query}#{variant}".encode()).hexdigest()
    return f"pagecache:r:{digest}"


def purge_path(path):
    cache.set(_version_key(path), uuid.uuid4().hex, None)


def language_roots():
    """Each language's home page path: / for the default language, /en/ … for the others."""
    return ["/" if code == settings.LANGUAGE_CODE else f"/{code}/" for code, _name in settings.LANGUAGES]


def content_paths(path=None, request=None):
    """The paths whose versions a fragment of the page at `path` depends on.

    Every language's home (any publish purges its language's home: the menu, the home page's
    lists and the language links change with it) and each path above `path` and `path` itself
    (a section's title in the breadcrumbs, a list's own page).
    """
    memo = getattr(request, "_content_paths", None) if request is not None else None
    if memo is not None and memo[0] == path:
        return memo[1]
    paths = language_roots()
    if path:
        parts = [part for part in path.split("/") if part]
        paths += ["/" + "".join(f"{part}/" for part in parts[:n]) for n in range(1, len(parts) + 1)]
    paths = list(dict.fromkeys(paths))
    if request is not None:
        request._content_paths = (path, paths)
    return paths


def fragment_cacheable(request):
    """Never for previews (drafts) and never without a request to tell."""
    return request is not None and settings.PAGE_CACHE_SECONDS > 0 and not getattr(request, "is_preview", False)


def path_versions(paths, request=None):
    """The current version of each path, read once per request (one round trip for what is missing)."""
    known = getattr(request, "_page_cache_versions", None) if request is not None else None
    if known is None:
        known = {}
        if request is not None:
            request._page_cache_versions = known
    missing = [path for path in paths if path not in known]
    if missing:
        keys = {path: _version_key(path) for path in missing}
        found = cache.get_many(list(keys.values()))
        unset = [path for path in missing if keys[path] not in found]
        if unset:
            # A path never purged (or a cache emptied since): give it a version of its own, so
            # that nothing this process kept from before can pass for current.
            for path in unset:
                cache.add(keys[path], uuid.uuid4().hex, None)
            found.update(cache.get_many([keys[path] for path in unset]))
        for path in missing:
            known[path] = found.get(keys[path]) or uuid.uuid4().hex  # gone again at once: trust nothing
    return tuple(known[path] for path in paths)


# Content computed or fetched recently by this process: key -> (versions, value, expires at).
# The versions are still read from the shared cache on every request, so a purge by any
# worker reaches this copy as soon as the next request reads them. A plain dict (its
# operations are atomic) emptied when full (`portal.core.kept.ProcessCopies`).
_LOCAL = ProcessCopies(512)


def _local_get(key, versions):
    entry = _LOCAL.get(key)
    if entry is None or (entry[0] == versions and entry[2] > time.time()):
        return entry
    _LOCAL.pop(key, None)
    return None


def forget_local_content():
    _LOCAL.clear()
    _LOCAL_PAGES.clear()
    _FRONT.clear()


def cached_content(key, paths, compute, timeout=None, request=None):
    """`compute()`'s value, kept while the versions of `paths` stay as they were.

    It is kept `timeout` seconds at most (PAGE_CACHE_SECONDS by default); `timeout` may be a
    function of the value, for content that changes with time (until the first listed notice
    expires). The versions are read once per request (`request`); the value comes from this
    process's recent copies, else from the shared cache, else from `compute()`. A purge
    during `compute` leaves a value stored with the old versions, which is then recomputed.
    """
    versions = path_versions(paths, request)
    entry = _local_get(key, versions)
    if entry is None:
        content_key = "pagecache:f:" + hashlib.sha1(repr(key).encode()).hexdigest()
        stored = cache.get(content_key)
        if stored is not None and stored[0] == versions and stored[2] > time.time():
            entry = stored
        else:
            value = compute()
            seconds = timeout(value) if callable(timeout) else timeout
            seconds = settings.PAGE_CACHE_SECONDS if seconds is None else min(seconds, settings.PAGE_CACHE_SECONDS)
            if seconds <= 0:
                return value
            entry = (versions, value, time.time() + seconds)
            cache.set(content_key, entry, seconds)
        _LOCAL.put(key, entry)
    return entry[1]


class ResponseCacheBackend(BaseBackend):
    """A Wagtail frontend-cache backend for the cache this module keeps."""

    def purge(self, url):
        purge_path(urlsplit(url).path or "/")


def _plain_get(request):
    if request.method not in ("GET", "HEAD") or settings.PAGE_CACHE_SECONDS <= 0:
        return False
    return not getattr(request, "is_preview", False) and not set(request.GET) - VARIANT_PARAMETERS


def _cacheable_request(request):
    return _plain_get(request) and anonymous_without_messages(request)


# Pages this process served from the shared cache recently: key -> stored entry. Only the path's
# version is read from the shared cache on a hit (a few bytes, not the page): a purge by any
# worker reaches this copy with the next request. Bounded, emptied when full, as _LOCAL above.
_LOCAL_PAGES = ProcessCopies(256)


def _lookup(request):
    """(the stored page or None, the path's version, the page's key), read once per request."""
    found = getattr(request, "_page_cache_lookup", None)
    if found is None:
        query = urlencode(sorted(request.GET.items()))
        key = _response_key(request.path, query, _visitor_variant(request))
        version = shared_version(_version_key(request.path))  # a path never purged gets its own
        stored = _LOCAL_PAGES.get(key)
        if stored is None or stored[0] != version or stored[3] <= time.time():
            stored = cache.get(key)
            if stored is not None and (len(stored) < 5 or stored[0] != version):  # kept before the last purge
                stored = None
            if stored is not None:
                _LOCAL_PAGES.put(key, stored)
        found = request._page_cache_lookup = (stored, version, key)
    return found


# Paths this process has served as CMS pages through the page cache (a bounded set): the
# middleware below looks only these up, so other addresses never pay for a cache read.
_PAGE_PATHS = set()
_PAGE_PATHS_MAX = 50_000


def _remember_page_path(path):
    if len(_PAGE_PATHS) >= _PAGE_PATHS_MAX:
        _PAGE_PATHS.clear()
    _PAGE_PATHS.add(path)


# Pages served as hits to visitors without a session, with the headers the whole middleware stack
# gave them: key -> (path version, stored entry, final headers). Checked against the path's
# version on every request, as _LOCAL_PAGES is.
_FRONT = ProcessCopies(256)
# Set per response, never replayed: the length and encoding follow the body sent; a nonce is
# never reused (a kept page carries no nonce'd script).
_NOT_REPLAYED = {"content-length", "content-encoding", "date", "x-page-cache"}


def _replayable_headers(response):
    headers = [(name, value) for name, value in response.items() if name.lower() not in _NOT_REPLAYED]
    return [(name, _NONCE.sub("", value) if name == "Content-Security-Policy" else value) for name, value in headers]


def _must_go_to_https(request):
    """A request SecurityMiddleware would redirect to HTTPS is left to it."""
    return settings.SECURE_SSL_REDIRECT and not request.is_secure()


def _host_allowed(request):
    """A host not allowed is left to the stack below, which answers it with its 400 page."""
    try:
        request.get_host()
    except DisallowedHost:
        return False
    return True


class EarlyPageCacheMiddleware:
    """Serve a kept page to a visitor without a session or a message waiting, first in the stack.

    Most visitors of the public pages carry no session. Their page depends only on its address
    and their language and text-size cookies, and the headers every middleware adds to it are
    the same each time: so the first hit passes through the whole stack, this middleware keeps
    the headers it came back with, and later hits are answered here with them, at little more
    than the cost of reading the path's version (which a purge by any worker renews). The host
    is checked and a plain-HTTP request that must go to HTTPS is left to SecurityMiddleware, as
    below; a test compares a hit's headers with those of the rendered page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        front = None
        if (
            request.path in _PAGE_PATHS
            and _without_private_state(request)
            and _plain_get(request)
            and not _must_go_to_https(request)
            and _host_allowed(request)
        ):
            query = urlencode(sorted(request.GET.items()))
            variant = _visitor_variant(request, chosen_language(request))
            # The stack's headers differ by scheme (HSTS only over HTTPS): kept apart.
            key = (_response_key(request.path, query, variant), request.is_secure())
            version = shared_version(_version_key(request.path))
            kept = _FRONT.get(key)
            if kept is not None and kept[0] == version and kept[1][3] > time.time():
                return _front_hit(kept, request)
            front = (key, version)
        response = self.get_response(request)
        stored = getattr(response, "_page_cache_entry", None)
        if front is not None and stored is not None and stored[0] == front[1] and not response.cookies:
            _FRONT.put(front[0], (front[1], stored, _replayable_headers(response)))
        return response


def _front_hit(kept, request):
    _version, stored, headers = kept
    response = _kept_response(stored, request)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(response.content))
    response["X-Page-Cache"] = "hit"
    return response


class PageCacheMiddleware:
    """Serve a page the cache holds before Django looks for the view that would render it.

    Last in MIDDLEWARE: the request has its session, visitor and language, and the response
    still passes every other middleware (security headers, CSP, language) as the view's
    would. Only paths this process has already served as CMS pages are looked up; a miss
    goes on to `cached_page_view`, which uses this lookup rather than reading the cache again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in _PAGE_PATHS and _cacheable_request(request):
            stored, _version, _key = _lookup(request)
            if stored is not None:
                return _hit(stored, request)
        return self.get_response(request)


def cached_page_view(view):
    """Wrap Wagtail's serve view with the anonymous page cache."""

    @wraps(view)
    def serve(request, path):
        if not _cacheable_request(request):
            return view(request, path)
        stored, version, key = _lookup(request)
        if stored is not None:
            _remember_page_path(request.path)
            return _hit(stored, request)
        response = view(request, path)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if _cacheable_response(request, response):
            page = (getattr(response, "context_data", None) or {}).get("page")
            seconds = getattr(page, "cache_seconds", settings.PAGE_CACHE_SECONDS)
            if seconds:
                cache.set(key, kept_entry(version, response, seconds), seconds)
                patch_vary_headers(response, ("Accept-Encoding",))
                response["X-Page-Cache"] = "miss"
                _remember_page_path(request.path)
        return response

    return serve
