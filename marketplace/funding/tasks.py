"""Thin, idempotent tasks taking ids (acks_late: a worker lost mid-task means the task runs again).

Tasks import the job modules; no job module imports this one.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import deadlines, refunds, webhooks
from .models import Payment, PaymentStatus, Provider, StripeRefund
from .providers import stripe_enabled

logger = logging.getLogger(__name__)


def _send(request):
    if request is None:
        return None
    request = refunds.send(request)
    return request.stripe_refund_id


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=30, max_retries=8)
def refund_excess_task(payment_id):
    """Return through Stripe what a card gift gave beyond the target (key "overshoot"), if not done yet."""
    return _send(StripeRefund.objects.filter(payment_id=payment_id, key="overshoot").first())


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=30, max_retries=8)
def refund_deadline_gift_task(choice_id):
    """Return through Stripe what a donor's deadline choice refunded (already in the ledger), if not done yet
    (key `deadline-<choice>`: a retried call is the same refund, and the webhook completes it once)."""
    return _send(StripeRefund.objects.filter(key=f"deadline-{choice_id}").first())


@shared_task(acks_late=True)
def send_stripe_refunds_task(older_than_minutes=5):
    """Stripe refunds written down but not made yet (the process died, Stripe did not answer): sent again."""
    if not stripe_enabled():
        return 0
    return refunds.send_pending(timedelta(minutes=older_than_minutes))


@shared_task(acks_late=True)
def verify_ledger_task():
    """Beat, daily: the chain and every cached total held against the ledger, the outcome recorded (shown on
    /healthz and to staff). Returns whether the books hold."""
    from . import ledger

    check = ledger.run_check()
    if not check.ok:
        logger.error("the ledger check failed:\n%s", check.problems)
    return check.ok


@shared_task(acks_late=True)
def run_funding_deadlines_task():
    """Beat: donors of projects that missed their funding deadline asked to choose; unanswered ones refunded."""
    return deadlines.run_funding_deadlines()


@shared_task(acks_late=True)
def reconcile_stripe_payments_task(older_than_minutes=15, max_age_days=3):
    """Beat (every 15 minutes; idempotent). Ask Stripe about card payments still pending (or failed: the
    donor may have paid on the same intent after a decline) after a while: a webhook may never have come.
    Then try again the Stripe events that could not be applied (`webhooks.retry_waiting`) and send the
    Stripe refunds still waiting. Returns how many intents were brought in line."""
    if not stripe_enabled():
        return 0
    now = timezone.now()
    pending = Payment.objects.filter(
        provider=Provider.STRIPE,
        status__in=(PaymentStatus.PENDING, PaymentStatus.FAILED),
        stripe_payment_intent_id__isnull=False,
        created_at__lt=now - timedelta(minutes=older_than_minutes),
        created_at__gt=now - timedelta(days=max_age_days),
    ).values_list("stripe_payment_intent_id", flat=True)
    done = 0
    for intent_id in pending:
        try:
            webhooks.apply_intent(intent_id)
            done += 1
        except Exception:  # one failing intent must not stop the others
            logger.exception("reconciling payment intent %s failed", intent_id)
    webhooks.retry_waiting()
    refunds.send_pending()
    return done
