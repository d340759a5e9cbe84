"""What can be done to a claim and to a bid: each action once, for the pages and the API alike."""

from django.utils.translation import gettext_lazy as _

from portal.core.actions import Action, ActionTable
from portal.core.notes import NoteForm, NoteSerializer, ReasonForm, ReasonSerializer

from . import services
from .models import AdoptionStatus as A
from .models import BidStatus as B

ADOPTION_ACTIONS = ActionTable(
    [
        Action(
            "approve",
            perm="adoptions.decide_adoption",
            target=A.APPROVED,
            form=NoteForm,
            serializer=NoteSerializer,
            run=lambda by, a, d: services.approve_adoption(by=by, adoption=a, note=d.get("note", "")),
            done=_("The claim is approved; the claimant has been told."),
            description="Staff of the project's region approve a pending claim.",
        ),
        Action(
            "decline",
            perm="adoptions.decide_adoption",
            target=A.DECLINED,
            form=ReasonForm,
            serializer=ReasonSerializer,
            run=lambda by, a, d: services.decline_adoption(by=by, adoption=a, reason=d["note"]),
            done=_("The claim is declined; the claimant has been told why."),
            description="Staff of the project's region decline a pending claim, with a reason.",
        ),
        Action(
            "withdraw",
            perm="adoptions.withdraw_adoption",
            target=A.WITHDRAWN,
            run=lambda by, a, d: services.withdraw_adoption(by=by, adoption=a),
            done=_("Your claim is withdrawn."),
            description="The claimant takes back a pending claim.",
        ),
    ],
    workflow=services.adoption_workflow,
)

BID_ACTIONS = ActionTable(
    [
        Action(
            "select",
            perm="adoptions.select_bid",
            target=B.SELECTED,
            form=ReasonForm,
            serializer=ReasonSerializer,
            run=lambda by, b, d: services.select_bid(by=by, bid=b, reason=d["note"]),
            done=_("The bid is selected; every bidder has been told the reason."),
            description="Staff of the project's region select this bid, with a reason: its NGO runs the project "
            "and the other bids are not selected.",
        ),
        Action(
            "withdraw",
            perm="adoptions.withdraw_bid",
            target=B.WITHDRAWN,
            run=lambda by, b, d: services.withdraw_bid(by=by, bid=b),
            done=_("Your bid is withdrawn."),
            description="The NGO takes back its bid before the selection.",
        ),
    ],
    workflow=services.bid_workflow,
)
