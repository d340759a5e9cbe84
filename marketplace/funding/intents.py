"""Gifts pledged and counted: offline pledges, Stripe PaymentIntents, confirmations.

The overshoot rule. A project asks for its funding target and no more. When a gift
is confirmed the project's row is locked and the gift is accepted up to the gap that
remains (target less what is raised). The rest is refunded automatically: the ledger
gets the whole gift and a refund entry for the excess, so the books show both; a
Stripe payment has the excess refunded through Stripe's API (after the commit, with
an idempotency key: `refunds.ask_stripe`), an offline payment is marked partly refunded
(or refunded, if nothing was needed) with the amount staff are to return. The confirmation
that reaches the target moves the project to FUNDED (`move_project(by=None)`: the system's move).

Stripe is called outside any transaction: a card gift's payment row is committed first, then
its PaymentIntent is made (idempotency key `gongzhi-payment-<id>`) and its id stored; if the
process dies in between, the card page makes (finds) it again (`start_intent`).
"""

import logging

import stripe
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.projects.models import Project, ProjectStatus
from marketplace.projects.services import move_project
from portal.core.errors import DomainError
from portal.core.money import format_money
from portal.core.transitions import NotPermitted
from portal.notifications.services import notify
from portal.organisations.models import Membership

from . import ledger, refunds
from .models import EntryKind, Payment, PaymentStatus, Provider, Receipt, ReceiptCounter
from .payments import workflow
from .providers import get_provider

logger = logging.getLogger(__name__)
S = PaymentStatus


def _check_project(project):
    if project.status != ProjectStatus.PUBLISHED:
        raise ValidationError(
            _("“%(project)s” is not open for gifts (it is %(status)s).")
            % {"project": project.title, "status": project.get_status_display()},
            code="project_not_open",
        )
    if project.funding_deadline and project.funding_deadline < timezone.now():
        raise ValidationError(_("The time for giving to this project has ended."), code="project_deadline_passed")
    if not project.wants_funds:
        raise ValidationError(_("This project does not ask for money."), code="project_not_funded_by_gifts")


def _check_organisation(by, organisation):
    if organisation is None:
        return
    if not organisation.is_verified or not Membership.objects.filter(user=by, organisation=organisation).exists():
        raise ValidationError(
            _("You can give on behalf of a verified organisation you belong to only."), code="organisation"
        )


def pledge(*, by, project, amount, provider=Provider.OFFLINE, organisation=None, public_name=False):
    """A gift promised (offline) or started (Stripe). Returns the payment; a Stripe one carries
    `client_secret` for the browser. Nothing is counted until it is confirmed.

    The payment is committed before Stripe is asked for its PaymentIntent: call this outside a transaction."""
    if not getattr(by, "is_authenticated", False):
        raise DomainError(_("Log in to give."), code="login_required")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationError(_("Enter an amount of more than ¥0.00."), code="money_min")
    with transaction.atomic():
        project = Project.objects.get(pk=project.pk)
        _check_project(project)
        _check_organisation(by, organisation)
        chosen = get_provider(provider)
        payment = Payment.objects.create(
            donor=by,
            organisation=organisation,
            project=project,
            amount=amount,
            provider=chosen.name,
            public_name=public_name,
        )
        workflow.start(payment, by=by)
        if payment.provider == Provider.OFFLINE:
            notify(
                users=[by],
                title=lambda u: (
                    _("Your pledge of %(amount)s to “%(project)s”")
                    % {"amount": format_money(amount), "project": project.title}
                ),
                body=lambda u: (
                    _("Thank you. Staff will confirm it when the money arrives; quote pledge number %(number)s.")
                    % {"number": payment.pk}
                ),
                url=payment.get_absolute_url(),
            )
    payment.client_secret = None
    if payment.provider == Provider.STRIPE:
        try:
            start_intent(payment)
        except stripe.StripeError as exc:
            logger.warning("payment %s: Stripe did not make its PaymentIntent", payment.pk, exc_info=True)
            fail_payment(payment=payment, note=str(exc)[:200])
            raise DomainError(_("Card payments are not available at the moment."), code="provider_unavailable") from exc
    return payment


def start_intent(payment):
    """Make the payment's PaymentIntent in Stripe (the same one again, if it was made: idempotency key)
    and store its id; outside any transaction. Sets `payment.client_secret` for the browser."""
    started = get_provider(payment.provider).start(payment)
    if started.external_id and payment.stripe_payment_intent_id != started.external_id:
        Payment.objects.filter(pk=payment.pk, stripe_payment_intent_id__isnull=True).update(
            stripe_payment_intent_id=started.external_id
        )
        payment.stripe_payment_intent_id = started.external_id
    payment.client_secret = started.client_secret
    return payment


def _allocate_receipt(payment, amount, now):
    year = timezone.localdate(now).year
    ReceiptCounter.objects.get_or_create(year=year)
    counter = ReceiptCounter.objects.select_for_update(of=("self",)).get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return Receipt.objects.create(payment=payment, year=year, number=counter.last_number, amount=amount, issued_at=now)


def _apply(payment, *, by, reference="", received_on=None, note=""):
    """Count a gift: lock the project, accept up to the gap, refund the rest, issue the receipt."""
    project = Project.objects.select_for_update(of=("self",)).get(pk=payment.project_id)
    current = workflow.lock(payment)
    if current.counted:
        return current  # already confirmed (a double click, a replayed event): nothing more
    gap = max(0, project.funding_target - project.amount_raised)
    if project.status != ProjectStatus.PUBLISHED:
        gap = 0  # funded (or withdrawn) meanwhile: nothing more is taken
    accepted = min(payment.amount, gap)
    excess = payment.amount - accepted

    def apply(locked, now):
        locked.accepted_amount = accepted
        locked.confirmed_by = by
        if reference:
            locked.reference = reference
        if received_on:
            locked.received_on = received_on

    payment = workflow.move(current, to=S.CONFIRMED, by=by, note=note, apply=apply)
    ledger.append(kind=EntryKind.GIFT, amount=payment.amount, project=project, payment=payment)
    if excess:
        ledger.append(
            kind=EntryKind.REFUND,
            amount=-excess,
            project=project,
            payment=payment,
            note="overshoot: more than the funding target still needed",
        )

        def refund_apply(locked, now):
            locked.refunded_amount = excess

        payment = workflow.move(
            payment,
            to=S.REFUNDED if not accepted else S.PARTIALLY_REFUNDED,
            by=None,
            note=_("%(amount)s was more than the project still needed.") % {"amount": format_money(excess)},
            apply=refund_apply,
        )
        if payment.provider == Provider.STRIPE:
            # Sent to Stripe once this commits (never with the project or the chain head locked).
            refunds.ask_stripe(payment, excess, key="overshoot", note="overshoot")
    receipt = _allocate_receipt(payment, accepted, payment.confirmed_at) if accepted else None
    project.refresh_from_db()
    if project.status == ProjectStatus.PUBLISHED and project.amount_raised >= project.funding_target:
        move_project(by=None, project=project, to=ProjectStatus.FUNDED, note=_("Funding target reached."))
    _tell_confirmed(payment, receipt, excess)
    return payment


def _tell_confirmed(payment, receipt, excess):
    params = {"amount": format_money(payment.amount), "project": payment.project.title}

    def body(user):
        parts = [_("Your gift of %(amount)s to “%(project)s” has arrived. Thank you.") % params]
        if receipt is not None:
            parts.append(_("Your receipt is number %(number)s.") % {"number": receipt.number_display})
        if excess:
            parts.append(
                _("The project needed less than you gave: %(excess)s will be returned to you.")
                % {"excess": format_money(excess)}
            )
        return " ".join(parts)

    notify(
        users=[payment.donor],
        title=lambda u: _("Gift received: %(amount)s") % params,
        body=body,
        url=payment.get_absolute_url(),
    )


@transaction.atomic
def confirm_offline(*, by, payment, reference, received_on, note=""):
    """Staff of the project's region record that an offline pledge's money has arrived."""
    if payment.provider != Provider.OFFLINE:
        raise DomainError(_("Only offline pledges are confirmed by hand."), code="not_offline")
    if not by.has_perm("funding.confirm_payment", payment):
        raise NotPermitted()
    if received_on and received_on > timezone.localdate():
        raise ValidationError(_("The date received cannot be in the future."), code="received_on_future")
    return _apply(payment, by=by, reference=reference, received_on=received_on, note=note)


@transaction.atomic
def confirm_stripe(*, payment, intent):
    """The system counts a Stripe payment whose PaymentIntent (as re-read from Stripe, before this
    transaction) succeeded."""
    if intent["status"] != "succeeded" or int(intent["amount"]) != payment.amount:
        raise DomainError("payment intent not succeeded or amount differs", code="intent_mismatch")
    return _apply(payment, by=None, reference=intent["id"], received_on=timezone.localdate())


@transaction.atomic
def fail_payment(*, payment, note=""):
    return workflow.move(payment, to=S.FAILED, by=None, note=note)


@transaction.atomic
def cancel_payment(*, by, payment, note=""):
    return workflow.move(payment, to=S.CANCELLED, by=by, perm="funding.cancel_payment", note=note)


@transaction.atomic
def cancel_pledges_of_withdrawn(project):
    """A withdrawn project takes no more money: its offline pledges still waiting are cancelled, each donor told.

    (A card payment still pending stays as Stripe has it: if it succeeds, the confirmation finds the project
    closed and refunds it in full, as for any overshoot.)"""
    pending = Payment.objects.filter(project=project, status=S.PENDING, provider=Provider.OFFLINE)

    def tell(payment, previous):
        notify(
            users=[payment.donor],
            title=lambda u, p=payment: _("Your pledge to “%(project)s” is cancelled") % {"project": project.title},
            body=lambda u, p=payment: (
                _(
                    "The project was withdrawn, so pledge %(number)s of %(amount)s is cancelled. Please do not send "
                    "the money; if you already have, the office will return it."
                )
                % {"number": p.pk, "amount": format_money(p.amount)}
            ),
            url=payment.get_absolute_url(),
        )

    # All at once: one timeline entry, event and message per pledge.
    return workflow.move_many(pending, to=S.CANCELLED, note=_("The project was withdrawn."), after=tell)
