"""Stripe is never called inside a transaction (nor with the chain head locked), and a refund survives the
process dying between Stripe's answer and the database write. Against localstripe, as test_stripe.py."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from marketplace.funding import deadlines, intents, ledger, refunds
from marketplace.funding.models import (
    ChainHead,
    DeadlineChoice,
    EntryKind,
    LedgerEntry,
    Payment,
    PaymentStatus,
    StripeRefund,
    StripeRefundStatus,
)
from marketplace.funding.providers import plain, stripe_client
from marketplace.projects.models import Project
from tests.funding.test_stripe import event, pay_in_stripe, post, start_card_gift, succeeded

pytestmark = pytest.mark.django_db


@pytest.fixture
def stripe_calls(monkeypatch, stripe_on):
    """Every HTTP request to Stripe, with how many of the code's own atomic blocks were open when it was made
    (the test's wrapping block is not the code's: in production the code's outermost block is the commit)."""
    from stripe._api_requestor import _APIRequestor

    baseline = len(connection.atomic_blocks)
    calls = []
    original = _APIRequestor.request_raw

    def recording(self, method, url, *args, **kwargs):
        calls.append((method.upper(), url, len(connection.atomic_blocks) - baseline))
        return original(self, method, url, *args, **kwargs)

    monkeypatch.setattr(_APIRequestor, "request_raw", recording)
    return calls


def in_transaction(calls):
    return [(method, url) for method, url, depth in calls if depth > 0]


def refunds_in_stripe(payment):
    found = stripe_client().Refund.list(payment_intent=payment.stripe_payment_intent_id).auto_paging_iter()
    return sorted((r["amount"], (r.get("metadata") or {}).get("reason", "")) for r in map(plain, found))


def test_no_stripe_call_is_made_inside_a_transaction(people, project, api_for, client, stripe_calls):
    # A card gift started (its PaymentIntent made), paid, and its event applied (the intent read again).
    payment = start_card_gift(people, project, api_for, amount="300.00")
    pay_in_stripe(payment)
    assert post(client, succeeded(payment)).status_code == 200
    # A staff refund, and Stripe's events about both refunds.
    answer = api_for(people.community_staff).post(
        f"/api/v1/payments/{payment.pk}/refund/", {"amount": "40", "note": "退回"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    for i, refund in enumerate(stripe_client().Refund.list(payment_intent=payment.stripe_payment_intent_id)):
        obj = {"id": refund["id"], "object": "refund", "payment_intent": payment.stripe_payment_intent_id}
        post(client, event(f"evt_refund_{i}", "refund.created", obj))
    # The project misses its deadline; the donor takes the rest back (to the card, through Stripe).
    Project.objects.filter(pk=project.pk).update(funding_deadline=timezone.now() - timedelta(hours=1))
    deadlines.open_deadline_choices()
    choice = DeadlineChoice.objects.get(payment=payment)
    deadlines.choose_for_gift(by=people.resident, choice=choice, option="refund")

    staff_key = StripeRefund.objects.get(key__startswith="staff-").key
    assert refunds_in_stripe(payment) == [(4_000, staff_key), (26_000, f"deadline-{choice.pk}")]
    made = [(m, url) for m, url, _depth in stripe_calls]
    assert ("POST", "/v1/payment_intents") in made and ("POST", "/v1/refunds") in made
    assert in_transaction(stripe_calls) == []
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED and payment.accepted_amount == 0
    assert set(StripeRefund.objects.values_list("status", flat=True)) == {StripeRefundStatus.SENT}
    assert LedgerEntry.objects.filter(kind=EntryKind.REFUND).count() == 2 and ledger.verify() is None


def test_a_staff_refund_is_checked_against_the_accepted_amount_before_stripe_is_asked(
    people, project, api_for, client, stripe_calls
):
    payment = start_card_gift(people, project, api_for, amount="300.00")
    pay_in_stripe(payment)
    post(client, succeeded(payment))
    staff = api_for(people.community_staff)
    stripe_calls.clear()
    answer = staff.post(f"/api/v1/payments/{payment.pk}/refund/", {"amount": "300.01", "note": "退回"}, format="json")
    assert answer.status_code == 400, answer.content
    # A refund on its way (its process died before Stripe answered) holds its amount back too.
    StripeRefund.objects.create(payment=payment, key="staff-lost", amount=20_000, requested_by=people.community_staff)
    answer = staff.post(f"/api/v1/payments/{payment.pk}/refund/", {"amount": "200", "note": "退回"}, format="json")
    assert answer.status_code == 400, answer.content
    assert "100.00" in answer.content.decode()
    assert not [call for call in stripe_calls if call[:2] == ("POST", "/v1/refunds")]
    assert refunds_in_stripe(payment) == []
    payment.refresh_from_db()
    assert payment.accepted_amount == 30_000 and not LedgerEntry.objects.filter(kind=EntryKind.REFUND).exists()


def test_a_staff_refund_survives_the_process_dying_after_stripe_made_it(
    people, project, api_for, client, stripe_calls, monkeypatch
):
    payment = start_card_gift(people, project, api_for, amount="300.00")
    pay_in_stripe(payment)
    post(client, succeeded(payment))

    def dies(request, refund):
        raise SystemExit("the worker is killed")

    monkeypatch.setattr(refunds, "complete", dies)
    with pytest.raises(SystemExit):
        refunds.refund_gift(by=people.community_staff, payment=payment, amount=10_000, note="退回")
    monkeypatch.undo()
    # Stripe made it; our books do not have it yet; the request is written down, pending.
    assert refunds_in_stripe(payment) == [(10_000, StripeRefund.objects.get().key)]
    request = StripeRefund.objects.get()
    assert request.status == StripeRefundStatus.PENDING and request.attempted_at and not request.in_ledger
    assert not LedgerEntry.objects.filter(kind=EntryKind.REFUND).exists()
    # The beat finds the refund in Stripe by its key and enters it, without making another.
    StripeRefund.objects.filter(pk=request.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert refunds.send_pending() == 1
    # Stripe's event about it, and the beat again, add nothing.
    refund = stripe_client().Refund.list(payment_intent=payment.stripe_payment_intent_id)["data"][0]
    obj = {"id": refund["id"], "object": "refund", "payment_intent": payment.stripe_payment_intent_id}
    post(client, event("evt_staff_refund", "refund.created", obj))
    assert refunds.send_pending(timedelta(0)) == 0
    assert refunds_in_stripe(payment) == [(10_000, request.key)]
    entries = LedgerEntry.objects.filter(kind=EntryKind.REFUND)
    assert [(e.amount, e.stripe_refund_id) for e in entries] == [(-10_000, refund["id"])]
    request.refresh_from_db()
    assert (request.status, request.in_ledger, request.stripe_refund_id) == ("sent", True, refund["id"])
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED and payment.accepted_amount == 20_000
    assert in_transaction(stripe_calls) == []


def test_an_overshoot_refund_lost_after_its_commit_is_sent_once_by_the_beat(
    people, project, api_for, client, stripe_calls, monkeypatch
):
    from marketplace.funding.tasks import refund_excess_task

    intents.confirm_offline(
        by=people.community_staff,
        payment=intents.pledge(by=people.plain, project=project, amount=90_000),
        reference="转账",
        received_on=None,
    )
    payment = start_card_gift(people, project, api_for, amount="300.00")
    pay_in_stripe(payment)
    monkeypatch.setattr(refunds, "_send_quietly", lambda pk: None)  # the process dies right after the commit
    post(client, succeeded(payment))
    monkeypatch.undo()
    request = StripeRefund.objects.get(payment=payment)
    assert (request.key, request.amount, request.in_ledger, request.status) == (
        "overshoot",
        20_000,
        True,
        StripeRefundStatus.PENDING,
    )
    assert refunds_in_stripe(payment) == []
    assert refunds.send_pending() == 0  # too recent: its own process may still be sending it
    StripeRefund.objects.filter(pk=request.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert refunds.send_pending() == 1
    refund_excess_task(payment.pk)  # a retried task: nothing more
    assert refunds_in_stripe(payment) == [(20_000, "overshoot")]
    assert LedgerEntry.objects.filter(kind=EntryKind.REFUND).count() == 1
    assert in_transaction(stripe_calls) == []


def test_a_card_payment_whose_intent_was_never_stored_gets_it_on_its_card_page(
    people, project, client_for, stripe_calls, monkeypatch
):
    from marketplace.funding.providers import StripeProvider

    def dies(self, payment):
        raise SystemExit("the worker is killed")

    monkeypatch.setattr(StripeProvider, "start", dies)
    with pytest.raises(SystemExit):
        intents.pledge(by=people.resident, project=project, amount=30_000, provider="stripe")
    monkeypatch.undo()
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.PENDING and not payment.stripe_payment_intent_id
    page = client_for(people.resident).get(f"/funding/payments/{payment.pk}/pay/")
    assert page.status_code == 200
    payment.refresh_from_db()
    assert payment.stripe_payment_intent_id and payment.stripe_payment_intent_id in page.content.decode()
    assert in_transaction(stripe_calls) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks nor lock_timeout")
def test_a_locked_chain_head_gives_a_clear_error_after_the_lock_timeout(monkeypatch):
    from django.db import connections

    monkeypatch.setattr(ledger, "LOCK_TIMEOUT_MS", 300)
    locked, release = threading.Event(), threading.Event()

    def hold_the_head():
        try:
            ChainHead.objects.get_or_create(pk=1)  # committed (this thread's connection autocommits)
            with transaction.atomic():
                list(ChainHead.objects.select_for_update().filter(pk=1))
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_head)
    holder.start()
    try:
        assert locked.wait(10)
        started = timezone.now()
        with pytest.raises(ledger.LedgerBusy) as busy:
            ledger.append(kind=EntryKind.GIFT, amount=100, note="busy")
        assert (timezone.now() - started) < timedelta(seconds=4)
        assert busy.value.code == "ledger_busy" and str(busy.value.message) == "The ledger is busy; please try again."
        # The caller's transaction is still usable, and the timeout was for that lock only.
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone()[0] != "300ms"
        assert not LedgerEntry.objects.filter(note="busy").exists()
    finally:
        release.set()
        holder.join(10)
    entry = ledger.append(kind=EntryKind.GIFT, amount=100, note="free again")
    assert entry.sequence == ChainHead.objects.get(pk=1).sequence
