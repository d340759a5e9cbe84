"""Asking the index: the words of a query, every one required, best first, with counts per type.

PostgreSQL matches the cut words through the GIN index on their `simple` text vector and ranks by
`ts_rank`, a title holding every word first; a one-character word (园) is a prefix query on the same index,
never a scan of the text. SQLite, the development default, matches whole words in the padded `terms`.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Case, Count, ExpressionWrapper, F, FloatField, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .models import TERMS_VECTOR_SQL, SearchEntry
from .segment import query_terms

PAGE_SIZE = 20


@dataclass
class Answer:
    query: str
    terms: list
    entries: object  # a page of SearchEntry rows, or []
    total: int = 0
    facets: dict = field(default_factory=dict)  # {"type": {name: count}}


def _tsquery(terms):
    # The words are letters and digits only (segment._clean): nothing here can break the query's syntax.
    return " & ".join(f"{t}:*" if len(t) == 1 else t for t in terms)


def matching(terms):
    """Every entry holding all of `terms`, with a `rank` (higher is better)."""
    entries = SearchEntry.objects.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
    if not terms:
        return entries.none()
    in_title = Q()
    for term in terms:
        in_title &= Q(title__icontains=term) | Q(title_en__icontains=term)
    title_bonus = Case(When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField())
    if connection.vendor == "postgresql":
        query = _tsquery(terms)
        entries = entries.extra(where=[f"{TERMS_VECTOR_SQL} @@ to_tsquery('simple', %s)"], params=[query])
        score = RawSQL(f"ts_rank({TERMS_VECTOR_SQL}, to_tsquery('simple', %s))", [query], output_field=FloatField())
        return entries.annotate(title_bonus=title_bonus, score=score).annotate(
            rank=ExpressionWrapper(F("title_bonus") + F("score"), output_field=FloatField())
        )
    for term in terms:
        entries = entries.filter(terms__contains=f" {term} ") if len(term) > 1 else entries.filter(terms__contains=term)
    return entries.annotate(rank=title_bonus)


def search(query, *, language="", doc_type=None, status=None, category=None, sort="relevance"):
    """What `query` finds for a reader of `language` (CMS pages of their language, every other record)."""
    terms = query_terms(query)
    if not terms:
        return Answer(query=query, terms=terms, entries=SearchEntry.objects.none())
    found = matching(terms)
    if language:
        # A reader finds the pages of their language, and the portal's own language (zh-hans first):
        # a page nobody translated is the only one there is.
        found = found.filter(language__in={"", language, settings.LANGUAGE_CODE})
    facets = {"type": dict(found.order_by().values_list("doc_type").annotate(n=Count("pk")))}
    if doc_type:
        found = found.filter(doc_type=doc_type)
        facets["status"] = dict(found.order_by().values_list("status").annotate(n=Count("pk")))
    if status:
        found = found.filter(status=status)
    if category:
        found = found.filter(category_id=category)
    if sort == "newest":
        found = found.order_by(F("dated").desc(nulls_last=True), "-pk")
    elif sort == "gap":
        found = found.order_by(F("gap").desc(nulls_last=True), "-pk")
    else:
        found = found.order_by("-rank", F("dated").desc(nulls_last=True), "-pk")
    return Answer(query=query, terms=terms, entries=found, facets=facets)
