from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .base import ChildRouteMixin, PortalPageMixin, lazy_list, live_pages, not_expired, seconds_until


def upcoming_events(locale_id, limit=4):
    """Announced council meetings (the records themselves) and the CMS's other events (fairs), soonest first.

    Each entry has `title`, `url`, `kind_label`, `starts_at`, `ends_at`, `place`. A meeting's change
    purges the home pages (portal.pages.home_meetings); an event ending changes the list on its own.
    """
    from deliberation.meetings.models import Meeting

    from .events import EventPage

    now = timezone.now()
    meetings = [
        {
            "title": m.title,
            "url": m.get_absolute_url(),
            "kind_label": m.get_kind_display(),
            "starts_at": m.starts_at,
            "ends_at": m.ends_at,
            "place": m.place,
        }
        for m in Meeting.objects.upcoming(now)[:limit]
    ]
    others = [
        {
            "title": e.title,
            "url": e.url,
            "kind_label": e.get_kind_display(),
            "starts_at": e.starts_at,
            "ends_at": e.ends_at,
            "place": e.location,
        }
        for e in live_pages(EventPage, locale_id).filter(ends_at__gte=now).order_by("starts_at")[:limit]
    ]
    return sorted(meetings + others, key=lambda e: e["starts_at"])[:limit]


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
        from portal.pages import home_now
        from portal.pages.stats import home_counters

        from .books import ProjectBookPage
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
        events = context["events"] = lazy_list(lambda: upcoming_events(self.locale_id))
        # The lists change on their own when a listed notice expires or a listed event ends
        # (a notice or event below the ones listed leaving changes nothing listed).
        context["lists_seconds"] = lambda: seconds_until(
            [n.expire_at for n in notices] + [e["ends_at"] for e in events]
        )
        # What is open to take part in today (portal/pages/home_now.py): its own fragment, renewed when a
        # listed project's deadline or a listed vote's close passes, and purged when any of them moves.
        projects = context["open_projects"] = lazy_list(home_now.projects_short_of_money)
        context["collecting_topics"] = lazy_list(home_now.topics_collecting)
        votes = context["open_votes"] = lazy_list(home_now.open_votes)
        context["now_seconds"] = lambda: seconds_until(home_now.ends(projects, votes))
        context["counters"] = home_counters()
        return context
