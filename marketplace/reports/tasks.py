from datetime import date

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def generate_daily_report_task(date_iso=None, email=True):
    """Beat job (each morning): the report for the day before, then tell its subscribers. Idempotent.

    `date_iso` ("2026-05-01") regenerates that day's report in place.
    """
    day = date.fromisoformat(date_iso) if date_iso else services.yesterday()
    report = services.generate_daily_report(day)
    if email:
        email_daily_report_task.delay(report.pk)
    return {"report": report.pk, "date": day.isoformat()}


@shared_task(acks_late=True)
def email_daily_report_task(report_id):
    """Tell the report's subscribers, once (see services.email_daily_report)."""
    return services.email_daily_report(report_id)
