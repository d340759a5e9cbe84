"""What every job of funding shares about a payment: its workflow, and who handles money in a region.

The modules of funding, each with one job, in the order they may import one another (a module
imports only those above it; none imports `tasks`):

- `models`, `providers` (how Stripe is called), `ledger` (the chained entries, the chain-head lock);
- `payments` (this module): the payment's `workflow`, `region_staff`;
- `refunds`: money given back — staff refunds, Stripe refunds written down before they are sent,
  receipts voided;
- `intents`: gifts pledged and PaymentIntents made in Stripe, confirmations (the overshoot rule);
- `deadlines`: what happens to the gifts of a project that missed its funding deadline;
- `webhooks`: Stripe's events;
- `tasks`: Celery's thin wrappers around the above.
"""

from portal.core.transitions import Workflow

from .models import TRANSITIONS, Payment, PaymentStatus

S = PaymentStatus

workflow = Workflow(
    model=Payment,
    transitions=TRANSITIONS,
    stamps={
        S.CONFIRMED: "confirmed_at",
        S.FAILED: "failed_at",
        S.CANCELLED: "cancelled_at",
        S.REFUNDED: "refunded_at",
        S.PARTIALLY_REFUNDED: "refunded_at",
    },
    audit="payment",
)


def region_staff(region):
    """The administrative staff nearest to `region`: its own, else its street's, else the district's."""
    from portal.accounts.models import RoleAssignment
    from portal.accounts.roles import ADMINISTRATIVE_ROLES

    for level in [region, *reversed(list(region.get_ancestors()))]:
        users = [
            a.user
            for a in RoleAssignment.objects.filter(role__in=ADMINISTRATIVE_ROLES, region=level).select_related("user")
        ]
        if users:
            return users
    return []
