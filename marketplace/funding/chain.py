"""What a ledger entry's hash covers, as plain functions (the model, the migration that re-chained the
ledger and scripts/verify_public_ledger.py compute the same bytes).

An entry's hash is SHA-256 of one JSON array of its public fields and a commitment to its private ones:

    [sequence, previous_hash, project id or null, kind, amount in fen, created_at in UTC, commitment]

An entry that names a fund (a pool of public money: money put into it, kind "fund", or granted out of it,
kind "grant") has the fund's id as an eighth element:

    [sequence, previous_hash, project id or null, kind, amount in fen, created_at in UTC, commitment, fund id]

Only those entries: an entry without a fund hashes the seven elements exactly as before funds existed, so
every hash written earlier stays valid without re-chaining. The fund's id is public (the ledger API
publishes it with the fund's name), so the public verification needs nothing more.

The commitment is HMAC-SHA256 keyed with the entry's own random salt (32 bytes, kept in the database,
never published) over the private fields: the payment's id, the Stripe refund's id and the note. It is
published with the entry, so anyone can recompute every hash from the published rows alone; without
the salt nobody can tell which payment an entry belongs to (guessing ids needs the salt's 256 bits too).
Whoever holds the database (verify_ledger) also checks each commitment against the private fields.
"""

import hashlib
import hmac
import json
import secrets
from datetime import UTC

GENESIS_HASH = "0" * 64


def new_salt():
    return secrets.token_hex(32)


def commitment(salt, *, payment_id, stripe_refund_id, note):
    private = json.dumps([payment_id, stripe_refund_id or None, note or ""], separators=(",", ":"), ensure_ascii=False)
    return hmac.new(bytes.fromhex(salt), private.encode(), hashlib.sha256).hexdigest()


def canonical(*, sequence, previous_hash, project_id, kind, amount, created_at, commitment, fund_id=None):
    """The bytes the hash covers: one JSON array, no spaces, the time in UTC to the microsecond; the fund's
    id last, only for an entry that names a fund."""
    fields = [
        sequence,
        previous_hash,
        project_id,
        str(kind),
        int(amount),
        created_at.astimezone(UTC).isoformat(),
        commitment,
    ]
    if fund_id is not None:
        fields.append(int(fund_id))
    return json.dumps(fields, separators=(",", ":")).encode()


def entry_hash(**fields):
    return hashlib.sha256(canonical(**fields)).hexdigest()
