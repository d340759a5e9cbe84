"""The daily report's charts: the series compute_report stores, the page and the PDF that draw them."""

import shutil
import subprocess
from datetime import timedelta
from unittest import mock

import pytest
from bs4 import BeautifulSoup

from marketplace.needs.models import Channel, Need
from marketplace.reports.compute import compute_report
from marketplace.reports.models import DailyReport
from marketplace.reports.render import render_pdf, render_pdf_html, report_context

pytestmark = pytest.mark.django_db


def rate(num, den, value):
    return {"num": num, "den": den, "rate": value}


@pytest.fixture
def no_files():
    """The page asks a worker for the PDF and workbook; here nobody makes them."""
    with mock.patch("portal.core.tasks.render_file_task.delay") as delay:
        yield delay


@pytest.fixture
def data(world):
    # r8 (new on D) came by the hotline, r10 (D-8) by grid patrol; the others on the web.
    Need.objects.filter(pk=world.r8.pk).update(channel=Channel.HOTLINE)
    Need.objects.filter(pk=world.r10.pk).update(channel=Channel.GRID_PATROL)
    return compute_report(world.day, now=world.now)


@pytest.fixture
def report(world, data):
    return DailyReport.objects.create(date=world.day, data=data, generated_at=world.now)


def test_series_have_a_point_for_each_of_the_last_thirty_days(world, data):
    series = data["series"]
    assert len(series["days"]) == 30
    assert series["days"][-1] == world.day.isoformat()
    assert series["days"][0] == (world.day - timedelta(days=29)).isoformat()
    assert all(len(values) == 30 for values in series["new_by_channel"].values())
    assert all(len(points) == 30 for points in series["rates"].values())
    assert list(series["rates"]) == ["response", "completion", "resolution", "satisfaction"]


def test_new_needs_per_day_by_channel(world, data):
    by_channel = data["series"]["new_by_channel"]
    assert list(by_channel) == ["web", "hotline", "grid_patrol"]  # Channel's order, only channels with needs
    web = by_channel["web"]
    # D: r7 and a1 (r8 came by hotline); D-1: r11 at 23:59; D-2 r5; D-3 r3; D-5 r1, r2; D-6 r9; D-10 r4.
    assert web[-1] == 2 and web[-2] == 1 and web[-3] == 1 and web[-4] == 1 and web[-6] == 2 and web[-7] == 1
    assert web[-11] == 1 and sum(web) == 9  # r6 (D-40) is outside; r12 (D+1 00:30) is after the report
    assert by_channel["hotline"][-1] == 1 and sum(by_channel["hotline"]) == 1
    assert by_channel["grid_patrol"][-9] == 1 and sum(by_channel["grid_patrol"]) == 1
    assert sum(values[-1] for values in by_channel.values()) == data["totals"]["new"]


def test_each_rate_point_covers_the_thirty_days_up_to_its_day(data):
    rates = data["series"]["rates"]
    for key in rates:  # the last point is the report's own rate
        assert rates[key][-1] == {k: data["rates"]["overall"][key][k] for k in ("num", "den", "rate")}, key
    # On D-1 r5's acceptance deadline (D-1 00:00) is in; on D-2 it is not yet.
    assert rates["response"][-2] == rate(3, 6, 50.0)
    assert rates["response"][-3] == rate(3, 5, 60.0)
    # D-29's window, D-58 to D-28, holds only r6: accepted in time, answered, closed and rated 4.
    assert [rates[key][0] for key in rates] == [rate(1, 1, 100.0)] * 4
    # r6 counts until D-10 (its deadline, D-39, plus 29 days); on D-9 only r4 was due, and in time.
    assert rates["response"][-10] == rate(1, 1, 100.0)
    # Ratings: r6's (D-35) counts until D-6; then none until r1's on D-1.
    assert rates["satisfaction"][-7] == rate(1, 1, 100.0)
    assert rates["satisfaction"][-6] == rates["satisfaction"][-3] == rate(0, 0, None)
    assert rates["satisfaction"][-2] == rate(1, 1, 100.0)


def test_the_report_page_shows_the_charts_and_their_figures(people, report, client_for, no_files, world):
    html = client_for(people.district_staff).get(report.get_absolute_url()).content.decode()
    soup = BeautifulSoup(html, "html.parser")

    channels = soup.find("figure", id="chart-new-by-channel")
    svg = channels.find("svg", class_="chart-svg")
    assert svg["role"] == "img" and svg["aria-labelledby"] == "chart-new-by-channel-title chart-new-by-channel-desc"
    assert svg.find("title", id="chart-new-by-channel-title").get_text()
    assert "11" in svg.find("desc").get_text()  # 11 new needs in the 30 days
    assert len(channels.select(".chart-legend li")) == 3
    table = channels.find("table")
    assert table.caption.get_text(strip=True)
    rows = {tr.th.get_text(): [td.get_text() for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")}
    assert len(rows) == 30
    assert rows[world.day.isoformat()] == ["2", "1", "0", "3"]  # web, hotline, grid patrol, total
    assert rows[(world.day - timedelta(days=8)).isoformat()] == ["0", "0", "1", "1"]
    assert table.tbody.th["scope"] == "row" and {th["scope"] for th in table.thead.find_all("th")} == {"col"}

    rates = soup.find("figure", id="chart-rates")
    assert rates.find("svg", class_="chart-svg")["role"] == "img"
    assert len(rates.select(".chart-legend li")) == 4
    rows = {tr.th.get_text(): [td.get_text() for td in tr.find_all("td")] for tr in rates.tbody.find_all("tr")}
    assert rows[world.day.isoformat()] == ["50.0% (3/6)", "75.0% (3/4)", "33.3% (1/3)", "50.0% (1/2)"]
    assert rows[(world.day - timedelta(days=2)).isoformat()][0] == "60.0% (3/5)"
    # The charts come before the tables they summarise, in their sections.
    assert html.index("chart-new-by-channel") < html.index('id="report-categories"')
    assert html.index('id="report-rates"') < html.index('id="chart-rates"')


def test_the_report_page_runs_no_query_per_day(people, report, client_for, no_files, django_assert_max_num_queries):
    client = client_for(people.district_staff)
    client.get(report.get_absolute_url())  # warm up (content types, session)
    # 13 today: session, user, permissions, roles, the report, its two files, the site's menus. Charts read the
    # report's stored series: a query per day (or per day and channel) would add 30 or more.
    with django_assert_max_num_queries(15):
        assert client.get(report.get_absolute_url()).status_code == 200


def test_reports_computed_before_the_charts_render_without_them(people, report, client_for, no_files):
    del report.data["series"]
    report.save()
    assert report_context(report)["charts"] == {}
    response = client_for(people.district_staff).get(report.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200 and "chart-new-by-channel" not in html and "<svg" not in html
    assert "甲街道" in html  # the rest of the report is there


def _poppler(tool, pdf_bytes, tmp_path):
    if not shutil.which(tool):
        pytest.skip(f"{tool} needs Debian's poppler-utils")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes)
    args = [tool, "-layout", str(path), "-"] if tool == "pdftotext" else [tool, str(path)]
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout


def test_the_pdf_draws_the_charts_in_the_reports_font(report, world, tmp_path):
    pdf = render_pdf(report)
    text = _poppler("pdftotext", pdf, tmp_path)
    assert world.day.strftime("%m-%d") in text  # the x axis' last label
    assert "100%" in text and "75%" in text  # the rates chart's y axis
    fonts = _poppler("pdffonts", pdf, tmp_path).splitlines()[2:]
    # The charts' text too came from the embedded CJK font, not a fallback.
    assert fonts and all(line.split()[0].split("+")[-1].startswith("Report-CJK") for line in fonts), fonts
    html = BeautifulSoup(render_pdf_html(report), "html.parser")
    assert html.find("svg", attrs={"font-family": "Report CJK"}) is not None
    assert html.find("figure", id="chart-rates").find("table") is None  # no tables behind the charts on paper
