"""A project's public page: figures, the needs it came from, the books that list it, the claim section."""

import pytest

from marketplace.projects.models import ProjectStatus
from tests.factories import NeedFactory
from tests.factories.pages import ProjectFactory, book

pytestmark = pytest.mark.django_db


def test_project_page_shows_funding_needs_and_books(client, home_page, tree):
    project = ProjectFactory(region=tree.district, title="楼道照明改造", amount_raised=4_000_000)
    NeedFactory.create_batch(3, region=tree.grid_a1, project=project)
    page = book(home_page, tree.district, [project])
    html = client.get(project.get_absolute_url()).content.decode()
    assert "楼道照明改造" in html and "¥40,000.00" in html and "40%" in html
    assert page.url in html
    assert 'id="claim"' in html and "/accounts/login/" in html


def test_draft_projects_are_not_public(client, tree):
    project = ProjectFactory(region=tree.district, status=ProjectStatus.DRAFT)
    assert client.get(project.get_absolute_url()).status_code == 404
