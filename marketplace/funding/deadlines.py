"""Services of the funding deadline: what happens to the gifts of a project that did not make it.

A project still short of its target when its `funding_deadline` passes (or one withdrawn while it
was raising money) keeps nobody's money without asking. Each donor of a counted gift gets a
`DeadlineChoice` and a message with a link: take the money back, or move the gift to another open
project (published, asking for money, before its own deadline, not fully funded). A donor who has
not chosen after `FUNDING_DEADLINE_CHOICE_DAYS` days gets the default: a refund — the one choice
that needs nobody's consent and leaves no money where the donor did not put it.

Every step is in the ledger:

- a refund is a `refund` row on the project (as any refund); a card gift goes back through Stripe
  after the commit (`refunds.ask_stripe`, idempotency key `deadline-<choice>`); an offline
  gift is "to be returned by the office": the refund row takes it off the project at once, the
  payment shows what the office owes (`Payment.to_return`), the region's staff are told, and they
  record the hand-back (`refunds.record_return`) — the ledger does not pretend the cash moved;
- a move is two `reallocation` rows, out of the old project and into the new one, so the books'
  total is unchanged; if the new project needs less than the gift, it takes what it needs and the
  rest is refunded (the overshoot rule).

The choice is the donor's alone: nobody makes it for them, a superuser included (`may_choose`). Staff of
the project's area may apply the default — the refund — on the donor's behalf before the time is up
(`apply_default_for`): the choice then says so ("applied by staff as the default": `by_default` with
`decided_by` set) and the audit log names who did it. Two choices at once wait for each other (the
project's row lock; on SQLite the database's write lock, taken at the transaction's start): the first
wins, the other is refused (`ChoiceAlreadyMade`, 409) unless it asked for the very same thing.

Idempotent: one choice per gift and project (a unique constraint), so the beat job run twice asks
nobody twice, and a choice already made is not made again. Lock order as everywhere: project rows
(in id order), then the chain head, then a year's receipt counter; the choice and payment rows
are locked after the projects.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.projects.models import Project, ProjectStatus
from marketplace.projects.services import move_project
from portal.audit.services import record_action
from portal.core.errors import DomainError
from portal.core.transitions import NotPermitted, Workflow
from portal.notifications.messages import money, when
from portal.notifications.services import notify

from . import ledger, refunds
from .messages import (
    DEADLINE_MISSED,
    DEADLINE_WITHDRAWN,
    HAND_BACK,
    MOVED,
    RETURNING_CARD,
    RETURNING_OFFLINE,
)
from .models import (
    DEADLINE_CHOICE_TRANSITIONS,
    DeadlineChoice,
    DeadlineChoiceStatus,
    EntryKind,
    Payment,
    PaymentStatus,
    Provider,
)
from .payments import region_staff
from .payments import workflow as payment_workflow
from .refunds import take_back
from .rules import is_choice_donor

logger = logging.getLogger(__name__)
DC = DeadlineChoiceStatus
P = ProjectStatus
REFUND, MOVE = "refund", "move"
OPTIONS = (REFUND, MOVE)

choice_workflow = Workflow(
    model=DeadlineChoice,
    transitions=DEADLINE_CHOICE_TRANSITIONS,
    stamps={DC.REFUNDED: "decided_at", DC.MOVED: "decided_at"},
)


def _short_of_target():
    return models.Q(target__gt=0, amount_raised__lt=models.F("target")) | models.Q(
        target=0, amount_raised__lt=models.F("budget")
    )


def open_projects(now=None):
    """Projects a gift may be moved to: published, asking for money, before their deadline, still short."""
    now = now or timezone.now()
    return Project.objects.filter(
        models.Q(funding_deadline__isnull=True) | models.Q(funding_deadline__gt=now),
        _short_of_target(),
        status=P.PUBLISHED,
        wants_funds=True,
    )


def missed_projects(now=None):
    """Projects whose donors are to be asked: past the deadline and short, or withdrawn, with money raised."""
    now = now or timezone.now()
    missed = models.Q(status=P.PUBLISHED, funding_deadline__lte=now) & _short_of_target()
    return Project.objects.filter(missed | models.Q(status=P.WITHDRAWN), amount_raised__gt=0)


def choice_days():
    return int(getattr(settings, "FUNDING_DEADLINE_CHOICE_DAYS", 14))


def open_deadline_choices(now=None):
    """Ask the donor of every counted gift to a missed project, once. Returns how many were asked."""
    now = now or timezone.now()
    asked = 0
    # One query for every gift still to be asked about (an index on status keeps the projects' side small).
    gifts = (
        Payment.objects.filter(
            project__in=missed_projects(now).values("pk"),
            status__in=(PaymentStatus.CONFIRMED, PaymentStatus.PARTIALLY_REFUNDED),
            accepted_amount__gt=0,
        )
        .exclude(
            models.Exists(
                DeadlineChoice.objects.filter(payment=models.OuterRef("pk"), project=models.OuterRef("project"))
            )
        )
        .select_related("donor", "project")
        .order_by("project_id", "pk")
    )
    for payment in gifts:
        with transaction.atomic():
            choice, created = DeadlineChoice.objects.get_or_create(
                payment=payment,
                project=payment.project,
                defaults={"amount": payment.accepted_amount, "choose_by": now + timedelta(days=choice_days())},
            )
            if not created:
                continue  # another run asked meanwhile
            choice_workflow.start(choice, at=now)
            _ask(choice, payment.project)
            asked += 1
    return asked


def _ask(choice, project):
    notify(
        users=[choice.payment.donor],
        message=DEADLINE_WITHDRAWN if project.status == P.WITHDRAWN else DEADLINE_MISSED,
        params={"project": project.title, "amount": money(choice.amount), "date": when(choice.choose_by)},
        url=choice.get_absolute_url(),
    )


def apply_deadline_defaults(now=None):
    """Refund every choice left unanswered past its `choose_by`. Returns how many were refunded."""
    now = now or timezone.now()
    done = 0
    due = DeadlineChoice.objects.filter(status=DC.PENDING, choose_by__lte=now)
    for project_id in due.order_by("project_id").values_list("project_id", flat=True).distinct():
        try:
            done += len(_refund_by_default(project_id, due.filter(project_id=project_id)))
        except Exception:  # one project's gifts that fail must not keep the others waiting; the next run retries
            logger.exception("default refunds of the deadline choices of project %s failed", project_id)
    return done


@transaction.atomic
def _refund_by_default(project_id, choices):
    """Close a project's unanswered choices at once (`move_many`: every one or none), each gift refunded
    as `refund_choice` does it. The project is locked first, so no donor's choice of these is under way."""
    Project.objects.select_for_update(of=("self",)).get(pk=project_id)
    note = _("Returned by default: no choice was made in time.")
    refunded = {}

    def apply(choice, now):
        payment = payment_workflow.lock(choice.payment)
        amount = payment.accepted_amount if payment.project_id == choice.project_id else 0
        if amount:
            payment = take_back(by=None, payment=payment, amount=amount, note=f"deadline:{choice.pk} {note}")
            _after_refund(choice, payment, amount)
        refunded[choice.pk] = (payment, amount)
        choice.by_default, choice.decided_by = True, None

    def after(choice, previous):
        payment, amount = refunded[choice.pk]
        if amount:
            _tell_refunded(choice, payment, amount)

    return choice_workflow.move_many(choices, to=DC.REFUNDED, note=note, apply=apply, after=after)


def run_funding_deadlines(now=None):
    """The beat job: ask new donors, then apply the default where time is up. Safe to run any number of times."""
    return {"asked": open_deadline_choices(now), "refunded": apply_deadline_defaults(now)}


class ChoiceAlreadyMade(DomainError):
    """Another choice was made for this gift first (a second tab, a request that waited for the first)."""

    status_code = 409

    def __init__(self):
        super().__init__(_("A choice has already been made for this gift."), code="already_chosen")


def may_choose(user, choice):
    """Whether `user` may make this gift's choice: its donor only (`has_perm` would let a superuser in)."""
    return bool(is_choice_donor(user, choice))


def may_apply_default(user, choice):
    """Whether `user` may apply the default (the refund) on the donor's behalf: staff of the project's area."""
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("funding.apply_deadline_default", choice))


def _check_donor(by, choice):
    if by is not None and not may_choose(by, choice):
        raise NotPermitted(_("Only the donor may make this choice."))


@transaction.atomic
def choose_for_gift(*, by, choice, option, target=None):
    """The donor's choice for one gift: `refund`, or `move` to `target` (an open project)."""
    _check_donor(by, choice)
    if option == REFUND:
        return refund_choice(by=by, choice=choice)
    if option == MOVE:
        if target is None:
            raise ValidationError({"project": _("Choose the project to move your gift to.")}, code="required")
        return move_choice(by=by, choice=choice, target=target)
    raise ValidationError(_("Choose a refund or another project."), code="option")


def _pending(choice, *, same):
    """The locked choice if it is still open; the choice unchanged if `same(choice)` says this was done
    already (a double click); a domain error if another choice was made."""
    locked = choice_workflow.lock(choice)
    if locked.status == DC.PENDING:
        return locked, False
    if same(locked):
        return locked, True
    raise ChoiceAlreadyMade()


@transaction.atomic
def apply_default_for(*, by, choice):
    """Staff apply the default — the refund — on the donor's behalf, before the donor has chosen. Recorded
    as such: `by_default` with `decided_by` the staff member, and an audit entry."""
    if not may_apply_default(by, choice):
        raise NotPermitted()
    choice = _refund(by=by, choice=choice, by_default=True, on_behalf=True)
    record_action(
        by=by,
        action="funding.deadline_default_applied",
        target=choice,
        after={"status": choice.status, "by_default": True},
        note=f"payment {choice.payment_id}",
    )
    return choice


@transaction.atomic
def refund_choice(*, by, choice, by_default=False):
    """Give the gift back: a ledger refund row; Stripe after the commit, or the office for offline gifts."""
    _check_donor(by, choice)
    return _refund(by=by, choice=choice, by_default=by_default)


def _refund(*, by, choice, by_default, on_behalf=False):
    Project.objects.select_for_update(of=("self",)).get(pk=choice.project_id)
    choice, done = _pending(choice, same=lambda c: c.status == DC.REFUNDED)
    if done:
        return choice
    payment = payment_workflow.lock(choice.payment)
    amount = payment.accepted_amount if payment.project_id == choice.project_id else 0
    if on_behalf:
        note = _("Returned by default, applied by staff on the donor's behalf.")
    elif by_default:
        note = _("Returned by default: no choice was made in time.")
    else:
        note = _("Returned at the donor's choice.")
    if amount:
        payment = take_back(by=by, payment=payment, amount=amount, note=f"deadline:{choice.pk} {note}")
        _after_refund(choice, payment, amount)

    def apply(locked, now):
        locked.by_default = by_default
        locked.decided_by = by

    choice = choice_workflow.move(choice, to=DC.REFUNDED, by=by, note=note, apply=apply)
    if amount:
        _tell_refunded(choice, payment, amount)
    return choice


def _after_refund(choice, payment, amount):
    if payment.provider == Provider.STRIPE:
        # Sent to Stripe once this commits (key `deadline-<choice>`), never inside the transaction.
        refunds.ask_stripe(payment, amount, key=f"deadline-{choice.pk}", note=f"deadline:{choice.pk}")
        return
    staff = region_staff(choice.project.region)
    notify(
        users=staff,
        message=HAND_BACK,
        params={"number": payment.pk, "amount": money(amount), "project": choice.project.title},
        url=payment.get_absolute_url(),
    )


def _tell_refunded(choice, payment, amount):
    offline = payment.provider == Provider.OFFLINE
    notify(
        users=[payment.donor],
        message=RETURNING_OFFLINE if offline else RETURNING_CARD,
        params={"amount": money(amount), "project": choice.project.title, "number": payment.pk},
        url=choice.get_absolute_url(),
    )


def check_target(target, source, now=None, *, by=None):
    """Refuse a project a gift cannot move to, naming it only to someone who may see it."""
    if target.pk == source.pk or not open_projects(now).filter(pk=target.pk).exists():
        if by is not None and not Project.objects.visible_to(by).filter(pk=target.pk).exists():
            message = _("That project is not open for gifts.")
        else:
            message = _("“%(project)s” is not open for gifts.") % {"project": target.title}
        raise ValidationError({"project": message}, code="project_not_open")


@transaction.atomic
def move_choice(*, by, choice, target):
    """Move the gift to `target`: reallocation rows out of the old project and into the new one; what the
    new project does not need is refunded. The gift (and its receipt) now belong to the new project."""
    _check_donor(by, choice)
    locked_projects = {
        p.pk: p
        for p in Project.objects.select_for_update(of=("self",))
        .filter(pk__in=[choice.project_id, target.pk])
        .order_by("pk")
    }
    source, target = locked_projects[choice.project_id], locked_projects.get(target.pk, target)
    choice, done = _pending(choice, same=lambda c: c.status == DC.MOVED and c.moved_to_id == target.pk)
    if done:
        return choice
    check_target(target, source, by=by)
    payment = payment_workflow.lock(choice.payment)
    accepted = payment.accepted_amount if payment.project_id == source.pk else 0
    if not accepted:
        raise DomainError(_("Nothing is left of this gift to move."), code="nothing_to_move")
    moved = min(accepted, target.funding_gap)
    rest = accepted - moved
    note = _("Moved from “%(source)s” to “%(target)s” at the donor's choice.") % {
        "source": source.title,
        "target": target.title,
    }
    ledger.append(kind=EntryKind.REALLOCATION, amount=-moved, project=source, payment=payment, note=note)
    ledger.append(kind=EntryKind.REALLOCATION, amount=moved, project=target, payment=payment, note=note)
    if rest:
        ledger.append(
            kind=EntryKind.REFUND,
            amount=-rest,
            project=source,
            payment=payment,
            note=f"deadline:{choice.pk} more than “{target.title}” still needed",
        )

    def apply(locked, now):
        locked.project = target
        locked.accepted_amount = moved
        locked.refunded_amount += rest

    if rest:
        payment = payment_workflow.move(
            payment, to=PaymentStatus.PARTIALLY_REFUNDED, by=by, note=note, apply=apply, again=True
        )
    else:
        apply(payment, None)
        payment.save(update_fields=["project", "accepted_amount", "refunded_amount"])
        payment_workflow.annotate(payment, by=by, note=note)
    if rest:
        _after_refund(choice, payment, rest)
    target.refresh_from_db()
    if target.status == P.PUBLISHED and target.amount_raised >= target.funding_target:
        move_project(by=None, project=target, to=P.FUNDED, note=_("Funding target reached."))

    def apply_choice(locked, now):
        locked.moved_to = target
        locked.decided_by = by

    choice = choice_workflow.move(choice, to=DC.MOVED, by=by, note=note, apply=apply_choice)

    notify(
        users=[payment.donor],
        message=MOVED,
        params={"project": target.title, "amount": money(moved), **({"rest": money(rest)} if rest else {})},
        url=choice.get_absolute_url(),
    )
    return choice
