"""What can be done to a milestone and to a tranche: each action once, for the pages and the API alike."""

from django.utils.translation import gettext_lazy as _

from portal.core.actions import Action, ActionTable
from portal.core.notes import NoteForm, NoteSerializer, ReasonForm, ReasonSerializer

from . import services
from .forms import PayForm, PaySerializer, ReportOnMilestoneForm, ReportOnMilestoneSerializer
from .models import MilestoneStatus as M
from .models import TrancheStatus as T


def _has_due_tranche(milestone):
    from .models import Tranche

    return Tranche.objects.filter(milestone_id=milestone.pk, status=T.DUE).exists()


MILESTONE_ACTIONS = ActionTable(
    [
        Action(
            "report",
            perm="implementation.report_progress",
            target=M.REPORTED,
            form=ReportOnMilestoneForm,
            serializer=ReportOnMilestoneSerializer,
            run=lambda by, m, d: services.submit_report(by=by, project=m.project, milestone=m, body=d["body"]),
            done=_("The milestone is reported; staff will review it."),
            description="A member of the implementing NGO reports the milestone done (a progress report on it; "
            "photos and spending through /api/v1/progress-reports/).",
        ),
        Action(
            "approve",
            perm="implementation.decide_milestone",
            target=M.APPROVED,
            form=NoteForm,
            serializer=NoteSerializer,
            run=lambda by, m, d: services.approve_milestone(by=by, milestone=m, note=d.get("note", "")),
            done=_("The milestone is approved; its tranche is due."),
            description="Staff of the project's area approve a reported milestone; its tranche becomes due.",
        ),
        Action(
            "reject",
            perm="implementation.decide_milestone",
            target=M.REJECTED,
            form=ReasonForm,
            serializer=ReasonSerializer,
            run=lambda by, m, d: services.reject_milestone(by=by, milestone=m, reason=d["note"]),
            done=_("The milestone is sent back; the implementer has been told why."),
            description="Staff send a reported milestone back, saying what is missing.",
        ),
        Action(
            "pay",
            perm="implementation.pay_tranche",
            when=_has_due_tranche,
            form=PayForm,
            serializer=PaySerializer,
            run=lambda by, m, d: services.pay_tranche(by=by, milestone=m, reference=d.get("reference", "")).milestone,
            done=_("The tranche is paid."),
            description="Staff of the project's area record the payment of the approved milestone's tranche.",
        ),
    ],
    workflow=services.milestone_workflow,
)

TRANCHE_ACTIONS = ActionTable(
    [
        Action(
            "pay",
            perm="implementation.pay_tranche",
            target=T.PAID,
            form=PayForm,
            serializer=PaySerializer,
            run=lambda by, t, d: services.pay_tranche(by=by, milestone=t.milestone, reference=d.get("reference", "")),
            done=_("The tranche is paid."),
            description="Staff of the project's area record the payment of a due tranche.",
        ),
    ],
    workflow=services.tranche_workflow,
)
