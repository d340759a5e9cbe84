"""The public draw for seats at an oversubscribed meeting, re-runnable by anyone.

Inputs, all published on the meeting page: the meeting's number, the time registration
closed (ISO 8601, UTC) and the sorted list of the registrations' public references. Then:

    seed  = SHA-256("<meeting id>|<closed at>|<ref1>,<ref2>,…")           (hex)
    order = the references sorted by SHA-256(seed + ref)                  (hex, ascending)

The first `capacity` references get seats, the rest join the waiting list in that order.
Nothing random is drawn: the seed follows from inputs fixed before the draw, so the result
can be checked with the few lines of Python in `draw`.
"""

import hashlib


def seed_for(meeting_id, closed_at_iso, refs):
    return hashlib.sha256(f"{meeting_id}|{closed_at_iso}|{','.join(sorted(refs))}".encode()).hexdigest()


def draw(seed, refs):
    """The references in the order of the draw."""
    return sorted(refs, key=lambda ref: hashlib.sha256((seed + ref).encode()).hexdigest())
