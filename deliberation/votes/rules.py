"""Who may see, run and take part in a vote. Keep `view_vote` in step with `VoteQuerySet.visible_to`."""

import rules

from deliberation.councils.roles import council_of, is_chair, is_council_staff


@rules.predicate
def chairs_it(user, record):
    return record is not None and is_chair(user, council_of(record))


@rules.predicate
def is_staff_of_its_council(user, record):
    return record is not None and is_council_staff(user, council_of(record))


@rules.predicate
def is_past_draft(user, vote):
    from .models import VoteStatus

    return vote is not None and vote.status != VoteStatus.DRAFT


@rules.predicate
def is_open_vote(user, vote):
    from .models import VoteStatus

    return vote is not None and vote.status == VoteStatus.OPEN


@rules.predicate
def is_elector(user, vote):
    """In the vote's frozen electorate (the rows written when it opened)."""
    if vote is None or not getattr(user, "is_authenticated", False):
        return False
    return vote.electors.filter(user=user).exists()


rules.add_perm("votes.view_vote", is_past_draft | is_staff_of_its_council | chairs_it | rules.is_superuser)
# On a council (to create), or on a vote (to open, close, cancel).
rules.add_perm("votes.manage_vote", chairs_it | rules.is_superuser)
rules.add_perm("votes.cast_ballot", is_open_vote & is_elector)
# In the room: paper ballots and one-time codes.
rules.add_perm("votes.record_paper_ballot", is_open_vote & (chairs_it | rules.is_superuser))
rules.add_perm("votes.issue_voting_code", is_open_vote & (chairs_it | rules.is_superuser))
