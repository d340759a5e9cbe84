from celery import shared_task

from . import escalation, importing


@shared_task(acks_late=True)
def escalate_overdue_needs_task():
    """Beat job: flag overdue needs and issue supervision orders. Idempotent."""
    flagged = escalation.mark_overdue()
    issued = escalation.escalate_overdue()
    return {"flagged": flagged, "orders": issued}


@shared_task(acks_late=True)
def run_import_task(job_id):
    """Run an import job (dry run or real). Idempotent: a finished job returns at once, an
    interrupted one resumes after its last committed chunk, and tickets already recorded are skipped."""
    job = importing.run_import(job_id)
    return {
        "status": job.status,
        "processed": job.processed_rows,
        "created": job.created_count,
        "duplicates": job.duplicate_count,
        "errors": job.error_count,
    }
