"""One filter set for the public project list, page and API alike: category, street, status, funding gap,
book edition, the way of taking part wanted, and the order."""

import django_filters
from django.db.models import Case, F, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from portal.core.choices import NamedChoiceField
from portal.core.ids import IdModelChoiceField
from portal.core.models import Category
from portal.regions.models import Region, RegionLevel

from .models import ProjectStatus

P = ProjectStatus
PUBLIC_STATUSES = [s for s in P.values if s != P.DRAFT]

MODES = [
    ("fund", _("Funding")),
    ("run", _("An organisation to run it")),
    ("in_kind", _("Gifts in kind")),
    ("volunteer", _("Volunteers")),
]
MODE_FIELDS = {
    "fund": "wants_funds",
    "run": "wants_implementer",
    "in_kind": "wants_in_kind",
    "volunteer": "wants_volunteers",
}

GAPS = [("open", _("Still needs funding")), ("met", _("Fully funded"))]


def book_editions(request):
    """The live editions of the project books, in the reader's language (pages depend on projects, not
    the other way round: the model is looked up by name)."""
    from django.apps import apps

    books = apps.get_model("pages", "ProjectBookPage").objects.live()
    language = getattr(request, "LANGUAGE_CODE", None)
    if language:
        books = books.filter(locale__language_code=language)
    return books.order_by("-edition_date")


SORTS = [("newest", _("Newest")), ("closing", _("Closing soon")), ("needed", _("Most needed"))]


class NamedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = NamedChoiceField


@extend_schema_field(OpenApiTypes.INT)
class BookEditionFilter(django_filters.ModelChoiceFilter):
    """A project book edition, by its page id (an id no database can hold is an invalid choice, not a 500)."""

    field_class = IdModelChoiceField


def with_gap(queryset):
    """`gap`: what is still to raise, in fen (the target if set, else the budget, less what is raised)."""
    target = Case(When(target__gt=0, then=F("target")), default=F("budget"))
    return queryset.annotate(gap=target - F("amount_raised"))


# Newest first: by publication, or creation for a project withdrawn before it was published.
# The same expressions as the indexes `project_newest` and `project_most_needed`.
NEWEST_FIRST = (Coalesce("published_at", "created_at").desc(), F("id").desc())


class ProjectFilter(django_filters.FilterSet):
    category = NamedModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.all(), to_field_name="slug", empty_label=_("All")
    )
    region = NamedModelChoiceFilter(
        label=_("Street"),
        queryset=Region.objects.filter(level=RegionLevel.STREET).order_by("path"),
        method="filter_region",
        empty_label=_("All"),
    )
    # Every status in the schema (one enum with the model's); the page offers the public ones.
    status = django_filters.ChoiceFilter(label=_("Status"), choices=P.choices, empty_label=_("All"))
    gap = django_filters.ChoiceFilter(label=_("Funding"), choices=GAPS, method="filter_gap", empty_label=_("Any"))
    book = BookEditionFilter(
        label=_("Project book edition"), queryset=book_editions, method="filter_book", empty_label=_("Any")
    )
    mode = django_filters.ChoiceFilter(
        label=_("Help wanted"), choices=MODES, method="filter_mode", empty_label=_("Any")
    )
    sort = django_filters.ChoiceFilter(
        label=_("Order"), choices=SORTS, method="order_by", empty_label=None, null_label=None
    )

    class Meta:
        fields = ["category", "region", "status", "gap", "book", "mode", "sort"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["status"].extra["choices"] = [(s, P(s).label) for s in PUBLIC_STATUSES]

    def filter_region(self, queryset, name, value):
        return queryset.filter(region__path__startswith=value.path) if value else queryset

    def filter_gap(self, queryset, name, value):
        if value == "open":
            return with_gap(queryset).filter(gap__gt=0, status=P.PUBLISHED)
        if value == "met":
            return with_gap(queryset).filter(gap__lte=0)
        return queryset

    def filter_book(self, queryset, name, value):
        if not value:
            return queryset
        # An English edition lists the same projects as the Chinese one it translates.
        return queryset.filter(book_entries__page__translation_key=value.translation_key).distinct()

    def filter_mode(self, queryset, name, value):
        return queryset.filter(**{MODE_FIELDS[value]: True}) if value in MODE_FIELDS else queryset

    def order_by(self, queryset, name, value):
        return queryset  # applied last, in `qs`, so that the default order holds without the parameter

    @property
    def qs(self):
        queryset = super().qs
        sort = self.form.cleaned_data.get("sort") if self.form.is_valid() else None
        if sort == "closing":
            return queryset.filter(status=P.PUBLISHED, funding_deadline__isnull=False).order_by(
                "funding_deadline", "pk"
            )
        if sort == "needed":
            return queryset.order_by("-need_count", *NEWEST_FIRST)
        return queryset.order_by(*NEWEST_FIRST)
