from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.projects.models import Project
from portal.accounts.roles import ADMINISTRATIVE_ROLES, role_facts, scope_regions
from portal.core.errors import DomainError
from portal.core.paging import lookahead_page
from portal.core.transitions import NotPermitted, labelled_timeline
from portal.regions.models import subtree_q

from . import services
from .actions import ADOPTION_ACTIONS, BID_ACTIONS
from .forms import CLAIM_FORMS, BidForm, OpinionForm
from .models import Adoption, AdoptionStatus, Bid, BidStatus

PAGE_SIZE = 30


def _visible_project(request, pk):
    return get_object_or_404(Project.objects.visible_to(request.user).select_related("region"), pk=pk)


@login_required
def claim_project(request, pk, mode):
    """The claim form of one mode (fund, in kind, volunteer); the project page shows the same forms."""
    project = _visible_project(request, pk)
    form_class = CLAIM_FORMS.get(mode)
    if form_class is None:
        raise Http404
    form = form_class(request.POST or None, user=request.user, project=project, prefix=mode)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            adoption = services.claim_project(by=request.user, project=project, mode=mode, **data)
        except NotPermitted as exc:
            form.add_error("organisation" if "organisation" in form.fields else None, exc.message)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Thank you. Your claim is sent; staff will tell you their decision."))
            return redirect(adoption)
    return render(request, "adoptions/claim_form.html", {"project": project, "form": form, "mode": mode})


@login_required
def my_claims(request):
    """The person's claims and their organisations' claims and bids."""
    organisation_ids = role_facts(request.user).organisation_ids
    claims = (
        Adoption.objects.filter(Q(claimant=request.user) | Q(organisation_id__in=organisation_ids))
        .select_related("project", "organisation", "in_kind_item")
        .order_by("-created_at", "-id")
    )
    bids = (
        Bid.objects.filter(organisation_id__in=organisation_ids)
        .select_related("project", "organisation")
        .order_by("-created_at", "-id")[:50]
    )
    page = lookahead_page(claims, request.GET.get("page"), PAGE_SIZE)
    return render(request, "adoptions/my_claims.html", {"page": page, "bids": bids})


@login_required
def staff_queue(request):
    """Pending claims on projects in the staff member's area, oldest first, and the projects with bids to compare."""
    if not request.user.has_perm("adoptions.view_queue"):
        raise PermissionDenied
    scope = subtree_q(scope_regions(request.user, ADMINISTRATIVE_ROLES), field="project__region")
    claims = (
        Adoption.objects.filter(scope, status=AdoptionStatus.PENDING)
        .select_related("project", "organisation", "claimant", "in_kind_item")
        .order_by("created_at", "id")
    )
    page = lookahead_page(claims, request.GET.get("page"), 50)
    competitions = (
        Project.objects.filter(subtree_q(scope_regions(request.user, ADMINISTRATIVE_ROLES)))
        .filter(bids__status=BidStatus.SUBMITTED)
        .annotate(open_bids=Count("bids", filter=Q(bids__status=BidStatus.SUBMITTED)))
        .order_by("-open_bids", "pk")[:50]
    )
    return render(request, "adoptions/staff_queue.html", {"page": page, "competitions": competitions})


def adoption_detail(request, pk):
    adoption = get_object_or_404(
        Adoption.objects.select_related("project", "organisation", "claimant", "in_kind_item", "bid"), pk=pk
    )
    user = request.user
    if not user.has_perm("adoptions.view_adoption", adoption):
        raise PermissionDenied if user.is_authenticated else Http404
    available = ADOPTION_ACTIONS.available(adoption, user)
    forms = {
        name: ADOPTION_ACTIONS[name].form(prefix=name) for name in available if ADOPTION_ACTIONS[name].form is not None
    }
    return render(
        request,
        "adoptions/adoption_detail.html",
        {
            "adoption": adoption,
            "available": available,
            "forms": forms,
            "events": labelled_timeline(adoption, AdoptionStatus),
        },
    )


adoption_action = ADOPTION_ACTIONS.page_view(Adoption)


@login_required
def submit_bid(request, pk):
    project = _visible_project(request, pk)
    if not request.user.has_perm("adoptions.add_bid"):
        raise PermissionDenied
    form = BidForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            bid = services.submit_bid(by=request.user, project=project, **data)
        except (DomainError, ValidationError) as exc:
            form.add_error(None, getattr(exc, "message", None) or " ".join(exc.messages))
        else:
            messages.success(request, _("Your bid is submitted. Staff will tell you when they have chosen."))
            return redirect(bid)
    return render(request, "adoptions/bid_form.html", {"project": project, "form": form})


def _select_form(bid):
    # One form per bid on the comparison page: the same field name for the action view, ids of its own.
    return BID_ACTIONS["select"].form(prefix="select", auto_id=f"id_bid{bid.pk}_%s")


@login_required
def compare_bids(request, pk):
    """Every bid of a project side by side, the representatives' opinions, and the selection."""
    project = _visible_project(request, pk)
    if not request.user.has_perm("adoptions.compare_bids", project):
        raise PermissionDenied
    bids = list(
        project.bids.exclude(status=BidStatus.WITHDRAWN)
        .select_related("organisation", "submitted_by")
        .prefetch_related("attachments", "opinions")
        .order_by("price", "created_at")
    )
    can_select = not any(b.status == BidStatus.SELECTED for b in bids)
    for bid in bids:
        bid.select_form = (
            _select_form(bid) if can_select and "select" in BID_ACTIONS.available(bid, request.user) else None
        )
    opinions = project.bid_opinions.select_related("bid__organisation")
    return render(
        request,
        "adoptions/bid_compare.html",
        {
            "project": project,
            "bids": bids,
            "opinions": opinions,
            "opinion_form": OpinionForm(project=project, prefix="opinion") if can_select else None,
            "selected": next((b for b in bids if b.status == BidStatus.SELECTED), None),
            "can_select": can_select and any(b.select_form for b in bids),
        },
    )


@login_required
@require_POST
def record_opinion(request, pk):
    project = _visible_project(request, pk)
    if not request.user.has_perm("adoptions.compare_bids", project):
        raise PermissionDenied
    form = OpinionForm(request.POST, project=project, prefix="opinion")
    if form.is_valid():
        try:
            services.record_opinion(by=request.user, project=project, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The opinion is recorded."))
    else:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect("adoptions:bid_compare", pk=project.pk)


def bid_detail(request, pk):
    bid = get_object_or_404(Bid.objects.select_related("project__region", "organisation", "submitted_by"), pk=pk)
    user = request.user
    if not user.has_perm("adoptions.view_bid", bid):
        raise Http404  # a bid's existence is not for other NGOs to learn
    available = BID_ACTIONS.available(bid, user)
    return render(
        request,
        "adoptions/bid_detail.html",
        {
            "bid": bid,
            "project": bid.project,
            "private": user.has_perm("adoptions.view_bid_private", bid),
            "available": available,
            "select_form": _select_form(bid) if "select" in available else None,
            "can_compare": user.has_perm("adoptions.compare_bids", bid.project),
            "events": labelled_timeline(bid, BidStatus) if user.has_perm("adoptions.view_bid_private", bid) else (),
        },
    )


bid_action = BID_ACTIONS.page_view(Bid)


@login_required
def bid_attachment(request, pk, attachment_pk):
    bid = get_object_or_404(Bid.objects.select_related("project__region"), pk=pk)
    if not request.user.has_perm("adoptions.view_bid_private", bid):
        raise Http404
    attachment = get_object_or_404(bid.attachments, pk=attachment_pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
