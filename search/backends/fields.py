"""The stored fields of a search `Document`, the same on every backend: the database writes them as a row,
Elasticsearch as a document's source, and the drift check (search.drift) compares either with what a
record's document would be now."""

from portal.regions.models import LEVEL_DEPTH, Region, RegionLevel

from ..segment import index_terms
from .base import PUBLIC

# The region facet counts by street: a street's path is the first part of every path below it.
STREET_PATH_LENGTH = Region.steplen * LEVEL_DEPTH[RegionLevel.STREET]


def _fields(document, region_path):
    return {
        "title": document.title[:300],
        "title_en": (document.title_en or "")[:300],
        "summary": (document.summary or "")[:600],
        "url": document.url[:300],
        # Padded with spaces so that a whole word is " word " in any database.
        "terms": f" {index_terms(document.title, document.title_en, document.summary, document.text)} ",
        "region_id": document.region_id,
        "region_path": region_path or "",
        "category_id": document.category_id,
        "status": document.status or "",
        "language": document.language or "",
        "gap": document.gap,
        "dated": document.dated,
        "expires_at": document.expires_at,
        "audience": document.audience or PUBLIC,
    }


def region_paths(documents):
    """{region id: materialised path} of the documents' regions, in one query."""
    ids = {d.region_id for d in documents if d is not None and d.region_id}
    return dict(Region.objects.filter(pk__in=ids).values_list("pk", "path")) if ids else {}


def entry_fields(document, paths=None):
    """The stored fields of a document (the drift check compares them with the index)."""
    if paths is None:
        paths = region_paths([document])
    return _fields(document, paths.get(document.region_id, ""))
