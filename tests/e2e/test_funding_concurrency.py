"""Fifty confirmations at once near a project's target, each in its own thread and connection (PostgreSQL).

Committing test (each thread must see the others' commits), so it lives with the other committing tests.
"""

from functools import partial

import pytest
from django.db import connection

from marketplace.funding import intents, ledger
from marketplace.funding.models import LedgerEntry, Payment, Receipt
from marketplace.projects.models import Project, ProjectStatus
from tests.e2e.concurrency import at_once
from tests.factories import build_tree, grant
from tests.factories.accounts import UserFactory
from tests.factories.projects import published_project

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]


def test_fifty_concurrent_confirmations_leave_the_ledger_exact(settings):
    from portal.accounts.models import Role

    # One donor with fifty pledges waiting: the per-person limit has tests of its own.
    settings.FUNDING_MAX_PENDING_PER_DONOR = 100

    tree = build_tree()
    staff = grant(UserFactory(username="concurrentstaff"), Role.COMMUNITY_STAFF, tree.community_a1)
    donor = UserFactory(username="concurrentdonor")
    project = published_project(tree.community_a1, target_yuan=1000)
    # ¥970 already raised: fifty gifts of ¥1.00–¥50.00 compete for the last ¥30.00.
    intents.confirm_offline(
        by=staff, payment=intents.pledge(by=donor, project=project, amount=97_000), reference="a", received_on=None
    )
    pledges = [intents.pledge(by=donor, project=project, amount=100 * (i + 1)) for i in range(50)]
    jobs = [
        partial(intents.confirm_offline, by=staff, payment=p, reference=f"r{p.pk}", received_on=None) for p in pledges
    ]
    errors, refused = at_once(jobs)
    assert not errors and not refused, (errors, refused)

    project = Project.objects.get(pk=project.pk)
    assert project.amount_raised == project.funding_target == 100_000
    assert project.status == ProjectStatus.FUNDED
    assert ledger.project_sum(project) == 100_000
    assert ledger.verify() is None
    payments = list(Payment.objects.filter(project=project))
    assert all(p.counted for p in payments)
    assert all(p.accepted_amount + p.refunded_amount == p.amount for p in payments)
    assert sum(p.accepted_amount for p in payments) == 100_000
    sequences = list(LedgerEntry.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))
    numbers = sorted(Receipt.objects.values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) == sum(1 for p in payments if p.accepted_amount)
