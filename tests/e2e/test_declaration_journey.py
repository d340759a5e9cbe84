"""A declaration from the first step to the NGO's track record: an NGO declares over several steps and loses
nothing on the way (neither on a reload nor when its session ends mid-typing); three reviewers score it, staff
compute the awards and publish them; the notice passes (a frozen clock) and the project starts; a milestone is
reported and its tranche paid; a resident rates the completed project and the NGO's public record shows it."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.calls import results, review, services
from marketplace.calls.models import (
    Award,
    CallStatus,
    Declaration,
    DeclarationStatus,
    ReviewAssignment,
    ReviewerKind,
)
from marketplace.implementation.models import Milestone, Tranche
from marketplace.projects.models import ProjectStatus
from portal.accounts.models import Role
from tests.e2e.journeys import log_in
from tests.factories import UserFactory
from tests.factories.accounts import grant
from tests.factories.calls import funding_call

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_declaration_from_its_first_step_to_the_ngos_track_record(page, site, people, tree, password, axe_violations):
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

    # --- Joint review: staff close the call and seat three reviewers; each scores on their own page. ---
    services.close_call(by=people.street_staff, call=call)
    call.refresh_from_db()
    reviewers = [grant(UserFactory(username=f"reviewer{i}"), Role.REVIEWER, tree.district) for i in range(3)]
    for user, kind in zip(reviewers, (ReviewerKind.OFFICER, ReviewerKind.RESIDENT, ReviewerKind.EXPERT), strict=True):
        review.seat_reviewer(by=people.street_staff, call=call, reviewer=user, kind=kind)
    review.assign_reviews(by=people.street_staff, call=call)
    for i, reviewer in enumerate(reviewers):
        log_in(page, site, reviewer, password)
        page.goto(f"{site}/calls/reviews/")
        page.locator(f"a[href='{ReviewAssignment.objects.get(reviewer=reviewer).get_absolute_url()}']").click()
        for criterion in call.criteria.all():
            page.select_option(f"#score-{criterion.pk}", str(7 + i))
            page.fill(f"#comment-{criterion.pk}", "送餐到户切实可行，预算细致。")
        page.locator("form.stack button[type=submit]").first.click()
        expect(page.locator(".message-success")).to_be_visible()
    assert ReviewAssignment.objects.filter(status="submitted").count() == 3

    # Staff compute the awards and publish them for the public notice.
    log_in(page, site, people.street_staff, password)
    page.goto(f"{site}{call.get_absolute_url()}review/")
    page.locator("form[action$='/compute_awards/'] button").click()
    expect(page.locator(".message-success")).to_be_visible()
    page.goto(f"{site}{call.get_absolute_url()}review/")
    page.locator("form[action$='/publish_results/'] button").click()
    expect(page.locator(".message-success")).to_be_visible()
    call.refresh_from_db()
    award = Award.objects.get()
    assert call.status == CallStatus.NOTICE and award.amount > 0

    # The notice passes (a frozen clock past its end) and the beat job gives the results effect.
    with time_machine.travel(call.notice_ends_at + timedelta(minutes=1), tick=False):
        assert results.take_effect_due() == 1
    award.refresh_from_db()
    project = award.project
    assert project.status == ProjectStatus.IN_PROGRESS and project.implementer == people.ngo

    # The NGO plans a milestone with its tranche and reports it done; staff approve it and pay the tranche.
    log_in(page, site, people.ngo_member, password)
    page.goto(f"{site}{call.get_absolute_url()}")
    page.locator(f"a[href='{project.get_absolute_url()}']").first.click()
    page.locator(f"a[href='/implementation/projects/{project.pk}/']").first.click()
    page.locator("details.card summary").click()
    page.fill("input[name=milestone-title]", "首月送餐到户")
    page.fill("input[name=milestone-due_on]", (timezone.localdate() + timedelta(days=30)).isoformat())
    page.fill("input[name=milestone-tranche_amount]", "20000")
    page.locator("form[action$='/milestones/'] button[type=submit]").click()
    milestone = Milestone.objects.get(project=project)
    page.locator(f"a[href='{milestone.get_absolute_url()}']").first.click()
    page.fill("form[action$='/report/'] textarea[name=report-body]", "首月送餐 2,400 份，探访发现并报修燃气隐患 3 处。")
    page.locator("form[action$='/report/'] button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()

    log_in(page, site, people.street_staff, password)
    page.goto(f"{site}{milestone.get_absolute_url()}")
    page.locator("form[action$='/approve/'] button[type=submit]").click()
    page.locator("form[action$='/pay/'] button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    assert Tranche.objects.get(milestone=milestone).status == "paid"

    # Staff complete the project and open its rating; a resident of the street rates it.
    page.goto(f"{site}{project.get_absolute_url()}")
    page.select_option("select[name=move-status]", ProjectStatus.COMPLETED)
    page.locator("form[action$='/move/'] button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()
    page.goto(f"{site}/implementation/projects/{project.pk}/")
    page.locator("form[action$='/evaluation/'] button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()

    log_in(page, site, people.resident, password)
    page.goto(f"{site}/implementation/projects/{project.pk}/")
    page.locator(f"a[href='/implementation/projects/{project.pk}/rate/']").click()
    for name in ("score_results", "score_service", "score_timeliness", "score_money"):
        page.locator(f"input[name={name}][value='5']").check()
    page.fill("textarea[name=comment]", "饭菜热乎，送餐阿姨每次都问问身体。")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()

    # The NGO's public page shows the project in its track record.
    page.goto(f"{site}{people.ngo.get_absolute_url()}")
    record = page.locator("#track-record")
    expect(record).to_contain_text("5.0 / 5")
    expect(record).to_contain_text("¥20,000.00")
    assert axe_violations(page) == []
