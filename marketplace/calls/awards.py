"""How a call's pool is shared out: ranking the reviewed declarations, then granting down the ranking.

Pure functions over plain values, so the rules can be checked against tables worked by hand
(tests/calls/test_awards.py).

Ranking: the aggregate score, highest first (the mean of the reviewers' weighted totals, or with five
reviewers or more and the call's "trimmed mean", the mean without one highest and one lowest total);
a tie goes to the higher mean score on the rubric's first criterion, then to the earlier submission.

Granting: each declaration's grant is its budget (the total cost) times the share of the first band of
the matching table it falls in, at most that band's cap and never more than it asked of the call. Going
down the ranking, each grant is paid in full while the pool allows. The first that does not fit gets
what is left if that is at least half its grant (a partial award), otherwise nothing; those ranked
below it get nothing (the pool is spent). A declaration in no band of the table gets nothing and
does not stop the others.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

TRIM_FROM = 5  # reviewers needed before the highest and lowest totals are left out
TWO_PLACES = Decimal("0.01")


class Outcome(models.TextChoices):
    """How a declaration's grant was decided (stored as the value, shown in the reader's language)."""

    IN_FULL = "in_full", _("Granted in full.")
    PARTIAL = "partial", _("Granted what was left of the pool (at least half of its grant).")
    SKIPPED = "skipped", _("Not granted: less than half of its grant was left in the pool.")
    SPENT = "spent", _("Not granted: the pool was spent on declarations ranked above it.")
    NO_BAND = "no_band", _("No band of the matching table fits its budget and beneficiaries.")


NO_BAND, IN_FULL, PARTIAL, SKIPPED, SPENT = (
    Outcome.NO_BAND,
    Outcome.IN_FULL,
    Outcome.PARTIAL,
    Outcome.SKIPPED,
    Outcome.SPENT,
)


def aggregate(totals, trimmed):
    """The declaration's score from its reviewers' weighted totals."""
    values = sorted(Decimal(t) for t in totals)
    if not values:
        return None
    if trimmed and len(values) >= TRIM_FROM:
        values = values[1:-1]
    return (sum(values) / len(values)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Reviewed:
    declaration_id: int
    score: Decimal
    first_criterion: Decimal  # the mean score on the rubric's first criterion, for ties
    submitted_at: datetime
    budget: int  # fen
    beneficiaries: int
    requested: int  # fen
    reviewers: int


@dataclass(frozen=True)
class Band:
    budget_from: int
    budget_below: int | None
    beneficiaries_from: int
    beneficiaries_below: int | None
    share_percent: int
    cap: int | None

    def fits(self, budget, beneficiaries):
        return (
            self.budget_from <= budget
            and (self.budget_below is None or budget < self.budget_below)
            and self.beneficiaries_from <= beneficiaries
            and (self.beneficiaries_below is None or beneficiaries < self.beneficiaries_below)
        )


@dataclass(frozen=True)
class Proposed:
    declaration_id: int
    rank: int
    score: Decimal
    reviewers: int
    share: int
    computed: int
    amount: int
    note: str


def ranked(reviewed):
    return sorted(reviewed, key=lambda r: (-r.score, -r.first_criterion, r.submitted_at, r.declaration_id))


def grant_for(entry, bands):
    """(share, grant in fen) from the first band the declaration falls in; (0, 0) when none does."""
    band = next((b for b in bands if b.fits(entry.budget, entry.beneficiaries)), None)
    if band is None:
        return 0, 0
    grant = entry.budget * band.share_percent // 100
    if band.cap is not None:
        grant = min(grant, band.cap)
    return band.share_percent, min(grant, entry.requested)


def allocate(reviewed, bands, pool):
    """Every reviewed declaration, ranked, with what it is granted from `pool` (fen)."""
    proposed, left, spent = [], pool, False
    for rank, entry in enumerate(ranked(reviewed), start=1):
        share, grant = grant_for(entry, bands)
        if share == 0:
            amount, note = 0, NO_BAND
        elif spent:
            amount, note = 0, SPENT
        elif grant <= left:
            amount, note = grant, IN_FULL
        elif left * 2 >= grant:
            amount, note, spent = left, PARTIAL, True
        else:
            amount, note, spent = 0, SKIPPED, True
        left -= amount
        proposed.append(
            Proposed(entry.declaration_id, rank, entry.score, entry.reviewers, share, grant, amount, note.value)
        )
    return proposed
