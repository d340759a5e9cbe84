"""Money given to projects: payments, the append-only ledger, receipts and Stripe's events.

The ledger is the books: every confirmed gift, refund, reallocation and disbursement is
one `LedgerEntry`, numbered without gaps and chained by SHA-256 (each entry's hash
covers the one before, and its private fields only through a salted commitment: chain.py),
so a changed or removed row shows (`manage.py verify_ledger`).
`Project.amount_raised` is the sum of a project's entries, kept in the same transaction.

A `Fund` is a named pool of public money (a funding call's, say): money put into it is an entry of
kind "fund", a grant out of it an entry of kind "grant" naming both the fund and the project, and its
`balance` is the sum of its entries, kept in the same transaction; the database refuses a balance
below zero (`funding_fund_balance_not_negative`), so nothing is granted that the pool does not hold.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.money import MoneyField

from . import chain
from .chain import GENESIS_HASH


class AppendOnlyError(Exception):
    """Ledger entries are never changed or removed: a correction is a new entry."""


class EntryKind(models.TextChoices):
    GIFT = "gift", _("Gift confirmed")
    REFUND = "refund", _("Refund")
    REALLOCATION = "reallocation", _("Reallocation")
    DISBURSEMENT = "disbursement", _("Disbursement")
    GRANT = "grant", _("Grant from a funding call")
    FUND_IN = "fund", _("Pool funded")


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("ledger entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("ledger entries cannot be deleted")

    _raw_delete = delete

    def public(self):
        """Entries anyone may read: those of projects past the draft (no donor is named)."""
        from marketplace.projects.models import ProjectStatus

        return self.exclude(project__status=ProjectStatus.DRAFT)


class ChainHead(models.Model):
    """The one row every append locks: the last sequence number and hash of the ledger."""

    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="funding_single_chain_head")]

    def __str__(self):
        return f"#{self.sequence} {self.hash[:12]}"


class Fund(models.Model):
    """A named pool of public money (a funding call's): what is put into it and granted out of it is in the
    ledger, and `balance` is the sum of its entries; the database never lets it go below zero."""

    name = models.CharField(_("name"), max_length=200)
    balance = MoneyField(_("balance"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [
            models.CheckConstraint(condition=models.Q(balance__gte=0), name="funding_fund_balance_not_negative"),
        ]

    def __str__(self):
        return self.name


class LedgerEntry(models.Model):
    sequence = models.BigIntegerField(_("number"), unique=True)
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    payment = models.ForeignKey(
        "funding.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    # The pool of public money the entry puts money into (kind "fund") or grants it out of (kind "grant").
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    # Signed: gifts add, refunds take away.
    amount = MoneyField(_("amount"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    # A refund made in Stripe is entered once, whatever number of events tell of it.
    stripe_refund_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("entered at"))
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # The private fields (payment, Stripe refund, note) enter the hash only through `commitment`, an HMAC
    # keyed with this entry's random `salt`: published, the hash reveals no payment id (chain.py).
    salt = models.CharField(max_length=64, blank=True, default="")
    commitment = models.CharField(max_length=64, blank=True, default="")

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="funding_ledger_amount_not_zero"),
            models.CheckConstraint(condition=models.Q(sequence__gte=1), name="funding_ledger_sequence_positive"),
            # Money put into a fund names the fund and no project; only that and a grant name a fund.
            models.CheckConstraint(
                condition=(~models.Q(kind="fund") | models.Q(fund__isnull=False, project__isnull=True))
                & (models.Q(fund__isnull=True) | models.Q(kind__in=["fund", "grant"])),
                name="funding_ledger_fund_entries",
            ),
            # A gift is counted once, whatever events arrive and however often.
            models.UniqueConstraint(
                fields=["payment"], condition=models.Q(kind="gift"), name="funding_one_gift_entry_per_payment"
            ),
        ]

    def __str__(self):
        return f"#{self.sequence} {self.kind} {self.amount}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("ledger entries cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("ledger entries cannot be deleted")

    def compute_commitment(self):
        """The keyed commitment to the private fields (marketplace/funding/chain.py)."""
        return chain.commitment(
            self.salt, payment_id=self.payment_id, stripe_refund_id=self.stripe_refund_id, note=self.note
        )

    def canonical(self):
        """The bytes the hash covers: the public fields and the commitment (marketplace/funding/chain.py)."""
        return chain.canonical(
            sequence=self.sequence,
            previous_hash=self.previous_hash,
            project_id=self.project_id,
            kind=self.kind,
            amount=self.amount,
            created_at=self.created_at,
            commitment=self.commitment,
            fund_id=self.fund_id,
        )

    def compute_hash(self):
        return hashlib.sha256(self.canonical()).hexdigest()


class LedgerCheck(models.Model):
    """One run of `verify_ledger` (the beat's daily one or by hand): the chain and every cached total
    held against the ledger. The last one is shown on /healthz and to staff."""

    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    ok = models.BooleanField(_("the books hold"))
    entries = models.BigIntegerField(default=0)
    problems = models.TextField(blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("ledger check")
        verbose_name_plural = _("ledger checks")

    def __str__(self):
        return f"{self.checked_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'broken'}"


class Provider(models.TextChoices):
    OFFLINE = "offline", _("Offline (bank transfer or cash)")
    STRIPE = "stripe", _("Card or wallet (Stripe)")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONFIRMED = "confirmed", _("Confirmed")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partly refunded")
    REFUNDED = "refunded", _("Refunded")


S = PaymentStatus
TRANSITIONS = {
    S.PENDING: {S.CONFIRMED, S.FAILED, S.CANCELLED},
    S.CONFIRMED: {S.PARTIALLY_REFUNDED, S.REFUNDED},
    S.PARTIALLY_REFUNDED: {S.PARTIALLY_REFUNDED, S.REFUNDED},
    # A declined card may be tried again: on the same PaymentIntent (Stripe allows it, and its success is then
    # counted) or on a fresh one that replaces it (`intents.renew_intent`: the payment waits again).
    S.FAILED: {S.CONFIRMED, S.PENDING},
    S.CANCELLED: set(),
    S.REFUNDED: set(),
}
COUNTED_STATUSES = (S.CONFIRMED, S.PARTIALLY_REFUNDED, S.REFUNDED)


class PaymentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The donor's own gifts; every gift to projects in their area for staff (the `view_payment` rule)."""
        from portal.accounts.roles import ADMINISTRATIVE_ROLES, scope_regions
        from portal.regions.models import subtree_q

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        visible = models.Q(donor=user)
        regions = scope_regions(user, ADMINISTRATIVE_ROLES)
        if regions:
            visible |= subtree_q(regions, field="project__region")
        return self.filter(visible)


class Payment(models.Model):
    """One gift: pledged offline or paid through Stripe, counted once it is confirmed."""

    donor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("given on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="payments")
    amount = MoneyField(_("amount"))
    provider = models.CharField(_("how"), max_length=16, choices=Provider.choices)
    status = models.CharField(_("status"), max_length=24, choices=PaymentStatus.choices, default=S.PENDING)
    # What went to the project and what is (to be) given back, in fen.
    accepted_amount = MoneyField(_("accepted"), default=0)
    refunded_amount = MoneyField(_("refunded"), default=0)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    stripe_payment_intent_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    # Why the card was declined, as Stripe said it (shown to the donor with the offer to try again).
    failure_reason = models.CharField(_("why it failed"), max_length=200, blank=True)
    public_name = models.BooleanField(_("show my name publicly"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    # Offline refunds: the ledger takes the money off the project at once; the office hands it back
    # later and records that here (what `refunded_amount` still owes the donor is the staff's task).
    returned_amount = MoneyField(_("handed back by the office"), default=0)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_reference = models.CharField(_("how it was handed back"), max_length=100, blank=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="funding_payment_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(accepted_amount__gte=0, refunded_amount__gte=0), name="funding_payment_parts"
            ),
            models.CheckConstraint(
                condition=models.Q(returned_amount__gte=0, returned_amount__lte=models.F("refunded_amount")),
                name="funding_payment_returned_within_refunded",
            ),
        ]
        indexes = [models.Index(fields=["status", "provider", "created_at"], name="funding_payment_queue")]

    def __str__(self):
        return f"{self.get_provider_display()} #{self.pk}"

    def get_absolute_url(self):
        return reverse("funding:payment_detail", args=[self.pk])

    @property
    def counted(self):
        return self.status in COUNTED_STATUSES

    @property
    def receipt_number(self):
        receipt = getattr(self, "receipt", None) if self.pk else None
        return receipt.number_display if receipt else None

    @property
    def to_return(self):
        """Fen the office still owes the donor of an offline gift (refunded in the ledger, not yet handed back)."""
        if self.provider != Provider.OFFLINE:
            return 0
        return max(0, self.refunded_amount - self.returned_amount)


class ReceiptCounter(models.Model):
    """The last receipt number given in a year; locked while the next one is allocated."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Receipt(models.Model):
    """The donation receipt of one confirmed gift: 2026-000123, numbered without gaps within a year."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt")
    year = models.PositiveIntegerField()
    number = models.PositiveIntegerField()
    amount = MoneyField(_("amount"))
    issued_at = models.DateTimeField()
    # A receipt of a gift refunded in full is void; its number stays used (numbering has no gaps).
    voided_at = models.DateTimeField(_("void since"), null=True, blank=True)

    class Meta:
        ordering = ["year", "number"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="funding_receipt_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="funding_receipt_number_positive"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="funding_receipt_amount_positive"),
        ]

    def __str__(self):
        return self.number_display

    def get_absolute_url(self):
        return reverse("funding:receipt_pdf", args=[self.pk])

    @property
    def number_display(self):
        return f"{self.year}-{self.number:06d}"

    @property
    def is_void(self):
        return self.voided_at is not None

    @property
    def files_key(self):
        """Names the PDF and the state it shows: a moved, refunded or voided gift's receipt is drawn again."""
        payment = self.payment
        state = f"{payment.project_id}-{payment.refunded_amount}{'-void' if self.is_void else ''}"
        return f"{self.pk}:{self.number_display}:{state}"


class StripeEventStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    WAITING = "waiting", _("Not applied yet")


class StripeEvent(models.Model):
    """Every Stripe event received, once: a replayed event finds its id here and changes nothing.

    An event whose news cannot be applied yet (a refund of a gift not counted yet, a refund above what the
    gift still has, Stripe not answering) is kept `waiting` with the reason: Stripe's next delivery and the
    reconciliation job try it again, and staff see it listed (`funding:stripe_events`, the admin)."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)
    # The event's object as sent (not trusted: only its ids are used, to re-read it from Stripe).
    data = models.JSONField(default=dict, blank=True)
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="stripe_events")
    status = models.CharField(
        _("status"), max_length=16, choices=StripeEventStatus.choices, default=StripeEventStatus.APPLIED
    )
    error = models.CharField(_("why it is not applied"), max_length=300, blank=True)
    attempts = models.PositiveIntegerField(default=1)
    last_tried_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        indexes = [models.Index(fields=["status", "received_at"], name="funding_stripe_event_queue")]

    def __str__(self):
        return self.event_id


class DeadlineChoiceStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the donor's choice")
    REFUNDED = "refunded", _("Refunded")
    MOVED = "moved", _("Moved to another project")


DC = DeadlineChoiceStatus
DEADLINE_CHOICE_TRANSITIONS = {DC.PENDING: {DC.REFUNDED, DC.MOVED}, DC.REFUNDED: set(), DC.MOVED: set()}


class DeadlineChoiceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The donor's own choices; those of gifts to projects in their area for staff."""
        from portal.accounts.roles import ADMINISTRATIVE_ROLES, scope_regions
        from portal.regions.models import subtree_q

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        visible = models.Q(payment__donor=user)
        regions = scope_regions(user, ADMINISTRATIVE_ROLES)
        if regions:
            visible |= subtree_q(regions, field="project__region")
        return self.filter(visible)


class DeadlineChoice(models.Model):
    """A donor's choice for a gift to a project that missed its funding deadline (or was withdrawn):
    the money back, or the gift moved to another open project. Unanswered by `choose_by`, it is refunded.

    One per gift and project: the beat job asking twice finds the row and asks nobody again.
    """

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="deadline_choices")
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="+")
    amount = MoneyField(_("amount"))
    status = models.CharField(_("status"), max_length=16, choices=DeadlineChoiceStatus.choices, default=DC.PENDING)
    choose_by = models.DateTimeField(_("choose by"))
    moved_to = models.ForeignKey(
        "projects.Project",
        verbose_name=_("moved to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    by_default = models.BooleanField(_("applied by default"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = DeadlineChoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("deadline choice")
        verbose_name_plural = _("deadline choices")
        constraints = [
            models.UniqueConstraint(fields=["payment", "project"], name="funding_one_choice_per_gift_and_project"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="funding_choice_amount_positive"),
        ]
        indexes = [models.Index(fields=["status", "choose_by"], name="funding_choice_due")]

    def __str__(self):
        return f"{self.payment} · {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("funding:choice_detail", args=[self.pk])


class StripeRefundStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent to Stripe")
    SENT = "sent", _("Made in Stripe")
    FAILED = "failed", _("Refused by Stripe")


class StripeRefund(models.Model):
    """A refund asked of Stripe, written down before Stripe is called and completed after it.

    A staff refund is written (checked against the accepted amount, which it then reserves) in a
    commit of its own, then sent, then entered in the ledger (`in_ledger`). An overshoot or a
    deadline refund is entered in the ledger first, and its row written in the same commit, then
    sent after the commit. Stripe is never called inside a transaction. If the process dies between
    the call and the write, the row stays pending: the next attempt (the beat, the task, Stripe's
    event) first looks in Stripe for a refund with this `key` (its metadata `reason`) before it
    makes one, so a refund is made once.
    """

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="stripe_refunds")
    key = models.CharField(max_length=64)  # "overshoot", "deadline-<choice>", "staff-<token>"
    amount = MoneyField(_("amount"))
    status = models.CharField(
        _("status"), max_length=16, choices=StripeRefundStatus.choices, default=StripeRefundStatus.PENDING
    )
    in_ledger = models.BooleanField(default=False)
    stripe_refund_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Stripe refund")
        verbose_name_plural = _("Stripe refunds")
        constraints = [
            models.UniqueConstraint(fields=["payment", "key"], name="funding_stripe_refund_key_unique"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="funding_stripe_refund_amount_positive"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="funding_stripe_refund_queue")]

    def __str__(self):
        return f"{self.payment_id}:{self.key}"


# The CMS setting for offline gifts and receipts (its own module: editors' text, not money).
from .instructions import PaymentInstructions  # noqa: E402, F401
