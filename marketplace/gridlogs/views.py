from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.models import Role
from portal.accounts.roles import REGIONAL_STAFF_ROLES, scope_regions
from portal.core.errors import DomainError
from portal.regions.models import Region, RegionLevel, subtree_q

from . import services
from .forms import GridLogForm, IssueFormSet, VisitFormSet
from .models import GridLog, Issue


def _own_grids(user):
    return Region.objects.filter(subtree_q(scope_regions(user, {Role.GRID_WORKER}), field="")).filter(
        level__in=[RegionLevel.GRID, RegionLevel.SUB_GRID]
    )


@login_required
def grid_log_list(request):
    user = request.user
    if not (user.has_perm("gridlogs.list_grid_logs") or user.has_perm("gridlogs.add_grid_log")):
        raise PermissionDenied
    logs = (
        GridLog.objects.filter(Q(author=user) | subtree_q(scope_regions(user, REGIONAL_STAFF_ROLES), field="grid"))
        .select_related("grid", "author")
        .annotate(n_visits=Count("visits", distinct=True), n_issues=Count("issues", distinct=True))
        .order_by("-date", "-id")
    )
    page = Paginator(logs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "gridlogs/grid_log_list.html",
        {"page": page, "can_add": user.has_perm("gridlogs.add_grid_log")},
    )


@login_required
def grid_log_new(request):
    if not request.user.has_perm("gridlogs.add_grid_log"):
        raise PermissionDenied
    data = request.POST or None
    form = GridLogForm(data, grids=_own_grids(request.user))
    visits = VisitFormSet(data, prefix="visits")
    issues = IssueFormSet(data, prefix="issues")
    if request.method == "POST" and form.is_valid() and visits.is_valid() and issues.is_valid():
        try:
            log = services.write_grid_log(
                by=request.user,
                **form.cleaned_data,
                visits=[f.cleaned_data for f in visits if f.has_changed() and f.cleaned_data],
                issues=[f.cleaned_data for f in issues if f.has_changed() and f.cleaned_data],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Grid log saved."))
            return redirect(log)
    return render(request, "gridlogs/grid_log_form.html", {"form": form, "visits": visits, "issues": issues})


@login_required
def grid_log_detail(request, pk):
    log = get_object_or_404(GridLog.objects.select_related("grid", "author"), pk=pk)
    if not request.user.has_perm("gridlogs.view_grid_log", log):
        raise PermissionDenied
    return render(
        request,
        "gridlogs/grid_log_detail.html",
        {
            "log": log,
            "visits": log.visits.all(),
            "issues": log.issues.select_related("category", "need"),
            "can_raise": request.user.has_perm("gridlogs.raise_need", log),
        },
    )


@login_required
@require_POST
def issue_to_need(request, pk):
    issue = get_object_or_404(Issue.objects.select_related("log"), pk=pk)
    need = services.raise_need_from_issue(by=request.user, issue=issue)
    messages.success(request, _("The issue is now a need in the work queue."))
    return redirect(need)
