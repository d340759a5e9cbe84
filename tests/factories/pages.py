"""Build the CMS tree the way editors do: pages added under the home page and published by revision."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from marketplace.projects.models import Project, ProjectStatus
from portal.pages.models import (
    EventIndexPage,
    EventKind,
    EventPage,
    NoticeIndexPage,
    NoticePage,
    ProjectBookEntry,
    ProjectBookIndexPage,
    ProjectBookPage,
)

from .needs import category


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"社区长者食堂{n}号")
    summary = "为社区独居老人提供午餐和送餐服务。"
    category = factory.LazyFunction(category)
    status = ProjectStatus.PUBLISHED
    budget = 10_000_000
    amount_raised = 2_500_000
    beneficiaries = "社区独居老人"
    beneficiary_count = 120


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def add(parent, page, *, live=True):
    """Add `page` under `parent`; published unless live=False (a draft that never went live)."""
    if not live:
        page.live = False
    parent.add_child(instance=page)
    if live:
        return publish(page)
    page.save_revision()
    return page


def notice_index(home):
    existing = NoticeIndexPage.objects.child_of(home).first()
    return existing or add(home, NoticeIndexPage(title="通知公告", slug="notices", show_in_menus=True))


def notice(home, title="关于开展垃圾分类宣传周的通知", *, live=True, **fields):
    fields.setdefault("issuing_body", "西港区城市管理局")
    fields.setdefault("body", "<p>请各社区组织居民参加。</p>")
    fields.setdefault("slug", f"notice-{NoticePage.objects.count() + 1}")
    return add(notice_index(home), NoticePage(title=title, **fields), live=live)


def book_index(home):
    existing = ProjectBookIndexPage.objects.child_of(home).first()
    return existing or add(home, ProjectBookIndexPage(title="社会项目推介书", slug="project-books", show_in_menus=True))


def book(home, region, projects, *, edition="2026年第3期", edition_date=None, live=True, slug=None):
    page = ProjectBookPage(
        title=f"西港区社会项目推介书 {edition}",
        slug=slug or f"book-{ProjectBookPage.objects.count() + 1}",
        edition=edition,
        edition_date=edition_date or date(2026, 9, 1),
        scope_region=region,
        introduction="<p>本期推介书收录居民最关心的社区项目。</p>",
    )
    for order, project in enumerate(projects):
        page.entries.add(ProjectBookEntry(project=project, sort_order=order))
    return add(book_index(home), page, live=live)


def event(home, title="公益项目相亲会", *, kind=EventKind.FAIR, days_ahead=10):
    index = EventIndexPage.objects.child_of(home).first() or add(
        home, EventIndexPage(title="活动", slug="events", show_in_menus=True)
    )
    starts = timezone.now() + timedelta(days=days_ahead)
    return add(
        index,
        EventPage(
            title=title,
            slug=f"event-{EventPage.objects.count() + 1}",
            kind=kind,
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            location="西港区社会组织服务中心",
        ),
    )
