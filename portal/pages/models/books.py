"""社会项目推介书: project book editions, each an ordered selection of marketplace projects.

A book page always shows its projects' live funding status (the entries point at
the projects; nothing is copied at publish time). Its print edition is a PDF
rendered by a Celery task and kept until the book or one of its projects changes.
"""

import hashlib

from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from marketplace.projects.models import FUNDED_STATUSES, ProjectStatus

from ..forms import ProjectBookForm
from .base import ChildRouteMixin, PortalPageMixin, lazy_list, live_pages


def _need_count():
    """Needs merged into the entry's project, as a correlated subquery.

    A join with GROUP BY makes PostgreSQL estimate the whole needs table (most needs
    have no project), which costs more in JIT compilation than the query itself.
    """
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from marketplace.needs.models import Need

    counts = Need.objects.filter(project=OuterRef("project_id")).order_by().values("project").annotate(n=Count("pk"))
    return Coalesce(Subquery(counts.values("n"), output_field=IntegerField()), 0)


# Bump when the print template changes, so PDFs made by the old layout are rendered again.
PRINT_LAYOUT = 2


class ProjectBookIndexPage(PortalPageMixin, RoutablePageMixin, ChildRouteMixin, Page):
    intro = models.CharField(_("introduction"), max_length=255, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.ProjectBookPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("project book list")

    @path("")
    def listing(self, request):
        return self.render(request)

    # The section's feeds at its own address too: /project-books/rss/, /project-books/atom/.
    def get_cached_paths(self):
        return ["/", "rss/", "atom/"]  # purged with the page

    @path("rss/")
    def rss(self, request):
        from ..feeds import ProjectBookFeed

        return ProjectBookFeed()(request)

    @path("atom/")
    def atom(self, request):
        from ..feeds import ProjectBookAtomFeed

        return ProjectBookAtomFeed()(request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["books"] = (
            live_pages(ProjectBookPage)
            .child_of(self)
            .select_related("scope_region")
            .annotate(project_count=Count("entries"))
            .order_by("-edition_date", "-pk")[:100]
        )
        return context


class ProjectBookPage(PortalPageMixin, RoutablePageMixin, Page):
    edition = models.CharField(_("edition"), max_length=40, help_text=_("e.g. 2026年第3期"))
    edition_date = models.DateField(_("edition date"))
    scope_region = models.ForeignKey(
        "regions.Region", verbose_name=_("scope"), on_delete=models.PROTECT, related_name="+"
    )
    introduction = RichTextField(_("introduction"), blank=True)

    summary_field = "introduction"
    base_form_class = ProjectBookForm
    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("edition"), FieldPanel("edition_date"), FieldPanel("scope_region")], _("Edition")),
        FieldPanel("introduction"),
        InlinePanel("entries", label=_("Projects"), help_text=_("In the order they appear in the book.")),
    ]
    search_fields = Page.search_fields + [index.SearchField("edition"), index.SearchField("introduction")]
    parent_page_types = ["pages.ProjectBookIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("project book")
        verbose_name_plural = _("project books")

    # --- what the page and the PDF show ---------------------------------------
    def book_entries(self):
        """Entries with their projects' live status, in book order (three queries whatever the size)."""
        return (
            self.entries.exclude(project__status=ProjectStatus.DRAFT)  # not public until published
            .select_related("project__region", "project__category")
            .annotate(need_count=_need_count())
            .order_by("sort_order", "pk")
        )

    def previous_edition(self):
        return (
            live_pages(ProjectBookPage)
            .sibling_of(self, inclusive=False)
            .filter(locale_id=self.locale_id, edition_date__lt=self.edition_date)
            .order_by("-edition_date", "-pk")
            .first()
        )

    def changes_since_previous(self):
        """Projects added since the previous edition, and those of the previous one funded or withdrawn since."""
        previous = self.previous_edition()
        if previous is None:
            return None
        from marketplace.projects.models import Project

        current_ids = set(self.entries.values_list("project_id", flat=True))
        previous_ids = set(previous.entries.values_list("project_id", flat=True))
        touched = Project.objects.filter(pk__in=current_ids | previous_ids).only("pk", "title", "status")
        by_id = {p.pk: p for p in touched}
        funded = [by_id[i] for i in sorted(previous_ids) if i in by_id and by_id[i].status in FUNDED_STATUSES]
        withdrawn = [
            by_id[i] for i in sorted(previous_ids) if i in by_id and by_id[i].status == ProjectStatus.WITHDRAWN
        ]
        return {
            "previous": previous,
            "added": [by_id[i] for i in sorted(current_ids - previous_ids) if i in by_id],
            "funded": funded,
            "withdrawn": withdrawn,
            # Left out by the editors though still open: shown apart, they were not withdrawn.
            "dropped": [
                by_id[i]
                for i in sorted(previous_ids - current_ids)
                if i in by_id and by_id[i] not in funded and by_id[i] not in withdrawn
            ],
        }

    def print_fingerprint(self):
        """Changes whenever the book is re-published or one of its projects (or their needs) changes."""
        rows = (
            self.entries.order_by("sort_order", "pk")
            .values_list("project_id", "project__updated_at", "project__status")
            .annotate(needs=_need_count())
        )
        digest = hashlib.sha256(f"{PRINT_LAYOUT}:{self.pk}:{self.last_published_at}:{self.title}".encode())
        for row in rows:
            digest.update(repr(row).encode())
        return digest.hexdigest()[:32]

    def print_key(self):
        """The print edition's key on the rendered-files path: this book, in its current state."""
        return f"{self.pk}:{self.print_fingerprint()}"

    def get_context(self, request, *args, **kwargs):
        from django.utils.functional import SimpleLazyObject

        context = super().get_context(request, *args, **kwargs)
        # Read by the template's cached fragment only when it is rendered again.
        context["entries"] = lazy_list(self.book_entries)
        context["changes"] = SimpleLazyObject(lambda: self.changes_since_previous() or {})
        return context

    # --- the print edition ---------------------------------------------------
    @path("")
    def book(self, request):
        return self.render(request)

    @path("pdf/")
    def pdf(self, request):
        from ..printing import serve_book_pdf

        return serve_book_pdf(request, self)


class ProjectBookEntry(Orderable):
    page = ParentalKey(ProjectBookPage, on_delete=models.CASCADE, related_name="entries")
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="book_entries"
    )
    note = models.CharField(_("editor's note"), max_length=200, blank=True)

    panels = [FieldPanel("project"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("project in the book")
        verbose_name_plural = _("projects in the book")
        constraints = [models.UniqueConstraint(fields=["page", "project"], name="book_entry_unique_project")]

    def __str__(self):
        return str(self.project)
