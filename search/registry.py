"""What can be found, as each app declares it.

An app registers, from its `AppConfig.ready`, a `SearchType`: its model, the queryset a reindex walks, and
`document(record)`, which returns the record's public `Document`, or None for a record nobody but its
owners may read (a draft, a hidden or withdrawn one). Only documents are indexed, so the search layer
never holds a private field. `search` imports no feature: the features import this module.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Document:
    title: str
    url: str
    summary: str = ""
    text: str = ""  # further public words to find it by (not shown)
    title_en: str = ""
    region_id: int | None = None
    category_id: int | None = None
    status: str = ""
    language: str = ""  # a CMS page's language ("zh-hans", "en"); blank for records every reader reads
    gap: int | None = None  # fen still wanted
    dated: datetime | None = None
    expires_at: datetime | None = None  # from then on it is not found (a page's expiry), with no write
    # Who finds it: "public" (everyone) or "staff" (a staff type: the need queue, the audit log), the
    # latter only within the regions a staff member's query names (Query.within).
    audience: str = "public"


@dataclass(frozen=True)
class SearchType:
    name: str  # "project", "need"…: the `type` of the API and the page's tabs
    label: Any  # lazily translated plural ("Projects")
    model: type
    document: Callable[[Any], Document | None]
    queryset: Callable[[], Any]  # every record a reindex walks (select_related what `document` reads)
    order: int = 100
    status_labels: Callable[[], dict] | None = None  # status value -> label, for the facet
    audience: str = "public"  # "staff": never in the public page, API or tabs
    # Added to a match's rank: what people come to search for (a project, an organisation, a call) comes
    # before one resident's need with the same words. Within 0..1, less than a title holding every word.
    boost: float = 0.0


_types: dict[str, SearchType] = {}


def register(search_type):
    _types[search_type.name] = search_type
    from .indexing import watch

    watch(search_type)
    return search_type


def types(audience="public"):
    """The registered types (of one audience; None: all), in their tabs' order."""
    chosen = [t for t in _types.values() if audience is None or t.audience == audience]
    return sorted(chosen, key=lambda t: (t.order, t.name))


def get(name, audience="public"):
    found = _types.get(name)
    return found if found is not None and (audience is None or found.audience == audience) else None


def for_model(model):
    return [t for t in _types.values() if t.model is model or issubclass(model, t.model)]
