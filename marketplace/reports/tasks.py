from datetime import date

from celery import shared_task
from django.core.cache import cache

from . import services
from .models import DailyReport


def render_lock_key(report_id):
    return f"reports:render:{report_id}"


@shared_task(acks_late=True)
def generate_daily_report_task(date_iso=None, email=True):
    """Beat job (each morning): the report for the day before, then email it. Idempotent.

    `date_iso` ("2026-05-01") regenerates that day's report in place.
    """
    day = date.fromisoformat(date_iso) if date_iso else services.yesterday()
    report = services.generate_daily_report(day)
    if email:
        email_daily_report_task.delay(report.pk)
    return {"report": report.pk, "date": day.isoformat()}


@shared_task(acks_late=True)
def render_report_files_task(report_id):
    """PDF and workbook from the stored figures: for a report whose files are missing."""
    try:
        report = DailyReport.objects.filter(pk=report_id).first()
        if report is not None:
            services.render_report_files(report)
    finally:
        cache.delete(render_lock_key(report_id))


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_daily_report_task(report_id):
    """Send the report to its subscribers, once (see services.email_daily_report)."""
    return services.email_daily_report(report_id)
