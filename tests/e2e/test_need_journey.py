import pytest
from playwright.sync_api import expect

from marketplace.needs.models import Need
from tests.e2e.journeys import log_in
from tests.factories import category

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_need_from_submission_to_rating(page, site, people, tree, password):
    env = category()
    # The resident submits.
    log_in(page, site, people.resident, password)
    page.goto(f"{site}/needs/new/")
    page.fill("input[name=title]", "3号楼路灯不亮")
    page.fill("textarea[name=description]", "晚上很黑，老人出门不安全")
    page.select_option("select[name=category]", str(env.pk))
    page.select_option("select[name=region]", str(tree.grid_a1.pk))
    page.fill("input[name=contact_phone]", "13900001234")
    page.locator("#need-form button[type=submit]").click()
    expect(page.get_by_role("heading", name="3号楼路灯不亮")).to_be_visible()
    need = Need.objects.get()

    # Community staff accept and dispatch from the need page.
    log_in(page, site, people.community_staff, password)
    page.goto(f"{site}/needs/queue/")
    page.get_by_role("link", name="3号楼路灯不亮").click()
    page.locator("form[action$='/accept/'] button").click()
    expect(page.locator(".message-success")).to_be_visible()
    page.select_option("select[name=dispatch-department]", str(people.department.pk))
    page.locator("form[action$='/dispatch/'] button[type=submit]").click()
    expect(page.locator(".badge.status-dispatched").first).to_be_visible()

    # The department answers.
    log_in(page, site, people.department_officer, password)
    page.goto(f"{site}{need.get_absolute_url()}")
    page.fill("textarea[name=answer-answer]", "已更换灯泡")
    page.locator("form[action$='/answer/'] button").click()
    expect(page.get_by_text("已更换灯泡").first).to_be_visible()

    # The resident is notified, rates it, and sees the whole timeline.
    log_in(page, site, people.resident, password)
    page.goto(f"{site}/notifications/")
    expect(page.locator(".notification-list li")).to_have_count(3)  # accepted, dispatched, answered
    page.goto(f"{site}{need.get_absolute_url()}")
    page.locator("input[name=rate-rating][value='5']").check()
    page.locator("form[action$='/rate/'] button").click()
    expect(page.locator(".badge.status-closed").first).to_be_visible()
    expect(page.locator(".timeline li")).to_have_count(6)
    need.refresh_from_db()
    assert need.status == "closed" and need.rating == 5
