#!/usr/bin/env python3
"""Verify the public ledger's hash chain from its published rows alone (no account, no database).

    python3 scripts/verify_public_ledger.py https://example.org/api/v1/ledger/
    python3 scripts/verify_public_ledger.py ledger.json     # a saved list of the API's rows

Reads every row of /api/v1/ledger/ (following its `next` pages), in order, and checks that the numbers
run 1, 2, 3… without gaps, that each row names the hash of the row before (the first names 64 zeros),
and that each hash is SHA-256 of the row's public fields and its published commitment:

    json.dumps([sequence, previous_hash, project, kind, amount in fen, created_at in UTC, commitment],
               separators=(",", ":"))

A row that names a fund (a pool of public money: money put into it, kind "fund", or granted out of it,
kind "grant") has the fund's id as an eighth element, after the commitment; rows without a fund (every
row written before funds existed) hash the seven elements alone.

The commitment is an HMAC of the entry's private fields (the payment it belongs to, a Stripe refund's
id, the note) keyed with a random salt that is never published: it binds them into the chain without
revealing them. Exit status 0 when the chain holds, 1 naming the first row that breaks it.
Python 3.9+, standard library only.
"""

import hashlib
import json
import sys
import urllib.request
from datetime import datetime, timezone
from decimal import Decimal

GENESIS_HASH = "0" * 64


def fen(amount):
    """The API's yuan ("-1200.50") as whole fen."""
    value = Decimal(str(amount)) * 100
    if value != value.to_integral_value():
        raise ValueError(f"amount {amount!r} is not whole fen")
    return int(value)


def utc(text):
    moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    return moment.astimezone(timezone.utc).isoformat()  # noqa: UP017 - runs on Python 3.9 too


def row_hash(row):
    canonical = [
        row["sequence"],
        row["previous_hash"],
        row["project"],
        row["kind"],
        fen(row["amount"]),
        utc(row["created_at"]),
        row["commitment"],
    ]
    if row.get("fund") is not None:
        canonical.append(int(row["fund"]))
    return hashlib.sha256(json.dumps(canonical, separators=(",", ":")).encode()).hexdigest()


def read_rows(source):
    if not source.startswith(("http://", "https://")):
        with open(source, encoding="utf-8") as handle:
            data = json.load(handle)
        return data["results"] if isinstance(data, dict) else data
    rows, url = [], source + ("&" if "?" in source else "?") + "page_size=500"
    while url:
        request = urllib.request.Request(url, headers={"Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            page = json.load(response)
        rows += page["results"]
        url = page.get("next")
    return rows


def verify(rows):
    """None if the chain holds, else (sequence, what is wrong)."""
    previous, expected = GENESIS_HASH, 1
    for row in sorted(rows, key=lambda r: r["sequence"]):
        if row["sequence"] != expected:
            return row["sequence"], f"number {row['sequence']} where {expected} was expected (a gap)"
        if row["previous_hash"] != previous:
            return row["sequence"], "its previous hash is not the hash of the row before"
        if row_hash(row) != row["hash"]:
            return row["sequence"], "its published fields do not match its hash"
        previous, expected = row["hash"], expected + 1
    return None


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: verify_public_ledger.py <ledger API address or JSON file>", file=sys.stderr)
        return 2
    rows = read_rows(argv[1])
    broken = verify(rows)
    if broken is not None:
        sequence, reason = broken
        print(f"BROKEN at entry #{sequence}: {reason}")
        return 1
    last = max((r["sequence"] for r in rows), default=0)
    head = next((r["hash"] for r in rows if r["sequence"] == last), GENESIS_HASH)
    print(f"chain intact: {len(rows)} entries, last hash {head}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
