"""Giving, in a browser: an offline pledge confirmed by staff, and a card payment through Stripe.js
(localstripe's, with its 3-D Secure step) counted by the webhook localstripe signs and sends."""

import re
import time

import pytest
from playwright.sync_api import expect

from marketplace.funding.models import Payment, PaymentStatus
from tests.e2e.journeys import log_in
from tests.factories.projects import published_project
from tests.funding.localstripe import localstripe_url  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _wait_for(condition, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def test_an_offline_pledge_from_the_project_page_to_the_receipt(page, site, people, tree, password, axe_violations):
    project = published_project(tree.community_a1, target_yuan=1000, title="楼道扶手加装")
    problems = {}

    def audit(name):
        found = axe_violations(page)
        if found:
            problems[name] = found

    page.goto(f"{site}{project.get_absolute_url()}")
    audit("project page, anonymous")
    log_in(page, site, people.resident, password)
    page.goto(f"{site}{project.get_absolute_url()}")
    audit("project page with the Give form")
    page.fill("#give input[name=amount]", "300")
    page.locator("#give input[name=provider][value=offline]").check()
    page.locator("#give button[type=submit]").click()
    page.wait_for_url(re.compile(r"/funding/payments/\d+/$"))
    audit("pledge page")
    payment = Payment.objects.get()
    assert payment.amount == 30_000 and payment.status == PaymentStatus.PENDING

    log_in(page, site, people.community_staff, password)
    page.goto(f"{site}/funding/queue/")
    audit("pledges waiting")
    page.locator(f"a[href='{payment.get_absolute_url()}']").click()
    # Wait for the payment page itself: axe run mid-navigation finds no document.
    page.wait_for_url(re.compile(rf"{re.escape(payment.get_absolute_url())}$"))
    audit("payment page with the confirm form")
    page.fill("input[name=confirm-reference]", "现金收据 0418")
    page.locator("form[action$='/confirm/'] button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()

    log_in(page, site, people.resident, password)
    page.goto(f"{site}/funding/mine/")
    audit("my gifts")
    payment.refresh_from_db()
    expect(page.get_by_role("link", name=payment.receipt_number)).to_be_visible()
    assert problems == {}


def test_a_card_gift_through_stripe_js_and_the_signed_webhook(
    page,
    site,
    people,
    tree,
    password,
    settings,
    localstripe_url,  # noqa: F811
):
    import urllib.parse
    import urllib.request

    from marketplace.funding.providers import stripe_client

    settings.STRIPE_SECRET_KEY = "sk_test_gongzhi"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_gongzhi"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_e2e_gongzhi"
    settings.STRIPE_API_BASE = localstripe_url
    settings.STRIPE_JS_URL = f"{localstripe_url}/js.stripe.com/v3/"
    # localstripe signs its events with this secret and posts them to our webhook.
    hook = urllib.parse.urlencode({"url": f"{site}/payments/stripe/webhook/", "secret": "whsec_e2e_gongzhi"})
    urllib.request.urlopen(
        urllib.request.Request(f"{localstripe_url}/_config/webhooks/gongzhi", data=hook.encode(), method="POST"),
        timeout=5,
    ).close()

    project = published_project(tree.community_a1, target_yuan=1000, title="儿童之家改造")
    log_in(page, site, people.resident, password)
    page.goto(f"{site}{project.get_absolute_url()}")
    page.fill("#give input[name=amount]", "500")
    page.locator("#give input[name=provider][value=stripe]").check()
    page.locator("#give button[type=submit]").click()
    page.wait_for_url(re.compile(r"/funding/payments/\d+/pay/$"))
    payment = Payment.objects.get()
    # The card the donor types (localstripe's Element does not send it): one that asks for 3-D Secure.
    stripe = stripe_client()
    method = stripe.PaymentMethod.create(
        type="card", card={"number": "4000002760003184", "exp_month": 12, "exp_year": 2030, "cvc": "123"}
    )
    stripe.PaymentIntent.modify(payment.stripe_payment_intent_id, payment_method=method["id"])
    stripe.PaymentIntent.confirm(payment.stripe_payment_intent_id)

    expect(page.locator("#card-element input").first).to_be_visible()  # Stripe.js ran under the page's CSP
    page.locator("#card-submit").click()
    page.get_by_role("button", name="Complete authentication").click()
    page.wait_for_url(re.compile(rf"/funding/payments/{payment.pk}/$"))
    assert _wait_for(lambda: Payment.objects.get(pk=payment.pk).status == PaymentStatus.CONFIRMED)
    project.refresh_from_db()
    assert project.amount_raised == 50_000
