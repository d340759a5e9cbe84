"""Issue 22: a project's page suggests up to three similar published projects still short of money ("You may
also support"), from the search layer, with their progress; nothing when there are none; a bounded number
of queries; part of the anonymous copy, which a change retires."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.projects.models import Project, ProjectStatus
from marketplace.projects.similar import projects_to_support
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db

HEADING = "You may also support"


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def project(tree):
    return published_project(tree.community_a1, title="老年助餐点", summary="为社区独居老人提供午餐和送餐")


def _alike(tree, title, **fields):
    return published_project(tree.community_a2, title=title, summary="给独居老人送午餐", **fields)


def test_similar_projects_still_short_of_money_are_suggested(client, tree, project):
    wanted = _alike(tree, "长者食堂", target_yuan=10_000)
    Project.objects.filter(pk=wanted.pk).update(amount_raised=2_500 * 100)
    published_project(tree.community_a1, title="口袋公园改造", summary="把闲置空地改成小公园")  # not alike
    page = client.get(project.get_absolute_url()).content.decode()
    section = page[page.index(HEADING) :]
    assert f'href="{wanted.get_absolute_url()}"' in section and "口袋公园改造" not in section
    assert 'value="25"' in section  # its progress bar: a quarter raised
    assert 'id="to-support-heading"' in page and page.count("<h1") == 1


def test_funded_closed_full_draft_and_moneyless_projects_are_not_suggested(tree, project):
    wanted = _alike(tree, "长者食堂")
    _alike(tree, "助老午餐（已筹满）", status=ProjectStatus.FUNDED)
    _alike(tree, "助老午餐（草稿）", status=ProjectStatus.DRAFT)
    _alike(tree, "助老午餐（已截止）", funding_deadline=timezone.now() - timedelta(days=1))
    _alike(tree, "助老午餐（只要志愿者）", wants_funds=False)
    full = _alike(tree, "助老午餐（刚筹满）", target_yuan=1_000)
    Project.objects.filter(pk=full.pk).update(amount_raised=1_000 * 100)  # the entry still says a gap: not read
    assert projects_to_support(project) == [wanted]


def test_at_most_three_and_never_the_project_itself(tree, project):
    for n in range(5):
        _alike(tree, f"长者食堂{n}号")
    shown = projects_to_support(project)
    assert len(shown) == 3 and project not in shown


def test_nothing_is_shown_when_nothing_is_alike(client, tree, project):
    published_project(tree.community_a1, title="口袋公园改造", summary="把闲置空地改成小公园")
    assert HEADING not in client.get(project.get_absolute_url()).content.decode()


def test_the_page_with_the_panel_runs_a_bounded_number_of_queries(client, tree, project):
    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            page = client.get(project.get_absolute_url())
            assert page.status_code == 200 and HEADING in page.content.decode()
        return len(queries)

    _alike(tree, "长者食堂")
    few = count()
    for n in range(8):
        _alike(tree, f"长者食堂{n}号")
    assert count() == few


def test_the_suggestions_cost_two_queries_and_none_for_a_draft(tree, project):
    for n in range(5):
        _alike(tree, f"长者食堂{n}号")
    with CaptureQueriesContext(connection) as queries:
        assert len(projects_to_support(project)) == 3
    assert len(queries) == 2  # the layer's, then the projects as they are now
    draft = published_project(tree.community_a1, title="老年助餐点二期", status=ProjectStatus.DRAFT)
    with CaptureQueriesContext(connection) as queries:
        assert projects_to_support(draft) == []
    assert len(queries) == 0


def test_the_panel_is_part_of_the_kept_copy_and_a_change_retires_it(client, settings, tree, project):
    settings.KEPT_VIEW_SECONDS = 60
    path = project.get_absolute_url()
    client.get(path)
    assert client.get(path)["X-Page-Cache"] == "hit"
    _alike(tree, "长者食堂")  # published and indexed: both writes renew the data version
    fresh = client.get(path)
    assert fresh["X-Page-Cache"] == "miss" and "长者食堂" in fresh.content.decode()
