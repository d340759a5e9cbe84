"""Every implementation rule refuses an anonymous visitor and a stranger on records without an owner (the
platform's test in tests/security needs these records too: var/requests-impl.md)."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from marketplace.implementation.models import (
    Evaluation,
    EvaluationChannel,
    Milestone,
    MilestoneStatus,
    ProgressReport,
    Tranche,
    TrancheStatus,
)
from marketplace.projects.models import ProjectStatus
from tests.factories.accounts import UserFactory
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db

ANONYMOUS_MAY = {"implementation.view_milestone", "implementation.view_progressreport"}


@pytest.fixture
def ownerless(tree):
    project = published_project(tree.community_a1)
    project.status = ProjectStatus.COMPLETED
    project.save()
    scores = {"score_results": 3, "score_service": 3, "score_timeliness": 3, "score_money": 3}
    return [
        project,
        *(Milestone(project=project, title="m", due_on="2026-11-01", status=s) for s in MilestoneStatus.values),
        *(Tranche(project=project, amount=1, status=s) for s in TrancheStatus.values),
        ProgressReport(project=project, body="x"),
        Evaluation(project=project, rater_id=None, channel=EvaluationChannel.MEETING, **scores),
    ]


def test_no_implementation_rule_lets_an_anonymous_visitor_or_a_stranger_act_on_ownerless_records(ownerless):
    names = sorted(n for n in rules.permissions.permissions if n.startswith("implementation."))
    anonymous, stranger = AnonymousUser(), UserFactory()
    allowed = [
        f"{name} on {obj!r} for {who}"
        for name in names
        for obj in [None, *ownerless]
        for who in (anonymous, stranger)
        if name not in ANONYMOUS_MAY
        and not (who is stranger and name.startswith("implementation.add_"))
        and who.has_perm(name, obj)
    ]
    assert allowed == []
