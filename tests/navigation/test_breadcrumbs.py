"""Detail pages say where they are: Home › the list (and the council) › this record."""

import re

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def _trail(page):
    nav = page[page.index('class="breadcrumbs"') :]
    nav = nav[: nav.index("</nav>")]
    return re.findall(r'href="([^"]+)"', nav), re.search(r'aria-current="page">(.*?)</li>', nav, re.S).group(1)


def test_detail_pages_have_breadcrumbs(demo_district):
    from deliberation.councils.models import Council
    from deliberation.meetings.models import Meeting
    from deliberation.topics.models import Topic
    from deliberation.votes.models import Vote
    from marketplace.projects.models import Project
    from portal.organisations.models import Organisation

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    topic = Topic.objects.select_related("council").first()
    meeting = Meeting.objects.visible_to(None).first()
    vote = Vote.objects.exclude(status="draft").first()
    council = Council.objects.filter(is_active=True).first()
    project = Project.objects.public().first()
    organisation = Organisation.objects.verified().first()
    for record, expected in [
        (topic, ["/councils/", topic.council.get_absolute_url(), "/topics/"]),
        (meeting, ["/meetings/", meeting.council.get_absolute_url()]),
        (vote, ["/votes/", vote.council.get_absolute_url()]),
        (council, ["/councils/"]),
        (project, ["/projects/"]),
        (organisation, ["/organisations/"]),
    ]:
        links, current = _trail(client.get(record.get_absolute_url()).content.decode())
        assert links[0] in ("/", "/en/") and links[1:] == expected, (record, links)
        assert current.strip()
