"""Funds: a pool of public money is money in the ledger. What is put into it and granted out of it are
chained entries, its balance is the sum of them, the database refuses a balance below zero, the books
name a fund whose balance disagrees with the ledger, and the public chain still verifies with fund entries
among the entries written before funds existed (whose hashes did not change)."""

import hashlib
import json
import subprocess
import sys
from datetime import UTC
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from marketplace.funding import intents, ledger
from marketplace.funding.models import ChainHead, EntryKind, Fund, LedgerEntry
from marketplace.projects.models import Project
from tests.factories.projects import published_project
from tests.funding.test_ledger_proofs import _published

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify_public_ledger.py"


def _gift(people, project, fen):
    payment = intents.pledge(by=people.resident, project=project, amount=fen)
    return intents.confirm_offline(by=people.community_staff, payment=payment, reference="转账", received_on=None)


@pytest.fixture
def pool(people, tree):
    """A gift (an entry as before funds), a fund of ¥1,000 with one grant of ¥300 out of it, another gift."""
    first = published_project(tree.community_a1, target_yuan=1000, title="楼道扶手加装")
    second = published_project(tree.community_a1, target_yuan=3000, title="社区食堂")
    _gift(people, first, 10_000)
    fund = Fund.objects.create(name="2027年度社区公益创投")
    ledger.fund_pool(fund, 100_000, note="2027-venture")
    ledger.grant_from(fund, second, 30_000, note="2027-venture #1")
    _gift(people, second, 20_000)
    return fund, first, second


def test_money_put_in_and_granted_out_keeps_the_balance_the_sum_of_the_fund_entries(pool):
    fund, first, second = pool
    fund.refresh_from_db()
    second.refresh_from_db()
    assert fund.balance == 70_000 == ledger.fund_sum(fund)
    assert ledger.fund_put_in(fund) == 100_000
    put_in, grant = LedgerEntry.objects.filter(fund=fund).order_by("sequence")
    assert (put_in.kind, put_in.amount, put_in.project_id) == (EntryKind.FUND_IN, 100_000, None)
    assert (grant.kind, grant.amount, grant.project_id) == (EntryKind.GRANT, 30_000, second.pk)
    assert second.amount_raised == 50_000 == ledger.project_sum(second)
    assert ledger.verify() is None and ledger.check_books() == []


def test_a_grant_beyond_the_balance_is_refused_by_the_database_and_nothing_is_written(pool):
    fund, first, second = pool
    head = ChainHead.objects.get(pk=1)
    entries = LedgerEntry.objects.count()
    with pytest.raises(IntegrityError):
        ledger.grant_from(fund, first, 70_001, note="too much")
    assert LedgerEntry.objects.count() == entries
    assert ChainHead.objects.get(pk=1).hash == head.hash
    assert Fund.objects.get(pk=fund.pk).balance == 70_000
    assert Project.objects.get(pk=first.pk).amount_raised == 10_000
    # Exactly what is left may be granted; the chain goes on from where it was.
    ledger.grant_from(fund, first, 70_000)
    assert Fund.objects.get(pk=fund.pk).balance == 0
    assert ledger.verify() is None and ledger.check_books() == []
    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.filter(pk=fund.pk).update(balance=-1)


def test_only_money_put_in_and_grants_name_a_fund(pool):
    fund, first, second = pool
    with pytest.raises(ValueError):
        ledger.append(kind=EntryKind.GIFT, amount=100, project=first, fund=fund)
    with pytest.raises(ValueError):
        ledger.append(kind=EntryKind.FUND_IN, amount=100, project=first, fund=fund)
    with pytest.raises(ValueError):
        ledger.fund_pool(fund, 0)


def test_the_books_name_a_fund_whose_balance_was_tampered_with(pool):
    fund, first, second = pool
    call_command("verify_ledger")
    Fund.objects.filter(pk=fund.pk).update(balance=90_000)  # ¥200 that the ledger never saw
    problems = ledger.check_books()
    assert len(problems) == 1
    assert f"fund {fund.pk}" in problems[0] and "2027年度社区公益创投" in problems[0]
    assert "900.00" in problems[0] and "700.00" in problems[0]
    with pytest.raises(CommandError, match=rf"fund {fund.pk}"):
        call_command("verify_ledger")


def _old_hash(entry):
    """The hash as it was computed before funds existed (seven elements)."""
    fields = [
        entry.sequence,
        entry.previous_hash,
        entry.project_id,
        entry.kind,
        entry.amount,
        entry.created_at.astimezone(UTC).isoformat(),
        entry.commitment,
    ]
    return hashlib.sha256(json.dumps(fields, separators=(",", ":")).encode()).hexdigest()


def test_the_hash_covers_the_fund_only_of_entries_that_name_one(pool):
    fund, first, second = pool
    for entry in LedgerEntry.objects.all():
        if entry.fund_id is None:
            assert entry.hash == _old_hash(entry)  # entries without a fund: unchanged
        else:
            assert entry.hash != _old_hash(entry)
            entry.fund_id = fund.pk + 1  # the grant said to come out of another fund
            assert entry.compute_hash() != entry.hash


def test_the_published_ledger_with_fund_entries_verifies_with_the_script(pool, api_for, tmp_path):
    fund, first, second = pool
    rows = _published(api_for(None))
    assert len(rows) == LedgerEntry.objects.count() == 4  # the fund's entries are public too
    assert [(r["kind"], r["fund"], r["fund_name"]) for r in rows] == [
        ("gift", None, None),
        ("fund", fund.pk, "2027年度社区公益创投"),
        ("grant", fund.pk, "2027年度社区公益创投"),
        ("gift", None, None),
    ]
    assert [r["sequence"] for r in _published_of(api_for(None), fund)] == [rows[1]["sequence"], rows[2]["sequence"]]
    dump = tmp_path / "ledger.json"
    dump.write_text(json.dumps(rows))
    done = subprocess.run([sys.executable, str(SCRIPT), str(dump)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 entries" in done.stdout
    rows[2]["fund"] = fund.pk + 1  # the grant said to come out of another fund
    dump.write_text(json.dumps(rows))
    done = subprocess.run([sys.executable, str(SCRIPT), str(dump)], capture_output=True, text=True)
    assert done.returncode == 1 and f"#{rows[2]['sequence']}" in done.stdout


def _published_of(api, fund):
    return api.get(f"/api/v1/ledger/?fund={fund.pk}").json()["results"]
