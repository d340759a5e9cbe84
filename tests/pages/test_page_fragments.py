"""Pages rendered on every request (signed in, or with a parameter the page cache does not know)
reuse the fragments they rendered before (portal/pages/cache.py): never once the content changed."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from marketplace.funding import ledger
from marketplace.funding.models import EntryKind
from marketplace.needs.services import merge_needs
from portal.pages.models import StandardPage
from tests.factories import NeedFactory
from tests.factories.pages import ProjectFactory, add, book, event, notice, notice_index

pytestmark = pytest.mark.django_db

CACHED = ["/", "/notices/"]
UNCACHED = ["/?nocache=1", "/notices/?nocache=1"]


def showing(client, text, paths):
    return {path for path in paths if text in client.get(path).content.decode()}


def test_a_published_notice_shows_at_once_cached_uncached_and_signed_in(client, home_page, people):
    notice(home_page, "第一条通知")
    assert showing(client, "第一条通知", CACHED + UNCACHED) == set(CACHED + UNCACHED)
    assert client.get("/")["X-Page-Cache"] == "hit"  # the page cache and the fragments are warm
    client.force_login(people.resident)
    assert showing(client, "第一条通知", CACHED) == set(CACHED)

    latest = notice(home_page, "刚刚发布的通知")
    assert showing(client, "刚刚发布的通知", CACHED) == set(CACHED)  # signed in: rendered, with fragments
    client.logout()
    assert showing(client, "刚刚发布的通知", CACHED + UNCACHED) == set(CACHED + UNCACHED)

    latest.unpublish()
    assert showing(client, "刚刚发布的通知", CACHED + UNCACHED) == set()
    client.force_login(people.resident)
    assert showing(client, "刚刚发布的通知", CACHED) == set()


def test_lists_drop_a_notice_that_expires_and_an_event_that_ends_without_a_publish(client, home_page):
    notice(home_page, "五分钟后过期的通知", expire_at=timezone.now() + timedelta(minutes=5))
    notice(home_page, "长期有效的通知")
    fair = event(home_page, "马上结束的活动", days_ahead=0)
    fair.starts_at, fair.ends_at = timezone.now() - timedelta(hours=1), timezone.now() + timedelta(minutes=5)
    fair.save_revision().publish()
    assert showing(client, "五分钟后过期的通知", UNCACHED) == set(UNCACHED)
    assert showing(client, "马上结束的活动", ["/?nocache=1"]) == {"/?nocache=1"}
    # Well within the ten minutes fragments are otherwise kept for.
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert showing(client, "五分钟后过期的通知", UNCACHED) == set()
        assert showing(client, "马上结束的活动", ["/?nocache=1"]) == set()
        assert showing(client, "长期有效的通知", UNCACHED) == set(UNCACHED)


def test_moving_a_page_out_of_the_menu_updates_every_menu(client, home_page):
    about = add(home_page, StandardPage(title="关于共治", slug="about", show_in_menus=True))
    guide = add(home_page, StandardPage(title="办事指南", slug="guide", show_in_menus=True))
    for path in ["/?nocache=1", "/needs/", "/guide/"]:
        assert "办事指南" in client.get(path).content.decode()
    guide.move(about, pos="last-child")
    assert "办事指南" not in client.get("/guide/").content.decode()  # a redirect to its new address
    assert "办事指南" in client.get("/about/guide/").content.decode()
    for path in ["/?nocache=1", "/needs/"]:
        html = client.get(path).content.decode()
        assert "关于共治" in html and "办事指南" not in html


def test_a_renamed_section_answers_at_its_new_address_only(client, home_page):
    index = notice_index(home_page)
    notice(home_page, "改名前的通知")
    assert client.get("/notices/?nocache=1").status_code == 200
    assert client.get("/notices/notice-1/?nocache=1").status_code == 200
    index.slug = "announcements"
    index.save_revision().publish()
    for old_address in ["/notices/?nocache=1", "/notices/notice-1/?nocache=1"]:  # redirects, if anything
        assert "改名前的通知" not in client.get(old_address).content.decode()
    assert "改名前的通知" in client.get("/announcements/notice-1/?nocache=1").content.decode()


def test_a_section_made_private_is_private_at_once(client, home_page):
    index = notice_index(home_page)
    notice(home_page, "内部通知")
    paths = ["/notices/", "/notices/?nocache=1", "/notices/notice-1/", "/notices/notice-1/?nocache=1"]
    assert showing(client, "内部通知", paths) == set(paths)  # kept: pages, fragments, "no restriction"
    restriction = PageViewRestriction.objects.create(
        page=index, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert showing(client, "内部通知", paths) == set()  # the password form instead
    restriction.delete()
    assert showing(client, "内部通知", paths) == set(paths)


def test_a_need_merged_into_a_listed_project_counts_at_once(client, home_page, tree, people):
    project = ProjectFactory(region=tree.district, title="长者助餐点")
    page = book(home_page, tree.district, [project])
    url = f"{page.url}?nocache=1"
    assert "来自 0 条诉求" in client.get(url).content.decode()
    merge_needs(by=people.district_staff, needs=[NeedFactory(region=tree.grid_a1)], project=project)
    assert "来自 1 条诉求" in client.get(url).content.decode()
    ledger.append(kind=EntryKind.GIFT, amount=6_500_000, project=project)  # ¥25,000.00 + ¥65,000.00
    assert "¥90,000.00" in client.get(url).content.decode()


def count_queries(client, url):
    client.get(url)  # fragments and remembered routes warm, as on a live site
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_rendered_again_read_little_whatever_their_size(client, home_page, tree):
    page = book(home_page, tree.district, [ProjectFactory(region=tree.district) for _ in range(3)])
    for i in range(3):
        notice(home_page, f"通知{i}")
    event(home_page)
    urls = ["/?nocache=1", "/notices/?nocache=1", f"{page.url}?nocache=1", "/notices/notice-1/?nocache=1"]
    few = {url: count_queries(client, url) for url in urls}
    for project in [ProjectFactory(region=tree.street_b) for _ in range(12)]:
        page.entries.create(project=project, sort_order=99)
    page.save_revision().publish()
    for i in range(12):
        notice(home_page, f"更多通知{i}")
    many = {url: count_queries(client, url) for url in urls}
    assert many == few
    # The site, the language, the home page, then one query for the page asked for: what a
    # stock Wagtail page costs before its view restrictions (two more queries).
    assert few["/?nocache=1"] <= 3 and few["/notices/?nocache=1"] <= 4 and few[f"{page.url}?nocache=1"] <= 4, few
    assert few["/notices/notice-1/?nocache=1"] <= 6, few  # and its attachments and its comments


def test_previews_neither_use_nor_fill_the_fragments(rf):
    from django.template import engines

    template = engines["django"].from_string('{% load portal_tags %}{% pagefragment "t" %}{{ x }}{% endpagefragment %}')
    live = rf.get("/")
    assert template.render({"x": "kept"}, live) == "kept"
    assert template.render({"x": "changed"}, rf.get("/")) == "kept"  # same versions: the kept fragment
    preview = rf.get("/")
    preview.is_preview = True
    assert template.render({"x": "draft"}, preview) == "draft"
    assert template.render({"x": "changed"}, rf.get("/")) == "kept"  # the draft was not kept


@pytest.mark.parametrize("kind", [PageViewRestriction.LOGIN, PageViewRestriction.GROUPS])
def test_a_section_for_signed_in_people_or_a_group_sends_visitors_to_the_site_login(client, home_page, people, kind):
    from django.contrib.auth.models import Group

    index = notice_index(home_page)
    notice(home_page, "内部通知")
    restriction = PageViewRestriction.objects.create(page=index, restriction_type=kind)
    if kind == PageViewRestriction.GROUPS:
        group = Group.objects.create(name="议事会成员")
        restriction.groups.add(group)
    for path in ["/notices/notice-1/", "/notices/notice-1/?nocache=1"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="), path
    client.force_login(people.resident)
    response = client.get("/notices/notice-1/?nocache=1")
    if kind == PageViewRestriction.LOGIN:
        assert response.status_code == 200 and "内部通知" in response.content.decode()
    else:
        assert "内部通知" not in response.content.decode()
        people.resident.groups.add(group)
        assert "内部通知" in client.get("/notices/notice-1/?nocache=1").content.decode()
