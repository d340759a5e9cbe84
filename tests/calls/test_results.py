"""The results' public notice, objections answered in public, and the results taking effect (frozen clock):
awards become projects in implementation with their grants in the ledger, never beyond the pool."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction

from marketplace.calls import results, review, services
from marketplace.calls.models import Award, CallStatus, FundingCall, ReviewAssignment
from marketplace.funding import ledger
from marketplace.funding.models import EntryKind, Fund, LedgerEntry
from marketplace.projects.models import Project, ProjectStatus
from portal.core.errors import DomainError
from portal.core.transitions import NotPermitted
from tests.calls.conftest import scores
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(panel, people):
    call, ours, theirs, reviewers = panel
    for assignment in ReviewAssignment.objects.filter(status="assigned"):
        value = 9 if assignment.declaration_id == theirs.pk else 8
        review.submit_scores(by=assignment.reviewer, review=assignment, scores=scores(call, value))
    review.compute_awards(by=people.street_staff, call=call)
    return call, ours, theirs


def test_objections_are_answered_in_public_and_the_results_take_effect_after_the_notice(
    scored, people, client_for, api_for
):
    call, ours, theirs = scored
    call = results.publish_results(by=people.street_staff, call=call)
    assert call.status == CallStatus.NOTICE and call.notice_ends_at
    page = client_for(None).get(call.get_absolute_url()).content.decode()
    assert "儿童课后托管" in page and "¥32,000.00" in page  # results are public during the notice
    # Anyone signed in objects, through the page and the API; staff answer in public.
    client_for(people.resident).post(f"/calls/{call.slug}/object/", {"objection-reason": "为什么助餐项目排第二？"})
    created = api_for(people.donor).post(
        "/api/v1/objections/", {"call": call.pk, "reason": "请公开打分明细。"}, format="json"
    )
    assert created.status_code == 201, created.content
    assert "raised_by" not in created.json()
    first, second = call.objections.order_by("pk")
    results.answer_objection(
        by=people.street_staff, objection=first, uphold=False, answer="助餐项目预算较高，按比例扶持额更大。"
    )
    with pytest.raises(NotPermitted):
        results.answer_objection(by=people.street_staff_b, objection=second, uphold=False, answer="不在本区")
    # The notice ends, but an unanswered objection holds the results back.
    after = call.notice_ends_at + datetime.timedelta(minutes=1)
    with time_machine.travel(after):
        assert results.take_effect_due() == 0
        answered = api_for(people.street_staff).post(
            f"/api/v1/objections/{second.pk}/answer/",
            {"uphold": False, "answer": "明细已在评审看板公开。"},
            format="json",
        )
        assert answered.status_code == 200 and answered.json()["status"] == "dismissed"
        with pytest.raises(DomainError):
            results.object_to_results(by=people.resident, call=call, reason="太晚了")
        assert results.take_effect_due() == 1
        assert results.take_effect_due() == 0  # idempotent
    call.refresh_from_db()
    assert call.status == CallStatus.DECIDED and call.granted == 8_000_000
    for award in Award.objects.filter(call=call).select_related("project"):
        project = award.project
        assert project.status == ProjectStatus.IN_PROGRESS and project.implementer == award.declaration.organisation
        grant = LedgerEntry.objects.get(project=project, kind=EntryKind.GRANT)
        assert grant.amount == award.amount == project.amount_raised
    assert ledger.verify() is None and ledger.check_books() == []
    page = client_for(None).get(call.get_absolute_url()).content.decode()
    assert "明细已在评审看板公开" in page


def test_an_upheld_objection_takes_the_call_back_to_review(scored, people):
    call, ours, theirs = scored
    call = results.publish_results(by=people.street_staff, call=call)
    objection = results.object_to_results(by=people.resident, call=call, reason="评审专家与申报机构有利益关系")
    results.answer_objection(by=people.street_staff, objection=objection, uphold=True, answer="属实，重新评审。")
    call.refresh_from_db()
    assert call.status == CallStatus.REVIEW and call.notice_ends_at is None
    # Correcting the results recomputes the awards: the public record of the objection stays.
    objection.award = Award.objects.filter(call=call).first()
    objection.save(update_fields=["award"])
    review.compute_awards(by=people.street_staff, call=call)
    objection.refresh_from_db()
    assert objection.status == "upheld" and objection.award is None


def test_the_database_keeps_the_grants_within_the_pool(scored):
    call, ours, theirs = scored
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingCall.objects.filter(pk=call.pk).update(granted=call.pool + 1)


def _notice_ended(call, people):
    call = results.publish_results(by=people.street_staff, call=call)
    return call, time_machine.travel(call.notice_ends_at + datetime.timedelta(minutes=1))


def test_taking_effect_moves_the_grants_out_of_the_calls_fund(scored, people, client_for, api_for):
    call, ours, theirs = scored
    services.fund_call(call)  # published: its pool is in its fund
    call, ended = _notice_ended(call, people)
    with ended:
        results.take_effect(call)
    call.refresh_from_db()
    fund = call.fund
    assert call.status == CallStatus.DECIDED and call.granted == 8_000_000
    assert fund.balance == call.pool - call.granted == 2_000_000 == ledger.fund_sum(fund)
    entries = LedgerEntry.objects.filter(fund=fund).order_by("sequence")
    assert [e.kind for e in entries] == [EntryKind.FUND_IN, EntryKind.GRANT, EntryKind.GRANT]
    assert entries[0].amount == 10_000_000 and sorted(e.amount for e in entries[1:]) == [3_200_000, 4_800_000]
    for award in Award.objects.filter(call=call).select_related("project"):
        assert LedgerEntry.objects.get(project=award.project, kind=EntryKind.GRANT).fund_id == fund.pk
    assert ledger.verify() is None and ledger.check_books() == []
    page = client_for(None).get(call.get_absolute_url()).content.decode()
    assert "¥20,000.00" in page  # left in the pool
    assert api_for(None).get(f"/api/v1/calls/{call.pk}/").json()["pool_left"] == "20000.00"


def test_a_call_published_before_funds_existed_is_funded_when_it_takes_effect(scored, people):
    call, ours, theirs = scored
    assert call.fund_id is None  # the factory made it open without publishing it
    call, ended = _notice_ended(call, people)
    with ended:
        results.take_effect(call)
        results.take_effect(call)  # idempotent
    call.refresh_from_db()
    assert LedgerEntry.objects.filter(fund=call.fund, kind=EntryKind.FUND_IN).count() == 1
    assert LedgerEntry.objects.filter(fund=call.fund, kind=EntryKind.GRANT).count() == 2
    assert call.fund.balance == 2_000_000 and ledger.check_books() == []


def test_grants_beyond_what_is_left_in_the_fund_are_refused_and_nothing_takes_effect(scored, people, tree):
    call, ours, theirs = scored
    fund = services.fund_call(call)
    # ¥70,000 of the pool went elsewhere (directly in the ledger): ¥30,000 is left, the awards need ¥80,000.
    elsewhere = published_project(tree.community_a1, title="别处的项目")
    ledger.grant_from(fund, elsewhere, 7_000_000)
    entries, projects = LedgerEntry.objects.count(), Project.objects.count()
    call, ended = _notice_ended(call, people)
    with ended, pytest.raises(DomainError) as refused:
        results.take_effect(call)
    assert refused.value.code == "pool_exceeded"
    call.refresh_from_db()
    assert call.status == CallStatus.NOTICE and call.granted == 0
    assert LedgerEntry.objects.count() == entries and Project.objects.count() == projects
    assert Fund.objects.get(pk=fund.pk).balance == 3_000_000
    assert not Award.objects.filter(call=call, project__isnull=False).exists()
    # Straight from the calls service: the same refusal, nothing written.
    with pytest.raises(DomainError):
        services.grant_from_pool(call=call, project=elsewhere, amount=3_000_001)
    assert LedgerEntry.objects.count() == entries and ledger.check_books() == []


def test_one_person_raises_at_most_three_objections_to_a_calls_results(scored, people, api_for, client_for):
    call, ours, theirs = scored
    call = results.publish_results(by=people.street_staff, call=call)
    api = api_for(people.donor)
    for n in range(results.OBJECTIONS_PER_PERSON):
        made = api.post("/api/v1/objections/", {"call": call.pk, "reason": f"第{n + 1}个问题"}, format="json")
        assert made.status_code == 201
    refused = api.post("/api/v1/objections/", {"call": call.pk, "reason": "第四个问题"}, format="json")
    assert refused.status_code == 400 and "3" in str(refused.json())
    page = client_for(people.donor).post(f"/calls/{call.slug}/object/", {"objection-reason": "页面上再提一个"})
    assert page.status_code == 400 and "页面上再提一个</textarea>" in page.content.decode()  # kept as typed
    assert call.objections.filter(raised_by=people.donor).count() == 3
    # Someone else still may.
    assert (
        api_for(people.resident)
        .post("/api/v1/objections/", {"call": call.pk, "reason": "请公开打分明细。"}, format="json")
        .status_code
        == 201
    )
