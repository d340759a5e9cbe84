"""The topic list's filters, rendered once per language and choice and kept until their options change.

The council select names every active council (1,025 in a district of a thousand communities):
rendering it took ~14 ms on every view of the list. Saving or deleting a council or a category
renders it again (`portal.core.kept.KeptMarkup`, connected in `apps.py`).
"""

from django.template.loader import render_to_string

from portal.core.kept import KeptMarkup

FILTER_FORM = KeptMarkup("topic-filters", sources={"councils.Council": None, "core.Category": None})


def rendered_filter_fields(request, form):
    """The fields' HTML for this request's choices (the markup `includes/form_fields.html` writes)."""
    chosen = tuple(sorted((name, tuple(values)) for name, values in request.GET.lists() if name in form.fields))
    return FILTER_FORM.get(
        chosen,
        lambda: render_to_string("includes/form_fields.html", {"form": form}, request=request),
        request,
    )
