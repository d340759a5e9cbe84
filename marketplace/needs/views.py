from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.models import Role, RoleAssignment
from portal.accounts.roles import REGIONAL_STAFF_ROLES, has_role, role_facts, scope_regions
from portal.core.charts import heat_scale
from portal.core.errors import DomainError
from portal.core.models import Category
from portal.core.paging import lookahead_page
from portal.regions.models import Region, RegionLevel, ancestor_path_sql, subtree_q

from . import queue_forms, services
from .actions import ACTIONS
from .forms import (
    AssignForm,
    MergeForm,
    NeedForm,
    QueueFilterForm,
    StaffNeedForm,
)
from .models import OPEN_STATUSES, PUBLIC_STATUSES, Need, NeedStatus
from .search_documents import find_cases
from .similar import similar_needs
from .timeline import retranslate, with_display_notes

PAGE_SIZE = 30
# What the work queue does to several needs at once (each an action of the need's table).
BULK_ACTIONS = {"accept", "dispatch", "assign", "merge"}


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
    """Public overview: open needs by category in each street and in the chosen street's communities, as heat maps."""
    categories = list(Category.objects.all())
    streets = list(Region.objects.filter(level=RegionLevel.STREET).order_by("path"))
    # One street's communities at a time: a district of a thousand communities is no page to scroll.
    street = next((s for s in streets if str(s.pk) == request.GET.get("street")), None)
    communities = (
        list(Region.objects.filter(level=RegionLevel.COMMUNITY, path__startswith=street.path).order_by("path"))
        if street
        else []
    )
    counts = cache.get_or_set(OVERVIEW_CACHE_KEY, _overview_counts, OVERVIEW_CACHE_SECONDS)
    return render(
        request,
        "needs/need_overview.html",
        {
            "categories": categories,
            "street": street,
            "streets": _heat_map(streets, categories, counts),
            "communities": _heat_map(communities, categories, counts) if street else None,
            "open_statuses": [NeedStatus(s).label for s in OPEN_STATUSES],
            "cache_minutes": OVERVIEW_CACHE_SECONDS // 60,
        },
    )


def _heat_map(regions, categories, counts):
    """Rows of (count, shade) cells and their totals; the shades compare the cells of this one table."""
    rows = [(region, [counts.get((region.path, c.pk), 0) for c in categories]) for region in regions]
    scale = heat_scale(max((n for _, cells in rows for n in cells), default=0))
    column_totals = [sum(cells[i] for _, cells in rows) for i in range(len(categories))]
    return {
        "scale": scale,
        "rows": [
            {"region": region, "cells": [(n, scale.shade(n)) for n in cells], "total": sum(cells)}
            for region, cells in rows
        ],
        "totals": column_totals,
        "total": sum(column_totals),
    }


# The overview aggregates every open need: cached, it costs two queries every few minutes.
OVERVIEW_CACHE_KEY = "needs:overview_open_counts"
OVERVIEW_CACHE_SECONDS = 300


def _overview_counts():
    """{(street or community path, category id): open needs}: one GROUP BY per level."""
    needs = Need.objects.open().order_by()
    counts = {}
    for level in (RegionLevel.STREET, RegionLevel.COMMUNITY):
        rows = (
            needs.annotate(area=ancestor_path_sql("region", level))
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
    return render(request, "needs/includes/similar_needs.html", _similar_context(similar, request.user))


def _similar_context(similar, user):
    """The similar needs, the resident's own earlier ones marked (`is_own`): they add to those, not file again."""
    for need in similar:
        need.is_own = user.is_authenticated and need.submitted_by_id == user.pk
    return {"similar": similar, "own_similar": [need for need in similar if need.is_own]}


def _resident_initial(user):
    """What the need form can preset for a resident: their verified community (the most recently verified,
    if they have several), and the name and phone of their profile. All of it stays editable."""
    initial = {"contact_name": user.display_name, "contact_phone": user.phone}
    home = (
        RoleAssignment.objects.filter(
            user=user,
            role=Role.RESIDENT,
            verified_at__isnull=False,
            region__level__in=[RegionLevel.COMMUNITY, RegionLevel.GRID],
        )
        .order_by("-verified_at", "-pk")
        .values_list("region_id", flat=True)
        .first()
    )
    if home is not None:
        initial["region"] = home
    return initial


@login_required
def need_submit(request):
    form = NeedForm(request.POST or None, request.FILES or None, initial=_resident_initial(request.user))
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
    return render(request, "needs/need_form.html", {"form": form, **_similar_context(similar, request.user)})


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
    available = ACTIONS.available(need, user)
    can_view_private = user.has_perm("needs.view_need_private", need)
    context = {
        "need": need,
        "available": available,
        "can_triage": user.has_perm("needs.triage_need", need),
        "can_view_private": can_view_private,
        "events": with_display_notes(need.events.select_related("actor"), need),
        "supported": user.is_authenticated and need.supports.filter(user=user).exists(),
        # Each action's form, prefixed with its name so ids stay unique on the page.
        "forms": {name: _action_form(name, need) for name in available if ACTIONS[name].form is not None},
    }
    # Similar open needs nearby: for residents a "me too", for staff candidates to merge.
    context["similar"] = similar_needs(
        region=need.region, category=need.category, text=f"{need.title} {need.description}", exclude=need
    )
    if can_view_private:
        context["photos"] = need.photos.all()
        context["orders"] = orders = list(need.supervision_orders.select_related("region"))
        for order in orders:
            order.display_reason = retranslate(order.reason) or order.reason
    return render(request, "needs/need_detail.html", context)


def _action_form(name, need):
    form_class = ACTIONS[name].form
    if form_class is AssignForm:
        return AssignForm(need=need, prefix=name)
    if form_class is MergeForm:
        return MergeForm(initial={"title": need.title}, prefix=name)
    return form_class(prefix=name)


@login_required
def need_photo(request, pk, photo_pk):
    need = get_object_or_404(Need, pk=pk)
    if not request.user.has_perm("needs.view_need_private", need):
        raise PermissionDenied
    photo = get_object_or_404(need.photos, pk=photo_pk)
    return FileResponse(photo.image.open("rb"))


# Every action on a need (accept, dispatch, answer, rate…), from the one action table.
need_action = ACTIONS.page_view(Need)


def _queue_scope(user):
    regions = scope_regions(user, REGIONAL_STAFF_ROLES)
    scope = subtree_q(regions, field="region")
    if has_role(user, Role.DEPARTMENT_OFFICER):
        scope |= Q(department_id__in=role_facts(user).verified_organisation_ids)
    return regions, scope


# What a row of the queue shows (staff_queue.html); the rest of each need is not read.
QUEUE_ROW_FIELDS = (
    *("title", "channel", "status", "is_overdue", "accept_deadline", "answer_deadline", "created_at"),
    *("category", "category__name", "category__name_en", "region", "region__name", "region__name_en"),
    *("department", "department__name", "department__name_en"),
)


@login_required
def staff_queue(request):
    if not (request.user.has_perm("needs.view_queue") or has_role(request.user, Role.DEPARTMENT_OFFICER)):
        raise PermissionDenied
    regions, scope = _queue_scope(request.user)
    form = QueueFilterForm(request.GET or None, regions=regions)
    searched = None  # what the search layer said of the words typed, if any
    needs = Need.objects.filter(scope).select_related("category", "region", "department").only(*QUEUE_ROW_FIELDS)
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
        if f["q"].strip():
            found, partial = find_cases(f["q"], regions=regions)
            needs = needs.filter(pk__in=found) if found is not None else needs.none()
            searched = {"failed": found is None, "partial": partial}
    else:
        needs = needs.filter(status__in=OPEN_STATUSES)
    needs = needs.order_by("-is_overdue", "created_at", "id")
    page = lookahead_page(needs, request.GET.get("page"), 50)
    dispatch_fields, assign_fields = queue_forms.bulk_fields(request, regions)
    return render(
        request,
        "needs/staff_queue.html",
        {
            "page": page,
            "filter_fields": queue_forms.filter_fields(request, form, regions),
            "dispatch_fields": dispatch_fields,
            "assign_fields": assign_fields,
            "can_enter": request.user.has_perm("needs.enter_need"),
            "searched": searched,
        },
    )


@login_required
@require_POST
def staff_queue_bulk(request):
    """Bulk accept, dispatch, assign or merge the selected needs, through the need's own action table.

    One transaction for the batch, a savepoint per need: a need that cannot move is reported and
    the others still move; residents told about several of their needs get one email.
    """
    action = request.POST.get("action")
    ids = [int(i) for i in request.POST.getlist("needs") if i.isdigit()]
    needs = list(Need.objects.filter(pk__in=ids).select_related("region", "category"))
    if not needs or action not in BULK_ACTIONS:
        messages.error(request, _("Select needs and an action."))
        return redirect("needs:staff_queue")
    chosen = ACTIONS[action]
    for need in needs:
        if not request.user.has_perm(chosen.perm, need):
            raise PermissionDenied
    done, failed = 0, []
    if action == "merge":
        form = MergeForm({"title": request.POST.get("title") or needs[0].title})
        form.is_valid()
        try:
            _project, merged = services.merge_needs(by=request.user, needs=needs, **form.cleaned_data)
            done = len(merged)
        except DomainError as exc:
            failed.append(exc.message)
    else:
        form = chosen.form(request.POST) if action in ("dispatch", "assign") else None
        if form is not None and not form.is_valid():
            messages.error(request, _("Choose the department or the staff member."))
            return redirect("needs:staff_queue")
        data = form.cleaned_data if form is not None else {}
        with transaction.atomic():
            for need in needs:
                try:
                    chosen.run(request.user, need, data)
                    done += 1
                except DomainError as exc:
                    failed.append(f"{need.title}: {exc.message}")
    if done:
        messages.success(request, _("%(n)d needs updated.") % {"n": done})
    for message in failed:
        messages.error(request, message)
    return redirect("needs:staff_queue")
