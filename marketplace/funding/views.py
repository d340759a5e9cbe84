import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from marketplace.projects.models import Project
from portal.core.errors import DomainError
from portal.core.rendered import serve_file

from . import deadlines, funders, intents
from .actions import ACTIONS, offered
from .forms import ConfirmForm, DeadlineChoiceForm, GiveForm, RefundForm, ReturnForm
from .instructions import PaymentInstructions
from .models import (
    DeadlineChoice,
    DeadlineChoiceStatus,
    LedgerEntry,
    Payment,
    PaymentStatus,
    Provider,
    Receipt,
    StripeEvent,
    StripeEventStatus,
)
from .renderers import GIFTS_CSV, PROJECT_LEDGER_CSV, RECEIPT_PDF, gifts_fingerprint, gifts_in

logger = logging.getLogger(__name__)


@login_required
def give(request, pk):
    """The "Give" form of a published project: an offline pledge, or on to the card page."""
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    form = GiveForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = intents.pledge(
                by=request.user,
                project=project,
                amount=data["amount"],
                provider=data["provider"],
                organisation=data.get("organisation"),
                public_name=data["public_name"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if payment.provider == Provider.STRIPE:
                return redirect("funding:pay", pk=payment.pk)
            messages.success(request, _("Thank you. Your pledge is recorded; staff confirm it when the money arrives."))
            return redirect(payment)
    return render(request, "funding/give.html", {"project": project, "form": form})


def _payment_for(request, pk):
    payment = get_object_or_404(
        Payment.objects.select_related("project", "project__region", "organisation", "donor"), pk=pk
    )
    if not request.user.has_perm("funding.view_payment", payment):
        raise PermissionDenied
    return payment


@login_required
def payment_detail(request, pk):
    payment = _payment_for(request, pk)
    actions = offered(payment, request.user)
    context = {
        "payment": payment,
        "receipt": getattr(payment, "receipt", None),
        "entries": payment.ledger_entries.order_by("sequence"),
        "confirm_form": ConfirmForm(prefix="confirm") if "confirm" in actions else None,
        "refund_form": RefundForm(prefix="refund") if "refund" in actions else None,
        "return_form": ReturnForm(prefix="return") if "return" in actions else None,
        "choices": payment.deadline_choices.select_related("project", "moved_to").order_by("-created_at"),
        "instructions": PaymentInstructions.load(request_or_site=request) if payment.provider == "offline" else None,
    }
    return render(request, "funding/payment_detail.html", context)


@login_required
def pay(request, pk):
    """The card page: Stripe.js (from STRIPE_JS_URL, allowed by this page's CSP only) confirms the intent.

    After a declined card the page opens again (the payment's page links here): the declined intent is
    replaced by a fresh one (`intents.renew_intent`), or, if it was paid meanwhile, the gift is counted."""
    import stripe

    payment = _payment_for(request, pk)
    if payment.donor_id != request.user.pk or payment.provider != Provider.STRIPE:
        raise PermissionDenied
    if payment.status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
        return redirect(payment)
    try:
        if not payment.stripe_payment_intent_id:  # the process died between Stripe's answer and storing it
            intents.start_intent(payment)
        payment = intents.renew_intent(payment)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(payment)
    except stripe.StripeError:
        logger.warning("payment %s: Stripe did not answer on the card page", payment.pk, exc_info=True)
        messages.error(request, _("Card payments are not available at the moment."))
        return redirect(payment)
    if payment.status != PaymentStatus.PENDING or not payment.client_secret:
        return redirect(payment)
    intent = {"client_secret": payment.client_secret}
    response = render(
        request,
        "funding/pay.html",
        {
            "payment": payment,
            "client_secret": intent["client_secret"],
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            "stripe_js_url": settings.STRIPE_JS_URL,
        },
    )
    # This page alone may load Stripe.js and talk to Stripe (see portal/core/csp.py).
    origins = sorted({_origin(settings.STRIPE_JS_URL), _origin(settings.STRIPE_API_BASE or "https://api.stripe.com")})
    response._csp_update = {"script-src": origins, "frame-src": origins, "connect-src": origins}
    return response


def _origin(url):
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@login_required
def my_gifts(request):
    payments = (
        Payment.objects.filter(donor=request.user)
        .select_related("project", "receipt", "organisation")
        .order_by("-created_at", "-id")
    )
    choices = (
        DeadlineChoice.objects.filter(payment__donor=request.user, status=DeadlineChoiceStatus.PENDING)
        .select_related("project", "payment")
        .order_by("choose_by")
    )
    return render(request, "funding/my_gifts.html", {"payments": payments, "choices": choices})


@login_required
def offline_queue(request):
    """Offline pledges waiting for their money, in the staff member's area."""
    payments = (
        Payment.objects.visible_to(request.user)
        .exclude(donor=request.user)
        .filter(status=PaymentStatus.PENDING, provider=Provider.OFFLINE)
        .select_related("project", "donor")
        .order_by("created_at")
    )
    from portal.accounts.roles import ADMINISTRATIVE_ROLES, scope_regions

    if not request.user.is_superuser and not scope_regions(request.user, ADMINISTRATIVE_ROLES):
        raise PermissionDenied
    waiting_events = StripeEvent.objects.filter(
        status=StripeEventStatus.WAITING,
        **({} if request.user.is_superuser else {"payment__in": Payment.objects.visible_to(request.user)}),
    ).count()
    to_return = (
        Payment.objects.visible_to(request.user)
        .exclude(donor=request.user)
        .filter(provider=Provider.OFFLINE, refunded_amount__gt=models.F("returned_amount"))
        .select_related("project", "donor")
        .order_by("refunded_at")
    )
    return render(
        request,
        "funding/offline_queue.html",
        {
            "payments": payments[:200],
            "to_return": to_return[:200],
            "can_export": True,
            "waiting_events": waiting_events,
        },
    )


@login_required
def stripe_events(request):
    """Stripe's events that could not be applied (yet), for staff who handle payments in their area: what
    each says, about which gift, and why it waits. The reconciliation job tries them again."""
    from portal.accounts.roles import ADMINISTRATIVE_ROLES, scope_regions

    if not request.user.is_superuser and not scope_regions(request.user, ADMINISTRATIVE_ROLES):
        raise PermissionDenied
    events = StripeEvent.objects.filter(status=StripeEventStatus.WAITING)
    if not request.user.is_superuser:
        events = events.filter(payment__in=Payment.objects.visible_to(request.user))
    events = events.select_related("payment", "payment__project").order_by("received_at", "pk")
    return render(request, "funding/stripe_events.html", {"events": events[:500]})


@login_required
def receipt_pdf(request, pk):
    receipt = get_object_or_404(Receipt.objects.select_related("payment__project__region"), pk=pk)
    if not request.user.has_perm("funding.view_receipt", receipt):
        raise PermissionDenied
    return serve_file(request, RECEIPT_PDF, receipt.files_key, pending_context={"title": receipt.number_display})


payment_action = ACTIONS.page_view(Payment)


@login_required
def choice_detail(request, pk):
    """A donor's choice for a gift whose project missed its deadline: shown to the donor (and staff of the
    area), made by the donor alone (POST with CSRF)."""
    choice = get_object_or_404(
        DeadlineChoice.objects.select_related("payment", "payment__project", "project__region", "moved_to"), pk=pk
    )
    if not request.user.has_perm("funding.view_deadline_choice", choice):
        raise PermissionDenied
    pending = choice.status == DeadlineChoiceStatus.PENDING
    can_choose = pending and deadlines.may_choose(request.user, choice)  # the donor alone, never a superuser
    can_apply_default = pending and not can_choose and deadlines.may_apply_default(request.user, choice)
    form = None
    if request.method == "POST" and "apply_default" in request.POST:
        if not deadlines.may_apply_default(request.user, choice):
            raise PermissionDenied
        try:
            deadlines.apply_default_for(by=request.user, choice=choice)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The default is applied: the gift is returned to its donor."))
        return redirect(choice)
    if request.method == "POST":
        if not deadlines.may_choose(request.user, choice):
            raise PermissionDenied
        form = DeadlineChoiceForm(request.POST, choice=choice)
        if form.is_valid():
            data = form.cleaned_data
            try:
                deadlines.choose_for_gift(
                    by=request.user, choice=choice, option=data["option"], target=data.get("project")
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Your choice is recorded."))
                return redirect(choice)
    elif can_choose:
        form = DeadlineChoiceForm(choice=choice)
    return render(
        request,
        "funding/choice_detail.html",
        {
            "choice": choice,
            "payment": choice.payment,
            "form": form if can_choose else None,
            "can_apply_default": can_apply_default,
        },
    )


def funder_person(request, pk):
    """The public page of a person who gave under their own name (and only what they gave named)."""
    from django.contrib.auth import get_user_model

    person = get_object_or_404(get_user_model(), pk=pk, is_active=True)
    supported = funders.supported_projects(funders.named_gifts_of_person(person))
    if not supported:
        raise Http404
    return render(
        request, "funding/funder_detail.html", {"name": person.public_name, "supported": supported, "person": person}
    )


def funder_organisation(request, pk):
    """The public page of an organisation that gave under its name."""
    from portal.organisations.models import Organisation

    organisation = get_object_or_404(Organisation, pk=pk)
    supported = funders.supported_projects(funders.named_gifts_of_organisation(organisation))
    if not supported:
        raise Http404
    return render(
        request,
        "funding/funder_detail.html",
        {"name": organisation.name_for(request.user), "supported": supported, "organisation": organisation},
    )


@login_required
def project_ledger_csv(request, pk):
    """A project's ledger as CSV, for staff of its area (drawn in a task, served from private storage)."""
    project = get_object_or_404(Project.objects.select_related("region"), pk=pk)
    if not request.user.has_perm("funding.export_project_ledger", project):
        raise PermissionDenied
    last = LedgerEntry.objects.filter(project=project).aggregate(last=models.Max("sequence"))["last"] or 0
    key = f"{request.LANGUAGE_CODE}:{project.pk}:{last}"
    return serve_file(request, PROJECT_LEDGER_CSV, key, as_attachment=True, pending_context={"title": project.title})


@login_required
def gifts_csv(request):
    """Every gift to projects in the staff member's area, as CSV."""
    from portal.accounts.roles import ADMINISTRATIVE_ROLES, scope_regions

    if not request.user.has_perm("funding.export_gifts"):
        raise PermissionDenied
    region_ids = sorted(r.pk for r in scope_regions(request.user, ADMINISTRATIVE_ROLES))
    payments = gifts_in(region_ids)
    key = f"{request.LANGUAGE_CODE}:{'-'.join(map(str, region_ids))}:{gifts_fingerprint(payments)}"
    return serve_file(request, GIFTS_CSV, key, as_attachment=True, pending_context={"title": _("All gifts")})


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's events: signature checked, each applied once (see webhooks.py)."""
    import stripe

    from .webhooks import handle_event

    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        return HttpResponse(status=404)
    try:
        event = stripe.Webhook.construct_event(request.body, request.headers.get("Stripe-Signature", ""), secret)
    except (ValueError, stripe.SignatureVerificationError):
        return HttpResponseBadRequest("invalid payload or signature")
    event = event.to_dict() if hasattr(event, "to_dict") else event
    try:
        event_id, event_type, obj = event["id"], event["type"], event["data"]["object"]
        if not isinstance(event_id, str) or not isinstance(obj, dict):
            raise TypeError
    except (KeyError, TypeError):
        return HttpResponseBadRequest("not an event")
    handle_event({"id": event_id, "type": event_type, "data": {"object": obj}})
    return HttpResponse(status=200)
