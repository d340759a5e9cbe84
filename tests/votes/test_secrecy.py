"""Secret ballots (issue 19): the sealed box while a vote is open, the paper desk's batch, audit entries for
codes and paper voters, wrong codes limited. The full attack on a closed vote is tests/e2e/test_ballot_secrecy.py."""

from collections import Counter

import pytest

from deliberation.votes import limits, services
from deliberation.votes.models import (
    Ballot,
    BallotKind,
    Channel,
    QuestionKind,
    SealedBallot,
    VoteStatus,
    receipt_hash,
)
from portal.audit.models import AuditEntry
from portal.core.errors import DomainError
from portal.core.transitions import NotPermitted
from tests.factories import UserFactory
from tests.factories.meetings import option, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(hall, make_vote):
    return services.open_vote(by=hall.chair, vote=make_vote(ballot=BallotKind.SECRET, allow_change=True))


def test_secret_ballots_are_sealed_while_open_and_written_out_at_the_close(hall, secret):
    vote = secret
    chosen = ["for", "against", "for", "abstain"]
    voters = [hall.chair, *hall.members]
    receipts = [
        services.cast_ballot(by=u, vote=vote, choices=[option(vote, c).pk]) for u, c in zip(voters, chosen, strict=True)
    ]
    # while open: no ballot rows; sealed rows of one size, found only by a keyed value, never the receipt hash
    assert not Ballot.objects.filter(vote=vote).exists()
    sealed = list(SealedBallot.objects.filter(vote=vote))
    assert len(sealed) == 4 and len({len(s.sealed) for s in sealed}) == 1
    hashes = {receipt_hash(vote.pk, r) for r in receipts}
    assert not {s.lookup for s in sealed} & hashes
    assert not [s for s in sealed if any(h in s.sealed or h[:16] in s.lookup for h in hashes)]
    # a change by receipt stays in the box
    services.cast_ballot(by=hall.members[2], vote=vote, choices=[option(vote, "against").pk], receipt=receipts[3])
    assert SealedBallot.objects.filter(vote=vote).count() == 4
    # the close opens the box: the same count and published receipts as before, and the box is gone
    vote = services.close_vote(by=hall.chair, vote=vote)
    assert not SealedBallot.objects.exists()
    counts = {str(option(vote, r).pk): n for r, n in {"for": 2, "against": 2, "abstain": 0}.items()}
    assert vote.result.counts == counts and vote.result.participants == 4
    assert {b["receipt_hash"] for b in services.published_ballots(vote)} == hashes
    assert not Ballot.objects.filter(vote=vote, elector__isnull=False).exists()


def test_open_ballots_are_not_sealed_when_cast(hall, make_vote):
    vote = services.open_vote(by=hall.chair, vote=make_vote())
    services.cast_ballot(by=hall.members[0], vote=vote, choices=[option(vote, "for").pk])
    assert not SealedBallot.objects.exists()
    assert Ballot.objects.get(vote=vote).elector.user == hall.members[0]


def test_sealed_box_opens_with_a_fallback_key_when_the_key_is_rotated_during_the_vote(hall, secret, settings):
    settings.BALLOT_SEAL_KEY = "first key"
    receipt = services.cast_ballot(by=hall.members[0], vote=secret, choices=[option(secret, "for").pk])
    settings.BALLOT_SEAL_KEY, settings.BALLOT_SEAL_KEY_FALLBACKS = "second key", ["first key"]
    # the change finds the ballot by the old key's lookup too
    services.cast_ballot(by=hall.members[0], vote=secret, choices=[option(secret, "against").pk], receipt=receipt)
    vote = services.close_vote(by=hall.chair, vote=secret)
    assert vote.ballots.get().choices == [option(vote, "against").pk]


def test_sealed_box_refuses_to_open_without_its_key(hall, secret, settings):
    settings.BALLOT_SEAL_KEY = "first key"
    services.cast_ballot(by=hall.members[0], vote=secret, choices=[option(secret, "for").pk])
    settings.BALLOT_SEAL_KEY = "another key"
    with pytest.raises(RuntimeError):
        services.close_vote(by=hall.chair, vote=secret)
    secret.refresh_from_db()
    assert secret.status == VoteStatus.OPEN and SealedBallot.objects.count() == 1


def test_a_cancelled_secret_vote_destroys_its_box(hall, secret):
    services.cast_ballot(by=hall.members[0], vote=secret, choices=[option(secret, "for").pk])
    services.cancel_vote(by=hall.chair, vote=secret, reason="会议改期")
    assert not SealedBallot.objects.exists() and not Ballot.objects.exists()


def _paper_vote(hall, make_vote, **fields):
    vote = services.open_vote(by=hall.chair, vote=make_vote(ballot=BallotKind.SECRET, **fields))
    for user in hall.members:
        services.record_paper_voter(by=hall.chair, vote=vote, elector=vote.electors.get(user=user))
    return vote


def test_paper_box_is_entered_as_a_batch_only_once_the_desk_is_closed(hall, make_vote):
    vote = _paper_vote(hall, make_vote)
    yes, no = option(vote, "for").pk, option(vote, "against").pk
    with pytest.raises(DomainError) as refused:
        services.enter_paper_ballots(by=hall.chair, vote=vote, batch=[([yes], 2), ([no], 1)])
    assert refused.value.code == "desk_open"
    assert services.close_paper_desk(by=hall.chair, vote=vote) == 3
    # the desk is closed: nobody else is marked, and it cannot be closed twice
    with pytest.raises(DomainError) as refused:
        services.record_paper_voter(by=hall.chair, vote=vote, elector=vote.electors.get(member=hall.offline_member))
    assert refused.value.code == "desk_closed"
    with pytest.raises(DomainError):
        services.close_paper_desk(by=hall.chair, vote=vote)
    # never more ballots than paper voters; choices are checked; nothing half-entered
    for bad, code in (([([yes], 3), ([no], 1)], "too_many_paper_ballots"), ([([yes, no], 1)], "choices")):
        with pytest.raises(DomainError) as refused:
            services.enter_paper_ballots(by=hall.chair, vote=vote, batch=bad)
        assert refused.value.code == code
    assert not SealedBallot.objects.exists()
    assert services.enter_paper_ballots(by=hall.chair, vote=vote, batch=[([yes], 2), ([no], 1)]) == 3
    assert services.paper_ballots_left(vote) == 0
    vote = services.close_vote(by=hall.chair, vote=vote)
    assert Counter(tuple(b.choices) for b in vote.ballots.all()) == {(yes,): 2, (no,): 1}
    assert vote.result.participants == 3


def test_only_the_chair_or_area_staff_run_the_paper_desk(hall, make_vote, people):
    vote = _paper_vote(hall, make_vote)
    for outsider in (hall.members[0], people.street_staff_b):
        with pytest.raises(NotPermitted):
            services.close_paper_desk(by=outsider, vote=vote)
    services.close_paper_desk(by=people.community_staff, vote=vote)
    with pytest.raises(NotPermitted):
        services.enter_paper_ballots(by=hall.members[0], vote=vote, batch=[([option(vote, "for").pk], 1)])


def test_marking_a_paper_voter_and_issuing_a_code_are_audited_without_any_choice(hall, make_vote):
    vote = services.open_vote(by=hall.chair, vote=make_vote(ballot=BallotKind.SECRET))
    marked = vote.electors.get(user=hall.members[0])
    coded = vote.electors.get(member=hall.offline_member)
    services.record_paper_voter(by=hall.chair, vote=vote, elector=marked)
    code = services.issue_voting_code(by=hall.chair, vote=vote, elector=coded)
    before = AuditEntry.objects.count()
    services.cast_with_code(vote=vote, code=code, choices=[option(vote, "against").pk])
    services.cast_ballot(by=hall.members[1], vote=vote, choices=[option(vote, "for").pk])
    assert AuditEntry.objects.count() == before  # nothing written when a ballot is cast
    entries = {e.action: e for e in AuditEntry.objects.filter(action__startswith="vote.")}
    for action, elector in (("vote.paper_voter_marked", marked), ("vote.voting_code_issued", coded)):
        entry = entries[action]
        assert entry.actor == hall.chair and entry.target_id == str(elector.pk) and entry.target_repr == elector.name
        assert entry.after == {"vote": vote.pk, "elector": elector.name}
    services.close_paper_desk(by=hall.chair, vote=vote)
    services.enter_paper_ballots(by=hall.chair, vote=vote, batch=[([option(vote, "for").pk], 1)])
    for entry in AuditEntry.objects.filter(action__startswith="vote.").exclude(action__startswith="vote.status"):
        # who, for whom, how many: never what was chosen
        assert set(entry.after) <= {"vote", "elector", "paper_voters", "ballots"} and not entry.before, entry.after


def test_paper_desk_pages_close_the_desk_and_enter_the_batch(hall, make_vote, client_for):
    vote = _paper_vote(hall, make_vote)
    desk = _in_english(client_for(hall.chair))
    desk.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = desk.get(f"/votes/{vote.pk}/desk/").content.decode()
    assert "Close the paper desk" in page and 'name="batch-' not in page
    assert desk.post(f"/votes/{vote.pk}/desk/close/").status_code == 302
    page = desk.get(f"/votes/{vote.pk}/desk/").content.decode()
    assert "3 paper ballots are left to enter" in page and 'name="voter-elector"' not in page
    fields = {f"batch-option_{option(vote, r).pk}": n for r, n in {"for": 3, "against": 1, "abstain": 0}.items()}
    too_many = desk.post(f"/votes/{vote.pk}/desk/batch/", fields)
    assert too_many.status_code == 400 and "only 3 paper voters are left" in too_many.content.decode()
    fields[f"batch-option_{option(vote, 'against').pk}"] = 0
    assert desk.post(f"/votes/{vote.pk}/desk/batch/", fields).status_code == 302
    assert services.paper_ballots_left(vote) == 0
    # a member who is not the chair cannot
    assert client_for(hall.members[0]).post(f"/votes/{vote.pk}/desk/close/").status_code == 403


def test_multiple_choice_batch_is_entered_by_sets_of_options(hall, make_vote, client_for):
    vote = _paper_vote(hall, make_vote, kind=QuestionKind.CHOICES, options=["东门", "西门", "南门"], max_choices=2)
    desk = _in_english(client_for(hall.chair))
    desk.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    desk.post(f"/votes/{vote.pk}/desk/close/")
    bad = desk.post(f"/votes/{vote.pk}/desk/batch/", {"batch-sets": "2: 东门, 北门"})
    assert bad.status_code == 400 and "is not one of the options" in bad.content.decode()
    assert desk.post(f"/votes/{vote.pk}/desk/batch/", {"batch-sets": "2：东门、西门\n1:"}).status_code == 302
    vote = services.close_vote(by=hall.chair, vote=vote)
    east, west = option(vote, "东门").pk, option(vote, "西门").pk
    assert Counter(tuple(b.choices) for b in vote.ballots.all()) == {tuple(sorted([east, west])): 2, (): 1}


def test_paper_desk_api_marks_closes_and_enters_a_batch(hall, make_vote, api_for):
    vote = services.open_vote(by=hall.chair, vote=make_vote(ballot=BallotKind.SECRET))
    api = api_for(hall.chair)
    member = vote.electors.get(user=hall.members[0])
    answer = api.post(f"/api/v1/votes/{vote.pk}/paper-voters/", {"elector": member.pk}, format="json")
    assert answer.status_code == 201 and answer.json() == {"elector": member.pk, "paper_ballots_left": 1}
    assert vote.participations.get().channel == Channel.PAPER
    batch = {"ballots": [{"choices": [option(vote, "for").pk], "count": 1}]}
    early = api.post(f"/api/v1/votes/{vote.pk}/paper-ballots/", batch, format="json")
    assert early.status_code == 400 and early.json()["code"] == "desk_open"
    assert api_for(hall.members[1]).post(f"/api/v1/votes/{vote.pk}/paper-desk/close/").status_code == 403
    closed = api.post(f"/api/v1/votes/{vote.pk}/paper-desk/close/")
    assert closed.status_code == 200 and closed.json() == {"paper_voters": 1, "paper_ballots_left": 1}
    entered = api.post(f"/api/v1/votes/{vote.pk}/paper-ballots/", batch, format="json")
    assert entered.status_code == 201 and entered.json() == {"entered": 1, "paper_ballots_left": 0}
    offline = vote.electors.get(member=hall.offline_member)
    issued = api.post(f"/api/v1/votes/{vote.pk}/voting-codes/", {"elector": offline.pk}, format="json")
    assert issued.status_code == 201 and issued.json()["elector"] == offline.pk
    cast = api_for(None).post(
        "/api/v1/ballots/code/",
        {"vote": vote.pk, "voting_code": issued.json()["code"], "choices": [option(vote, "against").pk]},
        format="json",
    )
    assert cast.status_code == 201 and cast.json()["receipt_hash"] == receipt_hash(vote.pk, cast.json()["receipt"])
    schema = api.get("/api/schema/").content.decode()
    for path in ("paper-voters/", "paper-desk/close/", "paper-ballots/", "voting-codes/", "/api/v1/ballots/code/"):
        assert path in schema


def _code_vote(hall, make_vote):
    vote = services.open_vote(by=hall.chair, vote=make_vote(ballot=BallotKind.SECRET))
    code = services.issue_voting_code(by=hall.chair, vote=vote, elector=vote.electors.get(member=hall.offline_member))
    return vote, code


def test_wrong_voting_codes_are_limited_per_address_when_guessed(hall, make_vote, client_for):
    vote, code = _code_vote(hall, make_vote)
    guesser = _in_english(client_for(None))
    guesser.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = f"/votes/{vote.pk}/code/"
    choice = option(vote, "for").pk
    for i in range(limits.WRONG_CODES_ALLOWED):
        # a forged X-Forwarded-For does not make a new address (no trusted proxy)
        wrong = guesser.post(url, {"code": f"AAAA-BBBB-{i:04d}", "choices": choice}, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
        assert wrong.status_code == 400
    refused = guesser.post(url, {"code": code, "choices": choice}, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert refused.status_code == 429 and "Too many wrong voting codes" in refused.content.decode()
    assert not vote.participations.exists()
    # the API counts the same attempts
    api = guesser.post("/api/v1/ballots/code/", {"vote": vote.pk, "voting_code": code, "choices": [choice]})
    assert api.status_code == 429 and api.json()["code"] == "too_many_wrong_codes"
    # another address is not held back, and the right code works there
    elsewhere = client_for(None).post(url, {"code": code, "choices": choice}, REMOTE_ADDR="192.0.2.7")
    assert elsewhere.status_code == 200 and vote.participations.get().channel == Channel.CODE


def test_wrong_code_limit_is_per_vote(hall, make_vote, client_for):
    vote, _code = _code_vote(hall, make_vote)
    other = services.open_vote(by=hall.chair, vote=make_vote(question="另一个表决", ballot=BallotKind.SECRET))
    other_code = services.issue_voting_code(
        by=hall.chair, vote=other, elector=other.electors.get(member=hall.offline_member)
    )
    guesser = _in_english(client_for(None))
    for i in range(limits.WRONG_CODES_ALLOWED):
        guesser.post(f"/votes/{vote.pk}/code/", {"code": f"AAAA-BBBB-{i:04d}", "choices": option(vote, "for").pk})
    answer = guesser.post(f"/votes/{other.pk}/code/", {"code": other_code, "choices": option(other, "for").pk})
    assert answer.status_code == 200


def test_newcomer_without_a_seat_cannot_use_the_desk_api(hall, make_vote, api_for):
    vote = services.open_vote(by=hall.chair, vote=make_vote(ballot=BallotKind.SECRET))
    outsider = UserFactory(username="outsider")
    seat(hall.council, outsider)  # a member, not the chair
    answer = api_for(outsider).post(
        f"/api/v1/votes/{vote.pk}/voting-codes/", {"elector": vote.electors.first().pk}, format="json"
    )
    assert answer.status_code == 403


def _in_english(client):
    """The pages' messages are read in English here (the zh-hans ones are translations of them)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
