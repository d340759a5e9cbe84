"""Pages agree with the facts: every demo project states the number of needs it lists."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_every_demo_project_states_the_number_of_needs_it_lists(demo_district):
    from marketplace.projects.models import Project

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    projects = list(Project.objects.public())
    assert len(projects) > 20
    for project in projects:
        assert project.need_count == project.needs.count(), project.title
        page = client.get(project.get_absolute_url()).content.decode()
        if not project.need_count:
            assert 'id="needs-heading"' not in page
            continue
        stated = re.search(r"Built from (\d+) resident", page)
        section = page[page.index('id="needs-heading"') :].split("</section>")[0]
        listed = len(re.findall(r'<li><a href="/needs/\d+/"', section))
        assert stated and int(stated.group(1)) == project.need_count == listed, project.title


def test_a_project_past_its_deadline_says_its_funding_closed(demo_district):
    from marketplace.projects.models import Project

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    missed = Project.objects.get(title__startswith="临港社区“小巷管家”")
    assert missed.status == "published" and missed.funding_closed
    page = client.get(missed.get_absolute_url()).content.decode()
    assert f"Funding closed on {timezone.localtime(missed.funding_deadline):%Y-%m-%d}" in page
    open_one = Project.objects.filter(status="published", funding_deadline__gt=timezone.now()).first()
    assert "Funding closed on" not in client.get(open_one.get_absolute_url()).content.decode()
