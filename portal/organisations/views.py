from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.roles import ADMINISTRATIVE_ROLES, scope_regions
from portal.core.errors import DomainError
from portal.regions.models import subtree_q

from . import services
from .actions import VERIFICATION_ACTIONS
from .forms import DecisionForm, DocumentForm, InvitationForm, OrganisationForm
from .models import Membership, Organisation, OrganisationKind, VerificationDocument, VerificationStatus

# Which form field a service's refusal is about.
FIELD_OF_ERROR = {"duplicate": "uscc", "department_kind": "kind", "kind": "kind"}


def organisation_list(request):
    organisations = (
        Organisation.objects.verified().select_related("region").prefetch_related("categories").order_by("name")
    )
    kind = request.GET.get("kind")
    if kind in OrganisationKind.values:
        organisations = organisations.filter(kind=kind)
    page = Paginator(organisations, 24).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/organisation_list.html",
        {"page": page, "kinds": OrganisationKind.choices, "kind": kind},
    )


def organisation_detail(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.select_related("region").prefetch_related("categories", "service_regions"), slug=slug
    )
    if not request.user.has_perm("organisations.view_organisation", organisation):
        raise PermissionDenied
    can_manage = request.user.has_perm("organisations.manage_members", organisation)
    context = {
        "organisation": organisation,
        "can_edit": request.user.has_perm("organisations.change_organisation", organisation),
        "can_manage": can_manage,
        "can_verify": request.user.has_perm("organisations.verify_organisation", organisation),
        "can_view_documents": request.user.has_perm("organisations.view_documents", organisation),
    }
    if can_manage:
        context["memberships"] = organisation.memberships.select_related("user")
        context["invitations"] = organisation.invitations.filter(accepted_at__isnull=True)
        context["invitation_form"] = InvitationForm()
        context["document_form"] = DocumentForm()
    if context["can_view_documents"]:
        context["documents"] = organisation.documents.all()
    if context["can_verify"]:
        context["decision_form"] = DecisionForm()
        context["verification_actions"] = VERIFICATION_ACTIONS.available(organisation, request.user)
    return render(request, "organisations/organisation_detail.html", context)


def _save_form(request, form, organisation=None):
    data = dict(form.cleaned_data)
    service_regions = data.pop("service_regions")
    categories = data.pop("categories")
    if organisation is None:
        return services.register_organisation(
            by=request.user, service_regions=service_regions, categories=categories, **data
        )
    return services.update_organisation(
        by=request.user, organisation=organisation, service_regions=service_regions, categories=categories, **data
    )


@login_required
def organisation_register(request):
    form = OrganisationForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = _save_form(request, form)
        except DomainError as exc:
            form.add_error(FIELD_OF_ERROR.get(exc.code), exc.message)
        else:
            messages.success(
                request,
                _("%(name)s is registered. Upload its documents so staff can verify it.") % {"name": organisation.name},
            )
            return redirect(organisation)
    return render(request, "organisations/organisation_form.html", {"form": form})


@login_required
def organisation_edit(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("organisations.change_organisation", organisation):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            _save_form(request, form, Organisation.objects.get(pk=organisation.pk))
        except DomainError as exc:
            form.add_error(FIELD_OF_ERROR.get(exc.code), exc.message)
        else:
            messages.success(request, _("The profile has been saved."))
            return redirect(organisation)
    return render(request, "organisations/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
@require_POST
def member_invite(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("organisations.manage_members", organisation):
        raise PermissionDenied
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid email address."))
    else:
        try:
            services.invite_member(by=request.user, organisation=organisation, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
    return redirect(organisation)


@login_required
@require_POST
def member_remove(request, slug, pk):
    membership = get_object_or_404(Membership.objects.select_related("organisation"), organisation__slug=slug, pk=pk)
    try:
        services.remove_member(by=request.user, membership=membership)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Member removed."))
    return redirect(membership.organisation)


@login_required
def invitation_accept(request, token):
    if request.method == "POST":
        try:
            membership = services.accept_invitation(by=request.user, token=token)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("accounts:profile")
        messages.success(request, _("You have joined %(org)s.") % {"org": membership.organisation.name})
        return redirect(membership.organisation)
    from .models import Invitation

    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), token=token)
    return render(request, "organisations/invitation_accept.html", {"invitation": invitation})


@login_required
@require_POST
def document_upload(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("organisations.upload_document", organisation):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        services.upload_verification_document(by=request.user, organisation=organisation, **form.cleaned_data)
        messages.success(request, _("Document uploaded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(organisation)


@login_required
def document_download(request, slug, pk):
    document = get_object_or_404(
        VerificationDocument.objects.select_related("organisation"), organisation__slug=slug, pk=pk
    )
    if not request.user.has_perm("organisations.view_documents", document.organisation):
        raise PermissionDenied
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def organisation_decide(request, slug, decision):
    organisation = get_object_or_404(Organisation, slug=slug)
    chosen = VERIFICATION_ACTIONS[decision]
    if not request.user.has_perm(chosen.perm, organisation):
        raise PermissionDenied
    form = chosen.form(request.POST)
    form.is_valid()
    try:
        chosen.run(request.user, organisation, form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, chosen.done % {"name": organisation.name})
    return redirect(organisation)


@login_required
def verification_queue(request):
    regions = scope_regions(request.user, ADMINISTRATIVE_ROLES)
    if not regions:
        raise PermissionDenied
    organisations = (
        Organisation.objects.filter(subtree_q(regions))
        .exclude(verification_status=VerificationStatus.VERIFIED)
        .select_related("region")
        .order_by("verification_status", "created_at")
    )
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    return render(request, "organisations/verification_queue.html", {"page": page})
