"""Appending to the ledger and checking its chain.

Appends are serialised: each one locks the single `ChainHead` row (SELECT … FOR UPDATE
OF that row), takes the next sequence number and the previous hash from it, writes the
entry and moves the head on — all in the caller's transaction, so a rolled-back gift
leaves neither an entry nor a gap. Lock order everywhere: the project row, then the
chain head, then a fund's row, then a year's receipt counter. On PostgreSQL the wait for the chain head is
bounded (`LOCK_TIMEOUT_MS`): past it, `LedgerBusy` ("The ledger is busy; please try
again."), and nothing is written. Nothing slow (no call to Stripe) happens while it is held.

A fund (a pool of public money, `Fund`) has its `balance` kept the same way: `fund_pool` puts money into
it (kind "fund"), `grant_from` moves money out of it to a project (kind "grant", naming both). Both totals
move by F() updates in the append's transaction, so the database's check (`funding_fund_balance_not_negative`)
is what refuses a grant the fund does not hold: IntegrityError, and the append (entry, chain head, totals)
is rolled back with it.

`check_books` is what `verify_ledger` and the daily beat task run: the chain (`verify`), then every
project's cached `amount_raised`, every fund's `balance` and every counted gift's `accepted_amount` held
against the ledger's sums. `run_check` records the outcome (`LedgerCheck`); /healthz and the staff's
funding pages show the last one (`health_check`, `last_check`).
"""

from datetime import timedelta

from django.conf import settings
from django.db import OperationalError, models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core import events
from portal.core.errors import DomainError
from portal.core.money import format_money

from . import chain
from .models import GENESIS_HASH, ChainHead, EntryKind, Fund, LedgerCheck, LedgerEntry, Payment

# How long an append waits for the chain head's lock (PostgreSQL) before it gives up with LedgerBusy.
LOCK_TIMEOUT_MS = 5000
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE of a lock_timeout


class LedgerBusy(DomainError):
    """The chain head stayed locked longer than LOCK_TIMEOUT_MS: nothing was written, try again."""

    status_code = 409

    def __init__(self, message=None, code="ledger_busy"):
        super().__init__(message or _("The ledger is busy; please try again."), code)


def _lock_not_available(exc):
    cause = exc.__cause__  # psycopg 3 names it `sqlstate`, psycopg2 `pgcode`
    return LOCK_NOT_AVAILABLE in (getattr(cause, "sqlstate", None), getattr(cause, "pgcode", None))


def _locked_head():
    return ChainHead.objects.select_for_update(of=("self",)).filter(pk=1).first()


def _head():
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":  # SQLite: one writer at a time, no FOR UPDATE, no lock timeout
        head = _locked_head()
    else:
        with connection.cursor() as cursor:
            # For this lock only (SET LOCAL lasts to the transaction's end; the caller's setting comes back).
            cursor.execute(  # the caller's setting read (materialised) before this one is set
                "WITH previous AS MATERIALIZED (SELECT current_setting('lock_timeout') AS value) "
                "SELECT value, set_config('lock_timeout', %s, true) FROM previous",
                [f"{int(LOCK_TIMEOUT_MS)}ms"],
            )
            previous = cursor.fetchone()[0]
        busy = None
        try:
            with transaction.atomic():  # a savepoint: the caller's transaction survives a timeout
                head = _locked_head()
        except OperationalError as exc:
            if not _lock_not_available(exc):
                raise
            busy = exc
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
        if busy is not None:
            raise LedgerBusy() from busy
    if head is None:  # the migration creates it; a flushed test database may not have it
        ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.select_for_update(of=("self",)).get(pk=1)
    return head


# The kinds that count towards a project's money raised; a disbursement is money paid out of it.
RAISED_KINDS = (EntryKind.GIFT, EntryKind.REFUND, EntryKind.REALLOCATION, EntryKind.GRANT)
# The kinds that name a fund: money put into it adds to its balance, a grant out of it takes away.
FUND_KINDS = (EntryKind.FUND_IN, EntryKind.GRANT)


def fund_effect(kind, amount):
    """What an entry of `kind` naming a fund does to the fund's balance."""
    return -int(amount) if kind == EntryKind.GRANT else int(amount)


@transaction.atomic
def append(*, kind, amount, project=None, payment=None, note="", stripe_refund_id=None, fund=None):
    """Write one entry at the end of the chain and keep the project's `amount_raised` equal to the sum of
    its entries of the raised kinds (a disbursement leaves it alone), and the fund's `balance` equal to the
    sum of its entries (money put in adds, a grant takes away).

    The caller holds the project's row lock when it matters (a confirmation deciding what to accept).
    A fund that would go below zero raises IntegrityError (the database's check) and nothing is written.
    """
    from marketplace.projects.models import Project

    if fund is not None and kind not in FUND_KINDS:
        raise ValueError(f"an entry of kind {kind!r} names no fund")
    if kind == EntryKind.FUND_IN and (fund is None or project is not None):
        raise ValueError("money put into a fund names the fund and no project")
    head = _head()
    entry = LedgerEntry(
        sequence=head.sequence + 1,
        project=project,
        payment=payment,
        fund=fund,
        kind=kind,
        amount=int(amount),
        note=note[:200],
        stripe_refund_id=stripe_refund_id,
        created_at=timezone.now(),
        previous_hash=head.hash,
        salt=chain.new_salt(),
    )
    entry.commitment = entry.compute_commitment()
    entry.hash = entry.compute_hash()
    entry.save()
    ChainHead.objects.filter(pk=1).update(sequence=entry.sequence, hash=entry.hash)
    if fund is not None:
        # The database refuses a balance below zero (funding_fund_balance_not_negative): IntegrityError,
        # and this append's savepoint takes the entry and the chain head back with it.
        Fund.objects.filter(pk=fund.pk).update(balance=models.F("balance") + fund_effect(kind, amount))
    if project is not None:
        if kind in RAISED_KINDS:
            Project.objects.filter(pk=project.pk).update(
                amount_raised=models.F("amount_raised") + int(amount), updated_at=timezone.now()
            )
        # `.update()` sends no signal: the pages that show this total hear of it from the event.
        events.emit("money.moved", project, amount=int(amount), kind=kind)
    return entry


@transaction.atomic
def disburse(*, project, amount, note=""):
    """A payment out of the project's funds to its implementer (a tranche): a negative entry chained like
    any other, public in the ledger, which leaves the money raised as it is."""
    if int(amount) <= 0:
        raise ValueError("a disbursement is a positive amount paid out")
    return append(kind=EntryKind.DISBURSEMENT, amount=-int(amount), project=project, note=note)


@transaction.atomic
def fund_pool(fund, amount, note=""):
    """Put public money into the fund (an entry of kind "fund", naming no project)."""
    if int(amount) <= 0:
        raise ValueError("money put into a fund is a positive amount")
    return append(kind=EntryKind.FUND_IN, amount=int(amount), fund=fund, note=note)


@transaction.atomic
def grant_from(fund, project, amount, note=""):
    """Move money out of the fund to the project (an entry of kind "grant" naming both): the fund's balance
    goes down by the amount, the project's money raised up. Beyond the fund's balance: IntegrityError,
    nothing written."""
    if int(amount) <= 0:
        raise ValueError("a grant is a positive amount")
    return append(kind=EntryKind.GRANT, amount=int(amount), project=project, fund=fund, note=note)


def fund_sum(fund):
    """The fund's balance, by the ledger: what was put into it less what was granted out of it."""
    totals = LedgerEntry.objects.filter(fund=fund).aggregate(
        put_in=Coalesce(models.Sum("amount", filter=models.Q(kind=EntryKind.FUND_IN)), 0),
        granted=Coalesce(models.Sum("amount", filter=models.Q(kind=EntryKind.GRANT)), 0),
    )
    return totals["put_in"] - totals["granted"]


def fund_put_in(fund):
    """What was put into the fund in all (its entries of kind "fund")."""
    entries = LedgerEntry.objects.filter(fund=fund, kind=EntryKind.FUND_IN)
    return entries.aggregate(total=Coalesce(models.Sum("amount"), 0))["total"]


def project_sum(project):
    """The money raised for the project, by the ledger (gifts, refunds, reallocations)."""
    raised = LedgerEntry.objects.filter(project=project, kind__in=RAISED_KINDS)
    return raised.aggregate(total=Coalesce(models.Sum("amount"), 0))["total"]


def verify():
    """The first entry that breaks the chain, with what is wrong, or None if the books hold.

    Checks that numbers run 1, 2, 3… without gaps, that each entry names the hash of the
    one before, that each commitment is that of the entry's private fields (payment, Stripe
    refund, note) and that each hash is that of the entry's own contents.
    """
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    for entry in LedgerEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        if entry.sequence != expected_sequence:
            return entry, f"number {entry.sequence} where {expected_sequence} was expected (a gap)"
        if entry.previous_hash != expected_previous:
            return entry, "its previous hash is not the hash of the entry before"
        if entry.compute_commitment() != entry.commitment:
            return entry, "its payment, refund or note do not match its commitment (changed after it was written)"
        if entry.compute_hash() != entry.hash:
            return entry, "its contents do not match its hash (changed after it was written)"
        expected_previous = entry.hash
        expected_sequence += 1
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.sequence != expected_sequence - 1:
        return None, f"the chain head says {head.sequence} entries, the ledger holds {expected_sequence - 1}"
    return None


def _sum_of(entries):
    """The sum of `entries` (a correlated subquery), 0 if there are none."""
    total = entries.order_by().values(group=models.Value(1)).annotate(total=models.Sum("amount")).values("total")
    return Coalesce(models.Subquery(total), 0, output_field=models.BigIntegerField())


def mismatched_projects():
    """Projects whose cached `amount_raised` is not the sum of their ledger entries: (project, cached, ledger)."""
    from marketplace.projects.models import Project

    ledger_total = _sum_of(LedgerEntry.objects.filter(project=models.OuterRef("pk"), kind__in=RAISED_KINDS))
    rows = (
        Project.objects.annotate(ledger_total=ledger_total)
        .exclude(amount_raised=models.F("ledger_total"))
        .order_by("pk")
        .only("pk", "title", "amount_raised")
    )
    return [(project, project.amount_raised, project.ledger_total) for project in rows]


def mismatched_funds():
    """Funds whose `balance` is not what the ledger holds of them (put in less granted): (fund, cached, ledger)."""
    put_in = _sum_of(LedgerEntry.objects.filter(fund=models.OuterRef("pk"), kind=EntryKind.FUND_IN))
    granted = _sum_of(LedgerEntry.objects.filter(fund=models.OuterRef("pk"), kind=EntryKind.GRANT))
    rows = (
        Fund.objects.annotate(ledger_total=put_in - granted)
        .exclude(balance=models.F("ledger_total"))
        .order_by("pk")
        .only("pk", "name", "balance")
    )
    return [(fund, fund.balance, fund.ledger_total) for fund in rows]


def mismatched_payments():
    """Gifts whose `accepted_amount` is not what the ledger holds of them on their project:
    (payment, cached, ledger)."""
    ledger_total = _sum_of(
        LedgerEntry.objects.filter(payment=models.OuterRef("pk"), project=models.OuterRef("project_id"))
    )
    rows = (
        Payment.objects.annotate(ledger_total=ledger_total)
        .exclude(accepted_amount=models.F("ledger_total"))
        .order_by("pk")
        .only("pk", "project_id", "accepted_amount")
    )
    return [(payment, payment.accepted_amount, payment.ledger_total) for payment in rows]


def check_books():
    """Every way the books disagree with themselves, as sentences (empty: they hold)."""
    problems = []
    broken = verify()
    if broken is not None:
        entry, reason = broken
        where = f"entry #{entry.sequence} (id {entry.pk})" if entry is not None else "the chain head"
        problems.append(f"ledger broken at {where}: {reason}")
    for project, cached, actual in mismatched_projects():
        problems.append(
            f"project {project.pk} “{project.title}”: its total says {format_money(cached, symbol=False)}, "
            f"the ledger {format_money(actual, symbol=False)}"
        )
    for fund, cached, actual in mismatched_funds():
        problems.append(
            f"fund {fund.pk} “{fund.name}”: its balance says {format_money(cached, symbol=False)}, "
            f"the ledger {format_money(actual, symbol=False)}"
        )
    for payment, cached, actual in mismatched_payments():
        problems.append(
            f"gift {payment.pk} (project {payment.project_id}): accepted {format_money(cached, symbol=False)}, "
            f"the ledger {format_money(actual, symbol=False)}"
        )
    return problems


def run_check():
    """Check the books and record the outcome (a `LedgerCheck`); returns it."""
    problems = check_books()
    return LedgerCheck.objects.create(
        ok=not problems, entries=LedgerEntry.objects.count(), problems="\n".join(problems)
    )


def last_check():
    return LedgerCheck.objects.order_by("-checked_at", "-id").first()


def health_check():
    """/healthz: the last check's outcome, naming no project (the page is public)."""
    check = last_check()
    if check is None:
        return True, "not checked yet"
    when = timezone.localtime(check.checked_at).strftime("%Y-%m-%d %H:%M")
    if not check.ok:
        count = len(check.problems.splitlines())
        return False, f"the check of {when} found {count} problem(s): run manage.py verify_ledger"
    max_age = getattr(settings, "LEDGER_CHECK_MAX_AGE_HOURS", 48)
    if max_age and check.checked_at < timezone.now() - timedelta(hours=max_age):
        return False, f"last checked {when}, more than {max_age} hours ago"
    return True, f"{check.entries} entries, checked {when}"
