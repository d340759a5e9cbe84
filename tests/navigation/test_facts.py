"""Pages agree with the facts: every demo project states the number of needs it lists."""

import re

import pytest
from django.conf import settings
from django.test import Client

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
