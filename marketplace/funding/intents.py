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
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.projects.models import Project, ProjectStatus
from marketplace.projects.services import move_project
from portal.core.errors import DomainError
from portal.core.money import format_money
from portal.core.transitions import NotPermitted
from portal.notifications.messages import in_languages, money
from portal.notifications.services import notify
from portal.organisations.models import Membership

from . import ledger, refunds
from .instructions import PaymentInstructions
from .messages import GIFT_RECEIVED, PLEDGE_CANCELLED, PLEDGED
from .models import EntryKind, Payment, PaymentStatus, Provider, Receipt, ReceiptCounter
from .payments import workflow
from .providers import get_provider

logger = logging.getLogger(__name__)
S = PaymentStatus


def _check_project(project, by):
    if not Project.objects.visible_to(by).filter(pk=project.pk).exists():
        # Never name (or tell the state of) a project the giver cannot see: a draft of another area.
        raise ValidationError(_("This project is not open for gifts."), code="project_not_open")
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


def _check_pending(by):
    """At most FUNDING_MAX_PENDING_PER_DONOR gifts waiting (pledged, not yet paid or confirmed) per person.
    The giver's row is locked first, so pledges made at the same moment are counted one after the other."""
    limit = settings.FUNDING_MAX_PENDING_PER_DONOR
    get_user_model().objects.select_for_update(of=("self",)).filter(pk=by.pk).first()
    waiting = Payment.objects.filter(donor=by, status=S.PENDING).count()
    if waiting >= limit:
        raise DomainError(
            ngettext(
                "You already have %(count)s gift waiting to be paid or confirmed. Please complete it first.",
                "You already have %(count)s gifts waiting to be paid or confirmed. Please complete one first.",
                waiting,
            )
            % {"count": waiting},
            code="too_many_pending",
        )


def pledge(*, by, project, amount, provider=Provider.OFFLINE, organisation=None, public_name=False):
    """A gift promised (offline) or started (Stripe). Returns the payment; a Stripe one carries
    `client_secret` for the browser. Nothing is counted until it is confirmed.

    Refused before anything is written (and before Stripe is asked): more than FUNDING_MAX_GIFT in one gift,
    or a giver with FUNDING_MAX_PENDING_PER_DONOR gifts still waiting.

    The payment is committed before Stripe is asked for its PaymentIntent: call this outside a transaction."""
    if not getattr(by, "is_authenticated", False):
        raise DomainError(_("Log in to give."), code="login_required")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationError(_("Enter an amount of more than ¥0.00."), code="money_min")
    if amount > settings.FUNDING_MAX_GIFT:
        raise DomainError(
            _("One gift can be at most %(max)s.") % {"max": format_money(settings.FUNDING_MAX_GIFT)},
            code="gift_too_large",
        )
    with transaction.atomic():
        project = Project.objects.get(pk=project.pk)
        _check_project(project, by)
        _check_organisation(by, organisation)
        chosen = get_provider(provider)
        _check_pending(by)
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
            instructions = PaymentInstructions.load()
            notify(
                users=[by],
                message=PLEDGED,
                params={
                    "amount": money(amount),
                    "project": project.title,
                    "number": payment.pk,
                    "instructions": in_languages(lambda: instructions.as_text(payment.pk)),
                },
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
    params = {"amount": money(payment.amount), "project": payment.project.title}
    if receipt is not None:
        params["receipt"] = str(receipt.number_display)
    if excess:
        params["excess"] = money(excess)
    notify(users=[payment.donor], message=GIFT_RECEIVED, params=params, url=payment.get_absolute_url())


@transaction.atomic
def confirm_offline(*, by, payment, reference, received_on, note=""):
    """Staff of the project's region record that an offline pledge's money has arrived."""
    if payment.provider != Provider.OFFLINE:
        raise DomainError(_("Only offline pledges are confirmed by hand."), code="not_offline")
    if not by.has_perm("funding.confirm_payment", payment):
        raise NotPermitted()
    if received_on and received_on > timezone.localdate():
        raise DomainError(_("The date received cannot be in the future."), code="received_on_future")
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
    """Stripe declined the card (`note`: its reason, shown to the donor with the offer to try again)."""

    def apply(locked, now):
        locked.failure_reason = note[:200]

    return workflow.move(payment, to=S.FAILED, by=None, note=note, apply=apply)


def _declined(intent):
    return intent["status"] == "requires_payment_method" and bool(intent.get("last_payment_error"))


def decline_reason(intent):
    return str((intent.get("last_payment_error") or {}).get("message") or "")[:200]


def renew_intent(payment):
    """The card page after a decline: bring the payment in line with its PaymentIntent, and if the card was
    declined, replace the intent with a fresh one. Outside any transaction. Returns the payment (re-read),
    with `client_secret` when the donor may pay now.

    It cannot count twice: the declined intent is cancelled in Stripe before the new one is made (a cancelled
    intent never succeeds; if it succeeded meanwhile, that success is counted instead and nothing new is made),
    the new one has its own idempotency key, and a payment is counted once (its ledger gift entry is unique)."""
    provider = get_provider(Provider.STRIPE)
    payment = Payment.objects.get(pk=payment.pk)
    payment.client_secret = None
    old = payment.stripe_payment_intent_id
    if payment.status not in (S.PENDING, S.FAILED) or not old:
        return payment
    intent = provider.retrieve(old)
    if intent["status"] == "succeeded":
        return confirm_stripe(payment=payment, intent=intent)
    if payment.status == S.PENDING and not _declined(intent):
        payment.client_secret = intent["client_secret"]  # nothing went wrong: pay on this one
        return payment
    if payment.status == S.PENDING:
        # Failed first (the canceled event of the old intent then finds nothing pending to cancel).
        payment = fail_payment(payment=payment, note=decline_reason(intent))
    if intent["status"] not in ("requires_payment_method", "canceled"):
        return payment  # processing, or waiting for the bank: its event will tell
    if intent["status"] != "canceled":
        try:
            provider.cancel(old)
        except stripe.InvalidRequestError:
            intent = provider.retrieve(old)
            if intent["status"] == "succeeded":
                return confirm_stripe(payment=payment, intent=intent)
            if intent["status"] != "canceled":
                raise
    started = provider.start(payment, replacing=old)
    with transaction.atomic():
        locked = workflow.lock(payment)
        if locked.status == S.FAILED and locked.stripe_payment_intent_id == old:

            def apply(row, now):
                row.stripe_payment_intent_id = started.external_id

            locked = workflow.move(
                locked,
                to=S.PENDING,
                by=None,
                note=f"card tried again: {old} replaced by {started.external_id}",
                apply=apply,
            )
    payment = Payment.objects.get(pk=payment.pk)
    payment.client_secret = started.client_secret if payment.stripe_payment_intent_id == started.external_id else None
    return payment


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
            message=PLEDGE_CANCELLED,
            params={"project": project.title, "number": payment.pk, "amount": money(payment.amount)},
            url=payment.get_absolute_url(),
        )

    # All at once: one timeline entry, event and message per pledge.
    return workflow.move_many(pending, to=S.CANCELLED, note=_("The project was withdrawn."), after=tell)
