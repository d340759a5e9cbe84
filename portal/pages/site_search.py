"""Live, public, unexpired CMS pages in the visitor's language, for the site-wide search box."""

from search.site import MAX_RESULTS, Hit, all_words


def find_pages(words, *, language_code):
    from wagtail.models import Locale, Page

    from .models.base import not_expired

    locale = Locale.objects.filter(language_code=language_code).first() or Locale.get_default()
    pages = (
        not_expired(Page.objects.live().public().filter(locale=locale, depth__gt=2))
        .filter(all_words(["title", "search_description"], words))
        .specific()
        .order_by("-last_published_at")[:MAX_RESULTS]
    )
    return [
        Hit(
            p.title,
            p.get_url(),
            p.get_summary() if hasattr(p, "get_summary") else "",
            str(p.specific_class._meta.verbose_name),
        )
        for p in pages
    ]
