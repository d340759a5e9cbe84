"""axe-core on every public CMS page type, in Chinese and in English, with content in every block and state."""

import json
from datetime import date

import pytest
from django.core.files.base import ContentFile

from marketplace.projects.models import ProjectStatus
from portal.pages.models import (
    EventKind,
    FAQPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    NoticeAttachment,
    NoticeIndexPage,
    NoticePage,
    StandardPage,
)
from tests.factories import NeedFactory
from tests.factories.pages import ProjectFactory, add, book, event, notice, notice_index

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _png():
    from io import BytesIO

    from PIL import Image as PILImage

    buffer = BytesIO()
    PILImage.new("RGB", (640, 360), (40, 120, 90)).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="canteen.png")


def _stream(*blocks):
    return json.dumps([{"type": kind, "value": value} for kind, value in blocks])


def _build_site(home, tree):
    """One live page of every type, each with everything its template can show; returns the pages to audit."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    document = get_document_model().objects.create(
        title="报修须知", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="guide.pdf")
    )
    image = get_image_model().objects.create(title="社区食堂", file=_png())

    # Notices: a pinned one in a street, one with an attachment, and enough to fill a second page.
    pinned = notice(
        home, "【置顶】西港区冬季供暖报修安排", pinned=True, region=tree.street_a, summary="报修电话与时间。"
    )
    index = notice_index(home)
    with_attachment = NoticePage(
        title="关于开展垃圾分类宣传周的通知",
        slug="sorting-week",
        issuing_body="西港区城市管理局",
        summary="宣传周期间各社区设咨询点。",
        body="<p>请各社区组织居民参加，<a href='https://example.org/'>详见官网</a>。</p><ul><li>周六上午</li></ul>",
    )
    with_attachment.attachments.add(NoticeAttachment(document=document, title="宣传周日程表"))
    with_attachment = add(index, with_attachment)
    for n in range(3):
        notice(home, f"第{n + 1}号公示", category="public_notice")

    # News.
    news_index = add(
        home, NewsIndexPage(title="新闻动态", slug="news", intro="街道和社区的最新消息。", show_in_menus=True)
    )
    article = add(
        news_index,
        NewsPage(
            title="长者食堂开业",
            slug="canteen-opens",
            date=date(2026, 9, 1),
            intro="甲一社区长者食堂今天开业。",
            image=image,
            body=_stream(
                ("heading", "开业当天"),
                ("paragraph", "<p>居民<b>排队</b>品尝第一顿午餐。</p>"),
                ("image", {"image": image.pk, "alt_text": "老人们在食堂吃午饭", "decorative": False}),
                ("quote", "饭菜可口，价格实惠。"),
                ("document", {"document": document.pk, "title": "食堂菜单"}),
                ("call_to_action", {"text": "报名送餐", "url": "https://example.org/meals"}),
            ),
        ),
    )

    # Project books: two editions, so the latest shows what changed; a project open to claims and a funded one.
    project = ProjectFactory(region=tree.community_a1, title="老旧小区加装扶手", amount_raised=2_500_000)
    NeedFactory(title="楼道没有扶手", region=tree.community_a1, project=project)
    funded = ProjectFactory(
        region=tree.street_a, title="小区路灯改造", status=ProjectStatus.FUNDED, amount_raised=10_000_000
    )
    withdrawn = ProjectFactory(region=tree.street_a, title="社区花园", status=ProjectStatus.WITHDRAWN)
    book(home, tree.district, [funded, withdrawn], edition="2026年第2期", edition_date=date(2026, 6, 1))
    latest = book(home, tree.district, [project, funded], edition="2026年第3期", edition_date=date(2026, 9, 1))

    # Events: one upcoming with a link to take part, one past.
    upcoming = event(home, "公益项目相亲会", kind=EventKind.FAIR)
    upcoming.intro = "社会组织与企业面对面。"
    upcoming.link_url, upcoming.link_text = "/organisations/", "报名参加"
    upcoming.body = _stream(("paragraph", "<p>现场提供茶水。</p>"))
    upcoming.save_revision().publish()
    event(home, "社区议事会", kind=EventKind.MEETING, days_ahead=-10)
    event_index = upcoming.get_parent()

    # Free-form pages.
    about = add(
        home,
        StandardPage(
            title="关于共治",
            slug="about",
            intro="共治平台是什么。",
            show_in_menus=True,
            body=_stream(("heading", "我们的做法"), ("paragraph", "<p>居民提需求，社区和社会组织一起办。</p>")),
        ),
    )
    faq = add(
        about,
        FAQPage(
            title="常见问题",
            slug="faq",
            intro="居民最常问的问题。",
            questions=_stream(
                ("question", {"question": "怎么提需求？", "answer": "<p>登录后点击“提需求”。</p>"}),
                ("question", {"question": "多久有回复？", "answer": "<ol><li>社区三天内受理</li></ol>"}),
            ),
        ),
    )
    return {
        "home": home,
        "notice index": index,
        "pinned notice": pinned,
        "notice": with_attachment,
        "news index": news_index,
        "news article": article,
        "project book index": latest.get_parent(),
        "project book": latest,
        "event index": event_index,
        "event": upcoming,
        "standard page": about,
        "faq": faq,
    }, project


def _without_refresh(route):
    response = route.fetch()
    route.fulfill(response=response, headers={k: v for k, v in response.headers.items() if k.lower() != "refresh"})


def _translate(page, locale, **fields):
    """Turn the English alias wagtail-localize made of `page` into a real translation."""
    english = page.get_translation(locale).specific
    english.alias_of = None
    for name, value in fields.items():
        setattr(english, name, value)
    english.save_revision().publish()
    return english


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_cms_pages_have_no_serious_accessibility_violations(
    page, site, tree, home_page, axe_violations, language, monkeypatch
):
    from wagtail.models import Locale
    from wagtail_localize.synctree import synchronize_tree

    pages, project = _build_site(home_page, tree)
    monkeypatch.setattr(NoticeIndexPage, "page_size", 2)  # the live server shares the class: a second page
    paths = {name: p.url for name, p in pages.items()}
    if language == "en":
        english = Locale.objects.get(language_code="en")
        synchronize_tree(Locale.get_default(), english)  # as the CMS does: English aliases of every page
        _translate(pages["home"], english, title="Gongzhi", intro="Governing the district together")
        _translate(
            pages["notice"],
            english,
            title="Waste sorting week",
            issuing_body="Xigang District City Management Bureau",
            summary="Information desks in every community during the week.",
            body="<p>Communities will organise residents to take part.</p>",
        )
        paths = {name: p.get_translation(english).url for name, p in pages.items()}
        assert paths["home"] == "/en/" and all(path.startswith("/en/") for path in paths.values())
        assert isinstance(pages["home"].get_translation(english).specific, HomePage)
    paths.update(
        {
            "notice index, page 2": f"{paths['notice index']}?page=2",
            "notice index, one category": f"{paths['notice index']}?category=public_notice",
            "project book PDF being made": f"{paths['project book']}pdf/",
            "search results": "/search/?q=通知",
            "search without results": "/search/?q=没有这样的内容",
            "project": project.get_absolute_url(),
            "404": "/no-such-page/",
            "CMS 404": f"{paths['notice index']}no-such-notice/",
        }
    )
    # The print edition is queued, not rendered: visitors get the page that says it is being made.
    monkeypatch.setattr("portal.core.tasks.render_file_task.delay", lambda *args, **kwargs: None)
    # The pending page refreshes itself every few seconds (a Refresh header): keep it still while axe runs.
    page.route("**/pdf/", _without_refresh)

    page.context.add_cookies([{"name": "django_language", "value": language, "url": site}])
    problems, seen = {}, {}
    for name, path in paths.items():
        response = page.goto(f"{site}{path}")
        seen[name] = (response.status, page.locator("html").get_attribute("lang"))
        if name == "search results":
            assert page.locator("ol.search-results li").count() > 0, path
        found = axe_violations(page)
        if found:
            problems[f"{name} ({path})"] = found
    assert problems == {}
    statuses = {"404": 404, "CMS 404": 404, "project book PDF being made": 202}
    assert seen == {name: (statuses.get(name, 200), language) for name in paths}
