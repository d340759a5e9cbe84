"""An NGO declares a project to a funding call over several steps, and loses nothing on the way:
neither on a reload nor when its session ends in the middle of typing."""

import re

import pytest
from playwright.sync_api import expect

from marketplace.calls.models import Declaration, DeclarationStatus
from tests.e2e.journeys import log_in
from tests.factories.calls import funding_call

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_ngo_declares_in_steps_through_a_reload_and_an_expired_session(
    page, site, people, tree, password, axe_violations
):
    call = funding_call(tree.street_a, title="2027年度社区公益创投（测试）")
    log_in(page, site, people.ngo_member, password)

    # From the header's projects area to the call, and a new declaration for the NGO.
    page.goto(f"{site}/projects/")
    page.locator("#site-menu a[href='/calls/']").first.dispatch_event("click")
    page.wait_for_url(re.compile(r"/calls/$"))
    page.get_by_role("link", name=call.title).click()
    page.locator("form[action$='/declare/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/step/problem/$"))
    assert axe_violations(page) == []

    # Typing is saved by itself a moment later; a reload shows it all.
    page.fill("input[name=title]", "独居老人午间助餐")
    page.fill("textarea[name=problem]", "三个老旧小区有独居老人两百多位，午饭常凑合。")
    page.fill("input[name=target_group]", "80岁以上独居老人")
    page.fill("input[name=beneficiaries]", "120")
    expect(page.locator("#autosave-status")).to_contain_text(re.compile(r"\d\d:\d\d:\d\d"), timeout=10_000)
    page.reload()
    assert page.input_value("input[name=title]") == "独居老人午间助餐"
    assert page.input_value("input[name=beneficiaries]") == "120"
    page.locator("button[name=go][value=plan]").click()
    page.wait_for_url(re.compile(r"/step/plan/$"))

    # The session ends while the member types: the server cannot save, the browser keeps it.
    plan_url = page.url
    page.context.clear_cookies()
    page.fill("textarea[name=activities]", "每周五天送餐到户，送餐时探访并检查燃气和门锁。")
    failed = page.locator("#autosave-status").get_attribute("data-failed")
    expect(page.locator("#autosave-status")).to_have_text(failed, timeout=10_000)
    log_in(page, site, people.ngo_member, password)
    page.goto(plan_url)
    assert page.input_value("textarea[name=activities]") == "每周五天送餐到户，送餐时探访并检查燃气和门锁。"
    page.fill("textarea[name=timeline]", "3月筹备，4月至12月送餐。")
    page.fill("textarea[name=team]", "社工2名，送餐志愿者24名。")
    page.locator("button[name=go][value=budget]").click()
    page.wait_for_url(re.compile(r"/step/budget/$"))

    page.fill("input[name=lines-0-item]", "送餐补贴")
    page.fill("input[name=lines-0-amount]", "96,000")
    page.fill("input[name=lines-0-requested]", "72000")
    page.fill("input[name=lines-0-self_raised]", "24000")
    page.locator("button[name=go][value=documents]").click()
    page.wait_for_url(re.compile(r"/step/documents/$"))
    page.set_input_files(
        "input[name=file]", files=[{"name": "预算表.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 budget"}]
    )
    page.locator("#attach-button").click()
    expect(page.get_by_role("link", name="预算表.pdf")).to_be_visible()
    page.locator("button[name=go][value=review]").click()
    page.wait_for_url(re.compile(r"/step/review/$"))
    page.locator("form[action$='/submit/'] button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()

    declaration = Declaration.objects.get()
    assert declaration.status == DeclarationStatus.SUBMITTED
    assert declaration.activities == "每周五天送餐到户，送餐时探访并检查燃气和门锁。"  # typed while signed out
    assert declaration.budget_lines.get().requested == 7_200_000
