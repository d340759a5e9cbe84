"""CMS journeys in a real browser: an editor's notice through moderation to visitors, and a visitor on a project book.

Wagtail's admin speaks the user's language (zh-hans here): the admin is driven by
field names, URLs and Wagtail's data attributes, never by its labels.
"""

import re

import pytest
from playwright.sync_api import expect

from portal.pages.models import NoticePage
from tests.e2e.journeys import log_in
from tests.factories.pages import ProjectFactory, book, notice, notice_index

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "关于西港区冬季供暖报修的通知"
SLUG = "heating-repairs"


def _log_out(page, site):
    page.goto(f"{site}/accounts/profile/")
    page.locator("header form[action$='/accounts/logout/'] button").click()
    expect(page.locator("header a[href$='/accounts/login/']")).to_be_visible()


def _open_tab_with(page, field):
    """Open the editor tab holding `field` (tab ids derive from the translated tab headings)."""
    panel_id = page.locator("[role=tabpanel]", has=page.locator(field)).get_attribute("id")
    page.locator(f"a[role=tab][href='#{panel_id}']").click()
    expect(page.locator(field)).to_be_visible()


def _click_in_action_menu(page, button):
    """Click a footer action, opening Wagtail's "more actions" dropdown first when it sits inside it."""
    target = page.locator(f"footer button[name='{button}'], footer button[data-workflow-action-name='{button}']").first
    if not target.is_visible():
        page.locator("footer .w-dropdown-button [data-w-dropdown-target=toggle]").first.click()
    expect(target).to_be_visible()
    target.click()


def test_an_editor_drafts_a_notice_a_moderator_approves_it_and_visitors_find_it(
    page, site, people, home_page, password
):
    from wagtail.models import Page, Workflow, WorkflowPage

    index = notice_index(home_page)
    # Wagtail's migration puts the moderation workflow on the tree's root. The snapshot this
    # browser test restores has not always carried it in CI (cause not yet found), so make sure.
    workflow = Workflow.objects.filter(name="Moderators approval").first()
    if workflow is not None:
        WorkflowPage.objects.get_or_create(page=Page.get_first_root_node(), defaults={"workflow": workflow})

    # The editor opens the CMS from the portal's header, then the notices index, and adds a notice.
    log_in(page, site, people.editor, password)
    page.locator("header a[href='/admin/']").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    # The notices index in the page explorer (an index without children has no "explore" link to follow).
    page.goto(f"{site}/admin/pages/{index.pk}/")
    page.locator(f"a[href$='/admin/pages/{index.pk}/add_subpage/']").first.click()
    # The index takes one page type only, so Wagtail goes straight to the notice form.
    expect(page).to_have_url(re.compile(rf"/admin/pages/add/pages/noticepage/{index.pk}/"))
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=issuing_body]", "西港区住建局")
    page.fill("[name=summary]", "供暖报修电话与受理时间。")
    body = page.locator("[data-contentpath=body] [contenteditable=true]")
    body.click()
    page.keyboard.type("居民可拨打 12345 报修，24 小时受理。")
    expect(body).to_contain_text("24 小时受理")
    # Draftail writes its content into the form's hidden input on change; wait for it before saving.
    page.locator("[name=summary]").focus()
    expect(page.locator("input[name=body]")).to_have_value(re.compile("24"))
    # An ASCII address (the Promote tab); Wagtail would otherwise derive a Chinese one from the title.
    _open_tab_with(page, "input[name=slug]")
    page.fill("input[name=slug]", SLUG)
    _click_in_action_menu(page, "action-submit")
    # Back on the notices index, submitted: in moderation, not live.
    expect(page).to_have_url(re.compile(rf"/admin/pages/{index.pk}/$"))
    notice_page = NoticePage.objects.get(slug=SLUG, locale__language_code="zh-hans")
    assert not notice_page.live and notice_page.current_workflow_state is not None
    assert "12345" in notice_page.latest_revision.as_object().body
    _log_out(page, site)
    assert page.request.get(f"{site}/notices/{SLUG}/").status == 404

    # The moderator finds it awaiting review on the dashboard and approves it there.
    log_in(page, site, people.moderator, password)
    page.goto(f"{site}/admin/")
    row = page.locator("#awaiting-review-content tr", has_text=TITLE)
    expect(row).to_be_visible()
    row.locator("[data-w-dropdown-target=toggle]").click()
    row.locator("button[data-workflow-action-url*='/approve/']:not([data-launch-modal])").click()
    expect(page.locator("#awaiting-review-content tr", has_text=TITLE)).to_have_count(0)
    notice_page.refresh_from_db()
    assert notice_page.live
    _log_out(page, site)

    # Visitors see it on the home page, open it, and find it in the feed and the sitemap.
    page.context.clear_cookies()
    page.goto(f"{site}/")
    page.locator("#notices-heading + ul").get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(f"{site}/notices/{SLUG}/")
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(page.locator("article")).to_contain_text("西港区住建局")
    expect(page.locator("article .rich-text")).to_contain_text("24 小时受理")
    feed = page.request.get(f"{site}/feeds/notices.rss")
    assert feed.ok and TITLE in feed.text() and f"/notices/{SLUG}/" in feed.text()
    sitemap = page.request.get(f"{site}/sitemap.xml")
    assert sitemap.ok and f"/notices/{SLUG}/" in sitemap.text()


def test_a_visitor_reads_a_project_book_downloads_its_pdf_and_searches_for_a_notice(page, site, tree, home_page):
    project = ProjectFactory(region=tree.district, title="老旧小区加装扶手", budget=10_000_000, amount_raised=2_500_000)
    edition = book(home_page, tree.district, [project])
    notice(home_page, "关于开展垃圾分类宣传周的通知", summary="宣传周期间各社区设咨询点。")

    # The visitor opens the book from the home page and sees the project's live funding status.
    page.goto(f"{site}/")
    page.locator("#books-heading + ul").get_by_role("link", name=edition.title).click()
    expect(page.get_by_role("heading", level=1, name=edition.title)).to_be_visible()
    entry = page.locator(f"#project-{project.pk}")
    expect(entry.get_by_role("heading", name="老旧小区加装扶手")).to_be_visible()
    expect(entry.locator(".funding-status progress")).to_have_attribute("value", "25")
    expect(entry.locator(".funding-figures")).to_contain_text("25%")

    # The PDF link gives the print edition (rendered by the eager Celery task on first request).
    link = page.locator("main a[href$='/pdf/']")
    expect(link).to_have_text(re.compile(r"下载\s*PDF|Download PDF"))
    with page.expect_response(lambda r: r.url.endswith("/pdf/")) as answer:
        link.click()
    response = answer.value
    assert response.status == 200, response.status
    assert response.headers["content-type"] == "application/pdf"
    # Chromium shows it in its PDF viewer; the bytes themselves are a PDF.
    pdf = page.request.get(response.url)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")

    # The header search box finds the notice.
    page.goto(f"{site}/")
    page.fill("header #site-search-q", "垃圾分类")
    page.locator("header form.site-search button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    results = page.locator("ol.search-results")
    results.get_by_role("link", name="关于开展垃圾分类宣传周的通知").click()
    expect(page.get_by_role("heading", level=1, name="关于开展垃圾分类宣传周的通知")).to_be_visible()
