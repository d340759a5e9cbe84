"""The meetings demo: every status, minutes with an overdue follow-up, an oversubscribed hearing, both votes."""

import pytest
from django.utils import timezone

from deliberation.meetings import demo
from deliberation.meetings.models import FollowUpStatus, Meeting, MeetingStatus
from deliberation.votes.models import Ballot, Vote, VoteStatus
from deliberation.votes.services import published_ballots
from portal.accounts import demo as accounts_demo
from portal.core import demo as core_demo
from portal.organisations import demo as organisations_demo
from portal.regions import demo as regions_demo

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_meetings_cover_every_status_when_loaded():
    ctx = {}
    for step in (core_demo, regions_demo, organisations_demo, accounts_demo):
        step.load(ctx)
    demo.load(ctx)

    assert set(Meeting.objects.values_list("status", flat=True)) == set(MeetingStatus.values)
    titles = list(Meeting.objects.values_list("title", flat=True))
    assert len(titles) == len(set(titles))
    overdue = [a for m in Meeting.objects.all() for a in m.follow_ups.all() if a.is_overdue(timezone.localdate())]
    assert len(overdue) == 1 and overdue[0].status == FollowUpStatus.OPEN
    hearing = Meeting.objects.get(kind="hearing", status=MeetingStatus.ANNOUNCED)
    assert hearing.registrations.count() > hearing.capacity and hearing.registration_open()
    statuses = set(Vote.objects.values_list("status", flat=True))
    assert {VoteStatus.OPEN, VoteStatus.CLOSED, VoteStatus.CANCELLED} <= statuses
    secret = Vote.objects.get(status=VoteStatus.CLOSED, ballot="secret")
    assert secret.result.carried and not Ballot.objects.filter(vote=secret, elector__isnull=False).exists()
    assert len(published_ballots(secret)) == secret.result.participants == 7
    assert len(ctx["meeting_receipts"]) == 6
    assert demo.load(ctx).endswith("(kept)")
