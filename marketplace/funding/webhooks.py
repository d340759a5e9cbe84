"""Stripe's events: verified, stored once, applied once, never trusted on their own word.

The event only says *which* PaymentIntent or refund to look at: its state is re-read from
Stripe first, outside any transaction (no lock is held while Stripe answers). Then, in one
transaction, the event's id goes into `StripeEvent` (unique) with what the event changes, so
a replayed or concurrent duplicate changes nothing. Refunds are entered once per Stripe refund
id; a refund we asked for (`StripeRefund`, found by its metadata `reason`) completes that
request instead (an overshoot's or a deadline's is in the ledger already).
"""

import logging

from django.db import IntegrityError, transaction

from portal.core.errors import DomainError

from . import intents, refunds
from .models import Payment, PaymentStatus, StripeEvent
from .payments import workflow
from .providers import StripeProvider, plain, stripe_client

logger = logging.getLogger(__name__)

INTENT_EVENTS = {
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
    "payment_intent.processing",
}
REFUND_EVENTS = {"charge.refunded", "charge.refund.updated", "refund.created", "refund.updated"}
OURS_IN_LEDGER = ("overshoot", "deadline-")  # refunds made before `StripeRefund` rows: in the ledger already


def apply_intent(intent_id):
    """Bring our payment in line with the PaymentIntent as Stripe has it now. Idempotent.

    Stripe is read first; the change is made in a transaction of its own afterwards."""
    fetched = fetch_intent(intent_id)
    return apply_fetched_intent(*fetched) if fetched else None


def fetch_intent(intent_id):
    """(our payment, the intent as Stripe has it now), or None if the intent is not ours. No transaction."""
    payment = Payment.objects.filter(stripe_payment_intent_id=intent_id).first()
    if payment is None:
        logger.warning("payment intent %s: no payment of ours", intent_id)
        return None
    return payment, StripeProvider().retrieve(intent_id)


@transaction.atomic
def apply_fetched_intent(payment, intent):
    status = intent["status"]
    if status == "succeeded":
        return intents.confirm_stripe(payment=payment, intent=intent)
    payment = workflow.lock(payment)
    if status == "canceled" and payment.status == PaymentStatus.PENDING:
        return workflow.move(payment, to=PaymentStatus.CANCELLED, by=None, note="canceled in Stripe")
    if status == "requires_payment_method" and intent.get("last_payment_error") and payment.status == "pending":
        # Stripe lets the donor try another card on the same intent: failed for now, not final in Stripe.
        return intents.fail_payment(payment=payment, note=str(intent["last_payment_error"].get("message", ""))[:200])
    return payment


def _refunds_of(charge_or_refund):
    obj = charge_or_refund
    if obj.get("object") == "refund":
        return [obj]
    refunds = obj.get("refunds") or {}
    if isinstance(refunds, dict):
        return list(refunds.get("data") or [])
    return []


def fetch_refunds(obj):
    """(our payment, its refunds as Stripe has them now) for a charge or refund object; None if not ours.
    No transaction: the event's copy is not trusted, each refund is re-read from Stripe."""
    stripe = stripe_client()
    intent_id = obj.get("payment_intent")
    payment = Payment.objects.filter(stripe_payment_intent_id=intent_id).first() if intent_id else None
    if payment is None:
        return None
    listed = _refunds_of(obj)
    if obj.get("object") == "charge" and not listed:
        listed = [plain(r) for r in stripe.Refund.list(payment_intent=intent_id).auto_paging_iter()]
    fetched = [plain(stripe.Refund.retrieve(refund["id"])) for refund in listed]
    return payment, [r for r in fetched if r.get("payment_intent") in (intent_id, None)]


def apply_fetched_refunds(payment, fetched):
    """Enter the refunds made in Stripe, each once: ours complete their request; others (made by staff in
    Stripe's dashboard) are entered as refunds in Stripe."""
    for refund in fetched:
        request = refunds.request_for(payment, refund)
        if request is not None:
            refunds.complete(request, refund)
            continue
        if refund.get("status") != "succeeded":
            continue
        reason = (refund.get("metadata") or {}).get("reason") or ""
        if reason.startswith(OURS_IN_LEDGER):
            continue
        try:
            refunds.record_refund(
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
    if StripeEvent.objects.filter(event_id=event["id"]).exists():
        return False
    obj = event["data"]["object"]
    apply = None
    if event["type"] in INTENT_EVENTS and obj.get("id"):
        fetched = fetch_intent(obj["id"])
        apply = fetched and (lambda: apply_fetched_intent(*fetched))
    elif event["type"] in REFUND_EVENTS:
        fetched = fetch_refunds(obj)
        apply = fetched and (lambda: apply_fetched_refunds(*fetched))
    with transaction.atomic():
        try:
            with transaction.atomic():
                StripeEvent.objects.create(event_id=event["id"], type=event["type"])
        except IntegrityError:
            return False
        if apply:
            apply()
        return True
