from celery import shared_task


@shared_task(acks_late=True)
def chase_overdue_follow_ups_task():
    """Beat job: remind whoever is responsible for a follow-up action past its date (once a day). Idempotent."""
    from .services import chase_overdue_follow_ups

    return chase_overdue_follow_ups()
