from celery import shared_task


@shared_task(acks_late=True)
def close_due_calls_task():
    """Beat job: open calls past their deadline move to review. Idempotent (a closed call stays closed)."""
    from .services import close_due_calls

    return close_due_calls()


@shared_task(acks_late=True)
def results_take_effect_task():
    """Beat job: calls whose public notice has ended with every objection answered, none upheld, take effect:
    their awards become projects in implementation with their grants in the ledger. Idempotent."""
    from .results import take_effect_due

    return take_effect_due()
