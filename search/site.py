"""The site-wide search box: whatever the apps registered (CMS pages, marketplace projects…), in the
visitor's language.

This app names no feature: each app that has something to find calls `register(name, find, order=…)`
from its AppConfig.ready; `find(words, language_code=…)` returns at most MAX_RESULTS `Hit`s and
`all_words` builds its filter. Results are listed source by source, in `order`.

A plain database query (title and summary contain every word) until the search
issue moves this behind the backends' full-text queries.
"""

from dataclasses import dataclass

from django.db.models import Q

MAX_RESULTS = 30


@dataclass
class Hit:
    title: str
    url: str
    summary: str
    kind: str


_sources = {}  # name -> (order, find)


def register(name, find, *, order):
    _sources[name] = (order, find)


def _words(query):
    return [w for w in query.split() if w][:8]


def all_words(fields, words):
    condition = Q()
    for word in words:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return condition


def site_search(query, *, language_code):
    words = _words(query)
    if not words:
        return []
    hits = []
    for _order, find in sorted(_sources.values(), key=lambda source: source[0]):
        hits += find(words, language_code=language_code)
    return hits
