"""What visitors see: live data on book pages, nothing unpublished or expired, bounded queries, caching."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.funding import ledger
from marketplace.funding.models import EntryKind
from marketplace.projects.models import ProjectStatus
from marketplace.projects.services import move_project
from portal.pages.models import EventKind, NoticePage
from portal.pages.tasks import publish_scheduled_pages_task
from tests.factories.pages import ProjectFactory, book, event, notice, notice_index

pytestmark = pytest.mark.django_db


def anonymous_views(client, text):
    """Where an anonymous visitor could come across `text`."""
    client.logout()
    places = {
        "home": client.get("/"),
        "list": client.get("/notices/"),
        "feed": client.get(reverse("feeds:notices_rss")),
        "books_feed": client.get(reverse("feeds:books_rss")),
        "api": client.get("/api/v1/notices/"),
        "books_api": client.get("/api/v1/project-books/"),
        "sitemap": client.get("/sitemap.xml"),
    }
    found = {name for name, response in places.items() if text in response.content.decode()}
    hits = client.get("/search/", {"q": text}).context["hits"]
    return found | ({"search"} if any(text in entry.title for entry, _kind, _snippet in hits) else set())


def test_drafts_expired_notices_and_unpublished_books_stay_hidden(client, home_page, tree):
    live = notice(home_page, "正常发布的通知")
    draft = notice(home_page, "尚未发布的草稿通知", live=False)
    expired = notice(home_page, "已经过期的通知", expire_at=timezone.now() + timedelta(hours=1))
    unpublished = book(home_page, tree.district, [ProjectFactory(region=tree.district)], edition="未发布期", live=False)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        # Expired but not yet unpublished by the scheduler: hidden all the same.
        assert NoticePage.objects.get(pk=expired.pk).live
        assert client.get(expired.url).status_code == 404
        assert client.get(draft.url or f"/notices/{draft.slug}/").status_code == 404
        assert client.get(f"/project-books/{unpublished.slug}/").status_code == 404
        assert client.get(f"/project-books/{unpublished.slug}/pdf/").status_code == 404
        assert client.get(live.url).status_code == 200
        assert anonymous_views(client, "尚未发布的草稿通知") == set()
        assert anonymous_views(client, "已经过期的通知") == set()
        assert anonymous_views(client, "未发布期") == set()
        assert {"home", "list", "feed", "api", "search"} <= anonymous_views(client, "正常发布的通知")


def test_scheduled_publishing_and_expiry_run_on_the_beat(client, home_page):
    index = notice_index(home_page)
    page = NoticePage(title="定时发布的通知", slug="scheduled", issuing_body="区政府", body="<p>x</p>")
    page.live = False
    index.add_child(instance=page)
    go_live = timezone.now() + timedelta(hours=1)
    page.go_live_at = go_live
    page.expire_at = go_live + timedelta(days=1)
    page.save_revision(approved_go_live_at=go_live)
    assert client.get("/notices/scheduled/").status_code == 404
    with time_machine.travel(go_live + timedelta(minutes=1)):
        publish_scheduled_pages_task()
        assert client.get("/notices/scheduled/").status_code == 200
        assert "定时发布的通知" in client.get("/").content.decode()
    with time_machine.travel(go_live + timedelta(days=1, minutes=1)):
        publish_scheduled_pages_task()
        assert not NoticePage.objects.get(pk=page.pk).live
        assert "定时发布的通知" not in client.get("/").content.decode()


def test_book_shows_live_funding_without_republishing(client, home_page, tree):
    project = ProjectFactory(region=tree.district, title="老旧小区加装扶手", amount_raised=2_500_000)
    page = book(home_page, tree.district, [project])
    first = client.get(page.url).content.decode()
    assert "¥25,000.00" in first and "25%" in first
    assert client.get(page.url)["X-Page-Cache"] == "hit"

    ledger.append(kind=EntryKind.GIFT, amount=3_500_000, project=project)  # a confirmed gift: the ledger's .update()
    after = client.get(page.url).content.decode()
    assert "¥60,000.00" in after and "60%" in after
    assert f"/projects/{project.pk}/#claim" in after

    move_project(by=None, project=project, to=ProjectStatus.FUNDED)
    after = client.get(page.url).content.decode()
    assert f"/projects/{project.pk}/#claim" not in after  # no longer open to claims


def test_each_edition_shows_what_changed_since_the_previous_one(client, home_page, tree):
    kept, funded, dropped, withdrawn, new = (
        ProjectFactory(region=tree.district, title=t)
        for t in ["保留项目", "已获资助项目", "未续列项目", "撤回项目", "新增项目"]
    )
    book(
        home_page,
        tree.district,
        [kept, funded, dropped, withdrawn],
        edition="2026年第2期",
        edition_date=date(2026, 6, 1),
    )
    funded.status = ProjectStatus.FUNDED
    funded.save()
    withdrawn.status = ProjectStatus.WITHDRAWN
    withdrawn.save()
    latest = book(home_page, tree.district, [kept, funded, new], edition="2026年第3期", edition_date=date(2026, 9, 1))
    changes = latest.changes_since_previous()
    assert [p.title for p in changes["added"]] == ["新增项目"]
    assert [p.title for p in changes["funded"]] == ["已获资助项目"]
    assert [p.title for p in changes["withdrawn"]] == ["撤回项目"]
    assert [p.title for p in changes["dropped"]] == ["未续列项目"]  # left out, still open: not "withdrawn"
    html = client.get(latest.url).content.decode()
    assert "2026年第2期" in html and "新增项目" in html and "撤回项目" in html


def count_queries(client, url):
    client.logout()
    from django.core.cache import cache

    from portal.pages.cache import forget_local_content
    from portal.pages.models.base import forget_child_routes

    cache.clear()  # measure the rendering, not the page cache, nor the fragments it keeps
    forget_local_content()
    forget_child_routes()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_home_notice_list_and_book_run_a_bounded_number_of_queries(client, home_page, tree):
    projects = [ProjectFactory(region=tree.district) for _ in range(3)]
    page = book(home_page, tree.district, projects)
    for i in range(3):
        notice(home_page, f"通知{i}", pinned=i == 0, region=tree.street_a)
    event(home_page)
    few = {url: count_queries(client, url) for url in ["/", "/notices/", page.url, "/project-books/"]}

    for project in [ProjectFactory(region=tree.street_b) for _ in range(12)]:
        page.entries.create(project=project, sort_order=99)
    page.save_revision().publish()
    for i in range(12):
        notice(home_page, f"更多通知{i}", region=tree.street_b)
        event(home_page, f"活动{i}", kind=EventKind.MEETING)
    many = {url: count_queries(client, url) for url in ["/", "/notices/", page.url, "/project-books/"]}
    assert many == few
    assert max(many.values()) <= 32


def test_anonymous_views_are_cached_and_signed_in_views_are_not(client, home_page, people):
    notice(home_page, "缓存测试通知")
    assert client.get("/notices/")["X-Page-Cache"] == "miss"
    assert client.get("/notices/")["X-Page-Cache"] == "hit"
    assert client.get("/notices/", {"category": "notice"})["X-Page-Cache"] == "miss"
    assert "X-Page-Cache" not in client.get("/notices/", {"utm": "x"})  # unknown parameters bypass it
    client.force_login(people.resident)
    response = client.get("/notices/")
    assert "X-Page-Cache" not in response
    # A cached anonymous page carries no CSRF token or cookie that would leak between visitors.
    client.logout()
    cached = client.get("/notices/")
    assert "csrfmiddlewaretoken" not in cached.content.decode()
    assert not cached.cookies


def test_english_translation_lives_under_en_and_the_switcher_keeps_the_page(client, home_page):
    from wagtail.models import Locale
    from wagtail_localize.synctree import synchronize_tree

    page = notice(home_page, "中文通知", slug="bilingual")
    synchronize_tree(Locale.get_default(), Locale.objects.get(language_code="en"))  # as the CMS does on create
    english = NoticePage.objects.get(translation_key=page.translation_key, locale__language_code="en")
    assert english.url == "/en/notices/bilingual/"
    english.alias_of = None
    english.title = "English notice"
    english.save_revision().publish()
    response = client.get("/en/notices/bilingual/")
    assert response.status_code == 200 and "English notice" in response.content.decode()
    assert 'hreflang="zh-hans"' in response.content.decode()
    switched = client.post(reverse("set_language"), {"language": "en", "next": "/notices/bilingual/"})
    assert switched.status_code == 302 and switched["Location"] == "/en/notices/bilingual/"
    back = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/en/notices/bilingual/"})
    assert back["Location"] == "/notices/bilingual/"
    # With English chosen, a Chinese address leads to its English translation.
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.get("/notices/bilingual/")["Location"] == "/en/notices/bilingual/"


def test_project_books_api_lists_live_funding(home_page, tree):
    from rest_framework.test import APIClient

    api_client = APIClient()
    project = ProjectFactory(region=tree.district, amount_raised=5_000_000)
    page = book(home_page, tree.district, [project])
    listing = api_client.get("/api/v1/project-books/").json()
    assert [b["id"] for b in listing["results"]] == [page.pk]
    detail = api_client.get(f"/api/v1/project-books/{page.pk}/").json()
    assert detail["entries"][0]["project"]["funding_percent"] == 50
    assert detail["pdf_url"].endswith(f"{page.url}pdf/")


def test_notice_list_pages_through_every_notice(client, home_page):
    for i in range(22):
        notice(home_page, f"分页通知{i:02d}")
    first = client.get("/notices/").content.decode()
    assert "page=2" in first and "分页通知21" in first and "分页通知01" not in first
    second = client.get("/notices/", {"page": 2}).content.decode()
    assert "分页通知01" in second and "分页通知00" in second


def test_each_section_offers_its_feeds_at_its_own_address(client, home_page, tree):
    notice(home_page, "订阅测试通知")
    book(home_page, tree.district, [ProjectFactory(region=tree.district)], edition="订阅测试期")
    assert "订阅测试通知" in client.get("/notices/rss/").content.decode()
    notice(home_page, "后来发布的通知")  # purges the cached feed with its section
    assert "后来发布的通知" in client.get("/notices/rss/").content.decode()
    assert "<feed" in client.get("/notices/atom/").content.decode()
    assert "订阅测试期" in client.get("/project-books/rss/").content.decode()
    assert "<feed" in client.get("/project-books/atom/").content.decode()


def test_english_visitors_get_their_own_404s_from_the_api_and_views(client, home_page):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.get("/api/v1/needs/999999/").status_code == 404
    assert client.get("/needs/999999/").status_code == 404
    assert client.get("/")["Location"] == "/en/"
