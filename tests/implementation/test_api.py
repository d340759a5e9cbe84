"""The API: /api/v1/milestones/, /api/v1/progress-reports/, /api/v1/evaluations/ with the pages' permissions."""

import pytest

from marketplace.implementation import services
from marketplace.implementation.models import Evaluation, MilestoneStatus, TrancheStatus
from marketplace.implementation.track_record import track_record

from .conftest import SCORES, complete_and_open, photo

pytestmark = pytest.mark.django_db


def test_a_milestone_is_planned_reported_approved_and_paid_through_the_api(api_for, people, project):
    ngo = api_for(people.ngo_member)
    created = ngo.post(
        "/api/v1/milestones/",
        {"project": project.pk, "title": "开餐", "due_on": "2099-01-31", "tranche_amount": "30000"},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    reported = ngo.post(f"/api/v1/milestones/{pk}/report/", {"body": "已开餐"}, format="json")
    assert reported.status_code == 200 and reported.json()["status"] == MilestoneStatus.REPORTED
    staff = api_for(people.street_staff)
    assert staff.post(f"/api/v1/milestones/{pk}/approve/", {"note": "好"}, format="json").status_code == 200
    paid = staff.post(f"/api/v1/milestones/{pk}/pay/", {"reference": "118"}, format="json")
    assert paid.status_code == 200 and paid.json()["tranche"]["status"] == TrancheStatus.PAID
    assert track_record(people.ngo).money_handled == 3_000_000
    listed = api_for(None).get(f"/api/v1/milestones/?project={project.pk}").json()["results"]
    assert [m["id"] for m in listed] == [pk]


@pytest.mark.parametrize("who", ["anonymous", "resident", "other_ngo_member", "street_staff_b"])
def test_the_api_refuses_reporting_and_approving_when_the_project_is_not_theirs(
    api_for, people, project, milestone, who
):
    client = api_for(getattr(people, who))
    assert client.post(f"/api/v1/milestones/{milestone.pk}/report/", {"body": "x"}, format="json").status_code in (
        401,
        403,
    )
    services.submit_report(by=people.ngo_member, project=project, milestone=milestone, body="完工")
    assert client.post(f"/api/v1/milestones/{milestone.pk}/approve/", {}, format="json").status_code in (401, 403)
    created = client.post("/api/v1/progress-reports/", {"project": project.pk, "body": "冒充的报告"}, format="json")
    assert created.status_code in (401, 403)


def test_a_progress_report_with_spending_and_a_photo_is_posted_through_the_api(api_for, people, project, milestone):
    line = project.budget_lines.first()
    ngo = api_for(people.ngo_member)
    json_report = ngo.post(
        "/api/v1/progress-reports/",
        {
            "project": project.pk,
            "milestone": milestone.pk,
            "body": "第一周",
            "spending": [{"budget_line": line.pk, "amount": "500"}],
        },
        format="json",
    )
    assert json_report.status_code == 201, json_report.content
    assert json_report.json()["spending_lines"][0]["amount"] == "500.00"
    multipart = ngo.post(
        "/api/v1/progress-reports/",
        {"project": project.pk, "body": "照片", "photos": [photo()], "spending_json": "[]"},
        format="multipart",
    )
    assert multipart.status_code == 201, multipart.content
    assert len(multipart.json()["photo_files"]) == 1
    public = api_for(None).get(f"/api/v1/progress-reports/?project={project.pk}")
    assert public.status_code == 200 and len(public.json()["results"]) == 2


def test_residents_rate_and_staff_enter_paper_ratings_through_the_api(api_for, people, project, resident_b):
    complete_and_open(people.community_staff, project)
    rated = api_for(people.resident).post(
        "/api/v1/evaluations/", {"project": project.pk, **SCORES, "comment": "好"}, format="json"
    )
    assert rated.status_code == 201 and rated.json()["overall"] == 4.5
    again = api_for(people.resident).post("/api/v1/evaluations/", {"project": project.pk, **SCORES}, format="json")
    assert again.status_code == 403 and Evaluation.objects.count() == 1
    assert (
        api_for(resident_b).post("/api/v1/evaluations/", {"project": project.pk, **SCORES}, format="json").status_code
        == 403
    )
    bad = api_for(people.resident).post(
        "/api/v1/evaluations/", {"project": project.pk, **SCORES, "score_money": 9}, format="json"
    )
    assert bad.status_code == 400
    paper = {"project": project.pk, **SCORES, "paper_name": "赵大爷"}
    assert api_for(people.ngo_member).post("/api/v1/evaluations/paper/", paper, format="json").status_code == 403
    assert api_for(people.community_staff).post("/api/v1/evaluations/paper/", paper, format="json").status_code == 201
    assert Evaluation.objects.count() == 2
    record = track_record(people.ngo)
    assert (record.completed_projects, record.ratings, record.average_rating) == (1, 2, 4.5)
    assert api_for(None).get("/api/v1/evaluations/").json()["results"] == []
    assert len(api_for(people.resident).get("/api/v1/evaluations/").json()["results"]) == 1
    assert len(api_for(people.street_staff).get("/api/v1/evaluations/").json()["results"]) == 2
