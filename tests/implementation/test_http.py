"""The pages: the implementer's progress form, staff's approval and payment, the rating forms, the panel on
the project page, and who is refused."""

import pytest

from marketplace.implementation import services
from marketplace.implementation.models import Evaluation, MilestoneStatus, ProgressReport, Tranche, TrancheStatus
from marketplace.implementation.templatetags.implementation import track_record as track_record_tag

from .conftest import SCORES, complete_and_open, photo

pytestmark = pytest.mark.django_db


def test_the_implementer_reports_a_milestone_with_a_photo_and_spending_from_the_progress_form(
    client_for, people, project, milestone
):
    client = client_for(people.ngo_member)
    form = client.get(f"/implementation/projects/{project.pk}/report/")
    assert form.status_code == 200 and "餐费补贴" in form.content.decode()
    line = project.budget_lines.get(label="餐费补贴")
    response = client.post(
        f"/implementation/projects/{project.pk}/report/",
        {
            "milestone": milestone.pk,
            "body": "老年食堂开餐，首周供餐420人次。",
            f"spent_{line.pk}": "1,200.50",
            "photos": photo(),
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.spending.get().amount == 120_050 and report.photos.count() == 1
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.REPORTED
    image = client_for(None).get(report.photos.get().get_absolute_url())
    assert image.status_code == 200 and image["Content-Type"] in ("image/png", "image/jpeg")


@pytest.mark.parametrize("who", ["anonymous", "resident", "other_ngo_member", "street_staff_b"])
def test_the_progress_form_is_refused_when_not_the_implementer(client_for, people, project, who):
    response = client_for(getattr(people, who)).get(f"/implementation/projects/{project.pk}/report/")
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or "/accounts/login/" in response["Location"]


def test_staff_approve_and_pay_from_the_milestone_page_and_the_project_page_shows_the_timeline(
    client_for, people, project, milestone
):
    services.submit_report(
        by=people.ngo_member, project=project, milestone=milestone, body="厨房完工", photos=[photo()]
    )
    staff = client_for(people.community_staff)
    page = staff.get(milestone.get_absolute_url()).content.decode()
    assert f"/implementation/milestones/{milestone.pk}/approve/" in page
    assert staff.get("/implementation/queue/").content.decode().count("厨房改造完成") == 1
    staff.post(f"/implementation/milestones/{milestone.pk}/approve/", {"approve-note": "核验通过"})
    staff.post(f"/implementation/milestones/{milestone.pk}/pay/", {"pay-reference": "拨付单 118"})
    tranche = Tranche.objects.get()
    assert tranche.status == TrancheStatus.PAID and tranche.payment_reference == "拨付单 118"
    public = client_for(None).get(project.get_absolute_url()).content.decode()
    assert 'id="progress"' in public and "厨房改造完成" in public and "/implementation/photos/" in public


@pytest.mark.parametrize("who", ["anonymous", "ngo_member", "other_ngo_member", "resident", "street_staff_b"])
def test_approval_and_payment_are_refused_when_not_staff_of_the_area(client_for, people, project, milestone, who):
    services.submit_report(by=people.ngo_member, project=project, milestone=milestone, body="厨房完工")
    client = client_for(getattr(people, who))
    response = client.post(f"/implementation/milestones/{milestone.pk}/approve/", {"approve-note": ""})
    assert response.status_code in (302, 403)
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.REPORTED


def test_a_resident_rates_from_the_page_and_staff_enter_a_paper_sheet(client_for, people, project):
    complete_and_open(people.community_staff, project)
    client = client_for(people.resident)
    assert client.get(f"/implementation/projects/{project.pk}/rate/").status_code == 200
    response = client.post(f"/implementation/projects/{project.pk}/rate/", {**SCORES, "comment": "很好"})
    assert response.status_code == 302 and Evaluation.objects.get().rater == people.resident
    assert client.post(f"/implementation/projects/{project.pk}/rate/", SCORES).status_code == 403
    staff = client_for(people.community_staff)
    staff.post(f"/implementation/projects/{project.pk}/paper-ratings/", {**SCORES, "paper_name": "李桂兰"})
    assert Evaluation.objects.count() == 2
    page = client_for(None).get(f"/implementation/projects/{project.pk}/").content.decode()
    assert "4.5" in page


@pytest.mark.parametrize("who", ["anonymous", "ngo_member", "other_ngo_member", "resident_b"])
def test_rating_is_refused_when_not_a_resident_of_the_region(client_for, people, project, resident_b, who):
    complete_and_open(people.community_staff, project)
    user = resident_b if who == "resident_b" else getattr(people, who)
    response = client_for(user).post(f"/implementation/projects/{project.pk}/rate/", SCORES)
    assert response.status_code in (302, 403) and not Evaluation.objects.exists()
    paper = client_for(user).post(
        f"/implementation/projects/{project.pk}/paper-ratings/", {**SCORES, "paper_name": "x"}
    )
    assert paper.status_code in (302, 403) and not Evaluation.objects.exists()


def test_the_track_record_include_shows_the_figures(rf, people, project, milestone):
    services.submit_report(by=people.ngo_member, project=project, milestone=milestone, body="完工")
    services.approve_milestone(by=people.community_staff, milestone=milestone)
    services.pay_tranche(by=people.community_staff, milestone=milestone)
    html = track_record_tag({"request": rf.get("/")}, people.ngo)
    assert 'id="track-record"' in html and "100%" in html and "30,000" in html


def test_the_progress_page_and_panel_run_the_same_queries_whatever_the_number_of_reports(
    client_for, people, project, milestone
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(people.resident)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def report(n):
        for i in range(n):
            services.submit_report(by=people.ngo_member, project=project, body=f"第{i}周", photos=[photo()])

    report(1)
    count(f"/implementation/projects/{project.pk}/")  # caches warmed (content types, the session)
    few = (count(f"/implementation/projects/{project.pk}/"), count(project.get_absolute_url()))
    report(6)
    assert (count(f"/implementation/projects/{project.pk}/"), count(project.get_absolute_url())) == few


def test_a_paper_sheet_records_the_evaluation_meeting_it_was_filled_in_at(client_for, people, project, tree):
    from deliberation.meetings.models import MeetingKind
    from tests.factories.meetings import council, meeting

    complete_and_open(people.community_staff, project)
    street = council(tree.street_a, slug="street-a", name="甲街道居民议事会", level="street")
    evaluation = meeting(street, kind=MeetingKind.EVALUATION, title="甲街道项目成效评议会", days_ahead=-1)
    meeting(street, title="楼道堆物恳谈会", days_ahead=-2)  # not an evaluation meeting: not offered
    elsewhere = meeting(council(tree.street_b, slug="street-b", name="乙街道居民议事会", level="street"),
                        kind=MeetingKind.EVALUATION, title="乙街道项目成效评议会", days_ahead=-1)  # fmt: skip
    staff = client_for(people.community_staff)
    url = f"/implementation/projects/{project.pk}/paper-ratings/"
    form = staff.get(url).content.decode()
    assert "甲街道项目成效评议会" in form and "楼道堆物恳谈会" not in form and "乙街道" not in form
    refused = staff.post(url, {**SCORES, "paper_name": "王秀英", "meeting": elsewhere.pk})
    assert refused.status_code == 200 and not Evaluation.objects.exists()  # another area's meeting
    done = staff.post(url, {**SCORES, "paper_name": "王秀英", "meeting": evaluation.pk})
    assert done.status_code == 302 and done.url.endswith(f"?meeting={evaluation.pk}")
    assert Evaluation.objects.get().meeting == evaluation
    assert f'value="{evaluation.pk}" selected' in staff.get(done.url).content.decode()  # the next sheet's default
