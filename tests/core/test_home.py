import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from portal.pages.models import HomePage
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(tree):
    root = Page.get_first_root_node()
    page = root.add_child(instance=HomePage(title="共治首页", slug="home-test", intro="一起商量着办"))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "testserver", "root_page": page})
    return page


def test_the_home_page_counts_the_district(client, home, tree):
    OrganisationFactory(region=tree.street_a)
    html = client.get("/").content.decode()
    assert "共治首页" in html and "一起商量着办" in html
    # Two streets, three communities, two grids, one verified NGO in the test district.
    for figure in ["<strong>2</strong>", "<strong>3</strong>", "<strong>1</strong>"]:
        assert figure in html


def test_the_home_page_runs_a_bounded_number_of_queries(client, home, tree):
    client.get("/")  # warm Wagtail's site cache
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    OrganisationFactory.create_batch(10, region=tree.street_a)
    with CaptureQueriesContext(connection) as second:
        client.get("/")
    assert len(second) <= len(first) + 5 and len(second) < 20
