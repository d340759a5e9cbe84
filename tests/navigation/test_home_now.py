"""The home page shows what is open to take part in today, from the records, and its counters agree."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _home(prefix="/en"):
    return Client().get(f"{prefix}/").content.decode()


def test_the_home_page_lists_projects_topics_and_votes_open_now(demo_district):
    from deliberation.topics.models import Topic, TopicStatus
    from deliberation.votes.models import Vote, VoteStatus
    from portal.pages import home_now

    projects, topics, votes = home_now.projects_short_of_money(), home_now.topics_collecting(), home_now.open_votes()
    # The demo district has some of each: the home page would otherwise show nothing to act on.
    assert projects and topics and votes
    html = _home()
    for project in projects:
        assert project.get_absolute_url() in html
        assert project.funding_gap > 0
    for topic in topics:
        assert topic.status == TopicStatus.COLLECTING and topic.get_absolute_url() in html
    for vote in votes:
        assert vote.status == VoteStatus.OPEN and vote.get_absolute_url() in html
    assert 'id="now-heading"' in html and "<progress" in html
    # Nothing closed or still a draft is offered.
    for vote in Vote.objects.exclude(status=VoteStatus.OPEN):
        assert f'href="{vote.get_absolute_url()}"' not in html
    for topic in Topic.objects.exclude(status=TopicStatus.COLLECTING):
        assert f'href="{topic.get_absolute_url()}"' not in html


def test_the_meetings_counter_agrees_with_the_meeting_list(demo_district):
    import re

    from deliberation.meetings.models import Meeting

    held = Meeting.objects.filter(status__in=["held", "minutes_published"]).count()
    assert held > 1
    html = _home()
    counters = html[html.index('class="counters"') :]
    counters = counters[: counters.index("</ul>")]
    figure = re.search(r"<strong>([\d,]+)</strong>Meetings held", counters)
    assert figure and int(figure.group(1).replace(",", "")) == held


def test_a_vote_closing_leaves_the_cached_home_page_at_once(demo_district, django_capture_on_commit_callbacks):
    from deliberation.votes import services
    from deliberation.votes.models import Vote, VoteStatus

    vote = Vote.objects.filter(status=VoteStatus.OPEN).order_by("closes_at").first()
    assert vote.get_absolute_url() in _home()  # and now it is cached
    with django_capture_on_commit_callbacks(execute=True):
        services.close_vote(by=None, vote=vote)
    assert f'href="{vote.get_absolute_url()}"' not in _home()
