"""The staff queue's forms, rendered once per language and scope and kept until their options change.

The filter form lists the staff member's streets (and communities) and every category; the
bulk actions list every department (180 in a district) and the staff who may be assigned.
Building and rendering them took ~9 ms of each request at a million needs, for options that
change only when a category, a region, an organisation, a staff role or a person's name does
(`KeptMarkup` renews them then, in every worker).
"""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from portal.core.kept import KeptMarkup
from portal.core.languages import localized_name

from .forms import AssignForm, DispatchForm

QUEUE_FORMS = KeptMarkup(
    "needs-queue-forms",
    sources={
        "core.Category": None,
        "regions.Region": None,
        "organisations.Organisation": None,
        "accounts.RoleAssignment": None,
        "accounts.User": ("display_name", "username"),
    },
)


def _fields(form):
    return render_to_string("includes/form_fields.html", {"form": form})


def _named_options(field):
    """A NamedChoiceField's options read as (id, name, English name) rows, without making a record of each.

    For showing the list only (the field still validates against its queryset): the labels
    are the records' `display_name`, as NamedChoiceField writes them.
    """
    rows = field.queryset.values_list("pk", "name", "name_en")
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.widget.choices = [*empty, *((pk, localized_name(name, name_en)) for pk, name, name_en in rows)]


def _scope(regions):
    return tuple(sorted(region.pk for region in regions))


# Typed by each staff member: rendered afresh on every request, never kept (nor a key of the kept copies).
TYPED = ("q",)


def filter_fields(request, form, regions):
    """The filter form's fields as this request chose them; a form with errors is rendered as it is."""
    if form.is_bound and form.errors:
        return _fields(form)
    kept_fields = set(form.fields) - set(TYPED)
    chosen = tuple(sorted((name, tuple(values)) for name, values in request.GET.lists() if name in kept_fields))

    def render():
        _named_options(form.fields["region"])
        _named_options(form.fields["category"])
        typed = {name: form.fields.pop(name) for name in TYPED}
        try:
            return _fields(form)
        finally:
            form.fields.update(typed)

    # Bound or not shows in the markup (an empty choice is marked selected only when bound).
    kept = QUEUE_FORMS.get(("filter", _scope(regions), form.is_bound, chosen), render, request)
    typed = "".join(render_to_string("includes/field.html", {"field": form[name]}) for name in TYPED)
    return mark_safe(typed + kept)


def bulk_fields(request, regions):
    """The bulk actions' department and staff-member fields: (dispatch fields, assign fields)."""

    def render():
        dispatch_form, assign_form = DispatchForm(), AssignForm(regions=regions)
        _named_options(dispatch_form.fields["department"])
        # A person's row is long; the list shows names only, read in one go (not through a database cursor).
        assignee = assign_form.fields["assignee"]
        assignee.queryset = assignee.queryset.only("id", "display_name", "username")
        empty = [("", assignee.empty_label)] if assignee.empty_label is not None else []
        assignee.widget.choices = [
            *empty,
            *((user.pk, assignee.label_from_instance(user)) for user in assignee.queryset),
        ]
        return _fields(dispatch_form), _fields(assign_form)

    return QUEUE_FORMS.get(("bulk", _scope(regions)), render, request)
