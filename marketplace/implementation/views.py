"""The implementation pages: a project's progress (milestones, reports, tranches, ratings), the
implementer's progress form, a milestone with staff's decisions, the staff queue, and rating forms."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.projects.models import Project
from portal.accounts.roles import ADMINISTRATIVE_ROLES, scope_regions
from portal.core.errors import DomainError
from portal.core.transitions import labelled_timeline
from portal.regions.models import subtree_q

from . import services
from .actions import MILESTONE_ACTIONS, TRANCHE_ACTIONS
from .forms import EvaluationWindowForm, MilestoneForm, PaperRatingForm, RatingForm, ReportForm
from .models import Milestone, MilestoneStatus, ReportPhoto, Tranche, TrancheStatus
from .progress import progress_of


def _visible_project(request, pk):
    return get_object_or_404(
        Project.objects.visible_to(request.user).select_related("region", "implementer", "category"), pk=pk
    )


def _form_errors(request, form):
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


def project_progress(request, pk):
    """A project's implementation: its timeline of milestones and reports with photos, its tranches and spending
    against the budget, its ratings; the forms each visitor may use."""
    project = _visible_project(request, pk)
    user = request.user
    progress = progress_of(project, user=user, full=True)
    return render(
        request,
        "implementation/project_progress.html",
        {
            "project": project,
            "progress": progress,
            "can_report": user.has_perm("implementation.report_progress", project)
            and project.status in services.REPORTING_STATUSES,
            "can_plan": user.has_perm("implementation.plan_milestone", project)
            and project.status in services.IMPLEMENTATION_STATUSES,
            "can_manage_evaluation": user.has_perm("implementation.manage_evaluation", project),
            "can_rate": user.has_perm("implementation.rate_project", project),
            "milestone_form": MilestoneForm(prefix="milestone"),
            "window_form": EvaluationWindowForm(
                prefix="window",
                initial={"closes_at": (timezone.localtime() + timedelta(days=14)).replace(microsecond=0)},
            ),
        },
    )


@login_required
@require_POST
def milestone_plan(request, pk):
    project = _visible_project(request, pk)
    if not request.user.has_perm("implementation.plan_milestone", project):
        raise PermissionDenied
    form = MilestoneForm(request.POST, prefix="milestone")
    if form.is_valid():
        try:
            services.plan_milestone(by=request.user, project=project, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The milestone is planned."))
    else:
        _form_errors(request, form)
    return redirect("implementation:project_progress", pk=project.pk)


@login_required
def report_progress(request, pk):
    """The implementer's progress form: what was done, photos, spending against the budget lines."""
    project = _visible_project(request, pk)
    if not request.user.has_perm("implementation.report_progress", project):
        raise PermissionDenied
    initial = {}
    if request.GET.get("milestone", "").isdigit():
        initial["milestone"] = int(request.GET["milestone"])
    form = ReportForm(request.POST or None, request.FILES or None, project=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_report(by=request.user, project=project, **form.service_arguments(request.FILES))
        except (DomainError, ValidationError) as exc:
            form.add_error(None, getattr(exc, "message", None) or " ".join(exc.messages))
        else:
            messages.success(request, _("Your progress report is published on the project's page."))
            return redirect("implementation:project_progress", pk=project.pk)
    return render(request, "implementation/report_form.html", {"project": project, "form": form})


def milestone_detail(request, pk):
    milestone = get_object_or_404(
        Milestone.objects.select_related("project__region", "project__implementer", "decided_by"), pk=pk
    )
    user = request.user
    if not user.has_perm("implementation.view_milestone", milestone):
        raise Http404
    tranche = Tranche.objects.filter(milestone=milestone).first()
    available = MILESTONE_ACTIONS.available(milestone, user)
    forms = {
        name: MILESTONE_ACTIONS[name].form(prefix=name)
        for name in available
        if MILESTONE_ACTIONS[name].form is not None
    }
    return render(
        request,
        "implementation/milestone_detail.html",
        {
            "milestone": milestone,
            "project": milestone.project,
            "tranche": tranche,
            "reports": milestone.reports.select_related("organisation").prefetch_related("photos"),
            "available": available,
            "forms": forms,
            "events": labelled_timeline(milestone, MilestoneStatus),
        },
    )


milestone_action = MILESTONE_ACTIONS.page_view(Milestone)
tranche_action = TRANCHE_ACTIONS.page_view(Tranche)


@login_required
def staff_queue(request):
    """Reported milestones awaiting a decision and due tranches in the staff member's area, and overdue ones."""
    if not request.user.has_perm("implementation.view_queue"):
        raise PermissionDenied
    scope = subtree_q(scope_regions(request.user, ADMINISTRATIVE_ROLES), field="project__region")
    reported = (
        Milestone.objects.filter(scope, status=MilestoneStatus.REPORTED)
        .select_related("project__implementer")
        .order_by("reported_at", "pk")[:100]
    )
    due = (
        Tranche.objects.filter(scope, status=TrancheStatus.DUE)
        .select_related("project", "milestone", "organisation")
        .order_by("created_at", "pk")[:100]
    )
    overdue = (
        Milestone.objects.overdue()
        .filter(scope, project__status__in=services.IMPLEMENTATION_STATUSES)
        .select_related("project__implementer")
        .order_by("due_on", "pk")[:100]
    )
    return render(request, "implementation/staff_queue.html", {"reported": reported, "due": due, "overdue": overdue})


@login_required
def rate_project(request, pk):
    """A resident's rating form (1–5 on each stated criterion, and a comment)."""
    project = _visible_project(request, pk)
    if not request.user.has_perm("implementation.rate_project", project):
        raise PermissionDenied
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_project(
                by=request.user, project=project, scores=form.scores(), comment=form.cleaned_data.get("comment", "")
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Thank you for rating this project."))
            return redirect("implementation:project_progress", pk=project.pk)
    return render(request, "implementation/rating_form.html", {"project": project, "form": form, "paper": False})


@login_required
def enter_paper_rating(request, pk):
    """Staff enter the ratings given on paper at an evaluation meeting, one sheet at a time."""
    project = _visible_project(request, pk)
    if not request.user.has_perm("implementation.manage_evaluation", project):
        raise PermissionDenied
    form = PaperRatingForm(request.POST or None, project=project, initial={"meeting": request.GET.get("meeting")})
    if request.method == "POST" and form.is_valid():
        try:
            services.enter_paper_rating(
                by=request.user,
                project=project,
                scores=form.scores(),
                comment=form.cleaned_data.get("comment", ""),
                paper_name=form.cleaned_data["paper_name"],
                meeting=form.cleaned_data.get("meeting"),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The rating sheet is entered. Enter the next one."))
            # The next sheet is most likely from the same meeting.
            meeting = form.cleaned_data.get("meeting")
            following = f"?meeting={meeting.pk}" if meeting else ""
            return redirect(reverse("implementation:paper_rating", args=[project.pk]) + following)
    return render(request, "implementation/rating_form.html", {"project": project, "form": form, "paper": True})


@login_required
@require_POST
def open_evaluation(request, pk):
    project = _visible_project(request, pk)
    if not request.user.has_perm("implementation.manage_evaluation", project):
        raise PermissionDenied
    form = EvaluationWindowForm(request.POST, prefix="window")
    if form.is_valid():
        try:
            services.open_evaluation(by=request.user, project=project, closes_at=form.cleaned_data["closes_at"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Residents of the project's region may now rate it."))
    else:
        _form_errors(request, form)
    return redirect("implementation:project_progress", pk=project.pk)


def photo(request, pk):
    """A progress report's photo, served once the report may be seen."""
    item = get_object_or_404(ReportPhoto.objects.select_related("report__project__region"), pk=pk)
    if not request.user.has_perm("implementation.view_progressreport", item.report):
        raise Http404
    response = FileResponse(item.image.open("rb"))
    response["Content-Type"] = "image/png" if item.image.name.endswith(".png") else "image/jpeg"
    response["X-Content-Type-Options"] = "nosniff"
    return response
