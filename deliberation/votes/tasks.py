from celery import shared_task


@shared_task(acks_late=True)
def close_due_votes_task():
    """Beat job: close and count every open vote past its closing time. Idempotent (a closed vote stays closed)."""
    from .services import close_due_votes

    return close_due_votes()
