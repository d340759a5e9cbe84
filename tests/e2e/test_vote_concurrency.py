"""Five hundred voters at once, each in its own thread and connection, plus duplicate submissions (PostgreSQL).

Committing test (each thread must see the others' commits), so it lives with the other committing tests.
Connections are limited (the server allows 100, shared): at most `CONNECTIONS` threads talk to the
database at a time, the others wait their turn, as requests wait for a worker.
"""

from collections import Counter
from datetime import date

import pytest
from django.db import connection

from deliberation.councils.models import CouncilMember, MemberRole
from deliberation.votes import services
from deliberation.votes.models import Ballot, BallotKind, ElectorateKind, Participation, QuestionKind, VoteStatus
from portal.accounts.models import Role, User
from tests.e2e.concurrency import at_once
from tests.factories import build_tree, grant
from tests.factories.accounts import UserFactory
from tests.factories.meetings import agenda_item, council, meeting

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and many connections"),
]

VOTERS = 500
DUPLICATES = 100
CONNECTIONS = 30


def _voting_hall(voters):
    tree = build_tree()
    chair = grant(UserFactory(username="concurrentchair"), Role.COMMUNITY_STAFF, tree.community_a1)
    hall = council(tree.community_a1)
    users = User.objects.bulk_create(User(username=f"voter{i}", display_name=f"选民{i}") for i in range(voters))
    CouncilMember.objects.bulk_create(
        CouncilMember(
            council=hall,
            user=u,
            name=u.display_name,
            role=MemberRole.RESIDENT_REPRESENTATIVE,
            term_start=date(2025, 1, 1),
        )
        for u in users
    )
    item = agenda_item(meeting(hall))
    return chair, users, item


@pytest.mark.parametrize("ballot", [BallotKind.SECRET, BallotKind.OPEN])
def test_five_hundred_concurrent_voters_and_duplicates_leave_an_exact_tally(ballot):
    chair, users, item = _voting_hall(VOTERS)
    vote = services.create_vote(
        by=chair,
        question="是否同意将小区东侧空地改建为口袋公园？",
        kind=QuestionKind.FOR_AGAINST,
        electorate=ElectorateKind.MEMBERS,
        agenda_item=item,
        ballot=ballot,
    )
    vote = services.open_vote(by=chair, vote=vote)
    options = {o.role: o.pk for o in vote.options.all()}
    intended = {u.pk: ["for", "against", "abstain"][i % 3] for i, u in enumerate(users)}
    # the first DUPLICATES voters submit twice, the second time with another choice
    jobs = [lambda u=u: services.cast_ballot(by=u, vote=vote, choices=[options[intended[u.pk]]]) for u in users]
    jobs += [
        lambda u=u: services.cast_ballot(
            by=u, vote=vote, choices=[options["against" if intended[u.pk] == "for" else "for"]]
        )
        for u in users[:DUPLICATES]
    ]

    errors, refused = at_once(jobs, at_most=CONNECTIONS)

    assert not errors, errors[:5]
    assert Counter(refused) == {"already_voted": DUPLICATES}
    vote = services.close_vote(by=chair, vote=vote)
    result = vote.result
    assert (result.electorate_size, result.participants) == (VOTERS, VOTERS)
    assert Participation.objects.filter(vote=vote).count() == Ballot.objects.filter(vote=vote).count() == VOTERS
    # Which of a duplicate pair won the race is not known, so count the ballots as the database holds them.
    held = Counter()
    for choices in Ballot.objects.filter(vote=vote).values_list("choices", flat=True):
        held[choices[0]] += 1
    assert result.counts == {str(pk): held[pk] for pk in options.values()}
    assert sum(result.counts.values()) == VOTERS
    assert result.abstentions == held[options["abstain"]]
    if ballot == BallotKind.SECRET:
        assert not Ballot.objects.filter(vote=vote, elector__isnull=False).exists()


def test_close_racing_the_voters_counts_exactly_the_ballots_it_let_in():
    chair, users, item = _voting_hall(200)
    vote = services.open_vote(
        by=chair,
        vote=services.create_vote(
            by=chair,
            question="是否延长活动室开放时间？",
            kind=QuestionKind.FOR_AGAINST,
            electorate="members",
            agenda_item=item,
        ),
    )
    yes = vote.options.get(role="for").pk
    jobs = [lambda u=u: services.cast_ballot(by=u, vote=vote, choices=[yes]) for u in users]
    jobs.insert(100, lambda: services.close_vote(by=chair, vote=vote))

    errors, refused = at_once(jobs, at_most=CONNECTIONS)

    assert not errors, errors[:5]
    vote.refresh_from_db()
    assert vote.status == VoteStatus.CLOSED
    counted = Ballot.objects.filter(vote=vote).count()
    # every ballot either made it before the count or was refused as too late; none slipped in after
    assert vote.result.participants == counted == Participation.objects.filter(vote=vote).count()
    assert counted + refused.count("not_open") == len(users)
