"""The ledger's hashes cover a salted commitment to each entry's private fields instead of its payment id
(marketplace/funding/chain.py), and every check of the books is recorded (`LedgerCheck`).

Entries already written are re-chained here, in order: each gets a random salt, its commitment and a new
hash naming the new hash before it; the chain head moves to the last one. On PostgreSQL the append-only
trigger is set aside for these updates only (and put back in the same transaction).
"""

import hashlib
import hmac
import json
import secrets
from datetime import UTC

import django.utils.timezone
from django.db import migrations, models

GENESIS_HASH = "0" * 64
TRIGGER = "funding_ledger_append_only"


# The same bytes as marketplace/funding/chain.py at the time of writing (a migration keeps its own copy).
def _commitment(salt, payment_id, stripe_refund_id, note):
    private = json.dumps([payment_id, stripe_refund_id or None, note or ""], separators=(",", ":"), ensure_ascii=False)
    return hmac.new(bytes.fromhex(salt), private.encode(), hashlib.sha256).hexdigest()


def _hash(entry, previous_hash, commitment):
    canonical = json.dumps(
        [
            entry.sequence,
            previous_hash,
            entry.project_id,
            str(entry.kind),
            int(entry.amount),
            entry.created_at.astimezone(UTC).isoformat(),
            commitment,
        ],
        separators=(",", ":"),
    ).encode()
    return hashlib.sha256(canonical).hexdigest()


def rechain(apps, schema_editor):
    LedgerEntry = apps.get_model("funding", "LedgerEntry")
    ChainHead = apps.get_model("funding", "ChainHead")
    table = LedgerEntry._meta.db_table
    postgres = schema_editor.connection.vendor == "postgresql"
    if not LedgerEntry.objects.exists():
        return
    if postgres:  # deferred checks fired first: a table with pending trigger events cannot be altered
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {TRIGGER}")
    previous, last = GENESIS_HASH, 0
    for entry in LedgerEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        salt = secrets.token_hex(32)
        commitment = _commitment(salt, entry.payment_id, entry.stripe_refund_id, entry.note)
        new_hash = _hash(entry, previous, commitment)
        LedgerEntry.objects.filter(pk=entry.pk).update(
            salt=salt, commitment=commitment, previous_hash=previous, hash=new_hash
        )
        previous, last = new_hash, entry.sequence
    ChainHead.objects.update_or_create(pk=1, defaults={"sequence": last, "hash": previous})
    if postgres:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):
    dependencies = [("funding", "0005_converging_stripe_events")]

    operations = [
        migrations.AddField(
            model_name="ledgerentry",
            name="salt",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="commitment",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.CreateModel(
            name="LedgerCheck",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "checked_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="checked at"),
                ),
                ("ok", models.BooleanField(verbose_name="the books hold")),
                ("entries", models.BigIntegerField(default=0)),
                ("problems", models.TextField(blank=True)),
            ],
            options={
                "verbose_name": "ledger check",
                "verbose_name_plural": "ledger checks",
                "ordering": ["-checked_at", "-id"],
            },
        ),
        migrations.RunPython(rechain, migrations.RunPython.noop),
    ]
