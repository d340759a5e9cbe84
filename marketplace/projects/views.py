from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.errors import DomainError
from portal.core.kept_views import keep_until, kept_for_anonymous
from portal.core.paging import lookahead_page

from . import services
from .actions import PROJECT_ACTIONS
from .filter_form import rendered_filter_form
from .filters import ProjectFilter
from .forms import AssignForm, BudgetLineFormSet, InKindItemFormSet, MoveForm, ProjectForm, lines
from .models import Project, ProjectStatus
from .similar import projects_to_support

PAGE_SIZE = 24


@kept_for_anonymous
def project_list(request):
    """Public: every project past its draft, filtered, sorted and paged without counting them all."""
    projects = Project.objects.public().select_related("category", "region")
    filters = ProjectFilter(request.GET, queryset=projects, request=request)
    page = lookahead_page(filters.qs, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "projects/project_list.html",
        {"page": page, "filters": filters, "filter_form": rendered_filter_form(request, filters)},
    )


@kept_for_anonymous
def project_detail(request, pk):
    """A project's public page: what it is, the needs it came from, how far its funding has come."""
    project = get_object_or_404(
        Project.objects.visible_to(request.user).select_related("region", "category", "implementer"), pk=pk
    )
    needs = project.needs.only("pk", "project_id", "title", "status", "created_at").order_by("-created_at")[:20]
    books = (
        project.book_entries.filter(page__live=True, page__locale__language_code=request.LANGUAGE_CODE)
        .select_related("page")
        .order_by("-page__edition_date")[:5]
    )
    can_change = request.user.has_perm("projects.change_project", project)
    to_support = projects_to_support(project)
    # "Open for funding" turns into "funding closed", here and in the projects suggested below.
    keep_until(request, project.funding_deadline, *(p.funding_deadline for p in to_support))
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "needs": needs,
            "need_count": project.need_count,
            "books": books,
            "budget_lines": project.budget_lines.all(),
            "in_kind_items": project.in_kind_items.all(),
            "timeline": project_timeline(project),
            "to_support": to_support,
            "can_change": can_change,
            "move_form": _move_form(project, user=request.user) if can_change else None,
            "assign_form": AssignForm(prefix="assign")
            if can_change and project.status in services.ASSIGNABLE
            else None,
        },
    )


def project_timeline(project):
    from django.contrib.contenttypes.models import ContentType

    from portal.core.models import TimelineEvent

    kind = ContentType.objects.get_for_model(Project)
    return TimelineEvent.objects.filter(content_type=kind, object_id=project.pk).select_related("actor", "content_type")


def _move_form(project, data=None, *, user):
    """The statuses the project may move to now, each the target of an action `user` may take."""
    targets = sorted(PROJECT_ACTIONS[name].target for name in PROJECT_ACTIONS.available(project, user))
    choices = [(s, ProjectStatus(s).label) for s in targets]
    return MoveForm(data, choices=choices, prefix="move") if choices else None


def _project_form_page(request, project=None):
    by = request.user
    if project is None and not by.has_perm("projects.add_project"):
        raise PermissionDenied
    if project is not None and not by.has_perm("projects.change_project", project):
        raise PermissionDenied
    initial_lines = [{"label": b.label, "amount": b.amount} for b in project.budget_lines.all()] if project else []
    initial_items = (
        [
            {"name": i.name, "quantity": i.quantity, "unit": i.unit, "estimated_value": i.estimated_value}
            for i in project.in_kind_items.all()
        ]
        if project
        else []
    )
    data = request.POST if request.method == "POST" else None
    form = ProjectForm(data, instance=project, by=by)
    budget = BudgetLineFormSet(data, initial=initial_lines, prefix="budget")
    items = InKindItemFormSet(data, initial=initial_items, prefix="items")
    if data is not None and form.is_valid() and budget.is_valid() and items.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            with transaction.atomic():
                if project is None:
                    project = services.create_project(
                        by=by, budget_lines=lines(budget), in_kind_items=lines(items), **fields
                    )
                    messages.success(request, _("Project saved as a draft."))
                else:
                    services.update_project(
                        by=by, project=project, budget_lines=lines(budget), in_kind_items=lines(items), **fields
                    )
                    messages.success(request, _("Project saved."))
            return redirect(project)
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "budget": budget, "items": items, "project": project},
    )


@login_required
def project_create(request):
    return _project_form_page(request)


@login_required
def project_edit(request, pk):
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    return _project_form_page(request, project)


@login_required
@require_POST
def project_move(request, pk):
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm("projects.change_project_status", project):
        raise PermissionDenied
    form = _move_form(project, request.POST, user=request.user)
    if form is None or not form.is_valid():
        messages.error(request, _("Choose a status this project can move to."))
        return redirect(project)
    chosen = PROJECT_ACTIONS.for_target(form.cleaned_data["status"])
    try:
        chosen.run(request.user, project, {"note": form.cleaned_data["note"]})
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Project moved to “%(status)s”.") % {"status": ProjectStatus(form.cleaned_data["status"]).label}
        )
    return redirect(project)


@login_required
@require_POST
def project_assign(request, pk):
    project = get_object_or_404(Project.objects.select_related("region"), pk=pk)
    if not request.user.has_perm("projects.change_project", project):
        raise PermissionDenied
    form = AssignForm(request.POST, prefix="assign")
    if not form.is_valid():
        for name, errors in form.errors.items():
            messages.error(request, f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields else errors)
        return redirect(project)
    try:
        services.assign_project(by=request.user, project=project, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The project is assigned; its page says by whom and why."))
    return redirect(project)
