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


def _narrowed(found, query):
    """`found` within the query's filters other than the type (the type counts are the tabs)."""
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
    return found


def _counts(entries, expression):
    rows = entries.order_by().annotate(value=expression).values_list("value").annotate(n=Count("pk"))
    return {value: n for value, n in rows if value not in (None, "")}


FACET_SETS = {  # name: SQL over the matches' columns
    "status": "status",
    "category": "category_id",
    "region": f"substr(region_path, 1, {STREET_PATH_LENGTH})",
    "year": "extract(year from dated at time zone %s)::int",
    "wanted": "CASE WHEN gap > 0 THEN 'yes' END",
}


ORDERS = {  # Query.sort: ORDER BY over the matches' columns (rank, dated, gap, id)
    "relevance": "rank DESC, dated DESC NULLS LAST, id DESC",
    "newest": "dated DESC NULLS LAST, id DESC",
    "gap": "gap DESC NULLS LAST, id DESC",
}


def _counted(found, query):
    """The counts of `found` by type, and by status, category, street, year and money still wanted (within
    the query's type when one is chosen), the total (of that type), and the ids and ranks of the page asked
    for: ({facet: {value: n}, "total": n}, [(id, rank)]).

    PostgreSQL reads the matches once: a common word matches tens of thousands of a million needs, and
    reading them is most of a search's time. They are materialised once; one pass counts every facet
    (GROUPING SETS) and the same statement picks the page. SQLite counts each facet on its own."""
    doc_type = query.doc_type
    start = (max(1, query.page) - 1) * query.page_size
    if connection.vendor != "postgresql":
        within = found.filter(doc_type=doc_type) if doc_type else found
        facets = {
            "type": _counts(found, F("doc_type")),
            "status": _counts(within, F("status")),
            "category": _counts(within, F("category_id")),
            "region": _counts(within.exclude(region_path=""), Substr("region_path", 1, STREET_PATH_LENGTH)),
            "year": _counts(within, ExtractYear("dated")),
            "wanted": {"yes": within.filter(gap__gt=0).count()},
        }
        facets["total"] = facets["type"].get(doc_type, 0) if doc_type else sum(facets["type"].values())
        if not facets["total"]:
            return facets, []
        ordered = within.order_by(*(_django_order(query.sort)))
        return facets, list(ordered.values_list("pk", "rank")[start : start + query.page_size])
    inner, params = (
        found.order_by()
        .values("id", "doc_type", "status", "category_id", "region_path", "dated", "gap", "rank")
        .query.sql_with_params()
    )
    names = list(FACET_SETS)
    columns = ", ".join(f"{sql} AS {name}" for name, sql in FACET_SETS.items())
    flags = ", ".join(f"GROUPING({name})" for name in names)
    # Each facet within the chosen type: grouped with the type, its rows for the other types dropped.
    sets = ", ".join(f"(doc_type, {name})" if doc_type else f"({name})" for name in names)
    blanks = "NULL::varchar, NULL::varchar, NULL::bigint, NULL::text, NULL::int, NULL::text"
    sql = (
        f"WITH m AS MATERIALIZED ({inner}) "
        f"(SELECT doc_type, {', '.join(names)}, GROUPING(doc_type), {flags}, count(*), NULL::bigint, NULL::float"
        f" FROM (SELECT doc_type, {columns} FROM m) AS g GROUP BY GROUPING SETS ((doc_type), {sets}))"
        f" UNION ALL (SELECT {blanks}, {', '.join(['NULL::int'] * (len(names) + 1))}, NULL::bigint, id, rank"
        f" FROM m WHERE %s = '' OR doc_type = %s ORDER BY {ORDERS.get(query.sort, ORDERS['relevance'])}"
        f" LIMIT %s OFFSET %s)"
    )
    facets = {"type": {}, **{name: {} for name in names}}
    page = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, settings.TIME_ZONE, doc_type, doc_type, query.page_size, start])
        for row in cursor.fetchall():
            kind, values, count, pk, rank = row[0], row[1 : 1 + len(names)], row[-3], row[-2], row[-1]
            if pk is not None:
                page.append((pk, rank))
                continue
            grouped = row[2 + len(names) : 2 + 2 * len(names)]
            if all(grouped):  # grouped by type alone
                facets["type"][kind] = count
                continue
            if doc_type and kind != doc_type:
                continue
            name = names[grouped.index(0)]
            value = values[names.index(name)]
            if value not in (None, ""):
                facets[name][value] = count
    facets["wanted"] = {"yes": facets["wanted"].get("yes", 0)}
    facets["total"] = facets["type"].get(doc_type, 0) if doc_type else sum(facets["type"].values())
    return facets, page


def _django_order(sort):
    if sort == "newest":
        return (F("dated").desc(nulls_last=True), "-pk")
    if sort == "gap":
        return (F("gap").desc(nulls_last=True), "-pk")
    return ("-rank", F("dated").desc(nulls_last=True), "-pk")


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
        found = _narrowed(_matching(visible, groups), query)
        facets, page = _counted(found, query)
        filtered = query.status or query.category or query.region_path or query.wanted or query.year
        partial = not facets["type"] and len(terms) > 1 and not filtered
        if partial:  # no record holds every word: those holding most of them
            found = _narrowed(_matching(visible, groups, every=False), query)
            facets, page = _counted(found, query)
        total = facets.pop("total")
        marked = list(dict.fromkeys(w for group in groups for words in group for w in words))
        entries = SearchEntry.objects.in_bulk([pk for pk, _rank in page]) if page else {}
        hits = []
        for pk, rank in page:
            if pk in entries:
                entries[pk].rank = rank
                hits.append(_hit(entries[pk]))
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
