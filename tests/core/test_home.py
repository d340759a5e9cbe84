import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_home_page_counts_the_district(client, home_page, tree):
    OrganisationFactory(region=tree.street_a)
    html = client.get("/").content.decode()
    assert "共治首页" in html and "一起商量着办" in html
    # Two streets, three communities, two grids, one verified NGO in the test district.
    for figure in ["<strong>2</strong>", "<strong>3</strong>", "<strong>1</strong>"]:
        assert figure in html


def test_the_home_page_runs_a_bounded_number_of_queries(client, home_page, tree):
    client.get("/")  # warm Wagtail's site cache
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    OrganisationFactory.create_batch(10, region=tree.street_a)
    with CaptureQueriesContext(connection) as second:
        client.get("/")
    assert len(second) <= len(first) + 5 and len(second) < 20
