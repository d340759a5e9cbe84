"""Appending to the ledger and checking its chain.

Appends are serialised: each one locks the single `ChainHead` row (SELECT … FOR UPDATE
OF that row), takes the next sequence number and the previous hash from it, writes the
entry and moves the head on — all in the caller's transaction, so a rolled-back gift
leaves neither an entry nor a gap. Lock order everywhere: the project row, then the
chain head, then a year's receipt counter.
"""

from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import GENESIS_HASH, ChainHead, LedgerEntry


def _head():
    head = ChainHead.objects.select_for_update(of=("self",)).filter(pk=1).first()
    if head is None:  # the migration creates it; a flushed test database may not have it
        ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.select_for_update(of=("self",)).get(pk=1)
    return head


@transaction.atomic
def append(*, kind, amount, project=None, payment=None, note="", stripe_refund_id=None):
    """Write one entry at the end of the chain and keep the project's `amount_raised` equal to its sum.

    The caller holds the project's row lock when it matters (a confirmation deciding what to accept).
    """
    from marketplace.projects.models import Project

    head = _head()
    entry = LedgerEntry(
        sequence=head.sequence + 1,
        project=project,
        payment=payment,
        kind=kind,
        amount=int(amount),
        note=note[:200],
        stripe_refund_id=stripe_refund_id,
        created_at=timezone.now(),
        previous_hash=head.hash,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    ChainHead.objects.filter(pk=1).update(sequence=entry.sequence, hash=entry.hash)
    if project is not None:
        Project.objects.filter(pk=project.pk).update(
            amount_raised=models.F("amount_raised") + int(amount), updated_at=timezone.now()
        )
    return entry


def project_sum(project):
    return LedgerEntry.objects.filter(project=project).aggregate(total=Coalesce(models.Sum("amount"), 0))["total"]


def verify():
    """The first entry that breaks the chain, with what is wrong, or None if the books hold.

    Checks that numbers run 1, 2, 3… without gaps, that each entry names the hash of the
    one before, and that each hash is that of the entry's own contents.
    """
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    for entry in LedgerEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        if entry.sequence != expected_sequence:
            return entry, f"number {entry.sequence} where {expected_sequence} was expected (a gap)"
        if entry.previous_hash != expected_previous:
            return entry, "its previous hash is not the hash of the entry before"
        if entry.compute_hash() != entry.hash:
            return entry, "its contents do not match its hash (changed after it was written)"
        expected_previous = entry.hash
        expected_sequence += 1
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.sequence != expected_sequence - 1:
        return None, f"the chain head says {head.sequence} entries, the ledger holds {expected_sequence - 1}"
    return None
