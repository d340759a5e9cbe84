"""Where a person may not support, register or vote, the page says why and what would let them."""

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def _client(username=None):
    from portal.accounts.models import User

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def _why(page):
    start = page.index('class="why-not"')
    return page[start : page.index("</p>", start)]


def test_a_topic_says_who_may_support_it(demo_district):
    from deliberation.topics.models import Topic, TopicStatus

    topic = Topic.objects.filter(status=TopicStatus.COLLECTING).select_related("council__region").first()
    anonymous = _why(_client().get(topic.get_absolute_url()).content.decode())
    assert "/accounts/login/?next=" in anonymous and "support" in anonymous
    outsider = _why(_client("donor1").get(topic.get_absolute_url()).content.decode())
    assert "verified residents of" in outsider and "/accounts/profile/" in outsider


def test_a_meeting_says_why_there_is_no_registration_form(demo_district):
    from deliberation.meetings.models import Meeting

    meeting = next(m for m in Meeting.objects.filter(status="announced") if m.registration_open())
    page = _client().get(meeting.get_absolute_url()).content.decode()
    assert f'action="/meetings/{meeting.pk}/register/"' not in page
    assert "Log in to register" in _why(page)


def test_an_open_vote_says_who_may_vote(demo_district):
    from deliberation.votes.models import Vote, VoteStatus

    vote = Vote.objects.filter(status=VoteStatus.OPEN).first()
    assert "Log in to vote" in _why(_client().get(vote.get_absolute_url()).content.decode())
    outsider = _why(_client("donor1").get(vote.get_absolute_url()).content.decode())
    assert "you are not in it" in outsider


def test_a_resident_finds_the_councils_of_their_community_first(demo_district):
    from deliberation.councils.models import Council
    from portal.accounts.models import User
    from portal.accounts.roles import residence

    resident = User.objects.get(username="resident1")
    home = residence(resident)
    page = _client("resident1").get("/councils/").content.decode()
    mine = page[page.index('id="my-councils-heading"') : page.index("Every council")]
    theirs = [c for c in Council.objects.filter(is_active=True) if c.region.contains(home)]
    assert theirs
    for council in Council.objects.filter(is_active=True):
        assert (council.get_absolute_url() in mine) == (council in theirs), council
