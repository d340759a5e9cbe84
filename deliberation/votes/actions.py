"""What the chair can do to a vote: each action once, for the pages and the API alike."""

from django.utils.translation import gettext_lazy as _

from portal.core.actions import Action, ActionTable
from portal.core.notes import ReasonForm, ReasonSerializer

from . import services
from .models import VoteStatus as V

VOTE_ACTIONS = ActionTable(
    [
        Action(
            "open",
            perm="votes.manage_vote",
            target=V.OPEN,
            run=lambda by, v, d: services.open_vote(by=by, vote=v),
            done=_("Voting is open; the electorate is fixed from now on."),
            description="The chair opens the vote: the electorate is frozen into rows.",
        ),
        Action(
            "close",
            perm="votes.manage_vote",
            target=V.CLOSED,
            run=lambda by, v, d: services.close_vote(by=by, vote=v),
            done=_("Voting is closed and the result is published."),
            description="The chair closes the vote; the result is counted from the ballots and published.",
        ),
        Action(
            "cancel",
            perm="votes.manage_vote",
            target=V.CANCELLED,
            form=ReasonForm,
            serializer=ReasonSerializer,
            run=lambda by, v, d: services.cancel_vote(by=by, vote=v, reason=d["note"]),
            done=_("The vote is cancelled."),
            description="The chair cancels a vote that is not closed, with a reason.",
        ),
    ],
    workflow=services.vote_workflow,
)
