"""Money given back after a gift was counted: by staff, by Stripe's dashboard, by the overshoot rule or a
donor's deadline choice.

Stripe is never called inside a database transaction, so never while a project's row or the ledger's
chain head is locked. Every refund asked of Stripe is first written down as a `StripeRefund`:

- a staff refund of a card gift is checked against what the gift still has accepted (less the staff
  refunds already on their way) and written in a commit of its own; then Stripe is called (idempotency
  key `gongzhi-refund-<our refund row's id>`); then the ledger gets its refund row, carrying Stripe's refund
  id, in a second commit;
- an overshoot or a deadline refund is taken off the ledger first; its `StripeRefund` is written in
  that same commit (`ask_stripe`) and sent once it has committed.

If the process dies between Stripe's answer and the write, the row stays pending: Stripe's event for
the refund (`webhooks`) completes it, and the beat (`send_pending`) sends it again, first looking in
Stripe for a refund with its key, so nothing is refunded twice and nothing is left unrecorded.
"""

import logging
import secrets
from datetime import timedelta
from functools import partial

import stripe
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.projects.models import Project
from portal.core.errors import DomainError
from portal.core.money import format_money
from portal.core.transitions import NotPermitted
from portal.notifications.messages import money
from portal.notifications.services import notify

from . import ledger
from .messages import HANDED_BACK, REFUND_REFUSED
from .models import EntryKind, Payment, PaymentStatus, Provider, Receipt, StripeRefund, StripeRefundStatus
from .payments import region_staff, workflow
from .providers import get_provider, stripe_enabled

logger = logging.getLogger(__name__)
S = PaymentStatus
R = StripeRefundStatus


def take_back(*, by, payment, amount, note="", stripe_refund_id=None, perm=None):
    """The refund itself, for the services that decided on it (staff, Stripe, a donor's deadline choice):
    a ledger refund row, the payment's parts and status moved, and a gift refunded in full has its receipt
    voided (its number stays used). The caller holds no lock it could take after the project's."""
    if stripe_refund_id and payment.ledger_entries.filter(stripe_refund_id=stripe_refund_id).exists():
        return payment
    Project.objects.select_for_update(of=("self",)).get(pk=payment.project_id)
    payment = workflow.lock(payment)
    if not payment.counted:
        raise DomainError(_("Only a confirmed gift can be refunded."), code="not_confirmed")
    refundable = payment.accepted_amount
    if amount <= 0 or amount > refundable:
        raise _too_much(refundable)
    ledger.append(
        kind=EntryKind.REFUND,
        amount=-amount,
        project=payment.project,
        payment=payment,
        note=note,
        stripe_refund_id=stripe_refund_id,
    )

    def apply(locked, now):
        locked.accepted_amount -= amount
        locked.refunded_amount += amount

    whole = amount == refundable
    payment = workflow.move(
        payment,
        to=S.REFUNDED if whole else S.PARTIALLY_REFUNDED,
        by=by,
        perm=perm,
        note=note,
        apply=apply,
        again=True,
    )
    if payment.status == S.REFUNDED:
        void_receipt(payment)
    return payment


def void_receipt(payment):
    """A gift refunded in full keeps its receipt number, marked void; its PDF is drawn again (a new key)."""
    return Receipt.objects.filter(payment=payment, voided_at__isnull=True).update(voided_at=timezone.now())


@transaction.atomic
def record_refund(*, by, payment, amount, note="", stripe_refund_id=None):
    """Money given back after a gift was counted (staff for offline gifts; Stripe's events for card gifts).

    Takes the refund off the project's total. A Stripe refund id is entered once only.
    """
    return take_back(
        by=by,
        payment=payment,
        amount=amount,
        note=note,
        stripe_refund_id=stripe_refund_id,
        perm="funding.refund_payment" if by is not None else None,
    )


def refund_gift(*, by, payment, amount, note=""):
    """Staff give (part of) a counted gift back.

    A card gift: the amount is checked against what the gift has accepted (less other staff refunds on
    their way) and written down, Stripe makes the refund (outside any transaction), then the ledger enters
    it with Stripe's refund id (so Stripe's event for it adds nothing). Each call is one refund. An offline
    gift: the ledger's refund row and the hand-back are recorded at once."""
    if not by.has_perm("funding.refund_payment", payment):
        raise NotPermitted()
    if payment.provider == Provider.STRIPE:
        request = _reserve(by=by, payment=payment, amount=amount, note=note)
        request = send(request, by_staff=True)
        return Payment.objects.get(pk=request.payment_id)
    with transaction.atomic():
        payment = record_refund(by=by, payment=payment, amount=amount, note=note)
        # Staff record an offline refund as they hand the money back: nothing is left for the office to do.
        Payment.objects.filter(pk=payment.pk).update(
            returned_amount=models.F("returned_amount") + amount,
            returned_at=timezone.now(),
            returned_reference=note[:100],
        )
        payment.refresh_from_db()
    return payment


def _reserve(*, by, payment, amount, note):
    """Check a staff card refund against the gift and write it down, in a commit of its own."""
    with transaction.atomic():
        payment = workflow.lock(payment)
        if not payment.counted:
            raise DomainError(_("Only a confirmed gift can be refunded."), code="not_confirmed")
        on_their_way = payment.stripe_refunds.filter(status=R.PENDING, in_ledger=False).aggregate(
            total=models.Sum("amount")
        )["total"]
        refundable = payment.accepted_amount - (on_their_way or 0)
        if amount <= 0 or amount > refundable:
            raise _too_much(refundable)  # before Stripe hears of it
        return StripeRefund.objects.create(
            payment=payment, key=f"staff-{secrets.token_hex(6)}", amount=amount, requested_by=by, note=note[:200]
        )


def _too_much(refundable):
    """A refund outside what the gift still has: a domain error (a message on the page, a 400 in the API,
    an event kept waiting for staff), never a 500."""
    return DomainError(
        _("Refund between ¥0.01 and %(max)s.") % {"max": format_money(max(0, refundable))}, code="refund_amount"
    )


def ask_stripe(payment, amount, *, key, note=""):
    """Within the transaction that took `amount` of a card gift off the ledger: write down the refund
    Stripe is to make (`key`: "overshoot", "deadline-<choice>") and send it once that transaction commits."""
    request, _created = StripeRefund.objects.get_or_create(
        payment=payment, key=key, defaults={"amount": amount, "in_ledger": True, "note": note[:200]}
    )
    transaction.on_commit(partial(_send_quietly, request.pk))
    return request


def _send_quietly(pk):
    try:
        send(StripeRefund(pk=pk))
    except Exception:  # the commit is done; the beat sends it again
        logger.exception("Stripe refund %s not sent now; the beat will try again", pk)


def send(request, *, by_staff=False):
    """Have Stripe make `request`'s refund, once, and record it. Call outside any transaction.

    Returns the request as it now is. A refund Stripe refuses is marked failed (for a staff refund, a
    DomainError says why); Stripe not answering leaves it pending for the beat."""
    request = StripeRefund.objects.select_related("payment").get(pk=request.pk)
    if request.status != R.PENDING:
        return request
    if not stripe_enabled():  # a demo or a site without card payments: nothing to call (the row waits)
        logger.warning("Stripe refund %s: card payments are off, not sent", request.pk)
        return request
    provider = get_provider(Provider.STRIPE)
    payment = request.payment
    # An earlier attempt may have reached Stripe (and Stripe forgets idempotency keys after a day).
    refund = provider.find_refund(payment, request.key) if request.attempted_at else None
    if refund is None:
        StripeRefund.objects.filter(pk=request.pk).update(attempted_at=timezone.now())
        try:
            refund = provider.refund(
                payment, request.amount, key=request.key, idempotency_key=f"gongzhi-refund-{request.pk}"
            )
        except (stripe.InvalidRequestError, stripe.CardError) as exc:
            return _refused(request, exc, by_staff=by_staff)
        except stripe.StripeError as exc:
            if by_staff:
                raise DomainError(
                    _("Stripe did not answer. The refund is written down and will be sent again shortly."),
                    code="stripe_unavailable",
                ) from exc
            raise
    try:
        return complete(request, refund)
    except DomainError as exc:
        if by_staff and exc.code == "ledger_busy":
            raise DomainError(
                _("Stripe has made the refund; the books will show it shortly."), code="refund_pending"
            ) from exc
        raise


def _refused(request, exc, *, by_staff):
    reason = str(getattr(exc, "user_message", None) or exc)[:200]
    StripeRefund.objects.filter(pk=request.pk, status=R.PENDING).update(status=R.FAILED, error=reason)
    if by_staff:
        raise DomainError(_("Stripe refused the refund: %(reason)s") % {"reason": reason}, code="refund_refused")
    # Taken off the books already (an overshoot, a deadline refund): someone has to look at it.
    logger.error("Stripe refused refund %s of payment %s: %s", request.pk, request.payment_id, reason)
    _tell_staff_refused(request, reason)
    request.refresh_from_db()
    return request


def _tell_staff_refused(request, reason):
    payment = request.payment
    notify(
        users=region_staff(payment.project.region),
        message=REFUND_REFUSED,
        params={"number": payment.pk, "reason": str(reason)},
        url=payment.get_absolute_url(),
    )


def complete(request, refund):
    """Record what Stripe did with `request` (`refund`: the refund as Stripe has it). Idempotent: the
    request's sender, Stripe's event and the beat may all complete it; the first one does."""
    with transaction.atomic():
        project_id = Payment.objects.filter(pk=request.payment_id).values_list("project_id", flat=True).get()
        Project.objects.select_for_update(of=("self",)).get(pk=project_id)  # lock order: the project first
        request = StripeRefund.objects.select_for_update(of=("self",)).select_related("payment").get(pk=request.pk)
        if request.status == R.SENT:
            return request
        if refund.get("status") in ("failed", "canceled"):
            request.status, request.error = R.FAILED, f"Stripe: {refund.get('status')}"
            request.save(update_fields=["status", "error"])
            return request
        if not request.in_ledger:
            take_back(
                by=request.requested_by,
                payment=request.payment,
                amount=request.amount,
                note=request.note,
                stripe_refund_id=refund["id"],
            )
            request.in_ledger = True
        request.status, request.stripe_refund_id, request.sent_at = R.SENT, refund["id"], timezone.now()
        request.save(update_fields=["status", "in_ledger", "stripe_refund_id", "sent_at"])
        return request


def request_for(payment, refund):
    """The `StripeRefund` a refund in Stripe was made for (by its metadata `reason`), or None."""
    key = (refund.get("metadata") or {}).get("reason") or ""
    if not key:
        return None
    return StripeRefund.objects.filter(payment=payment, key=key).first()


def send_pending(older_than=timedelta(minutes=5)):
    """The beat: send again every Stripe refund still pending after a while. Returns how many were made."""
    due = StripeRefund.objects.filter(status=R.PENDING, created_at__lt=timezone.now() - older_than)
    made = 0
    for pk in due.order_by("created_at", "pk").values_list("pk", flat=True):
        try:
            made += send(StripeRefund(pk=pk)).status == R.SENT
        except Exception:  # one failing refund must not stop the others
            logger.exception("Stripe refund %s not sent", pk)
    return made


@transaction.atomic
def record_return(*, by, payment, reference, note=""):
    """Staff record that the office has handed an offline refund back to the donor (the staff's task that
    an offline refund leaves). The ledger already took the money off the project when it was refunded:
    this moves no money in the books, it closes the task, with an audit entry."""
    if not by.has_perm("funding.record_return", payment):
        raise NotPermitted()
    payment = workflow.lock(payment)
    owed = payment.to_return
    if not owed:
        raise DomainError(_("Nothing is waiting to be handed back for this gift."), code="nothing_to_return")
    payment.returned_amount += owed
    payment.returned_at = timezone.now()
    payment.returned_reference = reference[:100]
    payment.save(update_fields=["returned_amount", "returned_at", "returned_reference"])
    workflow.annotate(
        payment,
        by=by,
        note=(_("%(amount)s handed back to the donor (%(reference)s).")
              % {"amount": format_money(owed), "reference": reference})[:500],
        at=payment.returned_at,
    )  # fmt: skip
    from portal.audit.services import record_action

    record_action(
        by=by,
        action="payment.returned",
        target=payment,
        before={"returned_amount": payment.returned_amount - owed},
        after={"returned_amount": payment.returned_amount},
        note=note or reference,
    )
    notify(
        users=[payment.donor],
        message=HANDED_BACK,
        params={"amount": money(owed), "number": payment.pk, "reference": str(reference)},
        url=payment.get_absolute_url(),
    )
    return payment
