import re

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import registry
from .query import PAGE_SIZE
from .query import search as run_search

SORTS = ("relevance", "newest", "gap")


def highlight(text, terms):
    """`text` with each query word marked (<mark>), every piece escaped on its own: marking after escaping
    would cut through entities (a word "amp" inside "&amp;")."""
    words = sorted({t for t in terms if t}, key=len, reverse=True)
    if not words:
        return escape(text or "")
    pieces = re.split("(" + "|".join(map(re.escape, words)) + ")", text or "", flags=re.IGNORECASE)
    return mark_safe("".join(f"<mark>{escape(p)}</mark>" if i % 2 else escape(p) for i, p in enumerate(pieces)))


def search(request):
    query = request.GET.get("q", "").strip()[:100]
    chosen = request.GET.get("type", "")
    doc_type = chosen if registry.get(chosen) else ""
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "relevance"
    answer = run_search(query, language=request.LANGUAGE_CODE, doc_type=doc_type, sort=sort) if query else None
    page = Paginator(answer.entries, PAGE_SIZE).get_page(request.GET.get("page")) if answer and answer.terms else None
    labels = {t.name: t.label for t in registry.types()}
    tabs = []
    if answer:
        counts = answer.facets.get("type", {})
        tabs = [(t.name, t.label, counts.get(t.name, 0)) for t in registry.types() if counts.get(t.name)]
    hits = [
        (entry, labels.get(entry.doc_type, entry.doc_type), highlight(entry.summary[:200], answer.terms))
        for entry in (page.object_list if page else [])
    ]
    return render(
        request,
        "search/results.html",
        {
            "query": query,
            "doc_type": doc_type,
            "sort": sort,
            "tabs": tabs,
            "total": sum(count for _name, _label, count in tabs),
            "page": page,
            "hits": hits,
            "terms": answer.terms if answer else [],
        },
    )
