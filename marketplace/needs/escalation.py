"""Overdue needs and supervision orders (督办单): community → street → district.

Run by the beat job every few minutes; safe to run twice (a need is marked
overdue once per deadline, and there is one order per level, enforced by a
unique constraint).
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Role, RoleAssignment
from portal.notifications.messages import when
from portal.notifications.services import notify
from portal.regions.models import RegionLevel

from .deadlines import add_working_days
from .messages import SUPERVISION_ORDER
from .models import EscalationLevel, EventKind, Need, NeedEvent, NeedStatus, SupervisionOrder

# An order at the street that is still unresolved after this many working days goes to the district.
WORKING_DAYS_BEFORE_DISTRICT = 1
BATCH = 500

LEVEL_REGION = {EscalationLevel.STREET: RegionLevel.STREET, EscalationLevel.DISTRICT: RegionLevel.DISTRICT}
LEVEL_ROLE = {EscalationLevel.STREET: Role.STREET_STAFF, EscalationLevel.DISTRICT: Role.DISTRICT_STAFF}


def overdue_q(now):
    return Q(status=NeedStatus.SUBMITTED, accept_deadline__lt=now) | Q(
        status=NeedStatus.DISPATCHED, answer_deadline__lt=now
    )


def mark_overdue(now=None):
    """Flag needs past their deadline and put it on their timelines. Returns how many were flagged."""
    now = now or timezone.now()
    flagged = 0
    while True:
        ids = list(Need.objects.filter(overdue_q(now), is_overdue=False).values_list("pk", flat=True)[:BATCH])
        if not ids:
            return flagged
        with transaction.atomic():
            updated = Need.objects.filter(pk__in=ids, is_overdue=False).update(is_overdue=True)
            NeedEvent.objects.bulk_create(
                [
                    NeedEvent(need_id=pk, kind=EventKind.OVERDUE, note=_("Deadline passed."), created_at=now)
                    for pk in ids
                ]
            )
        flagged += updated


def escalate_overdue(now=None):
    """Issue supervision orders: first to the street, then (still overdue) to the district."""
    now = now or timezone.now()
    issued = 0
    to_street = Need.objects.filter(is_overdue=True, escalation_level=EscalationLevel.NONE).filter(overdue_q(now))
    issued += _escalate(to_street, EscalationLevel.STREET, now)
    # Up to the district: the street's order went unheeded for a working day, or the need
    # is overdue again after the street had it moving (its order is resolved).
    cutoff_ids = [
        order.need_id
        for order in SupervisionOrder.objects.filter(level=EscalationLevel.STREET, need__is_overdue=True).only(
            "need_id", "issued_at", "resolved_at"
        )
        if order.resolved_at or add_working_days(order.issued_at, WORKING_DAYS_BEFORE_DISTRICT) <= now
    ]
    to_district = Need.objects.filter(pk__in=cutoff_ids, escalation_level=EscalationLevel.STREET).filter(overdue_q(now))
    issued += _escalate(to_district, EscalationLevel.DISTRICT, now)
    return issued


def _escalate(queryset, level, now):
    issued = 0
    for need in queryset.select_related("region").order_by("pk").iterator(chunk_size=BATCH):
        with transaction.atomic():
            region = need.region.ancestor_at(LEVEL_REGION[level])
            deadline = need.accept_deadline if need.status == NeedStatus.SUBMITTED else need.answer_deadline
            reason = _("Deadline %(deadline)s passed while the need was “%(status)s”.") % {
                "deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
                "status": need.get_status_display(),
            }
            try:
                with transaction.atomic():
                    SupervisionOrder.objects.create(need=need, level=level, region=region, reason=reason, issued_at=now)
            except IntegrityError:
                continue  # another run issued it
            Need.objects.filter(pk=need.pk).update(escalation_level=level)
            NeedEvent.objects.create(
                need=need,
                kind=EventKind.ESCALATED,
                note=_("Supervision order to %(region)s.") % {"region": region.name},
                created_at=now,
            )
            supervisors = [
                a.user
                for a in RoleAssignment.objects.filter(role=LEVEL_ROLE[level], region=region).select_related("user")
            ]
            notify(
                users=supervisors,
                message=SUPERVISION_ORDER,
                params={"title": need.title, "deadline": when(deadline), "status": need.status},
                url=need.get_absolute_url(),
            )
            issued += 1
    return issued


def resolve_orders(need, now=None):
    """A need that moves on (answered, merged…) closes its open supervision orders."""
    SupervisionOrder.objects.filter(need=need, resolved_at__isnull=True).update(resolved_at=now or timezone.now())
