from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.models import Role
from portal.accounts.roles import REGIONAL_STAFF_ROLES, has_role, role_facts, scope_regions
from portal.core.errors import DomainError
from portal.core.models import Category
from portal.core.paging import lookahead_page
from portal.regions.models import Region, RegionLevel, subtree_q

from . import services
from .forms import (
    AnswerForm,
    AssignForm,
    DispatchForm,
    MergeForm,
    NeedForm,
    NoteForm,
    QueueFilterForm,
    RateForm,
    ReasonForm,
    StaffNeedForm,
)
from .models import OPEN_STATUSES, PUBLIC_STATUSES, Need, NeedStatus
from .similar import similar_needs

PAGE_SIZE = 30


def need_list(request):
    """Public: needs without personal data."""
    needs = Need.objects.public().select_related("category", "region").order_by("-created_at", "-id")
    category = request.GET.get("category")
    if category:
        needs = needs.filter(category__slug=category)
    status = request.GET.get("status")
    if status in PUBLIC_STATUSES:
        needs = needs.filter(status=status)
    region_id = request.GET.get("region", "")
    region = Region.objects.filter(pk=int(region_id)).first() if region_id.isdigit() else None
    if region:
        needs = needs.filter(region__path__startswith=region.path)
    page = lookahead_page(needs, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "needs/need_list.html",
        {
            "page": page,
            "categories": Category.objects.all(),
            "streets": Region.objects.filter(level=RegionLevel.STREET).order_by("path"),
            "filters": request.GET,
            "statuses": [(s, NeedStatus(s).label) for s in PUBLIC_STATUSES],
        },
    )


def need_overview(request):
    """Public overview: needs by category for each street and community, as an HTML grid."""
    categories = list(Category.objects.all())
    streets = list(Region.objects.filter(level=RegionLevel.STREET).order_by("path"))
    # One street's communities at a time: a district of a thousand communities is no page to scroll.
    street = next((s for s in streets if str(s.pk) == request.GET.get("street")), None)
    communities = (
        list(Region.objects.filter(level=RegionLevel.COMMUNITY, path__startswith=street.path).order_by("path"))
        if street
        else []
    )
    counts = cache.get_or_set("needs:overview_counts", _overview_counts, OVERVIEW_CACHE_SECONDS)

    def line(region):
        cells = [counts.get((region.path, c.pk), 0) for c in categories]
        return {"region": region, "cells": cells, "total": sum(cells)}

    table = []
    for s in streets:
        table.append({**line(s), "is_street": True, "open": s == street})
        if s == street:
            table.extend(line(c) for c in communities)
    heat_rows = [row for row in table if not row.get("is_street")] or table
    top = max([cell for row in heat_rows for cell in row["cells"]] or [1]) or 1
    return render(
        request,
        "needs/need_overview.html",
        {"categories": categories, "table": table, "top": top, "street": street},
    )


# The overview aggregates every public need: cached, it costs one query every few minutes.
OVERVIEW_CACHE_SECONDS = 300


def _overview_counts():
    public = Need.objects.public().order_by()
    counts = {}
    for depth in (2, 3):
        rows = (
            public.annotate(area=Substr("region__path", 1, Region.steplen * depth))
            .values("area", "category_id")
            .annotate(n=Count("id"))
        )
        for row in rows:
            counts[(row["area"], row["category_id"])] = row["n"]
    return counts


def need_similar(request):
    """A fragment listing similar open needs, for the form to show before submitting."""
    try:
        region = Region.objects.get(pk=request.GET.get("region"))
        category = Category.objects.get(pk=request.GET.get("category"))
    except (Region.DoesNotExist, Category.DoesNotExist, ValueError):
        return render(request, "needs/includes/similar_needs.html", {"similar": []})
    text = f"{request.GET.get('title', '')} {request.GET.get('description', '')}"
    similar = similar_needs(region=region, category=category, text=text) if text.strip() else []
    return render(request, "needs/includes/similar_needs.html", {"similar": similar})


@login_required
def need_submit(request):
    form = NeedForm(request.POST or None, request.FILES or None)
    similar = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.POST.get("confirm"):
            similar = similar_needs(
                region=data["region"], category=data["category"], text=f"{data['title']} {data['description']}"
            )
        if not similar:
            try:
                need = services.submit_need(by=request.user, **data)
            except DomainError as exc:
                form.add_error("region" if exc.code == "region_level" else None, exc.message)
            else:
                messages.success(request, _("Thank you. Your need has been submitted; we will keep you informed."))
                return redirect(need)
    return render(request, "needs/need_form.html", {"form": form, "similar": similar})


@login_required
def need_enter(request):
    if not request.user.has_perm("needs.enter_need"):
        raise PermissionDenied
    form = StaffNeedForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            need = services.submit_need(by=request.user, **data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        except PermissionDenied:
            form.add_error("region", _("You can only enter needs within your own region."))
        else:
            messages.success(request, _("Need recorded."))
            return redirect(need)
    return render(request, "needs/need_form.html", {"form": form, "staff_entry": True})


@login_required
def my_needs(request):
    needs = (
        Need.objects.filter(Q(submitted_by=request.user) | Q(supports__user=request.user))
        .select_related("category", "region")
        .distinct()
        .order_by("-created_at", "-id")
    )
    page = lookahead_page(needs, request.GET.get("page"), PAGE_SIZE)
    return render(request, "needs/my_needs.html", {"page": page})


def need_detail(request, pk):
    need = get_object_or_404(
        Need.objects.select_related("category", "region", "department", "project", "submitted_by"), pk=pk
    )
    user = request.user
    if not user.has_perm("needs.view_need", need):
        raise PermissionDenied if user.is_authenticated else Http404
    can = {
        "triage": user.has_perm("needs.triage_need", need),
        "answer": user.has_perm("needs.answer_need", need),
        "rate": user.has_perm("needs.rate_need", need),
        "support": user.has_perm("needs.support_need", need),
        "view_private": user.has_perm("needs.view_need_private", need),
    }
    context = {
        "need": need,
        "can": can,
        "events": need.events.select_related("actor"),
        "status": NeedStatus,
        "supported": user.is_authenticated and need.supports.filter(user=user).exists(),
    }
    # Similar open needs nearby: for residents a "me too", for staff candidates to merge.
    context["similar"] = similar_needs(
        region=need.region, category=need.category, text=f"{need.title} {need.description}", exclude=need
    )
    if can["view_private"]:
        context["photos"] = need.photos.all()
        context["orders"] = need.supervision_orders.select_related("region")
    if can["triage"]:
        context["dispatch_form"] = DispatchForm()
        context["note_form"] = NoteForm()
        context["reason_form"] = ReasonForm()
        context["merge_form"] = MergeForm(initial={"title": need.title})
        context["assign_form"] = AssignForm(need=need)
    if can["answer"] and need.status == NeedStatus.DISPATCHED:
        context["answer_form"] = AnswerForm()
    if can["rate"] and need.status == NeedStatus.ANSWERED:
        context["rate_form"] = RateForm()
    return render(request, "needs/need_detail.html", context)


@login_required
def need_photo(request, pk, photo_pk):
    need = get_object_or_404(Need, pk=pk)
    if not request.user.has_perm("needs.view_need_private", need):
        raise PermissionDenied
    photo = get_object_or_404(need.photos, pk=photo_pk)
    return FileResponse(photo.image.open("rb"))


# action name -> (form class, service call)
ACTIONS = {
    "accept": (NoteForm, lambda by, need, d: services.accept_need(by=by, need=need, note=d["note"])),
    "reject": (ReasonForm, lambda by, need, d: services.reject_need(by=by, need=need, reason=d["note"])),
    "dispatch": (DispatchForm, lambda by, need, d: services.dispatch_need(by=by, need=need, **d)),
    "refer": (NoteForm, lambda by, need, d: services.refer_need(by=by, need=need, note=d["note"])),
    "answer": (AnswerForm, lambda by, need, d: services.answer_need(by=by, need=need, answer=d["answer"])),
    "rate": (RateForm, lambda by, need, d: services.rate_need(by=by, need=need, **d)),
    "close": (NoteForm, lambda by, need, d: services.close_need(by=by, need=need, note=d["note"])),
    "support": (NoteForm, lambda by, need, d: services.support_need(by=by, need=need)),
    "merge": (MergeForm, lambda by, need, d: services.merge_needs(by=by, needs=[need], **d)),
    "assign": (AssignForm, lambda by, need, d: services.assign_need(by=by, need=need, assignee=d["assignee"])),
}
ACTION_PERMS = {
    "answer": "needs.answer_need",
    "rate": "needs.rate_need",
    "support": "needs.support_need",
}


@login_required
@require_POST
def need_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    need = get_object_or_404(Need, pk=pk)
    if not request.user.has_perm(ACTION_PERMS.get(action, "needs.triage_need"), need):
        raise PermissionDenied
    form_class, call = ACTIONS[action]
    form = form_class(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect(need)
    try:
        call(request.user, need, form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect(need)


def _queue_scope(user):
    regions = scope_regions(user, REGIONAL_STAFF_ROLES)
    scope = subtree_q(regions, field="region")
    if has_role(user, Role.DEPARTMENT_OFFICER):
        scope |= Q(department_id__in=role_facts(user).verified_organisation_ids)
    return regions, scope


@login_required
def staff_queue(request):
    if not (request.user.has_perm("needs.view_queue") or has_role(request.user, Role.DEPARTMENT_OFFICER)):
        raise PermissionDenied
    regions, scope = _queue_scope(request.user)
    form = QueueFilterForm(request.GET or None, regions=regions)
    needs = Need.objects.filter(scope).select_related("category", "region", "department")
    if form.is_valid():
        f = form.cleaned_data
        needs = needs.filter(status=f["status"]) if f["status"] else needs.filter(status__in=OPEN_STATUSES)
        if f["overdue"]:
            needs = needs.filter(is_overdue=True)
        if f["region"]:
            needs = needs.filter(region__path__startswith=f["region"].path)
        if f["category"]:
            needs = needs.filter(category=f["category"])
        if f["channel"]:
            needs = needs.filter(channel=f["channel"])
    else:
        needs = needs.filter(status__in=OPEN_STATUSES)
    needs = needs.order_by("-is_overdue", "created_at", "id")
    page = lookahead_page(needs, request.GET.get("page"), 50)
    return render(
        request,
        "needs/staff_queue.html",
        {
            "page": page,
            "form": form,
            "dispatch_form": DispatchForm(),
            "assign_form": AssignForm(regions=regions),
            "can_enter": request.user.has_perm("needs.enter_need"),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_POST
def staff_queue_bulk(request):
    """Bulk accept, dispatch or merge the selected needs; each one is checked and moved on its own."""
    action = request.POST.get("action")
    ids = [int(i) for i in request.POST.getlist("needs") if i.isdigit()]
    needs = list(Need.objects.filter(pk__in=ids).select_related("region", "category"))
    if not needs or action not in {"accept", "dispatch", "merge", "assign"}:
        messages.error(request, _("Select needs and an action."))
        return redirect("needs:staff_queue")
    for need in needs:
        if not request.user.has_perm("needs.triage_need", need):
            raise PermissionDenied
    done, failed = 0, []
    if action == "merge":
        form = MergeForm({"title": request.POST.get("title") or needs[0].title})
        form.is_valid()
        try:
            project, merged = services.merge_needs(by=request.user, needs=needs, **form.cleaned_data)
            done = len(merged)
        except DomainError as exc:
            failed.append(exc.message)
    else:
        form = {"dispatch": DispatchForm, "assign": AssignForm}.get(action)
        form = form(request.POST) if form else None
        if form is not None and not form.is_valid():
            messages.error(request, _("Choose the department or the staff member."))
            return redirect("needs:staff_queue")
        for need in needs:
            try:
                if action == "accept":
                    services.accept_need(by=request.user, need=need)
                elif action == "assign":
                    services.assign_need(by=request.user, need=need, assignee=form.cleaned_data["assignee"])
                else:
                    services.dispatch_need(by=request.user, need=need, **form.cleaned_data)
                done += 1
            except DomainError as exc:
                failed.append(f"{need.title}: {exc.message}")
    if done:
        messages.success(request, _("%(n)d needs updated.") % {"n": done})
    for message in failed:
        messages.error(request, message)
    return redirect("needs:staff_queue")
