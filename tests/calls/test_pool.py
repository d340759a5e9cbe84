"""A call's pool is money in the ledger: publishing the call makes its fund and puts the pool into it
(one entry, once), and the public call page and API show what is left in it."""

import pytest

from marketplace.calls import services
from marketplace.calls.models import CallStatus, FundingCall
from marketplace.funding import ledger
from marketplace.funding.models import EntryKind, LedgerEntry
from tests.factories.calls import funding_call

pytestmark = pytest.mark.django_db


def test_publishing_a_call_funds_its_pool_with_one_ledger_entry(people, tree, client_for, api_for):
    call = funding_call(tree.street_a, slug="pooled", status=CallStatus.DRAFT, pool=50_000_000)
    assert call.fund_id is None and not LedgerEntry.objects.exists()
    call = services.publish_call(by=people.street_staff, call=call)
    assert call.status == CallStatus.OPEN and call.fund is not None
    fund = call.fund
    (entry,) = LedgerEntry.objects.all()
    assert (entry.kind, entry.amount, entry.fund_id, entry.project_id) == (EntryKind.FUND_IN, 50_000_000, fund.pk, None)
    assert fund.balance == 50_000_000 and fund.name == call.title
    # Once: publishing again or funding again puts nothing more in.
    services.publish_call(by=people.street_staff, call=call)
    assert services.fund_call(call) == fund
    assert LedgerEntry.objects.count() == 1
    assert ledger.verify() is None and ledger.check_books() == []
    page = client_for(None).get(call.get_absolute_url()).content.decode()
    assert "¥500,000.00" in page and ("Left in the pool" in page or "资金池余额" in page)
    shown = api_for(None).get(f"/api/v1/calls/{call.pk}/").json()
    assert shown["pool_left"] == "500000.00" and shown["fund"] == fund.pk
    published = api_for(None).get(f"/api/v1/ledger/?fund={fund.pk}").json()["results"]
    assert [(r["kind"], r["fund_name"]) for r in published] == [("fund", call.title)]


def test_a_raised_pool_is_topped_up_once(people, tree):
    call = funding_call(tree.street_a, slug="raised", status=CallStatus.DRAFT, pool=10_000_000)
    call = services.publish_call(by=people.street_staff, call=call)
    type(call).objects.filter(pk=call.pk).update(pool=12_000_000)
    call.refresh_from_db()
    fund = services.fund_call(call)
    services.fund_call(call)
    assert fund.balance == 12_000_000
    assert [e.amount for e in LedgerEntry.objects.filter(fund=fund)] == [10_000_000, 2_000_000]


def test_the_demo_calls_have_their_pools_in_the_ledger(demo_district):
    published = FundingCall.objects.public().select_related("fund")
    assert published.exists()
    for call in published:
        assert call.fund is not None, call.slug
        assert ledger.fund_put_in(call.fund) == call.pool
        assert call.fund.balance == call.pool - call.granted == call.pool_left
    assert ledger.check_books() == []
