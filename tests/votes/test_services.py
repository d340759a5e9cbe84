"""Votes through their services: the frozen electorate, one ballot each whatever the channel, the count."""

import logging
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from deliberation.meetings.models import RegistrationStatus
from deliberation.votes import services
from deliberation.votes.models import (
    Ballot,
    BallotKind,
    Channel,
    ElectorateKind,
    Participation,
    QuestionKind,
    SealedBallot,
    Threshold,
    VoteStatus,
    receipt_hash,
)
from portal.core.errors import DomainError
from portal.core.transitions import NotPermitted
from tests.factories import UserFactory
from tests.factories.meetings import option, seat

pytestmark = pytest.mark.django_db


def test_members_electorate_is_frozen_when_the_vote_opens(hall, make_vote):
    # given a vote of all serving members, opened
    vote = services.open_vote(by=hall.chair, vote=make_vote())
    assert vote.electors.count() == 5  # chair, three members, one without an account
    # when a member joins and another's term ends after the opening
    newcomer = UserFactory(username="newcomer")
    seat(hall.council, newcomer)
    leaver_seat = hall.council.members.get(user=hall.members[0])
    leaver_seat.term_end = date(2025, 6, 1)
    leaver_seat.save()
    # then the newcomer may not vote, the leaver still may
    with pytest.raises(NotPermitted):
        services.cast_ballot(by=newcomer, vote=vote, choices=[option(vote, "for").pk])
    assert services.cast_ballot(by=hall.members[0], vote=vote, choices=[option(vote, "for").pk])
    assert not newcomer.has_perm("votes.cast_ballot", vote)


def test_residents_electorate_takes_only_the_councils_area_when_opened(hall, make_vote, residents, people):
    vote = services.open_vote(by=hall.chair, vote=make_vote(electorate=ElectorateKind.RESIDENTS))
    users = set(vote.electors.values_list("user_id", flat=True))
    assert users == {people.resident.pk, *(r.pk for r in residents)}


def test_present_electorate_is_the_checked_in_registrations_when_opened(hall, make_vote, people):
    m = hall.meeting
    here = m.registrations.create(
        user=people.resident, status=RegistrationStatus.CONFIRMED, checked_in_at=timezone.now()
    )
    m.registrations.create(user=people.plain, status=RegistrationStatus.CONFIRMED)  # not at the door
    m.registrations.create(name="李大爷", status=RegistrationStatus.CONFIRMED, checked_in_at=timezone.now())
    vote = services.open_vote(by=hall.chair, vote=make_vote(electorate=ElectorateKind.PRESENT))
    assert sorted(vote.electors.values_list("name", flat=True)) == sorted([here.display_name, "李大爷"])


def test_second_ballot_is_refused_when_changes_are_not_allowed(hall, make_vote):
    vote = services.open_vote(by=hall.chair, vote=make_vote())
    services.cast_ballot(by=hall.members[0], vote=vote, choices=[option(vote, "for").pk])
    with pytest.raises(DomainError) as refused:
        services.cast_ballot(by=hall.members[0], vote=vote, choices=[option(vote, "against").pk])
    assert refused.value.code == "already_voted"
    assert Ballot.objects.filter(vote=vote).count() == 1


def test_open_ballot_is_replaced_when_changes_are_allowed(hall, make_vote):
    vote = services.open_vote(by=hall.chair, vote=make_vote(allow_change=True))
    services.cast_ballot(by=hall.members[0], vote=vote, choices=[option(vote, "for").pk])
    services.cast_ballot(by=hall.members[0], vote=vote, choices=[option(vote, "against").pk])
    assert list(vote.ballots.values_list("choices", flat=True)) == [[option(vote, "against").pk]]


def test_secret_ballot_is_changed_only_with_its_receipt_when_changes_are_allowed(hall, make_vote):
    vote = services.open_vote(by=hall.chair, vote=make_vote(allow_change=True, ballot=BallotKind.SECRET))
    receipt = services.cast_ballot(by=hall.members[0], vote=vote, choices=[option(vote, "for").pk])
    with pytest.raises(DomainError):
        services.cast_ballot(by=hall.members[0], vote=vote, choices=[option(vote, "against").pk])
    with pytest.raises(DomainError):
        services.cast_ballot(
            by=hall.members[0], vote=vote, choices=[option(vote, "against").pk], receipt="AAAA-BBBB-CCCC"
        )
    services.cast_ballot(by=hall.members[0], vote=vote, choices=[option(vote, "against").pk], receipt=receipt)
    vote = services.close_vote(by=hall.chair, vote=vote)
    ballot = vote.ballots.get()
    assert ballot.choices == [option(vote, "against").pk]
    assert ballot.receipt_hash == receipt_hash(vote.pk, receipt)


def test_secret_ballot_is_not_linked_to_its_voter_when_stored_and_published(hall, make_vote, caplog):
    vote = services.open_vote(by=hall.chair, vote=make_vote(ballot=BallotKind.SECRET))
    caplog.set_level(logging.DEBUG)
    against = option(vote, "against")
    receipt = services.cast_ballot(by=hall.members[1], vote=vote, choices=[against.pk])
    # while the vote is open the ballot is sealed: nothing readable says what it is
    assert not Ballot.objects.filter(vote=vote).exists()
    sealed = SealedBallot.objects.get(vote=vote)
    assert receipt_hash(vote.pk, receipt) not in sealed.sealed
    assert sealed.lookup is None  # no change allowed: nothing to find it by
    # nothing logged names the choice
    assert "against" not in caplog.text and str(against.pk) not in caplog.text.replace(str(vote.pk), "")
    vote = services.close_vote(by=hall.chair, vote=vote)
    ballot = Ballot.objects.get(vote=vote)
    assert ballot.elector_id is None and not SealedBallot.objects.exists()
    assert not [f.name for f in Ballot._meta.fields if f.get_internal_type() in {"DateTimeField", "DateField"}]
    assert Participation.objects.get(vote=vote).elector.user == hall.members[1]
    published = services.published_ballots(vote)
    assert published == [{"receipt_hash": receipt_hash(vote.pk, receipt), "choices": [against.label], "voter": ""}]


def test_open_ballots_are_published_with_names_when_closed(hall, make_vote):
    vote = services.open_vote(by=hall.chair, vote=make_vote())
    services.cast_ballot(by=hall.members[2], vote=vote, choices=[option(vote, "for").pk])
    vote = services.close_vote(by=hall.chair, vote=vote)
    assert services.published_ballots(vote)[0]["voter"] == hall.members[2].display_name


def test_paper_voter_cannot_vote_online_when_marked(hall, make_vote):
    vote = services.open_vote(by=hall.chair, vote=make_vote(ballot=BallotKind.SECRET))
    elector = vote.electors.get(user=hall.members[0])
    services.record_paper_voter(by=hall.chair, vote=vote, elector=elector)
    with pytest.raises(DomainError):
        services.cast_ballot(by=hall.members[0], vote=vote, choices=[option(vote, "for").pk])
    # the box is entered once the desk is closed, and holds one paper ballot, not two
    with pytest.raises(DomainError) as refused:
        services.record_paper_ballot(by=hall.chair, vote=vote, choices=[option(vote, "for").pk])
    assert refused.value.code == "desk_open"
    assert services.close_paper_desk(by=hall.chair, vote=vote) == 1
    services.record_paper_ballot(by=hall.chair, vote=vote, choices=[option(vote, "for").pk])
    with pytest.raises(DomainError) as refused:
        services.record_paper_ballot(by=hall.chair, vote=vote, choices=[option(vote, "for").pk])
    assert refused.value.code == "too_many_paper_ballots"
    vote = services.close_vote(by=hall.chair, vote=vote)
    assert vote.ballots.get().elector_id is None


def test_open_paper_ballot_names_the_member_without_an_account_when_recorded(hall, make_vote):
    vote = services.open_vote(by=hall.chair, vote=make_vote())
    elector = vote.electors.get(member=hall.offline_member)
    services.record_paper_ballot(by=hall.chair, vote=vote, choices=[option(vote, "for").pk], elector=elector)
    assert vote.participations.get().channel == Channel.PAPER
    with pytest.raises(DomainError):
        services.record_paper_ballot(by=hall.chair, vote=vote, choices=[option(vote, "for").pk], elector=elector)


def test_voting_code_is_used_once_when_cast(hall, make_vote):
    vote = services.open_vote(by=hall.chair, vote=make_vote(ballot=BallotKind.SECRET))
    elector = vote.electors.get(member=hall.offline_member)
    code = services.issue_voting_code(by=hall.chair, vote=vote, elector=elector)
    assert services.cast_with_code(vote=vote, code=code.lower(), choices=[option(vote, "against").pk])
    with pytest.raises(DomainError):
        services.cast_with_code(vote=vote, code=code, choices=[option(vote, "for").pk])
    with pytest.raises(DomainError):
        services.issue_voting_code(by=hall.chair, vote=vote, elector=elector)
    assert vote.participations.get().channel == Channel.CODE
    assert not vote.codes.filter(code_hash__icontains=code).exists()


def test_online_voter_cannot_get_a_code_when_already_voted(hall, make_vote):
    vote = services.open_vote(by=hall.chair, vote=make_vote())
    services.cast_ballot(by=hall.members[0], vote=vote, choices=[option(vote, "for").pk])
    with pytest.raises(DomainError):
        services.issue_voting_code(by=hall.chair, vote=vote, elector=vote.electors.get(user=hall.members[0]))


def test_choices_are_checked_when_cast(hall, make_vote):
    vote = services.open_vote(
        by=hall.chair,
        vote=make_vote(kind=QuestionKind.CHOICES, options=["东门", "西门", "南门"], max_choices=2),
    )
    other = services.create_vote(
        by=hall.chair, question="另一个", kind=QuestionKind.FOR_AGAINST, electorate="members", agenda_item=hall.item
    )
    for bad in (
        [option(vote, "东门").pk, option(vote, "西门").pk, option(vote, "南门").pk],
        [other.options.first().pk],
        ["x"],
    ):
        with pytest.raises(DomainError):
            services.cast_ballot(by=hall.members[0], vote=vote, choices=bad)
    assert services.cast_ballot(by=hall.members[0], vote=vote, choices=[])  # a blank ballot


def test_vote_is_refused_when_its_window_has_passed(hall, make_vote):
    vote = services.open_vote(by=hall.chair, vote=make_vote(closes_at=timezone.now() + timedelta(hours=1)))
    later = timezone.now() + timedelta(hours=2)
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=later):
        with pytest.raises(DomainError):
            services.cast_ballot(by=hall.members[0], vote=vote, choices=[option(vote, "for").pk])
        assert services.close_due_votes() == 1
    vote.refresh_from_db()
    assert vote.status == VoteStatus.CLOSED and vote.result.participants == 0


def test_result_is_counted_from_the_rows_when_closed(hall, make_vote):
    vote = services.open_vote(by=hall.chair, vote=make_vote(quorum_percent=60, threshold=Threshold.SIMPLE))
    services.cast_ballot(by=hall.members[0], vote=vote, choices=[option(vote, "for").pk])
    services.cast_ballot(by=hall.members[1], vote=vote, choices=[option(vote, "for").pk])
    services.cast_ballot(by=hall.members[2], vote=vote, choices=[option(vote, "abstain").pk])
    vote = services.close_vote(by=hall.chair, vote=vote)
    result = vote.result
    assert (result.electorate_size, result.participants, result.votes_cast, result.abstentions) == (5, 3, 2, 1)
    assert result.quorum_required == 3 and result.quorum_met and result.carried
    with pytest.raises(DomainError):
        services.cast_ballot(by=hall.chair, vote=vote, choices=[option(vote, "for").pk])


def test_only_the_chair_or_area_staff_open_a_vote_when_asked(hall, make_vote, people):
    vote = make_vote()
    for outsider in (hall.members[0], people.street_staff_b, people.resident):
        with pytest.raises(NotPermitted):
            services.open_vote(by=outsider, vote=vote)
    assert services.open_vote(by=people.community_staff, vote=vote).status == VoteStatus.OPEN
    with pytest.raises(NotPermitted):
        make_vote(by=hall.members[0])


def test_empty_electorate_is_refused_when_opening(hall, make_vote):
    with pytest.raises(DomainError) as refused:
        services.open_vote(by=hall.chair, vote=make_vote(electorate=ElectorateKind.PRESENT))
    assert refused.value.code == "empty_electorate"


def test_ballots_are_taken_only_inside_a_voting_window_when_the_vote_has_windows(hall, make_vote):
    from portal.phases.services import set_window

    vote = services.open_vote(by=hall.chair, vote=make_vote())
    now = timezone.now()
    set_window(vote, services.VOTING_PHASE, now + timedelta(hours=1), now + timedelta(hours=3))
    with pytest.raises(DomainError) as refused:
        services.cast_ballot(by=hall.members[0], vote=vote, choices=[option(vote, "for").pk])
    assert refused.value.code == "outside_window"
    set_window(vote, services.VOTING_PHASE, now - timedelta(hours=1), now + timedelta(minutes=30))
    assert services.cast_ballot(by=hall.members[0], vote=vote, choices=[option(vote, "for").pk])


def _topic_vote(hall, make_vote, **fields):
    from tests.factories.deliberation import topic

    subject = topic(hall.council, hall.members[0], status="queued")
    vote = make_vote(agenda_item=None, topic=subject, **fields)
    return subject, services.open_vote(by=hall.chair, vote=vote)


def test_an_online_vote_that_reaches_its_quorum_decides_the_topic_carried_or_not(hall, make_vote):
    # given a queued topic put to an online vote of the members (quorum: 3 of 5)
    subject, vote = _topic_vote(hall, make_vote, quorum_count=3)
    for member, role in zip(hall.members, ["against", "against", "for"], strict=True):
        services.cast_ballot(by=member, vote=vote, choices=[option(vote, role).pk])
    # when the chair closes it
    services.close_vote(by=hall.chair, vote=vote)
    # then the topic is not taken up (it does not read "decided" as if carried), its record saying the vote
    # was not carried, its page links the vote, and its proposer is told
    subject.refresh_from_db()
    assert subject.status == "rejected"
    assert "未通过" in subject.decision_reason and vote.question in subject.decision_reason
    assert hall.members[0].notifications.filter(title__contains=subject.title).exists()
    page = Client().get(subject.get_absolute_url()).content.decode()
    assert f'href="{vote.get_absolute_url()}"' in page


def test_a_carried_online_vote_decides_the_topic(hall, make_vote):
    subject, vote = _topic_vote(hall, make_vote, quorum_count=3)
    for member in hall.members:
        services.cast_ballot(by=member, vote=vote, choices=[option(vote, "for").pk])
    services.close_vote(by=hall.chair, vote=vote)
    subject.refresh_from_db()
    assert subject.status == "decided" and vote.question in subject.decision_reason


def test_an_online_vote_that_missed_its_quorum_leaves_the_topic_queued(hall, make_vote):
    subject, vote = _topic_vote(hall, make_vote, quorum_count=3)
    services.cast_ballot(by=hall.members[0], vote=vote, choices=[option(vote, "for").pk])
    services.close_vote(by=None, vote=vote)  # the beat job, at the closing time
    subject.refresh_from_db()
    assert subject.status == "queued" and subject.decision_reason == ""


def test_a_topic_still_collecting_support_cannot_be_put_to_a_vote(hall, make_vote):
    from tests.factories.deliberation import topic

    collecting = topic(hall.council, hall.members[0], status="collecting")
    vote = make_vote(agenda_item=None, topic=collecting)
    with pytest.raises(DomainError) as refused:
        services.open_vote(by=hall.chair, vote=vote)
    assert refused.value.code == "topic_collecting"
    vote.refresh_from_db()
    assert vote.status == "draft" and not vote.electors.exists()


@pytest.mark.parametrize(
    ("count", "percent", "reads", "never"),
    [
        (0, 50, "at least 50 % of the electorate", "at least 0"),
        (3, 0, "at least 3 people must take part", " 0 %"),
        (3, 50, "at least 3 people and 50 %", None),
        (0, 0, "at least one person must take part", "at least 0"),
    ],
)
def test_the_quorum_reads_right_for_every_value(hall, make_vote, count, percent, reads, never):
    vote = services.open_vote(by=hall.chair, vote=make_vote(quorum_count=count, quorum_percent=percent))
    client = Client()
    client.cookies["django_language"] = "en"
    page = client.get(vote.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reads in page
    if never:
        assert never not in page
