"""The count, worked by hand: quorum, thresholds, abstentions and ties (no database)."""

from deliberation.votes.counting import count, meets_threshold
from deliberation.votes.models import QuestionKind, Threshold

YES, NO, ABST = 1, 2, 3
FOR_AGAINST = [(YES, "for"), (NO, "against"), (ABST, "abstain")]


def ballots(yes=0, no=0, abstain=0):
    return [[YES]] * yes + [[NO]] * no + [[ABST]] * abstain


def for_against(b, *, electorate, quorum=0, threshold=Threshold.SIMPLE):
    return count(
        kind=QuestionKind.FOR_AGAINST,
        options=FOR_AGAINST,
        ballots=b,
        electorate_size=electorate,
        quorum_required=quorum,
        threshold=threshold,
    )


def test_simple_majority_is_carried_when_for_beats_against():
    # given 9 electors, 5 for, 3 against, 1 abstains; when counted
    result = for_against(ballots(5, 3, 1), electorate=9)
    # then 8 votes cast (the abstention is not one), 9 participants, carried
    assert (result.participants, result.votes_cast, result.abstentions) == (9, 8, 1)
    assert result.counts == {"1": 5, "2": 3, "3": 1}
    assert result.carried and result.carried_options == [YES]


def test_tie_is_not_carried_when_for_equals_against():
    result = for_against(ballots(4, 4, 3), electorate=11)
    assert result.quorum_met and not result.carried and result.carried_options == []


def test_abstentions_do_not_count_against_a_simple_majority_when_many_abstain():
    # 3 for, 2 against, 10 abstain: 3 of 5 votes cast is a majority, although 3 of 15 participants is not.
    assert for_against(ballots(3, 2, 10), electorate=20).carried


def test_abstentions_count_for_the_quorum_when_few_vote_for_or_against():
    # given quorum 6 of 10: 2 for + 4 abstentions reach it
    result = for_against(ballots(2, 0, 4), electorate=10, quorum=6)
    assert result.quorum_met and result.carried


def test_quorum_just_missed_when_one_participant_short():
    result = for_against(ballots(5, 0, 0), electorate=10, quorum=6)
    assert not result.quorum_met and not result.carried


def test_quorum_just_met_when_participants_equal_the_quorum():
    result = for_against(ballots(5, 0, 1), electorate=10, quorum=6)
    assert result.quorum_met and result.carried


def test_quorum_from_a_percentage_rounds_up():
    from deliberation.votes.models import Vote

    vote = Vote(quorum_percent=50, quorum_count=0)
    assert vote.quorum_required(9) == 5  # 4.5 → 5
    assert vote.quorum_required(10) == 5
    assert Vote(quorum_percent=50, quorum_count=7).quorum_required(10) == 7  # the larger of the two


def test_absolute_majority_counts_against_the_electorate_when_many_stay_away():
    # 6 for, 0 against out of an electorate of 12: not more than half of 12
    assert not for_against(ballots(6), electorate=12, threshold=Threshold.ABSOLUTE).carried
    assert for_against(ballots(7), electorate=12, threshold=Threshold.ABSOLUTE).carried
    # odd electorate: 6 of 11 is more than half
    assert for_against(ballots(6, 5), electorate=11, threshold=Threshold.ABSOLUTE).carried


def test_two_thirds_boundary_when_exactly_two_thirds():
    # 10 for, 5 against: exactly two thirds of 15 votes cast → carried
    assert for_against(ballots(10, 5), electorate=30, threshold=Threshold.TWO_THIRDS).carried
    # 9 for, 5 against: 9/14 < 2/3 → not carried
    assert not for_against(ballots(9, 5), electorate=30, threshold=Threshold.TWO_THIRDS).carried
    # abstentions are outside the votes cast: 10 for, 5 against, 10 abstain → still carried
    assert for_against(ballots(10, 5, 10), electorate=30, threshold=Threshold.TWO_THIRDS).carried


def test_nobody_voting_is_not_a_quorum_even_with_no_quorum_set():
    result = for_against([], electorate=5)
    assert not result.quorum_met and not result.carried


def test_meets_threshold_uses_exact_fractions():
    assert not meets_threshold(1, threshold=Threshold.SIMPLE, votes_cast=2, electorate_size=2)
    assert meets_threshold(2, threshold=Threshold.TWO_THIRDS, votes_cast=3, electorate_size=3)
    assert not meets_threshold(0, threshold=Threshold.TWO_THIRDS, votes_cast=0, electorate_size=3)


A, B, C, D = 11, 12, 13, 14
CHOICES = [(A, ""), (B, ""), (C, ""), (D, "")]


def choose(b, *, electorate=10, max_choices=1, threshold=Threshold.SIMPLE):
    return count(
        kind=QuestionKind.CHOICES,
        options=CHOICES,
        ballots=b,
        electorate_size=electorate,
        quorum_required=0,
        threshold=threshold,
        max_choices=max_choices,
    )


def test_choices_carry_options_chosen_by_more_than_half_when_two_may_be_chosen():
    # 5 ballots: A on 4, B on 3, C on 2, one blank
    b = [[A, B], [A, B], [A, C], [A, B], []]
    result = choose(b, max_choices=2)
    assert (result.participants, result.votes_cast, result.abstentions) == (5, 4, 1)
    assert result.carried_options == [A, B]  # 4/4 and 3/4 of votes cast; C has 1 (2/4 is not more than half)


def test_choices_tie_at_the_last_place_carries_neither_when_over_the_limit():
    # three options each on 3 of 4 ballots, three may be carried: all three are
    b = [[A, B, C], [A, B], [A, C], [B, C]]
    result = choose(b, max_choices=3)
    assert set(result.carried_options) == {A, B, C}
    result = choose([[A, B], [A, C], [A, B], [A, C]], max_choices=2)
    assert result.carried_options == [A]  # B and C tie (2 each) and neither reaches more than half anyway
    result = choose([[A, B], [A, C], [B, C], [A, B], [A, C], [B, C]], max_choices=1)
    assert result.carried_options == []  # A, B, C 4 each of 6: tied for the one place → none carried
