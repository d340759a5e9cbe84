import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_home_page_counts_the_district(client, home_page, tree):
    OrganisationFactory(region=tree.street_a)
    html = client.get("/").content.decode()
    assert "共治首页" in html and "一起商量着办" in html
    # Three communities and one verified NGO in the test district; nothing handled or funded yet.
    for figure in ["<strong>3</strong>", "<strong>1</strong>", "<strong>0</strong>", "<strong>¥0.00</strong>"]:
        assert figure in html


def test_the_home_page_counts_needs_handled_projects_funded_and_money_raised(client, home_page, tree):

    from marketplace.needs.models import NeedStatus
    from marketplace.projects.models import ProjectStatus
    from tests.factories import NeedFactory
    from tests.factories.pages import ProjectFactory

    NeedFactory.create_batch(4, region=tree.grid_a1, status=NeedStatus.CLOSED)
    NeedFactory(region=tree.grid_a1, status=NeedStatus.SUBMITTED)
    ProjectFactory(region=tree.district, status=ProjectStatus.FUNDED, amount_raised=7_000_000)
    ProjectFactory(region=tree.district, amount_raised=500_000)
    html = client.get("/").content.decode()
    assert "<strong>4</strong>" in html  # needs handled
    assert "<strong>¥75,000.00</strong>" in html  # raised, with separators in Chinese too


def test_the_home_page_runs_a_bounded_number_of_queries(client, home_page, tree):
    client.get("/")  # warm Wagtail's site cache
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    OrganisationFactory.create_batch(10, region=tree.street_a)
    with CaptureQueriesContext(connection) as second:
        client.get("/")
    assert len(second) <= len(first) + 5 and len(second) < 35
