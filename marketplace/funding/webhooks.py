"""Stripe's events: verified, stored once, applied once, never trusted on their own word.

Each event's id goes into `StripeEvent` (unique) in the same transaction as what the
event changes, so a replayed or concurrent duplicate changes nothing. The event only
says *which* PaymentIntent to look at: its state is re-read from Stripe before anything
is counted. Refunds are entered once per Stripe refund id; the refund of an overshoot
(made by us, already in the ledger) is recognised by its metadata and skipped.
"""

import logging

from django.db import IntegrityError, transaction

from portal.core.errors import DomainError

from . import services
from .models import Payment, PaymentStatus, StripeEvent
from .providers import StripeProvider, plain, stripe_client

logger = logging.getLogger(__name__)

INTENT_EVENTS = {
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
    "payment_intent.processing",
}
REFUND_EVENTS = {"charge.refunded", "charge.refund.updated", "refund.created", "refund.updated"}


@transaction.atomic
def apply_intent(intent_id):
    """Bring our payment in line with the PaymentIntent as Stripe has it now. Idempotent."""
    payment = Payment.objects.filter(stripe_payment_intent_id=intent_id).first()
    if payment is None:
        logger.warning("payment intent %s: no payment of ours", intent_id)
        return None
    intent = StripeProvider().retrieve(intent_id)
    status = intent["status"]
    if status == "succeeded":
        return services.confirm_stripe(payment=payment, intent=intent)
    if status == "canceled" and payment.status == PaymentStatus.PENDING:
        return services.workflow.move(payment, to=PaymentStatus.CANCELLED, by=None, note="canceled in Stripe")
    if status == "requires_payment_method" and intent.get("last_payment_error") and payment.status == "pending":
        # Stripe lets the donor try another card on the same intent: failed for now, not final in Stripe.
        return services.fail_payment(payment=payment, note=str(intent["last_payment_error"].get("message", ""))[:200])
    return payment


def _refunds_of(charge_or_refund):
    obj = charge_or_refund
    if obj.get("object") == "refund":
        return [obj]
    refunds = obj.get("refunds") or {}
    if isinstance(refunds, dict):
        return list(refunds.get("data") or [])
    return []


@transaction.atomic
def apply_refunds(obj):
    """Enter the refunds made in Stripe (by staff in the dashboard), each once."""
    stripe = stripe_client()
    intent_id = obj.get("payment_intent")
    payment = Payment.objects.filter(stripe_payment_intent_id=intent_id).first() if intent_id else None
    if payment is None:
        return None
    refunds = _refunds_of(obj)
    if obj.get("object") == "charge" and not refunds:
        refunds = [plain(r) for r in stripe.Refund.list(payment_intent=intent_id).auto_paging_iter()]
    for listed in refunds:
        refund = plain(stripe.Refund.retrieve(listed["id"]))  # re-read: the event's copy is not trusted
        if refund.get("status") != "succeeded" or refund.get("payment_intent") not in (intent_id, None):
            continue
        reason = (refund.get("metadata") or {}).get("reason") or ""
        if reason == "overshoot" or reason.startswith("deadline-"):
            continue  # our own refund of an overshoot or a deadline choice: in the ledger already
        try:
            services.record_refund(
                by=None,
                payment=payment,
                amount=int(refund["amount"]),
                note="refund in Stripe",
                stripe_refund_id=refund["id"],
            )
        except (DomainError, IntegrityError):
            logger.warning("refund %s of payment %s not entered", refund["id"], payment.pk, exc_info=True)
    return payment


def handle_event(event):
    """Apply one verified event exactly once. Returns False if it had been received before."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                StripeEvent.objects.create(event_id=event["id"], type=event["type"])
        except IntegrityError:
            return False
        obj = event["data"]["object"]
        if event["type"] in INTENT_EVENTS and obj.get("id"):
            apply_intent(obj["id"])
        elif event["type"] in REFUND_EVENTS:
            apply_refunds(obj)
        return True
