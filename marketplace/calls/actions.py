"""What can be done to a call and to a declaration: each action once, for the pages and the API alike."""

from django.utils.translation import gettext_lazy as _

from portal.core.actions import Action, ActionTable
from portal.core.notes import NoteForm, NoteSerializer, ReasonForm, ReasonSerializer

from . import results, review, services
from .forms import AnswerForm, OverrideForm
from .models import AssignmentStatus as R
from .models import CallStatus as C
from .models import DeclarationStatus as D
from .serializers import AnswerSerializer, OverrideSerializer, ScoresSerializer


def _assigned(by, call):
    review.assign_reviews(by=by, call=call)
    return call


CALL_ACTIONS = ActionTable(
    [
        Action(
            "publish",
            perm="calls.manage_call",
            target=C.OPEN,
            form=NoteForm,
            serializer=NoteSerializer,
            run=lambda by, c, d: services.publish_call(by=by, call=c, note=d.get("note", "")),
            done=_("The call is published."),
            description="Staff of the call's area publish a draft call (its rubric's weights must add up to 100).",
        ),
        Action(
            "close",
            perm="calls.manage_call",
            target=C.REVIEW,
            form=NoteForm,
            serializer=NoteSerializer,
            run=lambda by, c, d: services.close_call(by=by, call=c, note=d.get("note", "")),
            done=_("Declarations are closed; the review can begin."),
            description="Staff close declarations and start the review (the deadline does this by itself).",
        ),
        Action(
            "assign_reviews",
            perm="calls.manage_call",
            when=lambda c: c.status == C.REVIEW,
            run=lambda by, c, d: _assigned(by, c),
            done=_("Every submitted declaration is assigned to the panel; the reviewers have been told."),
            description="Staff assign every submitted declaration to every seated reviewer (idempotent); a "
            "reviewer who belongs to the applying organisation is excluded and a reserve takes the review.",
        ),
        Action(
            "compute_awards",
            perm="calls.manage_call",
            when=lambda c: c.status == C.REVIEW,
            run=lambda by, c, d: review.compute_awards(by=by, call=c),
            done=_("The awards are computed from the ranking, the matching table and the pool."),
            description="Staff compute the awards once every review is scored (replaces earlier computed awards).",
        ),
        Action(
            "publish_results",
            perm="calls.manage_call",
            target=C.NOTICE,
            run=lambda by, c, d: results.publish_results(by=by, call=c),
            done=_("The results are published for their public notice."),
            description="Staff publish the computed awards: the public notice starts (the call's notice days); "
            "anyone signed in may object until it ends.",
        ),
        Action(
            "cancel",
            perm="calls.manage_call",
            target=C.CANCELLED,
            form=ReasonForm,
            serializer=ReasonSerializer,
            run=lambda by, c, d: services.cancel_call(by=by, call=c, reason=d["note"]),
            done=_("The call is cancelled."),
            description="Staff cancel the call, with a reason, before its results take effect.",
        ),
    ],
    workflow=services.call_workflow,
)

DECLARATION_ACTIONS = ActionTable(
    [
        Action(
            "submit",
            perm="calls.submit_declaration",
            target=D.SUBMITTED,
            run=lambda by, d, data: services.submit_declaration(by=by, declaration=d),
            done=_("Your declaration is submitted. You can withdraw it until the deadline."),
            description="A member of the NGO submits a complete draft while the call takes declarations; the "
            "organisation must be eligible. Refused past the deadline (the draft is kept).",
        ),
        Action(
            "withdraw",
            perm="calls.withdraw_declaration",
            target=D.WITHDRAWN,
            form=NoteForm,
            serializer=NoteSerializer,
            run=lambda by, d, data: services.withdraw_declaration(by=by, declaration=d, note=data.get("note", "")),
            done=_("Your declaration is withdrawn."),
            description="A member of the NGO withdraws a submitted declaration before the deadline.",
        ),
    ],
    workflow=services.declaration_workflow,
)


REVIEW_ACTIONS = ActionTable(
    [
        Action(
            "submit",
            perm="calls.score_review",
            target=R.SUBMITTED,
            serializer=ScoresSerializer,
            run=lambda by, r, d: review.submit_scores(by=by, review=r, scores=d["scores"]),
            done=_("Your scores are submitted. You can now see the other reviewers' scores."),
            description="The reviewer scores every criterion of the rubric (0-10) with a comment.",
        ),
        Action(
            "conflict",
            perm="calls.score_review",
            target=R.EXCLUDED,
            form=ReasonForm,
            serializer=ReasonSerializer,
            run=lambda by, r, d: review.declare_conflict(by=by, review=r, reason=d["note"]),
            done=_("You are excluded from this review; a reserve reviewer takes it."),
            description="The reviewer declares a conflict of interest and is excluded; a reserve takes the review.",
        ),
    ],
    workflow=review.review_workflow,
)


AWARD_ACTIONS = ActionTable(
    [
        Action(
            "override",
            perm="calls.override_award",
            form=OverrideForm,
            serializer=OverrideSerializer,
            when=lambda a: a.call.status == "review",
            run=lambda by, a, d: review.override_award(by=by, award=a, amount=d["amount"], reason=d["reason"]),
            done=_("The grant is changed; the reason is recorded."),
            description="Staff of the call's area change a computed grant while the call is in review, with a "
            "reason; the grants together never exceed the pool.",
        ),
    ],
)


def _answer(by, objection, data):
    uphold = data.get("uphold", data.get("decision") == "uphold")
    return results.answer_objection(by=by, objection=objection, uphold=bool(uphold), answer=data["answer"])


OBJECTION_ACTIONS = ActionTable(
    [
        Action(
            "answer",
            perm="calls.answer_objection",
            form=AnswerForm,
            serializer=AnswerSerializer,
            when=lambda o: o.status == "open",
            run=_answer,
            done=_("The answer is published."),
            description="Staff of the call's area answer an objection in public: dismiss it, or uphold it, which "
            "takes the call back to review.",
        ),
    ],
    workflow=results.objection_workflow,
)
