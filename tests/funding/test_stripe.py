import hashlib
import hmac
import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.funding import intents, ledger
from marketplace.funding.models import EntryKind, LedgerEntry, Payment, PaymentStatus, StripeEvent
from marketplace.funding.providers import stripe_client
from marketplace.funding.tasks import reconcile_stripe_payments_task, refund_excess_task

pytestmark = pytest.mark.django_db
WEBHOOK = "/payments/stripe/webhook/"


def sign(body, secret="whsec_test_gongzhi", at=None):
    """Stripe's scheme: t=<unix time>,v1=HMAC-SHA256(secret, "<t>.<body>")."""
    at = int(at or time.time())
    digest = hmac.new(secret.encode(), f"{at}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"


def event(event_id, kind, obj):
    return json.dumps({"id": event_id, "object": "event", "type": kind, "data": {"object": obj}})


def post(client, body, signature=None):
    return client.post(
        WEBHOOK,
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(body) if signature is None else signature,
    )


def start_card_gift(people, project, api_for, amount="300.00"):
    answer = api_for(people.resident).post(
        "/api/v1/payments/", {"provider": "stripe", "project": project.pk, "amount": amount}, format="json"
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["client_secret"].startswith("pi_")
    return Payment.objects.get(pk=answer.json()["id"])


def pay_in_stripe(payment):
    """What Stripe.js does in the browser: a card, then the intent confirmed."""
    stripe = stripe_client()
    method = stripe.PaymentMethod.create(
        type="card", card={"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}
    )
    stripe.PaymentIntent.modify(payment.stripe_payment_intent_id, payment_method=method["id"])
    stripe.PaymentIntent.confirm(payment.stripe_payment_intent_id)
    for _ in range(50):
        intent = stripe.PaymentIntent.retrieve(payment.stripe_payment_intent_id)
        if intent["status"] == "succeeded":
            return intent
        time.sleep(0.1)
    raise AssertionError(f"intent still {intent['status']}")


def succeeded(payment, event_id="evt_ok"):
    return event(
        event_id,
        "payment_intent.succeeded",
        {"id": payment.stripe_payment_intent_id, "object": "payment_intent", "status": "succeeded"},
    )


def test_a_card_gift_is_counted_once_however_often_its_event_comes(people, project, api_for, client, stripe_on):
    payment = start_card_gift(people, project, api_for)
    assert payment.status == PaymentStatus.PENDING and payment.stripe_payment_intent_id
    pay_in_stripe(payment)
    body = succeeded(payment)
    for _ in range(5):
        assert post(client, body).status_code == 200
    payment.refresh_from_db()
    project.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED and payment.receipt_number
    assert project.amount_raised == 30_000 and LedgerEntry.objects.count() == 1
    assert StripeEvent.objects.filter(event_id="evt_ok").count() == 1
    assert ledger.verify() is None
    detail = api_for(people.resident).get(f"/api/v1/payments/{payment.pk}/").json()
    assert detail["receipt_number"] == payment.receipt_number


def test_events_are_not_trusted_and_may_come_out_of_order(people, project, api_for, client, stripe_on):
    payment = start_card_gift(people, project, api_for)
    # "succeeded" before the donor has paid (forged, or a copy from elsewhere): Stripe says otherwise.
    assert post(client, succeeded(payment, "evt_early")).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and not LedgerEntry.objects.exists()
    pay_in_stripe(payment)
    assert post(client, succeeded(payment, "evt_real")).status_code == 200
    # A stale failure arriving last changes nothing: the intent has succeeded.
    stale = event(
        "evt_stale",
        "payment_intent.payment_failed",
        {"id": payment.stripe_payment_intent_id, "object": "payment_intent", "status": "requires_payment_method"},
    )
    assert post(client, stale).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED and LedgerEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "signature"),
    [
        ("{not json", sign),
        ('{"id": "evt_x"}', sign),
        ("GOOD", lambda body: "t=1,v1=deadbeef"),
        ("GOOD", lambda body: sign(body, secret="whsec_someone_else")),
        ("GOOD", lambda body: sign(body, at=time.time() - 3600)),  # too old: a replay from long ago
        ("GOOD", lambda body: sign(body.replace("evt_bad", "evt_other"))),  # signed for another body
        ("GOOD", lambda body: ""),
    ],
    ids=["malformed", "not an event", "bad signature", "wrong secret", "too old", "other body", "unsigned"],
)
def test_bad_webhooks_are_refused_and_change_nothing(people, project, api_for, client, stripe_on, body, signature):
    payment = start_card_gift(people, project, api_for)
    pay_in_stripe(payment)
    if body == "GOOD":
        body = succeeded(payment, "evt_bad")
    answer = post(client, body, signature(body))
    assert answer.status_code == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert not StripeEvent.objects.exists() and not LedgerEntry.objects.exists()


def test_a_refund_made_in_stripe_is_entered_once(people, project, api_for, client, stripe_on):
    payment = start_card_gift(people, project, api_for)
    pay_in_stripe(payment)
    post(client, succeeded(payment))
    refund = stripe_client().Refund.create(payment_intent=payment.stripe_payment_intent_id, amount=10_000)
    charge_event = {
        "id": "ch_x",
        "object": "charge",
        "payment_intent": payment.stripe_payment_intent_id,
        "refunds": {"data": [{"id": refund["id"], "object": "refund"}]},
    }
    refund_event = {"id": refund["id"], "object": "refund", "payment_intent": payment.stripe_payment_intent_id}
    for i, (kind, obj) in enumerate(
        [("charge.refunded", charge_event), ("refund.created", refund_event), ("charge.refunded", charge_event)]
    ):
        assert post(client, event(f"evt_refund_{i}", kind, obj)).status_code == 200
    payment.refresh_from_db()
    project.refresh_from_db()
    refunds = LedgerEntry.objects.filter(kind=EntryKind.REFUND)
    assert [(e.amount, e.stripe_refund_id) for e in refunds] == [(-10_000, refund["id"])]
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED and project.amount_raised == 20_000


def test_a_card_overshoot_is_refunded_through_stripe_once(people, project, api_for, client, stripe_on):
    intents.confirm_offline(
        by=people.community_staff,
        payment=intents.pledge(by=people.plain, project=project, amount=90_000),
        reference="转账",
        received_on=None,
    )
    payment = start_card_gift(people, project, api_for, amount="300.00")  # ¥100.00 needed
    pay_in_stripe(payment)
    post(client, succeeded(payment))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED
    assert (payment.accepted_amount, payment.refunded_amount) == (10_000, 20_000)
    stripe = stripe_client()
    refunds = list(stripe.Refund.list(payment_intent=payment.stripe_payment_intent_id).auto_paging_iter())
    assert [(r["amount"], r["metadata"]["reason"]) for r in refunds] == [(20_000, "overshoot")]
    # Its event is ours already in the ledger: not entered a second time.
    obj = {"id": refunds[0]["id"], "object": "refund", "payment_intent": payment.stripe_payment_intent_id}
    post(client, event("evt_overshoot_refund", "refund.created", obj))
    project.refresh_from_db()
    assert project.amount_raised == project.funding_target == 100_000
    assert LedgerEntry.objects.filter(kind=EntryKind.REFUND).count() == 1
    refund_excess_task(payment.pk)  # a retried task: the same refund (idempotency key), still one entry
    assert LedgerEntry.objects.filter(kind=EntryKind.REFUND).count() == 1


def test_reconcile_counts_an_intent_whose_webhook_never_came(people, project, api_for, stripe_on):
    payment = start_card_gift(people, project, api_for)
    pay_in_stripe(payment)
    assert reconcile_stripe_payments_task() == 0  # too recent to chase
    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert reconcile_stripe_payments_task() == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED
    reconcile_stripe_payments_task()
    assert LedgerEntry.objects.count() == 1


def test_the_card_page_loads_stripe_js_from_settings_only_there(people, project, api_for, client_for, stripe_on):
    payment = start_card_gift(people, project, api_for)
    client = client_for(people.resident)
    page = client.get(f"/funding/payments/{payment.pk}/pay/")
    assert page.status_code == 200
    assert f'src="{stripe_on_js(page)}"' in page.content.decode()
    assert stripe_on_origin(page) in page["Content-Security-Policy"]
    other = client.get("/funding/mine/")
    assert stripe_on_origin(page) not in other["Content-Security-Policy"]
    assert client_for(people.plain).get(f"/funding/payments/{payment.pk}/pay/").status_code == 403


def stripe_on_js(page):
    from django.conf import settings

    return settings.STRIPE_JS_URL


def stripe_on_origin(page):
    from django.conf import settings

    return settings.STRIPE_API_BASE


def test_staff_refunds_of_a_card_gift_go_through_stripe_and_are_entered_once(
    people, project, api_for, client, stripe_on
):
    payment = start_card_gift(people, project, api_for)
    pay_in_stripe(payment)
    post(client, succeeded(payment))
    staff = api_for(people.community_staff)
    for _ in range(2):
        answer = staff.post(f"/api/v1/payments/{payment.pk}/refund/", {"amount": "100", "note": "退回"}, format="json")
        assert answer.status_code == 200, answer.content
    refunds = list(stripe_client().Refund.list(payment_intent=payment.stripe_payment_intent_id).auto_paging_iter())
    assert sorted(r["amount"] for r in refunds) == [10_000, 10_000]
    entries = LedgerEntry.objects.filter(kind=EntryKind.REFUND)
    assert {e.stripe_refund_id for e in entries} == {r["id"] for r in refunds}
    for i, refund in enumerate(refunds):  # Stripe's events about them add nothing
        obj = {"id": refund["id"], "object": "refund", "payment_intent": payment.stripe_payment_intent_id}
        post(client, event(f"evt_staff_refund_{i}", "refund.created", obj))
    project.refresh_from_db()
    assert entries.count() == 2 and project.amount_raised == 10_000 == ledger.project_sum(project)


def test_a_card_gift_refunded_at_the_deadline_goes_back_through_stripe_once(
    people, project, api_for, client, stripe_on
):
    from marketplace.funding import deadlines
    from marketplace.funding.models import DeadlineChoice
    from marketplace.funding.tasks import refund_deadline_gift_task
    from marketplace.projects.models import Project

    payment = start_card_gift(people, project, api_for, amount="300.00")
    pay_in_stripe(payment)
    post(client, succeeded(payment))
    Project.objects.filter(pk=project.pk).update(funding_deadline=timezone.now() - timedelta(hours=1))
    deadlines.open_deadline_choices()
    choice = DeadlineChoice.objects.get()
    answer = api_for(people.resident).post(
        f"/api/v1/deadline-choices/{choice.pk}/choose/", {"option": "refund"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    stripe = stripe_client()
    refunds = list(stripe.Refund.list(payment_intent=payment.stripe_payment_intent_id).auto_paging_iter())
    assert [(r["amount"], r["metadata"]["reason"]) for r in refunds] == [(30_000, f"deadline-{choice.pk}")]
    # Its event is ours, in the ledger already; a retried task is the same refund.
    obj = {"id": refunds[0]["id"], "object": "refund", "payment_intent": payment.stripe_payment_intent_id}
    post(client, event("evt_deadline_refund", "refund.created", obj))
    refund_deadline_gift_task(choice.pk)
    assert LedgerEntry.objects.filter(kind=EntryKind.REFUND).count() == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED and payment.receipt.is_void
    assert ledger.verify() is None
