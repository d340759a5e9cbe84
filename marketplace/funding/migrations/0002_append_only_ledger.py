"""The chain head row, and on PostgreSQL a trigger refusing any UPDATE or DELETE of a ledger entry."""

from django.db import migrations

TRIGGER = """
CREATE OR REPLACE FUNCTION funding_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'funding_ledgerentry is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS funding_ledger_append_only ON funding_ledgerentry;
CREATE TRIGGER funding_ledger_append_only BEFORE UPDATE OR DELETE ON funding_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION funding_ledger_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS funding_ledger_append_only ON funding_ledgerentry;
DROP FUNCTION IF EXISTS funding_ledger_append_only();
"""


def chain_head(apps, schema_editor):
    apps.get_model("funding", "ChainHead").objects.get_or_create(pk=1)


def trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def no_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [
        migrations.RunPython(chain_head, migrations.RunPython.noop),
        migrations.RunPython(trigger, no_trigger),
    ]
