"""A newcomer's first look at the demo district: distinct needs and projects, 30 days of reports with
charts, a heat map whose shading shows. Screenshots are kept in var/screenshots/ for people to look at."""

from collections import Counter
from pathlib import Path

import pytest

from portal.core.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _log_in(page, site, username):
    page.context.clear_cookies()
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{site}/accounts/profile/")


def test_a_newcomer_finds_a_believable_district(demo_district_committed, page, site):
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{site}/needs/")
    titles = page.locator("main .need-card .need-title").all_inner_texts()
    titles = [t.strip() for t in titles if t.strip()]
    assert len(titles) >= 20
    assert Counter(titles).most_common(1)[0][1] == 1, Counter(titles).most_common(3)  # every title its own
    _shot(page, "needs-list")

    page.goto(f"{site}/needs/overview/")
    shades = set(page.locator("table.heatmap td.heat").evaluate_all("cells => cells.map(c => c.className)"))
    assert len(shades) >= 3, shades  # several shades in use, not one flat colour
    colours = set(
        page.locator("table.heatmap td.heat").evaluate_all(
            "cells => cells.map(c => getComputedStyle(c).backgroundColor)"
        )
    )
    assert len(colours) >= 3, colours
    assert page.locator(".heat-legend").first.is_visible()
    _shot(page, "needs-overview-heat-map")

    _log_in(page, site, "districtstaff1")
    page.goto(f"{site}/reports/")
    assert page.locator("main table tbody tr").count() >= 30
    page.locator("main table tbody tr a").first.click()
    charts = page.locator("figure.chart svg[role=img]")
    assert charts.count() >= 2
    assert page.locator("figure.chart details.chart-data table").count() >= 2
    _shot(page, "daily-report")

    page.goto(f"{site}/project-books/")
    page.locator("main a[href*='/project-books/']").nth(1).click()
    project_titles = [t for t in page.locator("main h2, main h3").all_inner_texts() if t.strip()]
    assert not any("合并项目" in t for t in project_titles)
    _shot(page, "project-book")


# What an empty section says: the newcomer should meet none of these in the demo.
EMPTY = ["暂无", "还没有", "尚无", "yet.", "—</dd>"]
SECTION_HAS_CONTENT = """() => [...document.querySelectorAll('main section')].filter(section => {
  const heading = section.querySelector('h2, h3');
  const text = section.innerText.replace(heading ? heading.innerText : '', '').trim();
  return text.length === 0;
}).map(section => section.id || section.className || 'section')"""


def test_no_empty_rooms_for_a_newcomer(demo_district_committed, page, site):
    from django.utils import translation

    from marketplace.projects.models import Project
    from portal.organisations.models import Organisation, OrganisationKind, VerificationStatus

    with translation.override("zh-hans"):
        ngo = Organisation.objects.filter(kind=OrganisationKind.NGO, verification_status=VerificationStatus.VERIFIED)
        organisation_url = ngo.order_by("pk").first().get_absolute_url()
        project_url = Project.objects.visible_to(None).order_by("-pk").first().get_absolute_url()
    page.set_viewport_size({"width": 1280, "height": 900})
    problems = {}

    def look(path, name):
        page.goto(f"{site}{path}")
        html = page.locator("main").inner_html()
        found = [phrase for phrase in EMPTY if phrase in html] + page.evaluate(SECTION_HAS_CONTENT)
        if found:
            problems[path] = found
        _shot(page, f"newcomer-{name}")

    look("/", "home")
    look(organisation_url, "organisation")
    look(project_url, "project")
    _log_in(page, site, "resident1")
    look("/notifications/", "notifications")
    assert page.locator("main .notification-list li").count() >= 3
    assert problems == {}
