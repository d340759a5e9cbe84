"""The count: a pure function from the ballots to the result, so it can be checked by hand.

The rules are the ones stated in `deliberation.votes.models` (and on every vote page):
abstentions and blank ballots count for the quorum, not in the votes cast; a tie is not
carried.
"""

from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

from .models import QuestionKind, Threshold

FOR, AGAINST, ABSTAIN = "for", "against", "abstain"


@dataclass
class Count:
    electorate_size: int
    participants: int
    votes_cast: int
    abstentions: int
    quorum_required: int
    quorum_met: bool
    counts: dict = field(default_factory=dict)  # option id -> ballots choosing it
    carried: bool = False
    carried_options: list = field(default_factory=list)


def meets_threshold(votes, *, threshold, votes_cast, electorate_size):
    """Whether `votes` in favour reach the threshold (exact fractions, no rounding)."""
    if votes <= 0:
        return False
    if threshold == Threshold.SIMPLE:
        return Fraction(votes) > Fraction(votes_cast, 2)
    if threshold == Threshold.ABSOLUTE:
        return Fraction(votes) > Fraction(electorate_size, 2)
    if threshold == Threshold.TWO_THIRDS:
        return Fraction(votes) >= Fraction(2 * votes_cast, 3)
    raise ValueError(threshold)


def count(*, kind, options, ballots, electorate_size, quorum_required, threshold, max_choices=1):
    """Count `ballots` (each a list of option ids) for `options` (a list of (id, role)).

    For/against: the question is carried when "for" reaches the threshold and beats "against".
    Choices: an option is carried when it reaches the threshold; at most `max_choices` are,
    the most chosen first, and options tied at the last carried place are all left out.
    """
    roles = dict(options)
    tally = Counter()
    abstentions = 0
    for choices in ballots:
        chosen = [c for c in choices if c in roles]
        if not chosen or any(roles[c] == ABSTAIN for c in chosen):
            abstentions += 1
        tally.update(chosen)
    participants = len(ballots)
    votes_cast = participants - abstentions
    result = Count(
        electorate_size=electorate_size,
        participants=participants,
        votes_cast=votes_cast,
        abstentions=abstentions,
        quorum_required=quorum_required,
        quorum_met=participants >= quorum_required and participants > 0,
        counts={str(option_id): tally.get(option_id, 0) for option_id, _role in options},
    )
    if not result.quorum_met:
        return result
    reach = {"threshold": threshold, "votes_cast": votes_cast, "electorate_size": electorate_size}
    if kind == QuestionKind.FOR_AGAINST:
        by_role = {role: tally.get(option_id, 0) for option_id, role in options}
        yes, no = by_role.get(FOR, 0), by_role.get(AGAINST, 0)
        result.carried = yes > no and meets_threshold(yes, **reach)
        if result.carried:
            result.carried_options = [next(i for i, r in options if r == FOR)]
        return result
    passing = sorted(
        (option_id for option_id, _role in options if meets_threshold(tally.get(option_id, 0), **reach)),
        key=lambda option_id: -tally.get(option_id, 0),
    )
    if len(passing) > max_choices:
        cut = tally[passing[max_choices - 1]]
        if tally[passing[max_choices]] == cut:  # a tie at the last place: none of the tied is carried
            passing = [o for o in passing if tally[o] > cut]
        else:
            passing = passing[:max_choices]
    result.carried_options = passing
    result.carried = bool(passing)
    return result
