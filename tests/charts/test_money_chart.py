"""A project's money over time (marketplace/funding/series.py, portal.core.charts.running_total_chart):
one query for the series, a step line whose heights follow the running total and whose steps stand at
their dates, the target line, a table of every day, and a project page that stays within its queries."""

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.utils import translation

from marketplace.funding import ledger
from marketplace.funding.models import EntryKind
from marketplace.funding.series import money_chart, money_series, short_money
from marketplace.projects.models import Project
from portal.core.charts import FIT_WIDTH
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
SHANGHAI = ZoneInfo("Asia/Shanghai")
FEN = 100


def _at(day, hour=10):
    return time_machine.travel(datetime(2026, 11, day, hour, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def funded(tree):
    """Target ¥1,000: ¥200 and ¥100 on 1 November, ¥500 on the 3rd (at 00:30 local, 16:30 UTC the day
    before), ¥100 refunded on the 5th."""
    project = published_project(tree.community_a1, target_yuan=1000)
    with _at(1):
        ledger.append(kind=EntryKind.GIFT, amount=200 * FEN, project=project)
    with _at(1, 20):
        ledger.append(kind=EntryKind.GIFT, amount=100 * FEN, project=project)
    with time_machine.travel(datetime(2026, 11, 3, 0, 30, tzinfo=SHANGHAI), tick=False):
        ledger.append(kind=EntryKind.GIFT, amount=500 * FEN, project=project)
    with _at(5):
        ledger.append(kind=EntryKind.REFUND, amount=-100 * FEN, project=project)
    project.refresh_from_db()
    return project


def test_the_series_is_the_running_total_by_local_day_in_one_query(funded, django_assert_num_queries):
    with django_assert_num_queries(1):
        days = money_series(funded)
    assert [(d.day, d.change, d.total) for d in days] == [
        (date(2026, 11, 1), 300 * FEN, 300 * FEN),
        (date(2026, 11, 3), 500 * FEN, 800 * FEN),
        (date(2026, 11, 5), -100 * FEN, 700 * FEN),
    ]
    assert days[-1].total == Project.objects.get(pk=funded.pk).amount_raised


def _geometry(chart):
    root = ET.fromstring(str(chart.svg))
    series = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "chart-series")
    d = series.find(f"{SVG}path").get("d")
    target = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "chart-target").find(f"{SVG}line")
    return root, d, float(target.get("y1"))


def test_the_line_steps_up_at_each_date_to_its_total_under_the_target_line(funded):
    with translation.override("en"):
        chart = money_chart(funded, today=date(2026, 11, 11))
    root, d, target_y = _geometry(chart)
    assert root.get("role") == "img" and root.get("viewBox").startswith(f"0 0 {FIT_WIDTH} ")
    start_x, zero_y = map(float, re.match(r"M([\d.]+) ([\d.]+)", d).groups())
    steps = [(float(x), float(y)) for x, y in re.findall(r"H([\d.]+)V([\d.]+)", d)]
    end_x = float(re.findall(r"H([\d.]+)", d)[-1])
    # Heights are the totals' share of the target; steps stand at their days from 1 to 11 November.
    assert [round((zero_y - y) / (zero_y - target_y), 2) for _x, y in steps] == [0.3, 0.8, 0.7]
    assert [round((x - start_x) / (end_x - start_x), 2) for x, _y in steps] == [0.0, 0.2, 0.4]
    assert [item.label for item in chart.legend] == ["Raised so far", "Target ¥1,000.00"]
    assert chart.fit and chart.table.rows == [
        ("2026-11-01", ["¥300.00", "¥300.00"]),
        ("2026-11-03", ["¥500.00", "¥800.00"]),
        ("2026-11-05", ["-¥100.00", "¥700.00"]),
    ]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "2026-11-01" in texts and "2026-11-11" in texts


def test_axis_labels_are_short_in_each_language():
    with translation.override("zh-hans"):
        assert [short_money(v) for v in (0, 500 * FEN, 50_000 * FEN, 150_000_000 * FEN)] == [
            "¥0",
            "¥500",
            "¥5万",
            "¥1.5亿",
        ]
    with translation.override("en"):
        assert [short_money(v) for v in (500 * FEN, 50_000 * FEN, 1_200_000 * FEN)] == ["¥500", "¥50k", "¥1.2M"]


def _project_page(client, project):
    client.cookies["django_language"] = "en"
    response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_the_project_page_shows_the_money_over_time_with_a_table_of_every_day(
    funded, client, django_assert_max_num_queries
):
    with _at(11), django_assert_max_num_queries(16):
        soup = _project_page(client, funded)
    section = soup.find("section", id="money-over-time")
    assert section is not None and section.h2.get_text(strip=True) == "Money raised over time"
    figure = section.find("figure", id=f"project-{funded.pk}-money")
    svg = figure.find("svg", role="img")
    assert svg.get("aria-labelledby") == f"project-{funded.pk}-money-title project-{funded.pk}-money-desc"
    assert "¥700.00 of a target of ¥1,000.00" in svg.find("desc").get_text()
    details = figure.find("details")
    assert details.summary.get_text(strip=True) == "Show the figures as a table"
    assert [tr.th.get_text(strip=True) for tr in details.tbody.find_all("tr")] == [
        "2026-11-01",
        "2026-11-03",
        "2026-11-05",
    ]
    # It follows the funding card (with the project's ledger).
    text = str(soup)
    assert text.index('id="give"') < text.index('id="money-over-time"')


def test_a_project_without_money_yet_has_no_chart(tree, client):
    project = published_project(tree.community_a1, target_yuan=1000)
    assert _project_page(client, project).find(id="money-over-time") is None
