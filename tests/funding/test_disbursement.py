"""A tranche paid to the implementer is money out of the project's funds: chained in the public ledger like
every entry, and leaving the money raised (the funding bar, "short of money", the books check) as it was."""

import pytest

from marketplace.funding import ledger
from marketplace.funding.models import EntryKind, LedgerEntry
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db


def test_a_disbursement_is_chained_and_leaves_the_money_raised_alone(tree):
    project = published_project(tree.community_a1, target_yuan=10_000)
    ledger.append(kind=EntryKind.GIFT, amount=800_000, project=project)
    entry = ledger.disburse(project=project, amount=300_000, note="tranche 1")
    project.refresh_from_db()
    assert entry.kind == EntryKind.DISBURSEMENT and entry.amount == -300_000
    assert project.amount_raised == 800_000 == ledger.project_sum(project)
    assert ledger.verify() is None and ledger.check_books() == []
    assert LedgerEntry.objects.filter(project=project).count() == 2
    with pytest.raises(ValueError):
        ledger.disburse(project=project, amount=0)
