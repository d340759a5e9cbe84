from celery import shared_task

from . import escalation


@shared_task(acks_late=True)
def escalate_overdue_needs_task():
    """Beat job: flag overdue needs and issue supervision orders. Idempotent."""
    flagged = escalation.mark_overdue()
    issued = escalation.escalate_overdue()
    return {"flagged": flagged, "orders": issued}
