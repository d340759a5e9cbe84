"""The embedded default: the index is a table of the application's own database (search.models).

Each record's words are cut by jieba (search.segment) and stored space-separated in `terms`. PostgreSQL
matches them through a GIN index on their `simple` text vector and ranks by `ts_rank`; SQLite through an
FTS5 table (unicode61 tokenizer) over the same column, kept by triggers. A one-character word (园) is a
prefix query on either index, never a scan of the text. A title holding every word comes first. Facets
are grouped counts over the same matches; similar records are the ones sharing most of a record's words.
"""

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, ExpressionWrapper, F, FloatField, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear, Substr
from django.utils import timezone

from ..models import FTS_TABLE, TERMS_VECTOR_SQL, SearchEntry
from ..segment import index_terms, query_terms
from .base import PUBLIC, Answer, Hit, Query, SearchBackend

# The stored fields are the backends' shared part (`_region_paths` and `entry_fields` stay importable here).
from .fields import STREET_PATH_LENGTH, entry_fields
from .fields import region_paths as _region_paths

SIMILAR_TERMS = 12  # the most telling words of a record that similar records are looked up by


def _upsert(rows):
    names = [f for f in rows[0].__dict__ if f not in ("_state", "id", "doc_type", "object_id")]
    SearchEntry.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["doc_type", "object_id"], update_fields=names
    )


def _expanded(terms):
    """Each query word with the words editors made its synonyms (search.synonyms): [[("养老",), ("助老",),
    ("为老", "服务")], …]. A synonym is cut like a query, so one may be several words, all required."""
    from ..synonyms import groups

    # An alternative cut into one-character words only (为老 → 为, 老) would match half the index: left out.
    named = [
        [p for p in (tuple(query_terms(w)) for w in words) if any(len(x) > 1 for x in p)] for words in groups(terms)
    ]
    expanded = []
    for term in terms:
        alternatives = [(term,)]
        for phrases in named:
            if (term,) in phrases:
                alternatives += [p for p in phrases if p and p not in alternatives]
        expanded.append(alternatives)
    return expanded


def _match_sql(groups, every=True):
    """(where, params, score SQL or None) matching every group (or any) of alternatives: through the GIN
    index on PostgreSQL, the FTS5 table on SQLite. A one-character word is a prefix query."""
    if connection.vendor == "postgresql":
        # The words are letters and digits only (segment._clean): nothing can break the query's syntax.
        def word(t):
            return f"{t}:*" if len(t) == 1 else t

        alternatives = ("(" + " | ".join("(" + " & ".join(map(word, p)) + ")" for p in g) + ")" for g in groups)
        tsquery = (" & " if every else " | ").join(alternatives)
        where = f"{TERMS_VECTOR_SQL} @@ to_tsquery('simple', %s)"
        return where, [tsquery], (f"ts_rank({TERMS_VECTOR_SQL}, to_tsquery('simple', %s))", [tsquery])

    def phrase(t):
        return f'"{t}"*' if len(t) == 1 else f'"{t}"'

    alternatives = ("(" + " OR ".join("(" + " AND ".join(map(phrase, p)) + ")" for p in g) + ")" for g in groups)
    match = (" AND " if every else " OR ").join(alternatives)
    where = f'"search_searchentry"."id" IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)'
    return where, [match], None


def _holds(group, field):
    """Q: `field` holds one of the group's alternatives (every word of it)."""
    q = Q()
    for words in group:
        every = Q()
        for w in words:
            every &= Q(**{f"{field}__icontains": w})
        q |= every
    return q


def _in_terms(group):
    q = Q()
    for words in group:
        every = Q()
        for w in words:
            every &= Q(terms__contains=f" {w} ")
        q |= every
    return q


def _visible(entries, query):
    entries = entries.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
    entries = entries.filter(audience=query.audience)
    if query.audience != PUBLIC and query.within:
        inside = Q()
        for path in query.within:
            inside |= Q(region_path__startswith=path)
        entries = entries.filter(inside)
    if query.language:
        # A reader finds the pages of their language, and the portal's own language (zh-hans first):
        # a page nobody translated is the only one there is.
        entries = entries.filter(language__in={"", query.language, settings.LANGUAGE_CODE})
    return entries


def _boosts():
    from .. import registry

    boosted = [When(doc_type=t.name, then=Value(t.boost)) for t in registry.types() if t.boost]
    return Case(*boosted, default=Value(0.0), output_field=FloatField()) if boosted else Value(0.0)


def _matching(entries, groups, every=True):
    """The entries holding every group of alternatives (or, with every=False, any), ranked: a title holding
    every word first (1), then the type's boost (0..1), then the text rank; matching any word, the number
    of words held counts before all of these."""
    where, params, score = _match_sql(groups, every)
    entries = entries.extra(where=[where], params=params)
    in_title = Q()
    for group in groups:
        in_title &= _holds(group, "title") | _holds(group, "title_en")
    rank = Case(When(in_title, then=Value(1.0)), default=Value(0.0), output_field=FloatField()) + _boosts()
    if not every:
        # Each word held counts 2, and 0.5 more where the title holds it.
        for group in groups:
            rank = rank + Case(When(_in_terms(group), then=Value(2.0)), default=Value(0.0))
            rank = rank + Case(
                When(_holds(group, "title") | _holds(group, "title_en"), then=Value(0.5)), default=Value(0.0)
            )
    if score is not None:
        rank = rank + RawSQL(*score, output_field=FloatField())
    return entries.annotate(rank=ExpressionWrapper(rank, output_field=FloatField()))


def _counts(entries, expression):
    rows = entries.order_by().annotate(value=expression).values_list("value").annotate(n=Count("pk"))
    return {value: n for value, n in rows if value not in (None, "")}


FACET_SETS = {  # name: (SQL over the matches' columns, grouping set)
    "status": "status",
    "category": "category_id",
    "region": f"substr(region_path, 1, {STREET_PATH_LENGTH})",
    "year": "extract(year from dated at time zone %s)::int",
    "wanted": "CASE WHEN gap > 0 THEN 'yes' END",
}


def _facets(found):
    """The counts by status, category, street, year and money still wanted, and the total, of `found`.

    PostgreSQL counts them all in one pass over the matches (GROUPING SETS): a common word matches a sixth
    of a million needs, and six passes were most of the search's time. SQLite counts each on its own."""
    if connection.vendor != "postgresql":
        return {
            "status": _counts(found, F("status")),
            "category": _counts(found, F("category_id")),
            "region": _counts(found.exclude(region_path=""), Substr("region_path", 1, STREET_PATH_LENGTH)),
            "year": _counts(found, ExtractYear("dated")),
            "wanted": {"yes": found.filter(gap__gt=0).count()},
            "total": found.count(),
        }
    inner, params = (
        found.order_by().values("status", "category_id", "region_path", "dated", "gap").query.sql_with_params()
    )
    names = list(FACET_SETS)
    columns = ", ".join(f"{sql} AS {name}" for name, sql in FACET_SETS.items())
    flags = ", ".join(f"GROUPING({name})" for name in names)
    sets = ", ".join(f"({name})" for name in names)
    sql = (
        f"SELECT {', '.join(names)}, {flags}, count(*) FROM (SELECT {columns} FROM ({inner}) AS matches) AS m"
        f" GROUP BY GROUPING SETS ({sets}, ())"
    )
    facets = {name: {} for name in names}
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, [settings.TIME_ZONE, *params])
        for row in cursor.fetchall():
            values, grouped, count = row[: len(names)], row[len(names) : 2 * len(names)], row[-1]
            if all(grouped):
                total = count
                continue
            name = names[grouped.index(0)]
            value = values[names.index(name)]
            if value not in (None, ""):
                facets[name][value] = count
    facets["wanted"] = {"yes": facets["wanted"].get("yes", 0)}
    facets["total"] = total
    return facets


def _hit(entry):
    return Hit(
        doc_type=entry.doc_type,
        object_id=entry.object_id,
        title=entry.title,
        title_en=entry.title_en,
        summary=entry.summary,
        url=entry.url,
        status=entry.status,
        dated=entry.dated,
        gap=entry.gap,
        score=float(getattr(entry, "rank", 0) or 0),
    )


class DatabaseBackend(SearchBackend):
    name = "database"

    def ping(self):
        return connection.is_usable() if connection.connection else True

    # Writing: one upsert (or delete) per record; a rebuild writes batches and then drops what it missed.
    def write(self, doc_type, object_id, document):
        if document is None:
            SearchEntry.objects.filter(doc_type=doc_type, object_id=object_id).delete()
            return
        _upsert([SearchEntry(doc_type=doc_type, object_id=object_id, **entry_fields(document))])

    def begin_rebuild(self, doc_type):
        return timezone.now()

    def write_batch(self, token, doc_type, pairs):
        paths = _region_paths([d for _pk, d in pairs])
        rows = [
            SearchEntry(doc_type=doc_type, object_id=pk, **entry_fields(d, paths)) for pk, d in pairs if d is not None
        ]
        gone = [pk for pk, d in pairs if d is None]
        with transaction.atomic():
            if gone:
                SearchEntry.objects.filter(doc_type=doc_type, object_id__in=gone).delete()
            if rows:
                _upsert(rows)
        return len(rows)

    def end_rebuild(self, token, doc_type):
        # Entries the rebuild did not write: records gone or no longer public (written during it: kept).
        SearchEntry.objects.filter(doc_type=doc_type, indexed_at__lt=token).delete()

    def stored(self, doc_type):
        from ..drift import COMPARED

        return {e["object_id"]: e for e in SearchEntry.objects.filter(doc_type=doc_type).values("object_id", *COMPARED)}

    # Reading.
    def search(self, query: Query):
        terms = query_terms(query.text)
        if not terms:
            return Answer(query=query.text, terms=terms)
        visible = _visible(SearchEntry.objects.all(), query)
        groups = _expanded(terms)
        found = _matching(visible, groups)
        facets = {"type": _counts(found, F("doc_type"))}
        partial = not facets["type"] and len(terms) > 1
        if partial:
            found = _matching(visible, groups, every=False)
            facets = {"type": _counts(found, F("doc_type"))}
        if query.doc_type:
            found = found.filter(doc_type=query.doc_type)
        if query.status:
            found = found.filter(status=query.status)
        if query.category:
            found = found.filter(category_id=query.category)
        if query.region_path:
            found = found.filter(region_path__startswith=query.region_path)
        if query.wanted:
            found = found.filter(gap__gt=0)
        if query.year:
            found = found.filter(dated__year=query.year)
        facets.update(_facets(found))
        total = facets.pop("total")
        if query.sort == "newest":
            found = found.order_by(F("dated").desc(nulls_last=True), "-pk")
        elif query.sort == "gap":
            found = found.order_by(F("gap").desc(nulls_last=True), "-pk")
        else:
            found = found.order_by("-rank", F("dated").desc(nulls_last=True), "-pk")
        start = (max(1, query.page) - 1) * query.page_size
        hits = [_hit(e) for e in found[start : start + query.page_size]]
        marked = list(dict.fromkeys(w for group in groups for words in group for w in words))
        return Answer(query=query.text, terms=marked, hits=hits, total=total, facets=facets, partial=partial)

    def similar(
        self,
        doc_type,
        object_id=None,
        *,
        text="",
        types=(),
        limit=5,
        region_path="",
        category=None,
        statuses=(),
        audience=PUBLIC,
        within=(),
    ):
        """The records sharing most of the words of one record (or of `text`): any of its most telling
        words matches, and the rank counts how many."""
        if object_id is not None:
            own = SearchEntry.objects.filter(doc_type=doc_type, object_id=object_id).values_list("terms", flat=True)
            words = (own.first() or "").split()
        else:
            words = index_terms(text).split()
        # Longer words tell more (社区 is in half the district's records, 加装电梯 in few).
        words = sorted(dict.fromkeys(w for w in words if len(w) > 1), key=len, reverse=True)[:SIMILAR_TERMS]
        if not words:
            return []
        entries = _visible(SearchEntry.objects.all(), Query(text="", audience=audience, within=within))
        entries = entries.filter(doc_type__in=list(types or (doc_type,)))
        if object_id is not None:
            entries = entries.exclude(doc_type=doc_type, object_id=object_id)
        if region_path:
            entries = entries.filter(region_path__startswith=region_path)
        if category:
            entries = entries.filter(category_id=category)
        if statuses:
            entries = entries.filter(status__in=list(statuses))
        if connection.vendor == "postgresql":
            tsquery = " | ".join(words)
            entries = entries.extra(where=[f"{TERMS_VECTOR_SQL} @@ to_tsquery('simple', %s)"], params=[tsquery])
        else:
            match = " OR ".join(f'"{w}"' for w in words)
            entries = entries.extra(
                where=[f'"search_searchentry"."id" IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)'],
                params=[match],
            )
        shared = sum(
            (Case(When(terms__contains=f" {w} ", then=Value(1)), default=Value(0)) for w in words),
            Value(0),
        )
        entries = entries.annotate(rank=ExpressionWrapper(shared, output_field=IntegerField()))
        return [_hit(e) for e in entries.order_by("-rank", F("dated").desc(nulls_last=True), "-pk")[:limit]]
