"""Issue 22: a resident finds what they are looking for from the header's search box, by keyboard.

They type two words into the box every page has, land on the results with the words marked, narrow them to
projects and to those still short of money, and try words no record holds together (told so, shown those
holding some). A draft is never among the results. The page passes axe in Chinese and in English, at
1280 px and at 320 px, without scrolling sideways.
"""

import pytest
from playwright.sync_api import expect

from marketplace.projects.models import ProjectStatus
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_resident_searches_narrows_and_is_told_when_no_record_holds_every_word(
    page, site, tree, home_page, axe_violations
):
    published_project(tree.community_a1, title="甲一社区养老助餐点", summary="为社区老人提供午餐", target_yuan=20_000)
    published_project(tree.community_a2, title="甲二社区养老服务站", summary="日间照料", target_yuan=0)
    published_project(tree.community_a1, title="社区养老互助（草稿）", status=ProjectStatus.DRAFT)
    published_project(tree.community_a1, title="楼道灯更换", summary="更换老化的楼道灯")

    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": site}])
    page.goto(f"{site}/")
    page.locator("#site-search-q").focus()
    page.keyboard.type("社区 养老")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    results = page.locator("ol.search-results li")
    expect(results).to_have_count(2)
    expect(page.locator("ol.search-results mark").first).to_be_visible()
    expect(page.get_by_text("社区养老互助（草稿）")).to_have_count(0)
    assert axe_violations(page, impacts=None) == []

    # Projects only, then those still short of money: the facet is a link, applied and removable.
    page.locator("nav.search-tabs a", has_text="项目").click()
    page.locator(".search-facets summary").click()
    page.locator(".search-facets a", has_text="仍缺资金").click()
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("甲一社区养老助餐点")
    expect(page.locator(".search-facets a[aria-current=true]")).to_have_count(1)

    # Words no record holds together: said so, and the records holding some of them are shown.
    page.fill("#search-q", "楼道 养老")
    page.locator("form.search-form button[type=submit]").click()
    expect(page.locator("p.notice")).to_contain_text("没有结果同时包含")
    expect(results).to_have_count(3)

    # The same page in English and on a 320 px phone.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": site}])
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{site}/search/?q=%E7%A4%BE%E5%8C%BA+%E5%85%BB%E8%80%81")
    expect(page.locator("h1")).to_have_text("Search")
    assert page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert axe_violations(page, impacts=None) == []
