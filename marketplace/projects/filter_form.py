"""The project list's filter form, rendered once per language and choice and kept until its options change.

Its selects list every category, street and live book edition: three queries and ~5 ms of
rendering on every view of a page read far more often than those records change. Saving or
deleting a category or a region, and publishing, unpublishing or deleting any page (a book
edition), render it again (`portal.core.kept.KeptMarkup`, connected in `apps.py`).
"""

from django.db.models.signals import post_delete
from django.template.loader import render_to_string

from portal.core.kept import KeptMarkup

FILTER_FORM = KeptMarkup("project-filters", sources={"core.Category": None, "regions.Region": None})


def connect():
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished

    FILTER_FORM.connect()
    FILTER_FORM.renew_on(page_published)
    FILTER_FORM.renew_on(page_unpublished)
    FILTER_FORM.renew_on(post_delete, sender=Page)


def rendered_filter_form(request, filters):
    """The form's HTML for this request's choices (the same markup as rendering it in the list's template)."""
    fields = filters.form.fields
    chosen = tuple(sorted((name, tuple(values)) for name, values in request.GET.lists() if name in fields))
    return FILTER_FORM.get(
        (request.get_host(), chosen),
        lambda: render_to_string("projects/includes/filter_form.html", {"filters": filters}, request=request),
        request,
    )
