"""Payments that converge (issue 19): whatever order Stripe's events come in, however often, the books end
exact and no delivery answers 500; a declined card can be retried and is counted once; a refund above what a
gift has accepted never reaches Stripe. Against localstripe, as test_stripe.py."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.funding import intents, ledger
from marketplace.funding.models import (
    EntryKind,
    LedgerEntry,
    Payment,
    PaymentStatus,
    StripeEvent,
    StripeEventStatus,
    StripeRefund,
)
from marketplace.funding.providers import plain, stripe_client
from marketplace.funding.tasks import reconcile_stripe_payments_task
from tests.funding.test_stripe import event, pay_in_stripe, post, start_card_gift, succeeded

pytestmark = pytest.mark.django_db


def en(client):
    """Pages and the API answer in the visitor's chosen language: English here (the cookie the switcher sets)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


GOOD_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000341"  # attaches, then the charge is declined


def confirm_with(intent_id, number):
    """What Stripe.js does when the donor presses Pay: the card attached, the intent confirmed."""
    stripe = stripe_client()
    method = stripe.PaymentMethod.create(
        type="card", card={"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"}
    )
    stripe.PaymentIntent.modify(intent_id, payment_method=method["id"])
    try:
        stripe.PaymentIntent.confirm(intent_id)
    except stripe.CardError:
        return "declined"
    for _ in range(50):
        intent = stripe.PaymentIntent.retrieve(intent_id)
        if intent["status"] == "succeeded":
            return "succeeded"
        time.sleep(0.1)
    return intent["status"]


def intent_event(event_id, kind, intent_id, status="succeeded"):
    return event(event_id, kind, {"id": intent_id, "object": "payment_intent", "status": status})


def refunds_in_stripe(payment):
    found = stripe_client().Refund.list(payment_intent=payment.stripe_payment_intent_id).auto_paging_iter()
    return sorted(int(r["amount"]) for r in map(plain, found))


def books_exact(project, counted):
    project.refresh_from_db()
    assert project.amount_raised == ledger.project_sum(project) == counted
    assert ledger.verify() is None


def test_a_declined_card_then_a_good_one_on_the_same_page_counts_the_gift_once(
    people, project, api_for, client, client_for, stripe_on
):
    payment = start_card_gift(people, project, api_for)
    donor = en(client_for(people.resident))
    page = donor.get(f"/funding/payments/{payment.pk}/pay/")
    assert page.status_code == 200
    first = payment.stripe_payment_intent_id
    assert confirm_with(first, DECLINED_CARD) == "declined"
    failed = intent_event("evt_declined", "payment_intent.payment_failed", first, "requires_payment_method")
    assert post(client, failed).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED

    # The payment's page says the card was declined, and why, and offers to try again.
    detail = donor.get(f"/funding/payments/{payment.pk}/").content.decode()
    assert "declined" in detail and "Your card was declined." in detail
    assert f"/funding/payments/{payment.pk}/pay/" in detail
    assert client_for(people.resident).get(f"/funding/payments/{payment.pk}/").status_code == 200  # Chinese

    # Pay again: the page works (a fresh intent in place of the declined one), a good card goes through.
    again = donor.get(f"/funding/payments/{payment.pk}/pay/")
    assert again.status_code == 200
    payment.refresh_from_db()
    second = payment.stripe_payment_intent_id
    assert payment.status == PaymentStatus.PENDING and second
    assert confirm_with(second, GOOD_CARD) == "succeeded"
    for i in range(3):  # duplicates, and the old intent's failure again, late
        assert post(client, intent_event(f"evt_ok_{i % 2}", "payment_intent.succeeded", second)).status_code == 200
        assert post(client, failed).status_code == 200
        assert post(client, intent_event(f"evt_old_{i}", "payment_intent.payment_failed", first)).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED and payment.accepted_amount == 30_000
    assert LedgerEntry.objects.filter(kind=EntryKind.GIFT).count() == 1
    books_exact(project, 30_000)
    # Loading the page again changes nothing: the gift is counted.
    assert donor.get(f"/funding/payments/{payment.pk}/pay/").status_code == 302
    assert not StripeEvent.objects.exclude(status=StripeEventStatus.APPLIED).exists()


def test_success_after_a_failure_is_counted_not_a_500(people, project, api_for, client, stripe_on):
    # The donor tried again on the same intent (Stripe allows it) after our payment was marked failed.
    payment = start_card_gift(people, project, api_for)
    intents.fail_payment(payment=payment, note="Your card was declined.")
    pay_in_stripe(payment)
    for _ in range(3):
        assert post(client, succeeded(payment, "evt_late_success")).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED and payment.receipt_number
    books_exact(project, 30_000)


def test_a_refund_before_the_success_is_kept_and_applied_once_the_gift_is_counted(
    people, project, api_for, client, stripe_on
):
    payment = start_card_gift(people, project, api_for)
    pay_in_stripe(payment)
    refund = stripe_client().Refund.create(payment_intent=payment.stripe_payment_intent_id, amount=10_000)
    charge = {
        "id": "ch_x",
        "object": "charge",
        "payment_intent": payment.stripe_payment_intent_id,
        "refunds": {"data": [{"id": refund["id"], "object": "refund"}]},
    }
    assert post(client, event("evt_refund_early", "charge.refunded", charge)).status_code == 200
    waiting = StripeEvent.objects.get(event_id="evt_refund_early")
    assert waiting.status == StripeEventStatus.WAITING and waiting.payment_id == payment.pk
    assert post(client, succeeded(payment)).status_code == 200
    for _ in range(2):  # duplicates of both
        assert post(client, event("evt_refund_early", "charge.refunded", charge)).status_code == 200
        assert post(client, succeeded(payment)).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED
    assert (payment.accepted_amount, payment.refunded_amount) == (20_000, 10_000)
    assert [e.amount for e in LedgerEntry.objects.filter(kind=EntryKind.REFUND)] == [-10_000]
    assert StripeEvent.objects.get(event_id="evt_refund_early").status == StripeEventStatus.APPLIED
    books_exact(project, 20_000)


def test_the_reconciliation_job_applies_what_could_not_be_applied(people, project, api_for, client, stripe_on):
    payment = start_card_gift(people, project, api_for)
    pay_in_stripe(payment)
    refund = stripe_client().Refund.create(payment_intent=payment.stripe_payment_intent_id, amount=5_000)
    obj = {"id": refund["id"], "object": "refund", "payment_intent": payment.stripe_payment_intent_id}
    assert post(client, event("evt_refund_first", "refund.created", obj)).status_code == 200
    assert StripeEvent.objects.get().status == StripeEventStatus.WAITING
    # The success's event never comes: the job asks Stripe, counts the gift, then applies the refund.
    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - timedelta(hours=1))
    reconcile_stripe_payments_task()
    reconcile_stripe_payments_task()  # idempotent
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED and payment.refunded_amount == 5_000
    assert StripeEvent.objects.get().status == StripeEventStatus.APPLIED
    books_exact(project, 25_000)


def test_what_cannot_be_applied_is_listed_for_staff_and_answers_200(
    people, project, api_for, client, client_for, stripe_on
):
    # A refund in Stripe's dashboard above what the gift has accepted (most of it went back as overshoot).
    intents.confirm_offline(
        by=people.community_staff,
        payment=intents.pledge(by=people.plain, project=project, amount=90_000),
        reference="转账",
        received_on=None,
    )
    payment = start_card_gift(people, project, api_for, amount="300.00")
    pay_in_stripe(payment)
    assert post(client, succeeded(payment)).status_code == 200
    payment.refresh_from_db()
    assert payment.accepted_amount == 10_000
    refund = stripe_client().Refund.create(payment_intent=payment.stripe_payment_intent_id, amount=15_000)
    obj = {"id": refund["id"], "object": "refund", "payment_intent": payment.stripe_payment_intent_id}
    for _ in range(3):
        assert post(client, event("evt_too_much", "refund.updated", obj)).status_code == 200
    stored = StripeEvent.objects.get(event_id="evt_too_much")
    assert stored.status == StripeEventStatus.WAITING and stored.error and stored.payment_id == payment.pk
    books_exact(project, 100_000)
    page = en(client_for(people.district_staff)).get("/funding/stripe-events/")
    assert page.status_code == 200 and "evt_too_much" in page.content.decode()
    assert en(client_for(people.resident)).get("/funding/stripe-events/").status_code == 403
    queue = en(client_for(people.community_staff)).get("/funding/queue/").content.decode()
    assert "/funding/stripe-events/" in queue
    for address in ("/funding/stripe-events/", "/funding/queue/", f"/funding/payments/{payment.pk}/"):
        assert client_for(people.district_staff).get(address).status_code == 200  # in Chinese too


def test_a_staff_refund_above_the_accepted_amount_never_reaches_stripe(
    people, project, api_for, client, client_for, stripe_on
):
    payment = start_card_gift(people, project, api_for)
    pay_in_stripe(payment)
    post(client, succeeded(payment))
    staff = en(api_for(people.community_staff))
    answer = staff.post(f"/api/v1/payments/{payment.pk}/refund/", {"amount": "300.01", "note": "多退"}, format="json")
    assert answer.status_code == 400, answer.content
    page = en(client_for(people.community_staff)).post(
        f"/funding/payments/{payment.pk}/refund/", {"refund-amount": "500", "refund-note": "多退"}
    )
    assert page.status_code == 302
    assert refunds_in_stripe(payment) == [] and not StripeRefund.objects.exists()
    answer = staff.post(f"/api/v1/payments/{payment.pk}/refund/", {"amount": "200", "note": "退"}, format="json")
    assert answer.status_code == 200, answer.content
    answer = staff.post(f"/api/v1/payments/{payment.pk}/refund/", {"amount": "100.01", "note": "多退"}, format="json")
    assert answer.status_code == 400, answer.content
    assert refunds_in_stripe(payment) == [20_000]
    request = StripeRefund.objects.get()
    assert request.stripe_refund_id
    books_exact(project, 10_000)


def test_events_in_any_order_leave_the_books_exact(people, project, api_for, client, stripe_on):
    payment = start_card_gift(people, project, api_for)
    intent_id = payment.stripe_payment_intent_id
    pay_in_stripe(payment)
    refund = stripe_client().Refund.create(payment_intent=intent_id, amount=7_000)
    refund_obj = {"id": refund["id"], "object": "refund", "payment_intent": intent_id}
    charge = {"id": "ch_y", "object": "charge", "payment_intent": intent_id, "refunds": {"data": []}}
    deliveries = [
        event("evt_r1", "refund.created", refund_obj),
        event("evt_c1", "charge.refunded", charge),
        intent_event("evt_f1", "payment_intent.payment_failed", intent_id, "requires_payment_method"),
        intent_event("evt_s1", "payment_intent.succeeded", intent_id),
        event("evt_r1", "refund.created", refund_obj),
        intent_event("evt_p1", "payment_intent.processing", intent_id, "processing"),
        event("evt_r2", "refund.updated", refund_obj),
        intent_event("evt_s1", "payment_intent.succeeded", intent_id),
    ]
    for body in deliveries:
        assert post(client, body).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED and payment.refunded_amount == 7_000
    assert LedgerEntry.objects.filter(kind=EntryKind.GIFT).count() == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.REFUND).count() == 1
    assert not StripeEvent.objects.filter(status=StripeEventStatus.WAITING).exists()
    books_exact(project, 23_000)
