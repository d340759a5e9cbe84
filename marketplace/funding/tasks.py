"""Thin, idempotent tasks taking ids (acks_late: a worker lost mid-task means the task runs again)."""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=30, max_retries=8)
def refund_excess_task(payment_id):
    """Return through Stripe what a card gift gave beyond the target (idempotency key: the payment)."""
    from .models import Payment, Provider
    from .providers import get_provider

    payment = Payment.objects.filter(pk=payment_id, provider=Provider.STRIPE).first()
    if payment is None or not payment.refunded_amount or not payment.stripe_payment_intent_id:
        return None
    excess_entry = payment.ledger_entries.filter(note__startswith="overshoot").first()
    if excess_entry is None:
        return None
    refund = get_provider(Provider.STRIPE).refund(payment, -excess_entry.amount, key="overshoot")
    return refund["id"] if refund else None


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=30, max_retries=8)
def refund_deadline_gift_task(choice_id):
    """Return through Stripe what a donor's deadline choice refunded (already in the ledger); the key
    `deadline-<choice>` makes a retried call the same refund, and the webhook skips it (metadata)."""
    from django.db.models import Sum

    from .models import DeadlineChoice, EntryKind, Provider
    from .providers import get_provider, stripe_enabled

    if not stripe_enabled():  # a demo or a site without card payments: nothing to call (the ledger has it)
        logger.warning("deadline refund of choice %s: card payments are off, not sent to Stripe", choice_id)
        return None
    choice = DeadlineChoice.objects.select_related("payment").filter(pk=choice_id).first()
    if choice is None or choice.payment.provider != Provider.STRIPE or not choice.payment.stripe_payment_intent_id:
        return None
    entries = choice.payment.ledger_entries.filter(kind=EntryKind.REFUND, note__startswith=f"deadline:{choice.pk} ")
    owed = -(entries.aggregate(total=Sum("amount"))["total"] or 0)
    if owed <= 0:
        return None
    refund = get_provider(Provider.STRIPE).refund(choice.payment, owed, key=f"deadline-{choice.pk}")
    return refund["id"] if refund else None


@shared_task(acks_late=True)
def run_funding_deadlines_task():
    """Beat: donors of projects that missed their funding deadline asked to choose; unanswered ones refunded."""
    from .deadlines import run_funding_deadlines

    return run_funding_deadlines()


@shared_task(acks_late=True)
def reconcile_stripe_payments_task(older_than_minutes=15, max_age_days=3):
    """Ask Stripe about card payments still pending after a while: a webhook may never have come."""
    from .models import Payment, PaymentStatus, Provider
    from .providers import stripe_enabled
    from .webhooks import apply_intent

    if not stripe_enabled():
        return 0
    now = timezone.now()
    pending = Payment.objects.filter(
        provider=Provider.STRIPE,
        status=PaymentStatus.PENDING,
        stripe_payment_intent_id__isnull=False,
        created_at__lt=now - timedelta(minutes=older_than_minutes),
        created_at__gt=now - timedelta(days=max_age_days),
    ).values_list("stripe_payment_intent_id", flat=True)
    done = 0
    for intent_id in pending:
        try:
            apply_intent(intent_id)
            done += 1
        except Exception:  # one failing intent must not stop the others
            logger.exception("reconciling payment intent %s failed", intent_id)
    return done
