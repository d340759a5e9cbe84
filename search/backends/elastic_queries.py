"""The Elasticsearch request bodies for a `Query` and for similar records, and the `Answer` read back.

The same rules as the database backend (search.backends.database), in Elasticsearch's terms:

- what may be seen is a filter: the query's audience (a PUBLIC query is also sent to the public types'
  aliases only, so it never reaches a staff index), a staff query's regions (`within`, path prefixes),
  the reader's language, the portal's and none, and no expiry or one still to come;
- every word of the query is required: jieba's words in `terms` (a one-character word is a prefix, as
  on the database), or the query as the Chinese analyser (with the editors' synonyms) cuts it, in any of
  the shown fields. When no record holds every word and there are several, the records holding any come,
  most words first (`partial`);
- a title holding every word comes first, then the type's boost (SearchType.boost), then the text score;
- the `type` facet counts what the words find before any filter; the record filters are a post_filter,
  and the other facets an aggregation under the same filters, so their counts are those of the hits.
"""

import html
import re
from datetime import datetime

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe
from elasticsearch.dsl import A, Q, Search

from .. import registry
from .base import PUBLIC, Answer, Hit
from .elastic_documents import TEXT_FIELDS, alias_name

# Constant scores that keep the database backend's tiers above the text score (BM25 stays well below).
HELD_WORD = 2000.0  # per query word held, when matching any word
TITLE_BONUS = 1000.0  # the title holds every word
TYPE_BOOST = 500.0  # times SearchType.boost (0..1)
# Elasticsearch refuses from + size past this (index.max_result_window): later pages get counts only.
MAX_WINDOW = 10_000
SNIPPET = 200  # characters of the summary shown, as the page shows them
SIMILAR_TERMS = 12  # as the database backend: the most telling words of the record
FACET_SIZES = {"type": 50, "status": 50, "category": 500, "region": 1000}
MARK, UNMARK = "<mark>", "</mark>"
SOURCE_EXCLUDES = ["terms", "title_terms", "text"]  # not shown: not sent back


def aliases(audience):
    return [alias_name(t.name) for t in registry.types(audience=audience)]


def visible(audience=PUBLIC, within=(), language=""):
    """The filters of what a reader may see (search.backends.database._visible)."""
    filters = [
        Q("term", audience=audience),
        Q(
            "bool",
            should=[~Q("exists", field="expires_at"), Q("range", expires_at={"gt": "now"})],
            minimum_should_match=1,
        ),
    ]
    if audience != PUBLIC and within:
        filters.append(Q("bool", should=[Q("prefix", region_path=path) for path in within], minimum_should_match=1))
    if language:
        filters.append(Q("terms", language=sorted({"", language, settings.LANGUAGE_CODE})))
    return filters


def _word(term, field="terms"):
    """One of jieba's words in a words field; a one-character word is a prefix, as on the database."""
    return Q("prefix", **{field: term}) if len(term) == 1 else Q("term", **{field: term})


def _matching(text, terms, every):
    """Every word (or, every=False, any): jieba's words in `terms`, or the analysed text in a shown field."""
    if every:
        jieba = Q("bool", filter=[_word(t) for t in terms])
        analysed = Q("multi_match", query=text, fields=list(TEXT_FIELDS), type="cross_fields", operator="and")
        return Q("bool", should=[jieba, analysed], minimum_should_match=1)
    held = [Q("constant_score", filter=_word(t), boost=HELD_WORD) for t in terms]
    return Q("bool", should=held, minimum_should_match=1)


def _ranking(text, terms):
    """Scores added to a match: the title bonus, the types' boosts, the text score."""
    in_title = [_word(t, "title_terms") for t in terms]
    scores = [
        Q("constant_score", filter=Q("bool", filter=in_title), boost=TITLE_BONUS),
        Q("multi_match", query=text, fields=["title^3", "title_en^3", "summary", "text"]),
    ]
    for search_type in registry.types(audience=None):
        boost = getattr(search_type, "boost", 0) or 0
        if boost:
            scores.append(Q("constant_score", filter=Q("term", doc_type=search_type.name), boost=TYPE_BOOST * boost))
    return scores


def narrowing(query):
    """The record filters a reader chose (type, status, category, region, money still wanted, year)."""
    filters = []
    if query.doc_type:
        filters.append(Q("term", doc_type=query.doc_type))
    if query.status:
        filters.append(Q("term", status=query.status))
    if query.category:
        filters.append(Q("term", category_id=query.category))
    if query.region_path:
        filters.append(Q("prefix", region_path=query.region_path))
    if query.wanted:
        filters.append(Q("range", gap={"gt": 0}))
    if query.year:
        span = {"gte": f"{query.year}-01-01", "lt": f"{query.year + 1}-01-01", "time_zone": settings.TIME_ZONE}
        filters.append(Q("range", dated=span))
    return filters


def _sort(sort):
    newest = {"dated": {"order": "desc", "missing": "_last"}}
    if sort == "newest":
        return [newest, {"object_id": {"order": "desc"}}]
    if sort == "gap":
        return [{"gap": {"order": "desc", "missing": "_last"}}, {"object_id": {"order": "desc"}}]
    return ["_score", newest, {"object_id": {"order": "desc"}}]


def search_request(query, terms, *, every=True, using=None):
    """The dsl `Search` of one page of a query (to_dict() is its body)."""
    chosen = narrowing(query)
    request = Search(using=using, index=aliases(query.audience)).params(ignore_unavailable=True)
    request = request.query(
        Q(
            "bool",
            must=[_matching(query.text, terms, every)],
            should=_ranking(query.text, terms),
            filter=visible(query.audience, query.within, query.language),
        )
    )
    if chosen:
        request = request.post_filter(Q("bool", filter=chosen))
    request.aggs.bucket("type", A("terms", field="doc_type", size=FACET_SIZES["type"]))
    narrowed = request.aggs.bucket("narrowed", A("filter", filter=Q("bool", filter=chosen)))
    if query.doc_type:
        narrowed.bucket("status", A("terms", field="status", size=FACET_SIZES["status"]))
    narrowed.bucket("category", A("terms", field="category_id", size=FACET_SIZES["category"]))
    narrowed.bucket("region", A("terms", field="region_street", size=FACET_SIZES["region"]))
    narrowed.bucket(
        "year",
        A(
            "date_histogram",
            field="dated",
            calendar_interval="year",
            format="yyyy",
            min_doc_count=1,
            time_zone=settings.TIME_ZONE,
        ),
    )
    narrowed.bucket("wanted", A("filter", filter=Q("range", gap={"gt": 0})))
    start = (max(1, query.page) - 1) * query.page_size
    size = query.page_size if start + query.page_size <= MAX_WINDOW else 0
    request = request.sort(*_sort(query.sort)).source(excludes=SOURCE_EXCLUDES)
    request = request.extra(from_=start if size else 0, size=size, track_total_hits=True)
    return request.highlight_options(
        pre_tags=[MARK], post_tags=[UNMARK], encoder="html", number_of_fragments=1, fragment_size=SNIPPET
    ).highlight("summary")


def similar_request(
    *, doc_type, object_id, text, types, limit, region_path, category, statuses, audience, within, using=None
):
    """The dsl `Search` of records like one record (its indexed words) or like `text` (its jieba words)."""
    from ..segment import index_terms

    like = [{"_index": alias_name(doc_type), "_id": str(object_id)}] if object_id is not None else index_terms(text)
    if not like:
        return None
    # Any of the record's longer words (as the database backend's similar: two characters and up), most
    # shared first; `include` keeps Elasticsearch from dropping same-id records of other types, the
    # record itself is left out below.
    more = Q(
        "more_like_this",
        fields=["terms"],
        like=like,
        min_term_freq=1,
        min_doc_freq=1,
        min_word_length=2,
        max_query_terms=SIMILAR_TERMS,
        minimum_should_match="1",
        include=True,
    )
    filters = [*visible(audience, within), Q("terms", doc_type=list(types or (doc_type,)))]
    if region_path:
        filters.append(Q("prefix", region_path=region_path))
    if category:
        filters.append(Q("term", category_id=category))
    if statuses:
        filters.append(Q("terms", status=list(statuses)))
    itself = [Q("bool", filter=[Q("term", doc_type=doc_type), Q("term", object_id=object_id)])]
    request = Search(using=using, index=[alias_name(t) for t in (types or (doc_type,))])
    request = request.params(ignore_unavailable=True).query(
        Q("bool", must=[more], filter=filters, must_not=itself if object_id is not None else [])
    )
    newest = {"dated": {"order": "desc", "missing": "_last"}}
    return (
        request.sort("_score", newest, {"object_id": {"order": "desc"}})
        .source(excludes=SOURCE_EXCLUDES)
        .extra(size=limit)
    )


def safe_highlight(fragment):
    """A highlighter's fragment as safe HTML: only the <mark> tags asked for are kept, balanced; every
    other piece is unescaped (the html encoder escaped it) and escaped again by Django."""
    out, inside = [], False
    for piece in re.split(f"({MARK}|{UNMARK})", fragment):
        if piece == MARK:
            if not inside:
                out.append(MARK)
            inside = True
        elif piece == UNMARK:
            if inside:
                out.append(UNMARK)
            inside = False
        elif piece:
            out.append(escape(html.unescape(piece)))
    if inside:
        out.append(UNMARK)
    return mark_safe("".join(out))


def parse_datetime(value):
    """A date of a document's source (ISO 8601, as the client wrote it) as an aware datetime."""
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value


def hit_of(raw):
    """A `Hit` of one hit in Elasticsearch's own format ({"_source": …, "highlight": …, "_score": …})."""
    source = raw.get("_source", {})
    fragments = raw.get("highlight", {}).get("summary") or []
    marked = fragments[0] if fragments else ""
    return Hit(
        doc_type=source.get("doc_type", ""),
        object_id=int(source.get("object_id", raw.get("_id"))),
        title=source.get("title", ""),
        title_en=source.get("title_en") or "",
        summary=source.get("summary") or "",
        url=source.get("url", ""),
        status=source.get("status") or "",
        dated=parse_datetime(source.get("dated")),
        gap=source.get("gap"),
        # Only a fragment with a word marked: otherwise the page marks the summary itself.
        highlight=safe_highlight(marked) if MARK in marked else None,
        score=float(raw.get("_score") or 0.0),
    )


def _buckets(aggregation, key=lambda k: k):
    return {key(b["key"]): b["doc_count"] for b in aggregation.get("buckets", []) if b["key"] not in ("", None)}


def answer_of(query, terms, body, *, partial=False):
    """The `Answer` of a search response body (a dict in Elasticsearch's own format)."""
    aggregations = body.get("aggregations", {})
    narrowed = aggregations.get("narrowed", {})
    facets = {"type": _buckets(aggregations.get("type", {}))}
    if query.doc_type:
        facets["status"] = _buckets(narrowed.get("status", {}))
    facets["category"] = _buckets(narrowed.get("category", {}), int)
    facets["region"] = _buckets(narrowed.get("region", {}))
    facets["year"] = {
        int(b["key_as_string"]): b["doc_count"] for b in narrowed.get("year", {}).get("buckets", []) if b["doc_count"]
    }
    facets["wanted"] = {"yes": narrowed.get("wanted", {}).get("doc_count", 0)}
    total = body.get("hits", {}).get("total", {})
    return Answer(
        query=query.text,
        terms=terms,
        hits=[hit_of(raw) for raw in body.get("hits", {}).get("hits", [])],
        total=total.get("value", 0) if isinstance(total, dict) else int(total or 0),
        facets=facets,
        partial=partial,
    )
