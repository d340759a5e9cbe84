"""The site-wide search box: CMS pages and marketplace projects, in the visitor's language.

A plain database query (title and summary contain every word) until the search
issue moves this behind the backends' full-text queries.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_RESULTS = 30


@dataclass
class Hit:
    title: str
    url: str
    summary: str
    kind: str


def _words(query):
    return [w for w in query.split() if w][:8]


def _all_words(fields, words):
    condition = Q()
    for word in words:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return condition


def site_search(query, *, language_code):
    from wagtail.models import Locale, Page

    from marketplace.projects.models import Project, ProjectStatus
    from portal.pages.models.base import not_expired

    words = _words(query)
    if not words:
        return []
    locale = Locale.objects.filter(language_code=language_code).first() or Locale.get_default()
    pages = (
        not_expired(Page.objects.live().public().filter(locale=locale, depth__gt=2))
        .filter(_all_words(["title", "search_description"], words))
        .specific()
        .order_by("-last_published_at")[:MAX_RESULTS]
    )
    hits = [
        Hit(
            p.title,
            p.get_url(),
            p.get_summary() if hasattr(p, "get_summary") else "",
            str(p.specific_class._meta.verbose_name),
        )
        for p in pages
    ]
    projects = (
        Project.objects.exclude(status=ProjectStatus.DRAFT)
        .filter(_all_words(["title", "summary"], words))
        .order_by("-created_at")[:MAX_RESULTS]
    )
    hits += [Hit(p.title, p.get_absolute_url(), p.summary[:160], str(_("Project"))) for p in projects]
    return hits
