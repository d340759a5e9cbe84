import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from portal.core.errors import DomainError
from portal.regions.models import subtree_q

from . import services
from .actions import RESIDENCE_ACTIONS
from .forms import DeleteAccountForm, ProfileForm
from .middleware import LANGUAGE_CODES
from .models import Role, RoleAssignment
from .privacy import export_user_data
from .roles import ADMINISTRATIVE_ROLES, role_facts, scope_regions


@login_required
def profile(request):
    user = request.user
    # The form works on its own copy: a ModelForm writes into its instance while validating,
    # and the service must see the old values to know what changed.
    form = ProfileForm(request.POST or None, instance=get_user_model().objects.get(pk=user.pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_profile(by=user, user=user, **data)
        messages.success(request, _("Your profile has been saved."))
        response = redirect("accounts:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, data["language"], samesite="Lax")
        return response
    residence = user.role_assignments.filter(role=Role.RESIDENT).select_related("region").first()
    facts = role_facts(user)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "residence": residence,
            "roles": sorted(Role(r).label for r in facts.roles),
            "memberships": user.memberships.select_related("organisation"),
        },
    )


@login_required
def export_data(request):
    if not request.user.has_perm("accounts.export_user_data", request.user):
        raise PermissionDenied
    payload = json.dumps(export_user_data(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gongzhi-{request.user.username}.json"'
    return response


@login_required
def delete_account(request):
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_account(by=user, user=user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            logout(request)
            messages.success(request, _("Your account and personal data have been deleted."))
            return redirect("/")
    return render(request, "accounts/delete_account.html", {"form": form})


@csrf_exempt
@require_POST
def switch_language(request):
    """Django's set_language, remembering the choice on the profile too.

    Anonymous pages carry no CSRF token, so they can be cached for everyone; choosing
    a language there changes nothing but a cookie. A signed-in user's profile does
    change, so for them the CSRF check applies as usual.
    """
    if request.user.is_authenticated:
        rejected = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
        if rejected is not None:
            return rejected
    response = set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in LANGUAGE_CODES:
        get_user_model().objects.filter(pk=request.user.pk).update(language=language)
    return response


@login_required
def residence_queue(request):
    regions = scope_regions(request.user, ADMINISTRATIVE_ROLES)
    if not regions:
        raise PermissionDenied
    pending = (
        RoleAssignment.objects.filter(role=Role.RESIDENT, verified_at__isnull=True)
        .filter(subtree_q(regions))
        .select_related("user", "region")
        .order_by("created_at")[:200]
    )
    return render(request, "accounts/residence_queue.html", {"pending": pending})


@login_required
@require_POST
def residence_verify(request, pk):
    assignment = get_object_or_404(RoleAssignment, pk=pk, role=Role.RESIDENT)
    chosen = RESIDENCE_ACTIONS["verify"]
    chosen.run(request.user, assignment, {})
    messages.success(request, chosen.done % {"user": assignment.user})
    return redirect("accounts:residence_queue")
