from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .base import ChildRouteMixin, PortalPageMixin, lazy_list, live_pages, not_expired, seconds_until


class HomePage(PortalPageMixin, ChildRouteMixin, Page):
    """The portal's front page: what's new, and the district's live counters."""

    intro = models.CharField(_("introduction"), max_length=255, blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "pages.NoticeIndexPage",
        "pages.NewsIndexPage",
        "pages.ProjectBookIndexPage",
        "pages.EventIndexPage",
        "pages.StandardPage",
        "pages.FAQPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from portal.pages.stats import home_counters

        from .books import ProjectBookPage
        from .events import EventPage
        from .news import NewsPage
        from .notices import NoticePage

        context = super().get_context(request, *args, **kwargs)
        # Read by the template's cached fragment only when it is rendered again (lazy_list).
        notices = context["notices"] = lazy_list(
            lambda: (
                not_expired(live_pages(NoticePage, self.locale_id))
                .select_related("region")
                .order_by("-pinned", "-first_published_at")[:6]
            )
        )
        context["news"] = lazy_list(lambda: live_pages(NewsPage, self.locale_id).order_by("-date", "-pk")[:3])
        context["books"] = lazy_list(
            lambda: live_pages(ProjectBookPage, self.locale_id).order_by("-edition_date", "-pk")[:3]
        )
        events = context["events"] = lazy_list(
            lambda: live_pages(EventPage, self.locale_id).filter(ends_at__gte=timezone.now()).order_by("starts_at")[:4]
        )
        # The lists change on their own when a listed notice expires or a listed event ends
        # (a notice or event below the ones listed leaving changes nothing listed).
        context["lists_seconds"] = lambda: seconds_until([n.expire_at for n in notices] + [e.ends_at for e in events])
        context["counters"] = home_counters()
        return context
