"""通知公告: notices with a category, an issuing body, a region, attachments, pinning and expiry."""

from types import SimpleNamespace

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Min
from django.http import Http404, QueryDict
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .base import ChildRouteMixin, PortalPageMixin, live_pages, not_expired, seconds_until


class NoticeCategory(models.TextChoices):
    NOTICE = "notice", _("Notice")
    ANNOUNCEMENT = "announcement", _("Announcement")
    PUBLIC_NOTICE = "public_notice", _("Public notice period")
    POLICY = "policy", _("Policy")
    RECRUITMENT = "recruitment", _("Recruitment")


class NoticeIndexPage(PortalPageMixin, RoutablePageMixin, ChildRouteMixin, Page):
    intro = models.CharField(_("introduction"), max_length=255, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.NoticePage"]
    max_count_per_parent = 1
    page_size = 20

    class Meta:
        verbose_name = _("notice list")

    @path("")
    def listing(self, request):
        return self.render(request)

    # The section's feeds at its own address too: /notices/rss/, /notices/atom/.
    def get_cached_paths(self):
        return ["/", "rss/", "atom/"]  # purged with the page

    @path("rss/")
    def rss(self, request):
        from ..feeds import NoticeFeed

        return NoticeFeed()(request)

    @path("atom/")
    def atom(self, request):
        from ..feeds import NoticeAtomFeed

        return NoticeAtomFeed()(request)

    def notices(self):
        return (
            not_expired(live_pages(NoticePage).child_of(self))
            .select_related("region")
            .order_by("-pinned", "-first_published_at", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        category = request.GET.get("category", "")
        if category not in NoticeCategory.values:
            category = ""

        def notices():
            notices = self.notices()
            return notices.filter(category=category) if category else notices

        # Read by the template's cached fragment only when it is rendered again.
        number = request.GET.get("page")
        context["page_obj"] = SimpleLazyObject(lambda: Paginator(notices(), self.page_size).get_page(number))
        context["page_number"] = page_number_key(number)
        context["category"] = category
        context["categories"] = NoticeCategory.choices
        # The list's pages link to each other with the list's own parameters only (the cached
        # fragment is shared by every request for this category and page).
        context["list_request"] = SimpleNamespace(GET=QueryDict(mutable=True))
        if category:
            context["list_request"].GET["category"] = category
        # Any notice of the list expiring moves those after it, and the page count.
        context["list_seconds"] = lambda: seconds_until(
            [notices().filter(expire_at__isnull=False).aggregate(first=Min("expire_at"))["first"]]
        )
        return context


def page_number_key(number):
    """The page a `?page=` value shows, as the cached fragment's key: Paginator.get_page's rules.

    Not a number: page 1; below 1 or past the last page: the last page. Numbers up to
    MAX_PAGE_KEY are keys of their own (a number past the last page shows the last page
    under its own key, which is as valid), the others all "last": the keys stay bounded.
    """
    try:
        number = int(number)
    except (TypeError, ValueError):
        return "1"
    return str(number) if 1 <= number <= MAX_PAGE_KEY else "last"


MAX_PAGE_KEY = 1000


class NoticePage(PortalPageMixin, Page):
    category = models.CharField(
        _("category"), max_length=20, choices=NoticeCategory.choices, default=NoticeCategory.NOTICE
    )
    issuing_body = models.CharField(_("issuing body"), max_length=120, help_text=_("e.g. 西港区民政局"))
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty for the whole district."),
    )
    pinned = models.BooleanField(_("pinned"), default=False, help_text=_("Pinned notices head every list."))
    summary = models.CharField(_("summary"), max_length=255, blank=True)
    body = RichTextField(_("body"))

    summary_field = "summary"
    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("issuing_body"), FieldPanel("region"), FieldPanel("pinned")],
            heading=_("Notice"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("Attachments")),
    ]
    # The expiry date is Wagtail's own expire_at ("Settings" tab): the notice is unpublished then.
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("issuing_body"),
        index.FilterField("category"),
    ]
    parent_page_types = ["pages.NoticeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["pinned", "category"])]

    def serve(self, request, *args, **kwargs):
        # Expired notices disappear at once, even before the scheduler unpublishes them.
        if self.is_expired() and not getattr(request, "is_preview", False):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_sitemap_urls(self, request=None):
        return [] if self.is_expired() else super().get_sitemap_urls(request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["attachments"] = self.attachments.select_related("document")
        return context


class NoticeAttachment(Orderable):
    page = ParentalKey(NoticePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        # A document in use on a notice cannot be deleted from under it.
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("link text"), max_length=120, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")

    def __str__(self):
        return self.title or self.document.title
