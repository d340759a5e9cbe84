"""Milestones, progress reports, tranches and evaluations: the only place any of them changes.

milestone: planned → reported (the implementer's report on it) → approved | rejected (staff of the
project's area; a reason to send it back), rejected → reported again. Approving a milestone with a
tranche makes the tranche due; staff pay it (due → paid), and the payment goes to the funding ledger.
Evaluation: staff open a completed project's window; residents of its region rate it online while
it is open; staff enter the paper ratings of an evaluation meeting; when the window is over the
project moves to "evaluated".
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.funding import ledger
from marketplace.funding.payments import region_staff
from marketplace.projects.models import FINISHED_STATUSES, Project, ProjectStatus
from marketplace.projects.services import move_project
from portal.core.errors import DomainError
from portal.core.transitions import NotPermitted, Workflow
from portal.core.uploads import IMAGE, check_upload, reencode_image
from portal.notifications.messages import money, when
from portal.notifications.services import notify

from . import messages
from .models import (
    CRITERION_FIELDS,
    MAX_SCORE,
    MILESTONE_TRANSITIONS,
    MIN_SCORE,
    TRANCHE_TRANSITIONS,
    Evaluation,
    EvaluationChannel,
    EvaluationWindow,
    Milestone,
    MilestoneStatus,
    ProgressReport,
    ReportPhoto,
    SpendingLine,
    Tranche,
    TrancheStatus,
)

M, T = MilestoneStatus, TrancheStatus
# A project is in implementation once funded (its implementer known) until it is evaluated.
IMPLEMENTATION_STATUSES = (ProjectStatus.FUNDED, ProjectStatus.IN_PROGRESS)
# The final report may still come once staff have marked the project completed.
REPORTING_STATUSES = (*IMPLEMENTATION_STATUSES, ProjectStatus.COMPLETED)
MAX_PHOTOS = 6
OVERDUE_REMINDER_DAYS = 7
EVALUATION_MEETING_KIND = "evaluation"  # deliberation.meetings MeetingKind.EVALUATION (not imported: the layers)

milestone_workflow = Workflow(
    model=Milestone,
    transitions=MILESTONE_TRANSITIONS,
    stamps={M.REPORTED: "reported_at", M.APPROVED: "decided_at", M.REJECTED: "decided_at"},
    audit="milestone",
)
tranche_workflow = Workflow(model=Tranche, transitions=TRANCHE_TRANSITIONS, stamps={T.PAID: "paid_at"}, audit="tranche")


def _members(organisation):
    if organisation is None:
        return []
    return list(get_user_model().objects.filter(memberships__organisation=organisation, is_active=True).order_by("pk"))


def _params(milestone, **more):
    return {"project": milestone.project.title, "milestone": milestone.title, **more}


def _lock_project(project):
    return Project.objects.select_for_update(of=("self",)).get(pk=project.pk)


def _require(by, perm, obj):
    if by is not None and not by.has_perm(perm, obj):
        raise NotPermitted()


# --- milestones ---------------------------------------------------------------


@transaction.atomic
def plan_milestone(*, by, project, title, due_on, tranche_amount=0, description=""):
    """The implementer (or staff of the project's area) adds a milestone to a project in implementation."""
    _require(by, "implementation.plan_milestone", project)
    project = _lock_project(project)
    if project.status not in IMPLEMENTATION_STATUSES:
        raise DomainError(_("Milestones are planned while the project is funded or under way."), code="not_running")
    if project.implementer_id is None:
        raise DomainError(_("This project has no implementing organisation yet."), code="no_implementer")
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Name the milestone."), code="title")
    if tranche_amount < 0:
        raise DomainError(_("Enter a tranche of zero or more."), code="amount")
    planned = project.milestones.aggregate(total=models.Sum("tranche_amount"))["total"] or 0
    if project.budget and planned + tranche_amount > project.budget:
        raise DomainError(_("The tranches of the milestones would exceed the project's budget."), code="over_budget")
    milestone = Milestone.objects.create(
        project=project,
        title=title,
        description=(description or "").strip(),
        due_on=due_on,
        tranche_amount=tranche_amount,
        position=project.milestones.count(),
        created_by=by if getattr(by, "pk", None) else None,
    )
    milestone_workflow.start(milestone, by=by)
    return milestone


def check_photos(files):
    """Raise ValidationError unless every file is an image we accept (by content) and there are not too many."""
    files = list(files or ())
    if len(files) > MAX_PHOTOS:
        raise ValidationError(_("Attach at most %(n)d photos.") % {"n": MAX_PHOTOS}, code="too_many_files")
    for f in files:
        try:
            check_upload(f, IMAGE)
        except ValidationError as exc:
            raise ValidationError(f"{f.name}: {' '.join(exc.messages)}", code=exc.code) from exc
    return files


def _tell_staff_reported(milestone, previous):
    notify(
        users=region_staff(milestone.project.region),
        message=messages.MILESTONE_REPORTED,
        params=_params(milestone, note=""),
        url=milestone.get_absolute_url(),
    )


@transaction.atomic
def submit_report(*, by, project, body, milestone=None, is_final=False, photos=(), spending=(), captions=()):
    """A member of the implementing organisation reports progress: text, photos, spending against budget
    lines (`spending`: dicts of budget_line, amount, note). A report on a milestone marks it reported
    (again, if staff sent it back); staff of the area are asked to approve it."""
    _require(by, "implementation.report_progress", project)
    files = check_photos(photos)
    project = _lock_project(project)
    if project.status not in REPORTING_STATUSES:
        raise DomainError(_("Progress is reported while the project is under way."), code="not_running")
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Say what has been done."), code="body")
    if milestone is not None:
        if milestone.project_id != project.pk:
            raise DomainError(_("That milestone belongs to another project."), code="milestone")
        milestone = Milestone.objects.get(pk=milestone.pk)
        if milestone.status not in (M.PLANNED, M.REJECTED, M.REPORTED):
            raise DomainError(_("This milestone is already approved."), code="milestone_done")
    lines = []
    budget_lines = {line.pk: line for line in project.budget_lines.all()}
    for item in spending or ():
        line = item["budget_line"]
        line_id = getattr(line, "pk", line)
        if line_id not in budget_lines:
            raise DomainError(_("Spending is reported against this project's budget lines."), code="budget_line")
        amount = int(item.get("amount") or 0)
        if amount <= 0:
            raise DomainError(_("Enter the amount spent."), code="amount")
        lines.append(
            SpendingLine(budget_line=budget_lines[line_id], amount=amount, note=(item.get("note") or "")[:200])
        )
    report = ProgressReport.objects.create(
        project=project,
        milestone=milestone,
        organisation=project.implementer,
        author=by if getattr(by, "pk", None) else None,
        body=body,
        is_final=bool(is_final),
        created_at=timezone.now(),
    )
    for line in lines:
        line.report = report
    SpendingLine.objects.bulk_create(lines)
    captions = list(captions or ())
    for i, f in enumerate(files):
        stored = reencode_image(f)
        ReportPhoto.objects.create(
            report=report, image=stored, caption=(captions[i] if i < len(captions) else "")[:120]
        )
    if milestone is not None and milestone.status != M.REPORTED:
        first = milestone.reported_on_time is None
        on_time = timezone.localdate() <= milestone.due_on

        def apply(m, now):
            if first:
                m.reported_on_time = on_time

        milestone_workflow.move(
            milestone, to=M.REPORTED, by=by, note=body[:200], apply=apply, after=_tell_staff_reported
        )
    return report


def _tell_implementer(message):
    def after(milestone, previous):
        notify(
            users=_members(milestone.project.implementer),
            message=message,
            params=_params(milestone, note=milestone.decision_note),
            url=milestone.get_absolute_url(),
        )

    return after


@transaction.atomic
def approve_milestone(*, by, milestone, note=""):
    """Staff of the project's area accept a reported milestone; its tranche (if any) becomes due."""

    def apply(m, now):
        m.decided_by = by if getattr(by, "pk", None) else None
        m.decision_note = (note or "").strip()

    approved = milestone_workflow.move(
        milestone,
        to=M.APPROVED,
        by=by,
        perm="implementation.decide_milestone",
        note=note,
        apply=apply,
        after=_tell_implementer(messages.MILESTONE_APPROVED),
    )
    if approved.tranche_amount > 0 and not Tranche.objects.filter(milestone=approved).exists():
        project = approved.project
        if project.implementer_id is None:
            raise DomainError(_("This project has no implementing organisation to pay."), code="no_implementer")
        tranche = Tranche.objects.create(
            milestone=approved,
            project=project,
            organisation_id=project.implementer_id,
            amount=approved.tranche_amount,
            approved_by=by if getattr(by, "pk", None) else None,
        )
        tranche_workflow.start(tranche, by=by)
    return approved


@transaction.atomic
def reject_milestone(*, by, milestone, reason):
    """Staff send a reported milestone back, saying what is missing; the implementer reports it again."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say what is missing: the implementer will read it."), code="reason_required")

    def apply(m, now):
        m.decided_by = by if getattr(by, "pk", None) else None
        m.decision_note = reason

    return milestone_workflow.move(
        milestone,
        to=M.REJECTED,
        by=by,
        perm="implementation.decide_milestone",
        note=reason,
        apply=apply,
        after=_tell_implementer(messages.MILESTONE_REJECTED),
    )


def _write_to_ledger(tranche):
    """The payment's ledger entry, once the ledger can take a disbursement that does not count against the
    money raised (`ledger.disburse`, requested of the funding app: var/requests-impl.md); until then the
    tranche is recorded here alone."""
    disburse = getattr(ledger, "disburse", None)
    if disburse is None:
        return None
    return disburse(
        project=tranche.project, amount=tranche.amount, note=f"tranche {tranche.pk}: {tranche.milestone.title}"
    )


@transaction.atomic
def pay_tranche(*, by, milestone, reference=""):
    """Staff record the payment of an approved milestone's tranche to the implementer. Idempotent."""
    tranche = Tranche.objects.select_related("project", "milestone").filter(milestone=milestone).first()
    if tranche is None:
        raise DomainError(_("This milestone has no tranche due."), code="no_tranche")
    if tranche.status == T.PAID:
        return tranche
    _require(by, "implementation.pay_tranche", tranche)
    project = _lock_project(tranche.project)
    paid = Tranche.objects.filter(project=project, status=T.PAID).aggregate(total=models.Sum("amount"))["total"] or 0
    available = max(project.budget, project.amount_raised)
    if paid + tranche.amount > available:
        raise DomainError(_("This payment would exceed the project's funds."), code="over_funds")

    def apply(t, now):
        t.paid_by = by if getattr(by, "pk", None) else None
        t.payment_reference = (reference or "").strip()[:80]

    def after(t, previous):
        entry = _write_to_ledger(t)
        if entry is not None:
            Tranche.objects.filter(pk=t.pk).update(ledger_entry=entry)
            t.ledger_entry = entry
        notify(
            users=_members(t.organisation),
            message=messages.TRANCHE_PAID,
            params={"project": project.title, "milestone": t.milestone.title, "amount": money(t.amount)},
            url=t.milestone.get_absolute_url(),
        )

    return tranche_workflow.move(
        tranche, to=T.PAID, by=by, perm="implementation.pay_tranche", note=reference, apply=apply, after=after
    )


@transaction.atomic
def alert_overdue_milestones(*, today=None):
    """Tell the implementer and staff of the area of each milestone past its due date and not reported.
    Idempotent: a milestone is alerted once, then again every OVERDUE_REMINDER_DAYS while it stays overdue.
    Returns the number of milestones alerted."""
    today = today or timezone.localdate()
    again = today - timedelta(days=OVERDUE_REMINDER_DAYS)
    due = (
        Milestone.objects.overdue(today)
        .filter(project__status__in=IMPLEMENTATION_STATUSES)
        .filter(models.Q(overdue_alerted_on__isnull=True) | models.Q(overdue_alerted_on__lte=again))
        .select_related("project__region", "project__implementer")
        .select_for_update(of=("self",), skip_locked=True)
        .order_by("pk")
    )
    alerted = []
    for milestone in due:
        notify(
            users=[*_members(milestone.project.implementer), *region_staff(milestone.project.region)],
            message=messages.MILESTONE_OVERDUE,
            params=_params(milestone, due=when(milestone.due_on)),
            url=milestone.get_absolute_url(),
        )
        alerted.append(milestone.pk)
    Milestone.objects.filter(pk__in=alerted).update(overdue_alerted_on=today)
    return len(alerted)


# --- evaluation ---------------------------------------------------------------


@transaction.atomic
def open_evaluation(*, by, project, closes_at, opens_at=None):
    """Staff open a completed project's rating window; the implementer is told. Setting it again moves it."""
    _require(by, "implementation.manage_evaluation", project)
    project = _lock_project(project)
    if project.status != ProjectStatus.COMPLETED:
        raise DomainError(_("A project is rated once it is completed."), code="not_completed")
    opens_at = opens_at or timezone.now()
    if closes_at <= opens_at:
        raise DomainError(_("The window must close after it opens."), code="window")
    window, _created = EvaluationWindow.objects.update_or_create(
        project=project,
        defaults={"opens_at": opens_at, "closes_at": closes_at, "opened_by": by if getattr(by, "pk", None) else None},
    )
    notify(
        users=_members(project.implementer),
        message=messages.EVALUATION_OPEN,
        params={"project": project.title, "closes": when(closes_at)},
        url=project.get_absolute_url(),
    )
    return window


def _scores(scores):
    values = {}
    for name in CRITERION_FIELDS:
        try:
            value = int(scores[name])
        except (KeyError, TypeError, ValueError) as exc:
            raise DomainError(_("Rate the project on every criterion, from 1 to 5."), code="scores") from exc
        if not MIN_SCORE <= value <= MAX_SCORE:
            raise DomainError(_("Rate the project on every criterion, from 1 to 5."), code="scores")
        values[name] = value
    return values


def _create_evaluation(**fields):
    try:
        with transaction.atomic():
            return Evaluation.objects.create(**fields)
    except IntegrityError as exc:
        raise DomainError(_("This resident has already rated this project."), code="duplicate") from exc


@transaction.atomic
def rate_project(*, by, project, scores, comment=""):
    """A verified resident of the project's region rates it online, once, while its window is open."""
    if not getattr(by, "is_authenticated", False):
        raise NotPermitted(_("Log in to rate a project."))
    project = _lock_project(project)
    window = EvaluationWindow.objects.filter(project=project).first()
    if window is None or not window.is_open():
        raise DomainError(_("This project is not open to rating now."), code="window_closed")
    _require(by, "implementation.rate_project", project)
    values = _scores(scores)
    if Evaluation.objects.filter(project=project, rater=by).exists():
        raise DomainError(_("You have already rated this project."), code="duplicate")
    return _create_evaluation(
        project=project,
        rater=by,
        channel=EvaluationChannel.ONLINE,
        comment=(comment or "").strip(),
        created_at=timezone.now(),
        **values,
    )


@transaction.atomic
def enter_paper_rating(*, by, project, scores, comment="", paper_name="", rater=None, meeting=None):
    """Staff of the project's area enter a rating given on paper at an evaluation meeting (成效评议会)."""
    _require(by, "implementation.manage_evaluation", project)
    project = _lock_project(project)
    if project.status not in FINISHED_STATUSES:
        raise DomainError(_("A project is rated once it is completed."), code="not_completed")
    if meeting is not None and meeting.kind != EVALUATION_MEETING_KIND:
        raise DomainError(_("Choose an evaluation meeting."), code="meeting")
    paper_name = (paper_name or "").strip()
    if rater is None and not paper_name:
        raise DomainError(_("Enter the name on the rating sheet."), code="paper_name")
    values = _scores(scores)
    return _create_evaluation(
        project=project,
        rater=rater,
        paper_name=paper_name,
        channel=EvaluationChannel.MEETING,
        meeting=meeting,
        entered_by=by,
        comment=(comment or "").strip(),
        created_at=timezone.now(),
        **values,
    )


@transaction.atomic
def close_due_evaluations(*, now=None):
    """Windows past their closing time: the project moves to "evaluated" (the system acts). Idempotent."""
    now = now or timezone.now()
    closed = 0
    windows = EvaluationWindow.objects.filter(closed_at__isnull=True, closes_at__lte=now).select_related("project")
    for window in windows.select_for_update(of=("self",), skip_locked=True).order_by("pk"):
        if window.project.status == ProjectStatus.COMPLETED:
            move_project(by=None, project=window.project, to=ProjectStatus.EVALUATED, note=_("Rating window closed."))
        EvaluationWindow.objects.filter(pk=window.pk).update(closed_at=now)
        closed += 1
    return closed
