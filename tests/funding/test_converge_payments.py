"""Issue 19, the gift side without Stripe: limits on pending pledges and on one gift, a future date on an
offline confirmation, a refund above the accepted amount on the staff page, draft projects never named."""

import datetime

import pytest
from django.utils import timezone

from marketplace.funding import intents
from marketplace.funding.models import Payment, PaymentStatus
from marketplace.projects.models import ProjectStatus
from portal.core.errors import DomainError
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db


def en(client):
    """Pages and the API answer in the visitor's chosen language: English here (the cookie the switcher sets)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_pending_pledges_per_person_are_limited(people, project, api_for, settings):
    settings.FUNDING_MAX_PENDING_PER_DONOR = 3
    api = en(api_for(people.resident))
    answers = [
        api.post("/api/v1/payments/", {"provider": "offline", "project": project.pk, "amount": "10"}, format="json")
        for _ in range(5)
    ]
    assert [a.status_code for a in answers] == [201, 201, 201, 400, 400]
    assert "pending" in str(answers[3].json()).lower()
    assert Payment.objects.filter(donor=people.resident).count() == 3
    # A pledge confirmed (or cancelled) frees its place.
    payment = Payment.objects.filter(donor=people.resident).first()
    intents.confirm_offline(by=people.community_staff, payment=payment, reference="转账", received_on=None)
    assert intents.pledge(by=people.resident, project=project, amount=1_000).status == PaymentStatus.PENDING
    with pytest.raises(DomainError):
        intents.pledge(by=people.resident, project=project, amount=1_000)
    # Another person has places of their own.
    assert intents.pledge(by=people.plain, project=project, amount=1_000)


def test_one_gift_has_a_sanity_ceiling(people, tree, api_for, settings, client_for):
    settings.FUNDING_MAX_GIFT = 100_000_000  # ¥1,000,000.00
    big = published_project(tree.community_a1, target_yuan=10**9, title="大项目")
    api = en(api_for(people.resident))
    answer = api.post(
        "/api/v1/payments/", {"provider": "offline", "project": big.pk, "amount": "100000000000"}, format="json"
    )
    assert answer.status_code == 400 and "1,000,000.00" in str(answer.json())
    assert not Payment.objects.exists()
    page = en(client_for(people.resident)).post(
        f"/funding/projects/{big.pk}/give/", {"amount": "1000000.01", "provider": "offline"}
    )
    assert page.status_code == 200 and "1,000,000.00" in page.content.decode()
    assert not Payment.objects.exists()
    answer = api.post(
        "/api/v1/payments/", {"provider": "offline", "project": big.pk, "amount": "1000000"}, format="json"
    )
    assert answer.status_code == 201


def test_confirming_with_a_future_date_is_a_clear_400_not_a_500(people, project, api_for, client_for):
    payment = intents.pledge(by=people.resident, project=project, amount=30_000)
    tomorrow = str(timezone.localdate() + datetime.timedelta(days=1))
    staff = en(api_for(people.community_staff))
    answer = staff.post(
        f"/api/v1/payments/{payment.pk}/confirm/", {"reference": "转账", "received_on": tomorrow}, format="json"
    )
    assert answer.status_code == 400 and "future" in str(answer.json())
    page = en(client_for(people.community_staff)).post(
        f"/funding/payments/{payment.pk}/confirm/",
        {"confirm-reference": "转账", "confirm-received_on": tomorrow},
        follow=True,
    )
    assert page.status_code == 200 and "cannot be in the future" in page.content.decode()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    with pytest.raises(DomainError):
        intents.confirm_offline(
            by=people.community_staff,
            payment=payment,
            reference="x",
            received_on=timezone.localdate() + datetime.timedelta(days=1),
        )


def test_a_staff_refund_above_the_accepted_amount_on_the_page_is_a_message(people, project, client_for):
    payment = intents.pledge(by=people.resident, project=project, amount=30_000)
    intents.confirm_offline(by=people.community_staff, payment=payment, reference="转账", received_on=None)
    page = en(client_for(people.community_staff)).post(
        f"/funding/payments/{payment.pk}/refund/", {"refund-amount": "500", "refund-note": "多退"}, follow=True
    )
    assert page.status_code == 200 and "Refund between" in page.content.decode()
    payment.refresh_from_db()
    assert payment.refunded_amount == 0


@pytest.mark.parametrize("status", [ProjectStatus.DRAFT])
def test_errors_never_name_a_draft_project(people, tree, api_for, status):
    draft = published_project(tree.community_a1, target_yuan=1000, title="秘密草稿项目")
    draft.status = status
    draft.save(update_fields=["status"])
    answer = en(api_for(people.resident)).post(
        "/api/v1/payments/", {"provider": "offline", "project": draft.pk, "amount": "10"}, format="json"
    )
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "秘密草稿项目" not in text and "Draft" not in text and "草稿" not in text
    with pytest.raises(Exception) as raised:
        intents.pledge(by=people.resident, project=draft, amount=1_000)
    assert "秘密草稿项目" not in str(raised.value) and "Draft" not in str(raised.value)
    # Staff of its area, who can see the draft, are told what it is.
    with pytest.raises(Exception) as raised:
        intents.pledge(by=people.community_staff, project=draft, amount=1_000)
    assert "秘密草稿项目" in str(raised.value)
    assert not Payment.objects.exists()
