import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from marketplace.funding import intents, ledger, refunds
from marketplace.funding.models import AppendOnlyError, EntryKind, LedgerEntry
from marketplace.projects.models import Project
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db


def _confirmed(people, project, fen):
    payment = intents.pledge(by=people.resident, project=project, amount=fen)
    return intents.confirm_offline(
        by=people.community_staff, payment=payment, reference=f"转账{payment.pk}", received_on=None
    )


def test_entries_are_numbered_and_chained(people, project):
    _confirmed(people, project, 10_000)
    _confirmed(people, project, 20_000)
    entries = list(LedgerEntry.objects.order_by("sequence"))
    assert [e.sequence for e in entries] == [1, 2]
    assert entries[0].previous_hash == "0" * 64
    assert entries[1].previous_hash == entries[0].hash
    assert all(e.hash == e.compute_hash() for e in entries)
    assert ledger.verify() is None


def test_amount_raised_always_equals_the_ledger_sum(people, tree, settings):
    """Random gifts, overshoots and refunds on three projects: after every step, raised == ledger sum."""
    # One donor leaves many pledges waiting here; the limit on that has tests of its own.
    settings.FUNDING_MAX_PENDING_PER_DONOR = 100
    rng = random.Random(12)
    projects = [published_project(tree.community_a1, target_yuan=t, title=f"项目{t}") for t in (500, 1200, 3000)]
    confirmed, pending = [], []
    for _step in range(40):
        project = rng.choice(projects)
        project.refresh_from_db()
        roll = rng.random()
        if confirmed and roll < 0.2:
            payment = rng.choice(confirmed)
            payment.refresh_from_db()
            if payment.accepted_amount:
                refunds.record_refund(
                    by=people.community_staff, payment=payment, amount=rng.randint(1, payment.accepted_amount)
                )
        elif pending and roll < 0.6:
            # Confirmed late, perhaps after the project was funded: the whole gift goes back.
            confirmed.append(_confirmed_existing(people, pending.pop(rng.randrange(len(pending)))))
        elif project.status == "published":
            pending.append(intents.pledge(by=people.resident, project=project, amount=rng.randint(1, 90_000)))
        for p in projects:
            p.refresh_from_db()
            assert p.amount_raised == ledger.project_sum(p)
            assert p.amount_raised <= p.funding_target
    assert ledger.verify() is None


def _confirmed_existing(people, payment):
    return intents.confirm_offline(by=people.community_staff, payment=payment, reference="现金", received_on=None)


def test_model_refuses_change_and_removal(people, project):
    _confirmed(people, project, 10_000)
    entry = LedgerEntry.objects.get()
    entry.amount = 1
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.all().delete()


def test_database_refuses_a_zero_amount():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        ledger.append(kind=EntryKind.DISBURSEMENT, amount=0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_trigger_refuses_raw_update_and_delete(people, project):
    from django.db import DatabaseError

    _confirmed(people, project, 10_000)
    table = LedgerEntry._meta.db_table
    for sql in (f"UPDATE {table} SET amount = 1", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)


def _tamper(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # past the trigger, as an intruder
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def test_verify_ledger_passes_then_names_the_tampered_row(people, project, capsys):
    for fen in (10_000, 20_000, 30_000):
        _confirmed(people, project, fen)
    call_command("verify_ledger")
    assert "3 entries" in capsys.readouterr().out
    second = LedgerEntry.objects.get(sequence=2)
    _tamper(f"UPDATE {LedgerEntry._meta.db_table} SET amount = %s WHERE id = %s", [2_000_000, second.pk])
    with pytest.raises(CommandError, match=r"entry #2 .*changed after it was written"):
        call_command("verify_ledger")


def test_verify_ledger_finds_a_removed_row(people, project):
    for fen in (10_000, 20_000, 30_000):
        _confirmed(people, project, fen)
    second = LedgerEntry.objects.get(sequence=2)
    _tamper(f"DELETE FROM {LedgerEntry._meta.db_table} WHERE id = %s", [second.pk])
    with pytest.raises(CommandError, match=r"entry #3 .*gap"):
        call_command("verify_ledger")


def test_raised_column_is_kept_with_each_entry(people, project):
    _confirmed(people, project, 25_000)
    project.refresh_from_db()
    assert project.amount_raised == 25_000 == Project.objects.get(pk=project.pk).amount_raised
