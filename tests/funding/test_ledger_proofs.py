"""The ledger proves itself without exposing anyone (issue 19).

- `verify_ledger` also holds every project's cached total (and every gift's accepted amount) against the
  ledger, exits non-zero naming what disagrees, and the last check shows on /healthz and to staff;
- the published ledger lets anyone verify the chain (scripts/verify_public_ledger.py) while its hashes
  no longer let anyone recover the private payment id behind an entry.
"""

import hashlib
import json
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from marketplace.funding import intents, ledger, refunds
from marketplace.funding.models import LedgerEntry, Payment
from marketplace.projects.models import Project
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify_public_ledger.py"


def _confirmed(people, project, fen):
    payment = intents.pledge(by=people.resident, project=project, amount=fen)
    return intents.confirm_offline(
        by=people.community_staff, payment=payment, reference=f"转账{payment.pk}", received_on=None
    )


@pytest.fixture
def books(people, tree):
    """Gifts, a refund and an overshoot on two projects: a dozen entries."""
    first = published_project(tree.community_a1, target_yuan=1000, title="楼道扶手加装")
    second = published_project(tree.community_a1, target_yuan=3000, title="社区食堂")
    gifts = [_confirmed(people, first, fen) for fen in (10_000, 20_000, 30_000)]
    gifts += [_confirmed(people, second, fen) for fen in (40_000, 50_000, 60_000_0)]
    refunds.record_refund(by=people.community_staff, payment=gifts[1], amount=5_000)
    return [first, second]


def test_verify_ledger_fails_on_a_tampered_project_total_naming_the_project(books):
    call_command("verify_ledger")
    first = books[0]
    Project.objects.filter(pk=first.pk).update(amount_raised=4_000_000)  # ¥40,000 that the ledger never saw
    with pytest.raises(CommandError) as failed:
        call_command("verify_ledger")
    assert f"project {first.pk}" in str(failed.value) and "楼道扶手加装" in str(failed.value)
    assert "40,000.00" in str(failed.value)


def test_verify_ledger_fails_on_a_tampered_accepted_amount(books, people):
    payment = Payment.objects.filter(project=books[1]).order_by("pk").first()
    Payment.objects.filter(pk=payment.pk).update(accepted_amount=payment.accepted_amount + 100)
    with pytest.raises(CommandError, match=rf"gift {payment.pk}"):
        call_command("verify_ledger")


def test_a_failed_check_shows_on_healthz_and_to_district_staff(books, client, client_for, people):
    call_command("verify_ledger")
    healthy = client.get("/healthz").json()
    assert healthy["checks"]["ledger"]["ok"] is True
    Project.objects.filter(pk=books[0].pk).update(amount_raised=4_000_000)
    with pytest.raises(CommandError):
        call_command("verify_ledger")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["ledger"]["ok"] is False
    assert "楼道扶手加装" not in response.content.decode()  # the public answer names no project
    page = client_for(people.district_staff).get("/funding/queue/").content.decode()
    assert "ledger-check-failed" in page and "楼道扶手加装" in page


def test_the_check_runs_from_beat(books, settings):
    from marketplace.funding.models import LedgerCheck
    from marketplace.funding.tasks import verify_ledger_task

    entry = settings.CELERY_BEAT_SCHEDULE["verify-ledger"]
    assert entry["task"] == "marketplace.funding.tasks.verify_ledger_task"
    Project.objects.filter(pk=books[0].pk).update(amount_raised=1)
    assert verify_ledger_task() is False
    assert not LedgerCheck.objects.latest("checked_at").ok


def _published(api):
    """Every row of the public ledger, as anyone reads it from the API."""
    rows, url = [], "/api/v1/ledger/?page_size=500"
    while url:
        page = api.get(url).json()
        rows += page["results"]
        url = page["next"]
    return rows


def test_the_published_ledger_verifies_with_the_script(books, api_for, tmp_path):
    rows = _published(api_for(None))
    assert len(rows) == LedgerEntry.objects.count() >= 7
    dump = tmp_path / "ledger.json"
    dump.write_text(json.dumps(rows))
    done = subprocess.run([sys.executable, str(SCRIPT), str(dump)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(rows)} entries" in done.stdout
    rows[2]["amount"] = "999.00"  # one figure changed on the way
    dump.write_text(json.dumps(rows))
    done = subprocess.run([sys.executable, str(SCRIPT), str(dump)], capture_output=True, text=True)
    assert done.returncode == 1 and f"#{rows[2]['sequence']}" in done.stdout


def _fen(text):
    return int(Decimal(text) * 100)


def _utc(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC).isoformat()


def _guesses(row, guessed_id):
    """What an attacker would hash: the entry's public fields with a guessed payment id in every place it
    could go, with and without the published commitment."""
    public = [row["sequence"], row["previous_hash"], row["project"]]
    rest = [row["kind"], _fen(row["amount"]), _utc(row["created_at"])]
    commitment = row.get("commitment")
    yield json.dumps([*public, guessed_id, *rest], separators=(",", ":"))
    if commitment:
        yield json.dumps([*public, *rest, commitment, guessed_id], separators=(",", ":"))
        yield json.dumps([*public, guessed_id, *rest, commitment], separators=(",", ":"))
        for salt in ("", str(guessed_id)):
            yield from (f"{salt}{guessed_id}", json.dumps([guessed_id]), json.dumps([guessed_id, None, ""]))


def test_two_thousand_guessed_ids_recover_no_payment(books, api_for):
    rows = _published(api_for(None))
    assert rows and all("payment" not in row and "salt" not in row for row in rows)
    recovered = 0
    for row in rows:
        targets = {row["hash"], row.get("commitment")}
        for guess in range(1, 2001):
            if any(hashlib.sha256(text.encode()).hexdigest() in targets for text in _guesses(row, guess)):
                recovered += 1
                break
    assert recovered == 0
    assert ledger.verify() is None


def test_the_migration_rechains_entries_written_under_the_old_hashes(books):
    """Entries hashed the old way (over the payment id, no salt) are given salts, commitments and new hashes."""
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from marketplace.funding.models import ChainHead

    table = LedgerEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(f"UPDATE {table} SET salt = '', commitment = ''")
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
    assert ledger.verify() is not None
    name = "0006_ledger_commitments_and_checks"
    migration = importlib.import_module(f"marketplace.funding.migrations.{name}")
    apps = MigrationLoader(connection).project_state(("funding", name)).apps  # the migration's models
    # What the migration's schema editor offers it (SQLite's cannot be opened inside the test's transaction).
    editor = SimpleNamespace(connection=connection, execute=lambda sql: connection.cursor().execute(sql))
    migration.rechain(apps, editor)
    assert ledger.verify() is None and not ledger.check_books()
    entries = list(LedgerEntry.objects.order_by("sequence"))
    assert len({e.salt for e in entries}) == len(entries) and all(len(e.salt) == 64 for e in entries)
    assert ChainHead.objects.get(pk=1).hash == entries[-1].hash
    if connection.vendor == "postgresql":  # the append-only trigger is back
        from django.db import DatabaseError, transaction

        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET note = 'x'")


def test_verify_ledger_passes_on_the_demo(demo_district, capsys):
    call_command("verify_ledger")
    assert "ledger intact" in capsys.readouterr().out
