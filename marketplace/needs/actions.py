"""What can be done to a need: each action once, for the need page and the API alike."""

from django.utils.translation import gettext_lazy as _

from portal.core.actions import Action, ActionTable
from portal.core.notes import NoteForm, NoteSerializer, ReasonForm, ReasonSerializer

from . import services
from .forms import AddToNeedForm, AnswerForm, AssignForm, DispatchForm, MergeForm, RateForm, ReferForm
from .models import NeedStatus as S
from .serializers import (
    AddToNeedSerializer,
    AnswerSerializer,
    AssignSerializer,
    DispatchSerializer,
    MergeSerializer,
    RateSerializer,
    ReferSerializer,
)

OPEN = {S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.ANSWERED}

ACTIONS = ActionTable(
    [
        Action(
            "accept",
            perm="needs.triage_need",
            target=S.ACCEPTED,
            form=NoteForm,
            serializer=NoteSerializer,
            run=lambda by, need, d: services.accept_need(by=by, need=need, note=d.get("note", "")),
            done=_("The need is accepted."),
        ),
        Action(
            "reject",
            perm="needs.triage_need",
            target=S.REJECTED,
            form=ReasonForm,
            serializer=ReasonSerializer,
            run=lambda by, need, d: services.reject_need(by=by, need=need, reason=d["note"]),
            done=_("The need is rejected; the resident has been told why."),
        ),
        Action(
            "dispatch",
            perm="needs.triage_need",
            target=S.DISPATCHED,
            form=DispatchForm,
            serializer=DispatchSerializer,
            run=lambda by, need, d: services.dispatch_need(by=by, need=need, **d),
            done=_("The need is dispatched."),
            description="Hand the need to a verified department (accepting it if it is new).",
        ),
        Action(
            "refer",
            perm="needs.triage_need",
            target=S.REFERRED,
            form=ReferForm,
            serializer=ReferSerializer,
            run=lambda by, need, d: services.refer_need(
                by=by, need=need, note=d.get("note", ""), council=d.get("council")
            ),
            done=_("The need is referred to the residents' council: it is a topic there now."),
            description="Refer the need to a residents' council, where it becomes a topic "
            "(the council nearest to the need unless one is given).",
        ),
        Action(
            "answer",
            perm="needs.answer_need",
            target=S.ANSWERED,
            form=AnswerForm,
            serializer=AnswerSerializer,
            run=lambda by, need, d: services.answer_need(by=by, need=need, answer=d["answer"]),
            done=_("The answer is sent to the resident."),
        ),
        Action(
            "rate",
            perm="needs.rate_need",
            target=S.FOLLOWED_UP,
            form=RateForm,
            serializer=RateSerializer,
            run=lambda by, need, d: services.rate_need(by=by, need=need, **d),
            done=_("Thank you for your rating."),
        ),
        Action(
            "close",
            perm="needs.triage_need",
            target=S.CLOSED,
            form=NoteForm,
            serializer=NoteSerializer,
            run=lambda by, need, d: services.close_need(by=by, need=need, note=d.get("note", "")),
            done=_("The need is closed."),
        ),
        Action(
            "support",
            perm="needs.support_need",
            when=lambda need: need.status in (S.SUBMITTED, S.ACCEPTED, S.DISPATCHED),
            run=lambda by, need, d: services.support_need(by=by, need=need),
            done=_("You have joined this need."),
            description="A verified resident of the place joins the need (“me too”).",
        ),
        Action(
            "add",
            perm="needs.add_to_need",
            when=lambda need: need.status in OPEN,
            form=AddToNeedForm,
            serializer=AddToNeedSerializer,
            run=lambda by, need, d: services.add_to_own_need(
                by=by, need=need, title=d.get("title", ""), description=d["description"]
            ),
            done=_("Added to your need: the staff handling it will read it on its timeline."),
            description="The resident who submitted the need adds details to it (instead of filing it again).",
        ),
        Action(
            "assign",
            perm="needs.triage_need",
            when=lambda need: need.status in OPEN,
            form=AssignForm,
            serializer=AssignSerializer,
            run=lambda by, need, d: services.assign_need(by=by, need=need, assignee=d["assignee"]),
            done=_("The need is assigned."),
            description="Give the need to a grid worker or staff member who covers its region.",
        ),
        Action(
            "merge",
            perm="needs.triage_need",
            target=S.MERGED,
            form=MergeForm,
            serializer=MergeSerializer,
            run=lambda by, need, d: services.merge_needs(
                by=by,
                needs=[need, *[n for n in d.get("needs", []) if n.pk != need.pk]],
                title=d["title"],
                summary=d.get("summary", ""),
            )[1][0],
            done=_("The need is part of a new project."),
            description="Merge this need (and any others listed) into a new project.",
        ),
    ],
    workflow=services.workflow,
)
