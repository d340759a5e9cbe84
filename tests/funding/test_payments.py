import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.funding import intents, ledger, refunds
from marketplace.funding.models import EntryKind, LedgerEntry, Payment, PaymentStatus, Receipt
from marketplace.projects.models import ProjectStatus
from marketplace.projects.services import move_project
from portal.core.errors import DomainError
from portal.notifications.models import Notification
from portal.organisations.models import VerificationStatus
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db
TODAY = str(datetime.date.today())


def _pledge(people, project, fen, who=None):
    return intents.pledge(by=who or people.resident, project=project, amount=fen)


def _confirm(people, payment, staff=None):
    return intents.confirm_offline(
        by=staff or people.community_staff, payment=payment, reference="银行转账 8812", received_on=None
    )


def test_an_offline_pledge_is_counted_when_staff_confirm_it(people, project):
    payment = _pledge(people, project, 30_000)
    project.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and project.amount_raised == 0
    payment = _confirm(people, payment)
    project.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED
    assert payment.accepted_amount == 30_000 and project.amount_raised == 30_000
    assert payment.receipt.number_display == f"{timezone.localdate().year}-000001"
    assert LedgerEntry.objects.get().kind == EntryKind.GIFT
    assert Notification.objects.filter(recipient=people.resident, title__contains="300.00").exists()


def test_confirming_twice_counts_once(people, project):
    payment = _pledge(people, project, 30_000)
    _confirm(people, payment)
    _confirm(people, payment)
    project.refresh_from_db()
    assert project.amount_raised == 30_000 and LedgerEntry.objects.count() == 1 and Receipt.objects.count() == 1


def test_overshoot_accepts_the_gap_refunds_the_rest_and_funds_the_project(people, project):
    _confirm(people, _pledge(people, project, 80_000))
    late = _confirm(people, _pledge(people, project, 50_000))
    project.refresh_from_db()
    assert project.amount_raised == project.funding_target == 100_000
    assert project.status == ProjectStatus.FUNDED and project.funded_at
    assert late.status == PaymentStatus.PARTIALLY_REFUNDED
    assert (late.accepted_amount, late.refunded_amount) == (20_000, 30_000)
    assert [(e.kind, e.amount) for e in late.ledger_entries.order_by("sequence")] == [
        (EntryKind.GIFT, 50_000),
        (EntryKind.REFUND, -30_000),
    ]
    assert late.receipt.amount == 20_000
    assert ledger.project_sum(project) == project.amount_raised


def test_a_pledge_confirmed_after_the_project_is_funded_goes_back_whole(people, project):
    waiting = _pledge(people, project, 10_000)
    _confirm(people, _pledge(people, project, 100_000))
    waiting = _confirm(people, waiting)
    assert waiting.status == PaymentStatus.REFUNDED and waiting.refunded_amount == 10_000
    assert not Receipt.objects.filter(payment=waiting).exists()
    project.refresh_from_db()
    assert project.amount_raised == 100_000


@pytest.mark.parametrize("status", [ProjectStatus.WITHDRAWN, ProjectStatus.DRAFT])
def test_gifts_to_projects_not_published_are_refused(people, tree, status):
    project = published_project(tree.community_a1, target_yuan=1000)
    if status == ProjectStatus.WITHDRAWN:
        move_project(by=people.community_staff, project=project, to=status)
    else:
        project.status = status
        project.save()
    with pytest.raises(ValidationError, match="not open for gifts"):
        _pledge(people, project, 10_000)
    assert not Payment.objects.exists()


def test_giving_for_an_organisation_needs_a_verified_membership(people, project):
    people.company.verification_status = VerificationStatus.VERIFIED
    people.company.save()
    payment = intents.pledge(by=people.donor, project=project, amount=10_000, organisation=people.company)
    assert payment.organisation == people.company
    with pytest.raises(ValidationError, match="verified organisation"):
        intents.pledge(by=people.resident, project=project, amount=10_000, organisation=people.company)


def test_staff_refund_takes_money_off_the_project(people, project):
    payment = _confirm(people, _pledge(people, project, 30_000))
    payment = refunds.record_refund(by=people.community_staff, payment=payment, amount=10_000, note="捐赠人要求")
    project.refresh_from_db()
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED and project.amount_raised == 20_000
    payment = refunds.record_refund(by=people.community_staff, payment=payment, amount=20_000)
    assert payment.status == PaymentStatus.REFUNDED
    with pytest.raises(DomainError, match="Refund between"):
        refunds.record_refund(by=people.community_staff, payment=payment, amount=1)


def test_receipt_numbers_run_without_gaps_within_a_year(people, tree):
    project = published_project(tree.community_a1, target_yuan=100_000)
    for _ in range(3):
        _confirm(people, _pledge(people, project, 1_000))
    year = timezone.localdate().year
    assert [r.number_display for r in Receipt.objects.order_by("number")] == [
        f"{year}-000001",
        f"{year}-000002",
        f"{year}-000003",
    ]


# --- API ---------------------------------------------------------------------


def test_api_pledge_and_staff_confirm(people, project, api_for):
    answer = api_for(people.resident).post(
        "/api/v1/payments/", {"provider": "offline", "project": project.pk, "amount": "1,200.50"}, format="json"
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["amount"] == "1200.50" and body["status"] == "pending" and body["receipt_number"] is None
    assert body["client_secret"] is None
    confirmed = api_for(people.street_staff).post(
        f"/api/v1/payments/{body['id']}/confirm/", {"reference": "转账 77", "received_on": TODAY}, format="json"
    )
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "partially_refunded"  # ¥1,200.50 for a ¥1,000.00 target
    assert confirmed.json()["receipt_number"].endswith("-000001")
    ledger_answer = api_for(None).get(f"/api/v1/ledger/?project={project.pk}").json()
    rows = ledger_answer["results"]
    assert [(r["kind"], r["amount"]) for r in rows] == [("gift", "1200.50"), ("refund", "-200.50")]
    assert rows[1]["previous_hash"] == rows[0]["hash"] and "sequence" in rows[0] and "created_at" in rows[0]


@pytest.mark.parametrize("amount", [0, "0", -5, "-5", "abc", "", None, "1.234", True])
def test_api_refuses_bad_amounts_and_saves_nothing(people, project, api_for, amount):
    answer = api_for(people.resident).post(
        "/api/v1/payments/", {"provider": "offline", "project": project.pk, "amount": amount}, format="json"
    )
    assert answer.status_code == 400
    assert "amount" in answer.json() or "amount" in str(answer.json())
    assert not Payment.objects.exists()


def test_api_refuses_a_withdrawn_project(people, project, api_for):
    move_project(by=people.community_staff, project=project, to=ProjectStatus.WITHDRAWN)
    answer = api_for(people.resident).post(
        "/api/v1/payments/", {"provider": "offline", "project": project.pk, "amount": "100"}, format="json"
    )
    assert answer.status_code == 400 and project.title in answer.content.decode()
    assert not Payment.objects.exists()


def test_api_refuses_stripe_when_not_configured(people, project, api_for, settings):
    settings.STRIPE_SECRET_KEY = ""
    answer = api_for(people.resident).post(
        "/api/v1/payments/", {"provider": "stripe", "project": project.pk, "amount": "100"}, format="json"
    )
    assert answer.status_code == 400 and not Payment.objects.exists()


def test_anonymous_cannot_pledge(project, api_for, client_for):
    assert api_for(None).post(
        "/api/v1/payments/", {"provider": "offline", "project": project.pk, "amount": "100"}, format="json"
    ).status_code in (401, 403)
    page = client_for(None).post(f"/funding/projects/{project.pk}/give/", {"amount": "100", "provider": "offline"})
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    assert not Payment.objects.exists()


def test_wrong_region_staff_and_donor_cannot_confirm(people, project, api_for, client_for):
    payment = _pledge(people, project, 10_000)
    for user in (people.street_staff_b, people.resident, people.grid_worker):
        answer = api_for(user).post(
            f"/api/v1/payments/{payment.pk}/confirm/", {"reference": "x", "received_on": TODAY}, format="json"
        )
        assert answer.status_code in (403, 404), user
        page = client_for(user).post(
            f"/funding/payments/{payment.pk}/confirm/", {"reference": "x", "received_on": TODAY}
        )
        assert page.status_code == 403, user
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_staff_cannot_confirm_a_card_payment_by_hand(people, project):
    payment = _pledge(people, project, 10_000)
    Payment.objects.filter(pk=payment.pk).update(provider="stripe")
    payment.refresh_from_db()
    from portal.core.errors import DomainError

    with pytest.raises(DomainError):
        _confirm(people, payment)


# --- Pages -------------------------------------------------------------------


def test_give_page_pledge_then_staff_confirm_on_the_payment_page(people, project, client_for):
    client = client_for(people.resident)
    page = client.get(f"/funding/projects/{project.pk}/give/")
    assert page.status_code == 200 and 'name="amount"' in page.content.decode()
    answer = client.post(f"/funding/projects/{project.pk}/give/", {"amount": "¥500", "provider": "offline"})
    payment = Payment.objects.get()
    assert answer.status_code == 302 and answer["Location"] == payment.get_absolute_url()
    assert payment.amount == 50_000
    staff = client_for(people.community_staff)
    detail = staff.get(payment.get_absolute_url()).content.decode()
    assert "confirm-reference" in detail
    done = staff.post(
        f"/funding/payments/{payment.pk}/confirm/", {"confirm-reference": "现金收据 12", "confirm-received_on": TODAY}
    )
    assert done.status_code == 302
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED and payment.reference == "现金收据 12"


@pytest.mark.parametrize("amount", ["0", "-1", "abc"])
def test_give_page_refuses_bad_amounts(people, project, client_for, amount):
    answer = client_for(people.resident).post(
        f"/funding/projects/{project.pk}/give/", {"amount": amount, "provider": "offline"}
    )
    assert answer.status_code == 200 and "error-summary" in answer.content.decode()
    assert not Payment.objects.exists()


def test_project_page_shows_the_ledger_and_the_give_form(people, project, client_for):
    _confirm(people, _pledge(people, project, 30_000))
    page = client_for(people.plain).get(project.get_absolute_url()).content.decode()
    assert "¥300.00" in page and "¥1,000.00" in page
    assert f'action="/funding/projects/{project.pk}/give/"' in page
    assert LedgerEntry.objects.get().hash[:12] in page
    anonymous = client_for(None).get(project.get_absolute_url()).content.decode()
    assert "give/" not in anonymous.split('id="give"')[1].split("</section>")[0].replace("%23give", "")


def test_my_gifts_lists_gifts_receipts_and_project_state(people, project, client_for):
    _confirm(people, _pledge(people, project, 100_000))
    page = client_for(people.resident).get("/funding/mine/").content.decode()
    receipt = Receipt.objects.get()
    assert receipt.number_display in page and project.title in page
    assert str(ProjectStatus.FUNDED.label) in page or "已获资助" in page
    assert client_for(people.plain).get("/funding/mine/").content.decode().count(project.title) == 0


def test_receipt_pdf_for_donor_and_staff_only(people, project, client_for):
    payment = _confirm(people, _pledge(people, project, 30_000))
    url = payment.receipt.get_absolute_url()
    first = client_for(people.resident).get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    pdf = b"".join(first.streaming_content)
    assert pdf.startswith(b"%PDF")
    assert client_for(people.street_staff).get(url).status_code == 200
    for user in (people.plain, people.street_staff_b, people.donor):
        assert client_for(user).get(url).status_code == 403
    assert "/accounts/login/" in client_for(None).get(url)["Location"]


def test_staff_refund_through_the_api_and_the_page(people, project, api_for, client_for):
    payment = _confirm(people, _pledge(people, project, 30_000))
    for user in (people.street_staff_b, people.resident):
        answer = api_for(user).post(
            f"/api/v1/payments/{payment.pk}/refund/", {"amount": "50", "note": "退回"}, format="json"
        )
        assert answer.status_code in (403, 404)
    answer = api_for(people.street_staff).post(
        f"/api/v1/payments/{payment.pk}/refund/", {"amount": "50", "note": "捐赠人要求退回一部分"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["refunded_amount"] == "50.00" and answer.json()["status"] == "partially_refunded"
    too_much = api_for(people.street_staff).post(
        f"/api/v1/payments/{payment.pk}/refund/", {"amount": "1000", "note": "x"}, format="json"
    )
    assert too_much.status_code == 400
    page = client_for(people.community_staff).post(
        f"/funding/payments/{payment.pk}/refund/", {"refund-amount": "250", "refund-note": "全部退回"}
    )
    assert page.status_code == 302
    payment.refresh_from_db()
    project.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED and project.amount_raised == 0
    assert ledger.project_sum(project) == 0 and ledger.verify() is None


def test_gifts_after_the_funding_deadline_are_refused(people, project):
    project.funding_deadline = timezone.now() - datetime.timedelta(hours=1)
    project.save()
    with pytest.raises(ValidationError, match="has ended"):
        _pledge(people, project, 10_000)
    assert not Payment.objects.exists()


def test_only_donors_who_consent_are_named_on_the_project_page(people, project, client_for):
    from tests.factories import UserFactory

    named = UserFactory(username="named", display_name="王建国")
    hidden = UserFactory(username="hidden", display_name="李秀英")
    for donor, public in ((named, True), (hidden, False)):
        payment = intents.pledge(by=donor, project=project, amount=10_000, public_name=public)
        _confirm(people, payment)
    page = client_for(None).get(project.get_absolute_url()).content.decode()
    assert "王建国" in page and "李秀英" not in page
