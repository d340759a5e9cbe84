"""Asking the search layer: one `Query` in, one `Answer` out, from whichever backend is configured."""

from .backends import get_backend
from .backends.base import PUBLIC, SORTS, STAFF, Answer, Hit, Query

PAGE_SIZE = 20

__all__ = ["PAGE_SIZE", "PUBLIC", "SORTS", "STAFF", "Answer", "Hit", "Query", "search", "similar"]


def search(text, **options):
    """What `text` finds: `options` are Query's fields (language, doc_type, status, category, region_path,
    wanted, year, sort, page, page_size, audience, within)."""
    options.setdefault("page_size", PAGE_SIZE)
    return get_backend().search(Query(text=text or "", **options))


def similar(doc_type, object_id=None, **options):
    return get_backend().similar(doc_type, object_id, **options)
