import re

from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import registry
from .facets import labelled, page_of, region_path
from .query import PAGE_SIZE, SORTS
from .query import search as run_search


def highlight(text, terms):
    """`text` with each query word marked (<mark>), every piece escaped on its own: marking after escaping
    would cut through entities (a word "amp" inside "&amp;")."""
    words = sorted({t for t in terms if t}, key=len, reverse=True)
    if not words:
        return escape(text or "")
    # A Latin word is stemmed ("lift" for "lifts"): mark the whole word it begins.
    patterns = [rf"\b{re.escape(w)}[a-z]*" if w.isascii() else re.escape(w) for w in words]
    pieces = re.split("(" + "|".join(patterns) + ")", text or "", flags=re.IGNORECASE)
    return mark_safe("".join(f"<mark>{escape(p)}</mark>" if i % 2 else escape(p) for i, p in enumerate(pieces)))


def _number(value, *, low=1, high=2**63 - 1):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def filters_from(params):
    """The filters a search page's address names; a value that names nothing is left out."""
    chosen = params.get("type", "")
    doc_type = chosen if registry.get(chosen) else ""
    region = _number(params.get("region"))
    options = {
        "doc_type": doc_type,
        "status": params.get("status", "")[:24] if doc_type else "",
        "category": _number(params.get("category")),
        "region_path": (region_path(region) or "") if region else "",
        "wanted": params.get("wanted") == "1",
        "year": _number(params.get("year"), low=1900, high=2200),
        "sort": params.get("sort") if params.get("sort") in SORTS else "relevance",
    }
    return options


def _tab_href(request, name):
    """A tab keeps the filters its count was made with (a status belongs to one type: it is dropped)."""
    params = request.GET.copy()
    for key in ("type", "status", "page"):
        params.pop(key, None)
    if name:
        params["type"] = name
    return f"?{params.urlencode()}"


def _facet_links(request, groups):
    """Each facet value with the address that applies it, or that removes it when it is applied."""
    linked = []
    for key, title, values in groups:
        rows = []
        for value, label, count in values:
            params = request.GET.copy()
            params.pop("page", None)
            applied = params.get(key) == str(value)
            if applied:
                params.pop(key)
            else:
                params[key] = value
            rows.append((label, count, f"?{params.urlencode()}", applied))
        linked.append((key, title, rows))
    return linked


def search(request):
    query = request.GET.get("q", "").strip()[:100]
    options = filters_from(request.GET)
    number = _number(request.GET.get("page"), high=10_000) or 1
    answer = page = None
    if query:
        answer = run_search(query, language=request.LANGUAGE_CODE, page=number, **options)
        last = max(1, -(-answer.total // PAGE_SIZE))
        if number > last:  # past the end: the last page, as Django's get_page does
            number = last
            answer = run_search(query, language=request.LANGUAGE_CODE, page=number, **options)
        page = page_of(answer, number, PAGE_SIZE) if answer.terms else None
    labels = {t.name: t.label for t in registry.types()}
    tabs = []
    if answer:
        counts = answer.facets.get("type", {})
        tabs = [
            (t.name, t.label, counts.get(t.name, 0), _tab_href(request, t.name))
            for t in registry.types()
            if counts.get(t.name)
        ]
    hits = [
        (hit, labels.get(hit.doc_type, hit.doc_type), hit.highlight or highlight(hit.summary[:200], answer.terms))
        for hit in (answer.hits if answer else [])
    ]
    chosen = {k: request.GET.get(k) for k in ("status", "category", "region", "wanted", "year") if request.GET.get(k)}
    return render(
        request,
        "search/results.html",
        {
            "query": query,
            "doc_type": options["doc_type"],
            "sort": options["sort"],
            "tabs": tabs,
            "total": sum(tab[2] for tab in tabs),
            "all_href": _tab_href(request, ""),
            "page": page,
            "hits": hits,
            "terms": answer.terms if answer else [],
            "facets": _facet_links(request, labelled(answer, options["doc_type"])) if answer and answer.total else [],
            "chosen": chosen,
            "failed": bool(answer and answer.failed),
            "partial": bool(answer and answer.partial),
        },
    )
