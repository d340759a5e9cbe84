"""The demo district: projects in implementation with milestones, reports and tranches in several states,
completed ones with ratings, and the NGOs' track records."""

import pytest

from marketplace.implementation.models import Evaluation, EvaluationChannel, Milestone, MilestoneStatus, Tranche
from marketplace.implementation.track_record import track_records
from portal.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_demo_has_milestones_in_several_states_paid_tranches_ratings_and_track_records(demo_district):
    statuses = set(Milestone.objects.values_list("status", flat=True))
    assert {MilestoneStatus.APPROVED, MilestoneStatus.REPORTED, MilestoneStatus.PLANNED} <= statuses
    assert Tranche.objects.filter(status="paid").exists()
    assert Evaluation.objects.filter(channel=EvaluationChannel.MEETING).exists()
    records = track_records(Organisation.objects.filter(implemented_projects__isnull=False).distinct())
    assert any(r.completed_projects and r.average_rating and r.money_handled for r in records.values())


def test_the_demo_projects_page_shows_progress_with_its_timeline(demo_district, client):
    milestone = Milestone.objects.filter(status=MilestoneStatus.APPROVED).select_related("project").first()
    page = client.get(milestone.project.get_absolute_url()).content.decode()
    assert 'id="progress"' in page and milestone.title in page
