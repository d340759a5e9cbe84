"""Stripe's events: verified, stored once, applied once, never trusted on their own word, never a 500.

The event only says *which* PaymentIntent or refund to look at: its state is re-read from
Stripe first, outside any transaction (no lock is held while Stripe answers). Then, in one
transaction, the event's id goes into `StripeEvent` (unique) with what the event changes, so
a replayed or concurrent duplicate changes nothing. Refunds are entered once per Stripe refund
id; a refund we asked for (`StripeRefund`, found by its metadata `reason`) completes that
request instead (an overshoot's or a deadline's is in the ledger already).

Payments converge: whatever order events arrive in, what Stripe says is applied. A success after a
decline is counted (failed -> confirmed); an event that cannot be applied yet (a refund before the
gift is counted, a refund above what the gift still has, Stripe not answering) is stored `waiting` with
the reason, answered 200, tried again when the gift is counted, when Stripe delivers it again and by
the reconciliation job, and listed for staff until then.
"""

import logging

import stripe
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.core.errors import DomainError

from . import intents, refunds
from .models import Payment, PaymentStatus, StripeEvent, StripeEventStatus
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
        # Stripe lets the donor try another card on the same intent: failed for now, not final in Stripe
        # (a later success is counted: failed -> confirmed).
        return intents.fail_payment(payment=payment, note=intents.decline_reason(intent))
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
    Stripe's dashboard) are entered as refunds in Stripe. Each in a savepoint of its own: those that cannot
    be entered yet (the gift not counted yet, more than it still has) are named in the `NotApplied` raised
    at the end, the others stay entered."""
    problems = []
    for refund in fetched:
        try:
            with transaction.atomic():
                _apply_refund(payment, refund)
        except (DomainError, ValidationError, IntegrityError) as exc:
            problems.append(f"{refund.get('id')}: {_reason(exc)}")
    if problems:
        raise NotApplied("; ".join(problems))
    return payment


def _apply_refund(payment, refund):
    request = refunds.request_for(payment, refund)
    if request is not None:
        refunds.complete(request, refund)
        return
    if refund.get("status") != "succeeded":
        return
    reason = (refund.get("metadata") or {}).get("reason") or ""
    if reason.startswith(OURS_IN_LEDGER):
        return
    refunds.record_refund(
        by=None, payment=payment, amount=int(refund["amount"]), note="refund in Stripe", stripe_refund_id=refund["id"]
    )


class NotApplied(Exception):
    """What an event tells cannot be applied now (kept waiting, tried again later)."""


def _reason(exc):
    if isinstance(exc, DomainError):
        return str(exc.message)
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc) or exc.__class__.__name__


def _fetch(event_type, obj):
    """(payment or None, a function applying what Stripe says now, or None). Reads Stripe: no transaction."""
    if event_type in INTENT_EVENTS and obj.get("id"):
        fetched = fetch_intent(obj["id"])
        return (fetched[0], lambda: apply_fetched_intent(*fetched)) if fetched else (None, None)
    if event_type in REFUND_EVENTS:
        fetched = fetch_refunds(obj)
        return (fetched[0], lambda: apply_fetched_refunds(*fetched)) if fetched else (None, None)
    return None, None


def _payment_named(event_type, obj):
    """Our payment an event is about, by its ids only (no call to Stripe)."""
    intent_id = obj.get("id") if event_type in INTENT_EVENTS else obj.get("payment_intent")
    return Payment.objects.filter(stripe_payment_intent_id=intent_id).first() if intent_id else None


def handle_event(event):
    """Store one verified event once and apply what Stripe says is true now. Never raises for a state
    conflict: what cannot be applied is kept `waiting` with the reason (listed for staff, tried again by
    Stripe's next delivery and the reconciliation job). Returns False if it had been received before."""
    stored = StripeEvent.objects.filter(event_id=event["id"]).first()
    if stored is not None:
        if stored.status == StripeEventStatus.WAITING:
            retry_event(stored)  # Stripe delivering it again: try again
        return False
    obj = event["data"]["object"]
    try:
        payment, apply = _fetch(event["type"], obj)
    except stripe.StripeError as exc:  # Stripe not answering: kept for later
        payment, apply = _payment_named(event["type"], obj), _raising(NotApplied(f"Stripe: {exc}"[:300]))
    with transaction.atomic():
        try:
            with transaction.atomic():
                stored = StripeEvent.objects.create(
                    event_id=event["id"], type=event["type"], data=obj, payment=payment, last_tried_at=timezone.now()
                )
        except IntegrityError:
            return False
        _apply_stored(stored, apply)
    _after(stored)
    return True


def _raising(exc):
    def apply():
        raise exc

    return apply


def _apply_stored(stored, apply):
    """Within the caller's transaction: apply in a savepoint, and write down whether it worked."""
    now = timezone.now()
    try:
        with transaction.atomic():
            if apply:
                result = apply()
                if isinstance(result, Payment) and stored.payment_id is None:
                    stored.payment = result
        stored.status, stored.error, stored.applied_at = StripeEventStatus.APPLIED, "", now
    except (NotApplied, DomainError, ValidationError, IntegrityError) as exc:
        logger.warning("Stripe event %s not applied: %s", stored.event_id, _reason(exc))
        stored.status, stored.error = StripeEventStatus.WAITING, _reason(exc)[:300]
    stored.last_tried_at = now
    stored.save(update_fields=["status", "error", "applied_at", "last_tried_at", "payment", "attempts"])


def _after(stored):
    """Once a gift is counted, the events about it that were waiting (a refund that came first) are applied."""
    if stored.payment_id and stored.status == StripeEventStatus.APPLIED and stored.type in INTENT_EVENTS:
        retry_waiting(payment_id=stored.payment_id)


def retry_event(stored):
    """Try a waiting event again: re-read from Stripe (no transaction), apply, note the outcome. Idempotent."""
    try:
        payment, apply = _fetch(stored.type, stored.data or {})
    except stripe.StripeError as exc:
        payment, apply = None, _raising(NotApplied(f"Stripe: {exc}"[:300]))
    with transaction.atomic():
        locked = StripeEvent.objects.select_for_update(of=("self",)).filter(pk=stored.pk).first()
        if locked is None or locked.status != StripeEventStatus.WAITING:
            return locked
        if payment is not None and locked.payment_id is None:
            locked.payment = payment
        locked.attempts += 1
        _apply_stored(locked, apply)
    _after(locked)
    return locked


def retry_waiting(*, payment_id=None, limit=500):
    """The events still waiting (of one payment, or all, oldest first), tried again. Returns how many applied."""
    waiting = StripeEvent.objects.filter(status=StripeEventStatus.WAITING)
    if payment_id is not None:
        waiting = waiting.filter(payment_id=payment_id)
    applied = 0
    for stored in list(waiting.order_by("received_at", "pk")[:limit]):
        try:
            applied += retry_event(stored).status == StripeEventStatus.APPLIED
        except Exception:  # one event must not stop the others
            logger.exception("Stripe event %s: retry failed", stored.event_id)
    return applied
