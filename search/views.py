from django.shortcuts import render

from .site import site_search


def search(request):
    query = request.GET.get("q", "").strip()[:100]
    hits = site_search(query, language_code=request.LANGUAGE_CODE) if query else []
    return render(request, "search/results.html", {"query": query, "hits": hits})
