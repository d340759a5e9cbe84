from celery import shared_task


@shared_task(acks_late=True)
def close_due_calls_task():
    """Beat job: open calls past their deadline move to review. Idempotent (a closed call stays closed)."""
    from .services import close_due_calls

    return close_due_calls()
