"""Thin, idempotent beat tasks (see var/requests-impl.md for their schedule)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def alert_overdue_milestones_task():
    """Tell implementers and staff of milestones past their due date (once, then weekly while overdue)."""
    return services.alert_overdue_milestones()


@shared_task(acks_late=True)
def close_due_evaluations_task():
    """Rating windows that have closed: their projects move to "evaluated"."""
    return services.close_due_evaluations()
