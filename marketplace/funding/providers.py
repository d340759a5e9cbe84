"""How money arrives: one interface, an offline provider (transfer, cash) and Stripe.

`get_provider(name)` returns the provider or raises a DomainError if it is not available
(Stripe only when STRIPE_SECRET_KEY is set).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from portal.core.errors import DomainError

from .models import Provider


@dataclass
class Started:
    """What starting a payment gave: the provider's id and, for Stripe, the browser's secret."""

    external_id: str | None = None
    client_secret: str | None = None


class OfflineProvider:
    name = Provider.OFFLINE

    def start(self, payment):
        return Started()

    def refund(self, payment, amount, *, key):
        """Offline money goes back by hand: staff record it; nothing to call."""
        return None


def stripe_client():
    import stripe

    stripe.api_key = settings.STRIPE_SECRET_KEY
    if settings.STRIPE_API_BASE:
        stripe.api_base = settings.STRIPE_API_BASE
    return stripe


def plain(obj):
    """A Stripe object as plain dicts and lists (they are not dicts in stripe-python 8+)."""
    return obj.to_dict() if hasattr(obj, "to_dict") else obj


class StripeProvider:
    name = Provider.STRIPE

    def start(self, payment, *, replacing=None):
        """A PaymentIntent made here, never in the browser; retried requests make the same one. `replacing`:
        the id of the (cancelled) intent a declined card left, which this one replaces (its own key)."""
        stripe = stripe_client()
        key = f"gongzhi-payment-{payment.pk}" + (f"-after-{replacing}" if replacing else "")
        intent = stripe.PaymentIntent.create(
            amount=int(payment.amount),
            currency="cny",
            metadata={"payment": str(payment.pk), "project": str(payment.project_id)},
            payment_method_types=["card"],
            idempotency_key=key,
        )
        return Started(external_id=intent["id"], client_secret=intent["client_secret"])

    def retrieve(self, intent_id):
        return plain(stripe_client().PaymentIntent.retrieve(intent_id))

    def cancel(self, intent_id):
        """Cancel an intent nobody can pay any more (a cancelled intent never succeeds)."""
        return plain(stripe_client().PaymentIntent.cancel(intent_id))

    def refund(self, payment, amount, *, key, idempotency_key=None):
        """Return `amount` fen of the payment; `idempotency_key` (our refund row's) makes a retried refund
        the same refund (Stripe keeps it for 24 hours; `find_refund` finds it by `key` after that)."""
        stripe = stripe_client()
        return plain(
            stripe.Refund.create(
                payment_intent=payment.stripe_payment_intent_id,
                amount=int(amount),
                metadata={"payment": str(payment.pk), "reason": key},
                idempotency_key=idempotency_key or f"gongzhi-refund-{payment.pk}-{key}",
            )
        )

    def find_refund(self, payment, key):
        """The refund of this payment made with `key` (its metadata `reason`), if Stripe has one."""
        refunds = stripe_client().Refund.list(payment_intent=payment.stripe_payment_intent_id, limit=100)
        for refund in refunds.auto_paging_iter():
            refund = plain(refund)
            if (refund.get("metadata") or {}).get("reason") == key:
                return refund
        return None


def stripe_enabled():
    return bool(getattr(settings, "STRIPE_SECRET_KEY", ""))


def get_provider(name):
    if name == Provider.OFFLINE:
        return OfflineProvider()
    if name == Provider.STRIPE:
        if not stripe_enabled():
            raise DomainError(_("Card payments are not available at the moment."), code="provider_unavailable")
        return StripeProvider()
    raise DomainError(_("Choose how you will give."), code="provider_unknown")


def available_providers():
    return [Provider.OFFLINE, *([Provider.STRIPE] if stripe_enabled() else [])]
