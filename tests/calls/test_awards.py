"""The pool shared out down the ranking, against tables worked by hand (marketplace/calls/awards.py)."""

from datetime import datetime, timedelta
from decimal import Decimal

from marketplace.calls import awards
from marketplace.calls.awards import Band, Reviewed

T0 = datetime(2027, 3, 1, 9, 0)
YUAN = 100
# The demo call's table: budget below ¥100,000 → 70 % (cap ¥60,000) for fewer than 100 beneficiaries, 80 % (cap
# ¥80,000) for 100 or more; ¥100,000 and above → 50 % (cap ¥100,000) / 60 % (cap ¥150,000).
BANDS = [
    Band(0, 100_000 * YUAN, 0, 100, 70, 60_000 * YUAN),
    Band(0, 100_000 * YUAN, 100, None, 80, 80_000 * YUAN),
    Band(100_000 * YUAN, None, 0, 100, 50, 100_000 * YUAN),
    Band(100_000 * YUAN, None, 100, None, 60, 150_000 * YUAN),
]


def entry(pk, score, budget, beneficiaries, requested=None, first="8", minutes=0):
    return Reviewed(
        declaration_id=pk,
        score=Decimal(score),
        first_criterion=Decimal(first),
        submitted_at=T0 + timedelta(minutes=minutes),
        budget=budget * YUAN,
        beneficiaries=beneficiaries,
        requested=(requested if requested is not None else budget) * YUAN,
        reviewers=3,
    )


def amounts(proposed):
    return [(p.declaration_id, p.rank, p.computed // YUAN, p.amount // YUAN) for p in proposed]


def test_grants_in_full_down_the_ranking_while_the_pool_allows():
    # 1: ¥126,000, 120 people → 60 % = ¥75,600.  2: ¥72,000, 60 people → 70 % = ¥50,400.
    # 3: ¥30,000, 900 people → 80 % = ¥24,000.  Pool ¥200,000: all in full, ¥50,000 left.
    reviewed = [entry(2, "81.50", 72_000, 60), entry(1, "88.25", 126_000, 120), entry(3, "74", 30_000, 900)]
    assert amounts(awards.allocate(reviewed, BANDS, 200_000 * YUAN)) == [
        (1, 1, 75_600, 75_600),
        (2, 2, 50_400, 50_400),
        (3, 3, 24_000, 24_000),
    ]


def test_the_cap_and_what_was_asked_limit_a_grant():
    # ¥400,000, 500 people → 60 % = ¥240,000, capped at ¥150,000.
    # ¥90,000, 150 people, asking only ¥20,000 of the call: 80 % would be ¥72,000 → ¥20,000.
    reviewed = [entry(1, "90", 400_000, 500), entry(2, "80", 90_000, 150, requested=20_000)]
    assert amounts(awards.allocate(reviewed, BANDS, 1_000_000 * YUAN)) == [
        (1, 1, 150_000, 150_000),
        (2, 2, 20_000, 20_000),
    ]


def test_the_pool_running_out_gives_a_partial_award_then_nothing():
    # Pool ¥100,000: 1 takes ¥75,600 (¥24,400 left); 2 would take ¥50,400: ¥24,400 is less than half → nothing,
    # and 3 (¥24,000, which would fit) gets nothing either: the pool is spent below the first that did not fit.
    reviewed = [entry(1, "88", 126_000, 120), entry(2, "81", 72_000, 60), entry(3, "74", 30_000, 900)]
    proposed = awards.allocate(reviewed, BANDS, 100_000 * YUAN)
    assert amounts(proposed) == [(1, 1, 75_600, 75_600), (2, 2, 50_400, 0), (3, 3, 24_000, 0)]
    assert [p.note for p in proposed] == [awards.IN_FULL, awards.SKIPPED, awards.SPENT]
    # Pool ¥110,000: ¥34,400 is left for 2, at least half of ¥50,400 → a partial award of ¥34,400.
    proposed = awards.allocate(reviewed, BANDS, 110_000 * YUAN)
    assert amounts(proposed) == [(1, 1, 75_600, 75_600), (2, 2, 50_400, 34_400), (3, 3, 24_000, 0)]
    assert sum(p.amount for p in proposed) == 110_000 * YUAN


def test_ties_go_to_the_first_criterion_then_the_earlier_submission():
    reviewed = [
        entry(1, "80", 30_000, 900, first="7.5", minutes=0),
        entry(2, "80", 30_000, 900, first="8.0", minutes=5),
        entry(3, "80", 30_000, 900, first="8.0", minutes=1),
    ]
    assert [p.declaration_id for p in awards.allocate(reviewed, BANDS, 10**9)] == [3, 2, 1]


def test_a_declaration_in_no_band_gets_nothing_and_stops_no_one():
    bands = BANDS[:2]  # no band for ¥100,000 and more
    reviewed = [entry(1, "90", 126_000, 120), entry(2, "80", 30_000, 900)]
    proposed = awards.allocate(reviewed, bands, 100_000 * YUAN)
    assert amounts(proposed) == [(1, 1, 0, 0), (2, 2, 24_000, 24_000)]
    assert proposed[0].note == awards.NO_BAND


def test_the_aggregate_is_a_mean_or_with_five_reviewers_a_trimmed_mean():
    assert awards.aggregate(["70", "80", "90"], trimmed=True) == Decimal("80.00")  # fewer than five: the mean
    assert awards.aggregate(["40", "80", "81", "82", "99"], trimmed=False) == Decimal("76.40")
    assert awards.aggregate(["40", "80", "81", "82", "99"], trimmed=True) == Decimal("81.00")  # 40 and 99 left out
    assert awards.aggregate([], trimmed=False) is None
