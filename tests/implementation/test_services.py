"""Milestones, reports, tranches, ratings and the track record, through the services."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.implementation import services
from marketplace.implementation.models import (
    Evaluation,
    EvaluationChannel,
    Milestone,
    MilestoneStatus,
    Tranche,
    TrancheStatus,
)
from marketplace.implementation.track_record import track_record, track_records
from marketplace.projects.models import ProjectStatus
from portal.core.errors import DomainError
from portal.core.transitions import NotPermitted
from portal.notifications.models import Notification
from tests.factories.organisations import OrganisationFactory
from tests.factories.projects import published_project

from .conftest import SCORES, complete_and_open, photo

pytestmark = pytest.mark.django_db


def test_a_report_on_a_milestone_marks_it_reported_and_tells_staff_when_the_implementer_reports(
    people, project, milestone
):
    line = project.budget_lines.first()
    report = services.submit_report(
        by=people.ngo_member,
        project=project,
        milestone=milestone,
        body="厨房改造完工，10月8日开餐，首周供餐420人次。",
        photos=[photo()],
        spending=[{"budget_line": line, "amount": 3_850_000, "note": "灶具、消毒柜"}],
    )
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.REPORTED and milestone.reported_on_time is True
    assert report.photos.count() == 1 and report.spending.get().amount == 3_850_000
    assert Notification.objects.filter(recipient=people.community_staff).exists()


def test_approving_makes_the_tranche_due_and_paying_it_counts_in_the_track_record(people, project, milestone):
    services.submit_report(by=people.ngo_member, project=project, milestone=milestone, body="开餐")
    services.approve_milestone(by=people.community_staff, milestone=milestone, note="现场核验通过")
    tranche = Tranche.objects.get(milestone=milestone)
    assert (tranche.status, tranche.amount, tranche.organisation) == (TrancheStatus.DUE, 3_000_000, people.ngo)
    paid = services.pay_tranche(by=people.street_staff, milestone=milestone, reference="财政拨付 2026-118")
    assert paid.status == TrancheStatus.PAID and paid.paid_at is not None
    again = services.pay_tranche(by=people.street_staff, milestone=milestone)
    assert again.pk == paid.pk and Tranche.objects.filter(status=TrancheStatus.PAID).count() == 1
    record = track_record(people.ngo)
    assert record.money_handled == 3_000_000 and record.milestones_approved == 1 and record.on_time_share == 100
    assert Notification.objects.filter(recipient=people.ngo_member).count() >= 2


def test_a_milestone_sent_back_is_reported_again_when_staff_reject_it(people, project, milestone):
    services.submit_report(by=people.ngo_member, project=project, milestone=milestone, body="开餐")
    with pytest.raises(DomainError):
        services.reject_milestone(by=people.community_staff, milestone=milestone, reason="")
    services.reject_milestone(by=people.community_staff, milestone=milestone, reason="缺少食品经营许可证照片")
    services.submit_report(by=people.ngo_member, project=project, milestone=milestone, body="补交许可证照片")
    assert Milestone.objects.get(pk=milestone.pk).status == MilestoneStatus.REPORTED


def test_another_ngo_cannot_report_plan_or_approve_when_the_project_is_not_its_own(people, project, milestone):
    with pytest.raises(NotPermitted):
        services.submit_report(by=people.other_ngo_member, project=project, milestone=milestone, body="冒充")
    with pytest.raises(NotPermitted):
        services.plan_milestone(by=people.other_ngo_member, project=project, title="x", due_on=timezone.localdate())
    services.submit_report(by=people.ngo_member, project=project, milestone=milestone, body="开餐")
    with pytest.raises(NotPermitted):
        services.approve_milestone(by=people.ngo_member, milestone=milestone)
    with pytest.raises(NotPermitted):
        services.approve_milestone(by=people.street_staff_b, milestone=milestone)


def test_spending_against_another_projects_budget_line_is_refused(people, project, milestone, tree):
    other = published_project(tree.community_a1, title="别的项目")
    from marketplace.projects.models import BudgetLine

    foreign = BudgetLine.objects.create(project=other, label="外项目", amount=100)
    with pytest.raises(DomainError):
        services.submit_report(
            by=people.ngo_member, project=project, body="x", spending=[{"budget_line": foreign, "amount": 50}]
        )


def test_tranches_cannot_exceed_the_budget_when_planned(people, project):
    with pytest.raises(DomainError):
        services.plan_milestone(
            by=people.ngo_member, project=project, title="太多", due_on=timezone.localdate(), tranche_amount=20_000_000
        )


def test_overdue_alerts_go_once_to_the_ngo_and_staff_when_the_task_runs_twice(people, project, milestone):
    Milestone.objects.filter(pk=milestone.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    assert services.alert_overdue_milestones() == 1
    assert services.alert_overdue_milestones() == 0
    keys = Notification.objects.filter(message_key="implementation.milestone_overdue")
    assert {n.recipient_id for n in keys} >= {people.ngo_member.pk, people.community_staff.pk}
    later = timezone.localdate() + timedelta(days=services.OVERDUE_REMINDER_DAYS)
    assert services.alert_overdue_milestones(today=later) == 1


def test_a_resident_rates_once_within_the_window_and_the_track_record_shows_it(people, project, milestone):
    complete_and_open(people.community_staff, project)
    evaluation = services.rate_project(by=people.resident, project=project, scores=SCORES, comment="饭菜合口")
    assert evaluation.channel == EvaluationChannel.ONLINE and evaluation.overall_score == 4.5
    with pytest.raises(DomainError):
        services.rate_project(by=people.resident, project=project, scores=SCORES)
    record = track_record(people.ngo)
    assert (record.completed_projects, record.ratings, record.average_rating) == (1, 1, 4.5)


def test_rating_is_refused_when_not_a_resident_of_the_region_or_outside_the_window(
    people, project, resident_b, milestone
):
    with pytest.raises(DomainError):  # not completed, no window
        services.rate_project(by=people.resident, project=project, scores=SCORES)
    window = complete_and_open(people.community_staff, project)
    with pytest.raises(NotPermitted):
        services.rate_project(by=resident_b, project=project, scores=SCORES)
    with pytest.raises(NotPermitted):
        services.rate_project(by=people.ngo_member, project=project, scores=SCORES)
    with pytest.raises(DomainError):
        services.rate_project(by=people.resident, project=project, scores={**SCORES, "score_money": 6})
    window.closes_at = timezone.now() - timedelta(minutes=1)
    window.opens_at = timezone.now() - timedelta(days=1)
    window.save()
    with pytest.raises(DomainError):
        services.rate_project(by=people.resident, project=project, scores=SCORES)


def test_staff_enter_paper_ratings_and_the_window_closing_evaluates_the_project(people, project):
    complete_and_open(people.community_staff, project)
    paper = services.enter_paper_rating(
        by=people.community_staff, project=project, scores=SCORES, paper_name="王秀英", comment="希望周末也开"
    )
    assert paper.channel == EvaluationChannel.MEETING and paper.entered_by == people.community_staff
    with pytest.raises(NotPermitted):
        services.enter_paper_rating(by=people.ngo_member, project=project, scores=SCORES, paper_name="假")
    assert services.close_due_evaluations(now=timezone.now() + timedelta(days=8)) == 1
    project.refresh_from_db()
    assert project.status == ProjectStatus.EVALUATED
    assert services.close_due_evaluations(now=timezone.now() + timedelta(days=9)) == 0


def test_the_database_refuses_scores_outside_1_to_5_and_a_second_rating(people, project):
    base = {"project": project, "rater": people.resident, "channel": EvaluationChannel.ONLINE, **SCORES}
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(**{**base, "score_results": 0})
    Evaluation.objects.create(**base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(**base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(project=project, channel=EvaluationChannel.MEETING, paper_name="x", **SCORES)


def test_the_track_record_runs_a_bounded_number_of_queries_when_there_are_many_projects(
    people, tree, django_assert_max_num_queries
):
    for i in range(12):
        p = published_project(tree.community_a1, title=f"项目{i}", wants_in_kind=False)
        p.implementer = people.ngo
        p.status = ProjectStatus.IN_PROGRESS
        p.save()
        m = services.plan_milestone(
            by=people.ngo_member, project=p, title="阶段", due_on=timezone.localdate(), tranche_amount=10_000
        )
        services.submit_report(by=people.ngo_member, project=p, milestone=m, body="完成")
        services.approve_milestone(by=people.community_staff, milestone=m)
        services.pay_tranche(by=people.community_staff, milestone=m)
    others = [OrganisationFactory(region=tree.street_a) for _ in range(5)]
    with django_assert_max_num_queries(1):
        record = track_record(people.ngo)
    assert record.money_handled == 12 * 10_000 and record.milestones_approved == 12
    with django_assert_max_num_queries(1):
        records = track_records([people.ngo, people.other_ngo, *others])
    assert records[people.other_ngo.pk].money_handled == 0 and records[people.ngo.pk].running_projects == 12
