"""The portal's CMS pages in the search layer: live, public and unexpired notices, news, project books and
event pages, each in its own language (a translation is a page of its own)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from search.registry import Document, SearchType


def _text_of(page):
    words = [page.search_description or ""]
    for name in ("intro", "summary", "body", "description", "place"):
        value = getattr(page, name, None)
        if value:
            words.append(str(getattr(value, "source", value)) if not isinstance(value, str) else value)
    return " ".join(words)


def document(page):
    if not page.live or page.get_view_restrictions().exists():
        return None
    if page.expire_at and page.expire_at <= timezone.now():
        return None
    summary = page.get_summary() if hasattr(page, "get_summary") else page.search_description
    return Document(
        title=page.title,
        url=page.url or "",
        summary=str(summary or "")[:600],
        text=_strip_tags(_text_of(page)),
        language=page.locale.language_code,
        dated=page.last_published_at or page.first_published_at,
        expires_at=page.expire_at,
    )


def _strip_tags(text):
    from django.utils.html import strip_tags

    return strip_tags(text)


def register():
    from search import registry

    from .models import EventPage, NewsPage, NoticePage, ProjectBookPage

    for order, (name, label, model, boost) in enumerate(
        [
            ("notice", _("Notices"), NoticePage, 0.3),
            ("news", _("News"), NewsPage, 0.2),
            ("book", _("Project books"), ProjectBookPage, 0.4),
            ("event", _("Events"), EventPage, 0.3),
        ]
    ):
        registry.register(
            SearchType(
                name=name,
                label=label,
                model=model,
                document=document,
                queryset=lambda model=model: model.objects.select_related("locale"),
                order=10 + order,
                boost=boost,
            )
        )
