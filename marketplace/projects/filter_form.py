"""The project list's filter form, rendered once per language and choice and kept until its options change.

Its selects list every category, street and live book edition: three queries and ~5 ms of
rendering on every view of a page read far more often than those records change. The
rendered form is kept in this process under a version that saving or deleting a category
or a region, and publishing, unpublishing or deleting any page (a book edition), renew
(`receivers.py`); the version is one cache read per request.
"""

import uuid

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

VERSION_KEY = "projects:filter-form:version"
_RENDERED = {}
_RENDERED_MAX = 256


def renew():
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or uuid.uuid4().hex  # a cache that keeps nothing: never reuse
    return version


def rendered_filter_form(request, filters):
    """The form's HTML for this request's choices (the same markup as rendering it in the list's template)."""
    fields = filters.form.fields
    chosen = tuple(sorted((name, tuple(values)) for name, values in request.GET.lists() if name in fields))
    key = (_version(), translation.get_language(), request.get_host(), chosen)
    html = _RENDERED.get(key)
    if html is None:
        html = render_to_string("projects/includes/filter_form.html", {"filters": filters}, request=request)
        if len(_RENDERED) >= _RENDERED_MAX:
            _RENDERED.clear()
        _RENDERED[key] = html
    return html


def forget():
    _RENDERED.clear()
