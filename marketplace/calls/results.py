"""A call's results: their public notice (公示), objections answered in public, and taking effect.

Staff publish the computed awards: the call moves to its notice, which lasts the call's `notice_days`.
Anyone signed in may object, with reasons, until it ends; staff answer each objection publicly,
dismissing it or upholding it (which takes the call back to review, to correct and publish again).
When the notice has ended and every objection is answered with none upheld, a beat job gives the
results effect: each award with money becomes a project in implementation run by the declaring NGO,
its grant moved in the ledger out of the call's fund to the project (kind "grant": the fund's balance
goes down, the project's money raised up; the database refuses a balance below zero), and the call's
`granted` total (a cached figure) grows with it, which the database holds at or below the pool
(`call_grants_within_pool`). A call published before funds existed is funded first.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.projects import services as projects
from marketplace.projects.models import ProjectStatus
from portal.core.errors import DomainError
from portal.core.models import Category
from portal.core.transitions import NotPermitted, Workflow

from .models import Award, CallStatus, FundingCall, Objection, ObjectionStatus
from .services import call_workflow, fund_call, grant_from_pool

C, OS = CallStatus, ObjectionStatus
OBJECTIONS_PER_PERSON = 3  # to one call's results
OBJECTION_TRANSITIONS = {OS.OPEN: {OS.UPHELD, OS.DISMISSED}, OS.UPHELD: set(), OS.DISMISSED: set()}
objection_workflow = Workflow(
    model=Objection, transitions=OBJECTION_TRANSITIONS, stamps={OS.UPHELD: "answered_at", OS.DISMISSED: "answered_at"}
)


@transaction.atomic
def publish_results(*, by, call):
    if not Award.objects.filter(call=call).exists():
        raise DomainError(_("Compute the awards before publishing the results."), code="no_awards")

    def apply(obj, now):
        obj.notice_ends_at = now + timedelta(days=obj.notice_days)

    return call_workflow.move(call, to=C.NOTICE, by=by, perm="calls.manage_call", apply=apply)


@transaction.atomic
def object_to_results(*, by, call, reason, award=None):
    if not getattr(by, "is_authenticated", False):
        raise NotPermitted(_("Log in to object to the results."))
    call = FundingCall.objects.select_for_update().get(pk=call.pk)
    if call.status != C.NOTICE or timezone.now() >= call.notice_ends_at:
        raise DomainError(_("Objections are taken only during the public notice."), code="not_in_notice")
    if not reason.strip():
        raise DomainError(_("Give your reasons."), code="reason")
    if award is not None and award.call_id != call.pk:
        raise DomainError(_("Choose one of this call's results."), code="award")
    # Every objection is answered in public and holds the results back: one person cannot flood the notice.
    if Objection.objects.filter(call=call, raised_by=by).count() >= OBJECTIONS_PER_PERSON:
        raise DomainError(
            _("You have already raised %(n)s objections to these results; staff answer them in public.")
            % {"n": OBJECTIONS_PER_PERSON},
            code="too_many_objections",
        )
    objection = Objection.objects.create(call=call, award=award, raised_by=by, reason=reason.strip()[:2000])
    objection_workflow.start(objection, by=by)
    return objection


@transaction.atomic
def answer_objection(*, by, objection, uphold, answer):
    """Staff answer in public. Upholding an objection takes the call back to review."""
    if not by.has_perm("calls.manage_call", objection.call):
        raise NotPermitted(_("Only staff of the call's area answer objections."))
    if not answer.strip():
        raise DomainError(_("Write the answer the public will read."), code="answer")

    def apply(obj, now):
        obj.answer, obj.answered_by = answer.strip()[:2000], by

    moved = objection_workflow.move(objection, to=OS.UPHELD if uphold else OS.DISMISSED, by=by, apply=apply)
    if uphold and moved.call.status == C.NOTICE:

        def reopen(obj, now):
            obj.notice_ends_at = None

        call_workflow.move(moved.call, to=C.REVIEW, by=by, perm="calls.manage_call", note=answer.strip(), apply=reopen)
    return moved


def take_effect_due(now=None):
    """The beat job: calls whose notice has ended, every objection answered and none upheld, take effect."""
    now = now or timezone.now()
    done = 0
    for call in FundingCall.objects.filter(status=C.NOTICE, notice_ends_at__lte=now):
        if call.objections.filter(status=OS.OPEN).exists():
            continue  # staff answer every objection first
        take_effect(call)
        done += 1
    return done


@transaction.atomic
def take_effect(call):
    call = FundingCall.objects.select_for_update().get(pk=call.pk)
    if call.status != C.NOTICE:
        return call
    category = call.categories.first() or Category.objects.order_by("pk").first()
    if category is None:
        raise DomainError(_("Give the call a category: its projects are filed under it."), code="category")
    fund_call(call)  # once; a call published before funds existed is funded here
    for award in Award.objects.filter(call=call, amount__gt=0).select_related("declaration__organisation"):
        declaration = award.declaration
        cost = declaration.totals()[0]
        project = projects.create_project(
            by=None,
            title=declaration.title[:160],
            category=category,
            region=call.region,
            summary=declaration.problem[:2000],
            description=declaration.activities,
            budget=cost,
            target=award.amount,
            implementer=declaration.organisation,
            beneficiaries=declaration.target_group,
            beneficiary_count=declaration.beneficiaries or 0,
            wants_funds=False,
        )
        for status in (ProjectStatus.PUBLISHED, ProjectStatus.FUNDED, ProjectStatus.IN_PROGRESS):
            project = projects.move_project(by=None, project=project, to=status, note=call.title)
        # Out of the fund, counted in `granted`: beyond either, DomainError and the whole taking effect is undone.
        grant_from_pool(call=call, project=project, amount=award.amount, note=f"{call.slug} #{award.rank}")
        Award.objects.filter(pk=award.pk).update(project=project)
    return call_workflow.move(call, to=C.DECIDED, note=_("The public notice ended without an upheld objection."))
