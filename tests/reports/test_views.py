from unittest import mock

import pytest
from django.urls import reverse

from marketplace.reports.compute import compute_report
from marketplace.reports.models import DailyReport, ReportSubscription
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

READERS = {"community_staff", "street_staff", "street_staff_b", "district_staff", "department_officer"}
OTHERS = {
    "plain",
    "resident",
    "grid_worker",
    "reviewer",
    "council_member",
    "editor",
    "moderator",
    "ngo_member",
    "other_ngo_member",
    "donor",
}


@pytest.fixture
def report(world):
    data = compute_report(world.day, now=world.now)
    return DailyReport.objects.create(date=world.day, data=data, generated_at=world.now)


@pytest.fixture
def no_render():
    """The view asks a worker for the files; here nothing renders them."""
    with mock.patch("portal.core.tasks.render_file_task.delay") as delay:
        yield delay


def _urls(report):
    return [
        reverse("reports:report_list"),
        report.get_absolute_url(),
        reverse("reports:report_pdf", kwargs={"day": report.date}),
        reverse("reports:report_xlsx", kwargs={"day": report.date}),
    ]


@pytest.mark.parametrize("role", sorted(READERS))
def test_staff_read_the_report(people, report, client_for, no_render, role):
    response = client_for(getattr(people, role)).get(report.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "民情报告" in html
    assert "环境整治" in html and "甲街道" in html and "城管局" in html
    assert f"#{report.data['overdue']['items'][0]['id']}" in html


def test_superuser_reads_the_report(report, client_for, no_render):
    user = UserFactory(is_superuser=True, is_staff=True)
    assert client_for(user).get(report.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("role", sorted(OTHERS))
def test_others_are_refused(people, report, client_for, no_render, role):
    client = client_for(getattr(people, role))
    for url in _urls(report):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("reports:subscribe")).status_code == 403
    assert not ReportSubscription.objects.exists()
    no_render.assert_not_called()


def test_anonymous_is_sent_to_log_in(report, client, no_render):
    for url in _urls(report):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login")), url
    assert client.post(reverse("reports:subscribe")).status_code == 302
    assert not ReportSubscription.objects.exists()


def test_page_markup(people, report, client_for, no_render):
    html = client_for(people.district_staff).get(report.get_absolute_url()).content.decode()
    assert '<th scope="col">' in html and '<th scope="row">' in html and "<caption>" in html
    assert 'class="report-bar-fill" style="width: 100%"' in html  # the category with most new needs
    assert 'class="report-bar-fill" style="width: 50%"' in html
    assert "66.7%" in html and "33.3%" in html  # response rates of the two streets
    assert 'aria-hidden="true"' in html  # the bars repeat the numbers beside them


def test_missing_files_are_prepared_by_a_worker_not_the_request(people, report, client_for, no_render):
    from portal.core.models import RenderedFile

    client = client_for(people.street_staff)
    response = client.get(report.get_absolute_url())
    html = response.content.decode()
    assert "being prepared" in html or "正在生成" in html
    assert sorted(call.args[0] for call in no_render.call_args_list) == ["daily_report_pdf", "daily_report_xlsx"]
    client.get(report.get_absolute_url())
    assert no_render.call_count == 2  # not again while the first request is being worked on
    response = client.get(reverse("reports:report_pdf", kwargs={"day": report.date}))
    assert response.status_code == 202 and response["Refresh"] == "3"  # a page that waits for the file
    assert not RenderedFile.objects.exists()


def test_unknown_day_is_404(people, client_for, no_render, tree):
    client = client_for(people.district_staff)
    assert client.get("/reports/2020-01-01/").status_code == 404
    assert client.get("/reports/2020-02-31/").status_code == 404


def test_list(people, report, client_for, no_render):
    html = client_for(people.department_officer).get(reverse("reports:report_list")).content.decode()
    assert report.get_absolute_url() in html
    assert "<td>3</td><td>1</td><td>2</td>" in html  # new, closed, overdue


def test_subscribe_and_unsubscribe(people, client_for, tree):
    client = client_for(people.street_staff)
    assert client.get(reverse("reports:subscribe")).status_code == 405
    response = client.post(reverse("reports:subscribe"))
    assert response.status_code == 302
    assert ReportSubscription.objects.filter(user=people.street_staff).exists()
    client.post(reverse("reports:subscribe"))  # twice is harmless
    assert ReportSubscription.objects.count() == 1
    html = client.get(reverse("reports:report_list")).content.decode()
    assert "Stop emailing me" in html or "退订报告邮件" in html
    client.post(reverse("reports:unsubscribe"))
    assert not ReportSubscription.objects.exists()
