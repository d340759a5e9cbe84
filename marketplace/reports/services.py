"""Making, storing and sending the daily report (民情报告)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import compute, render
from .models import DailyReport, ReportSubscription

logger = logging.getLogger(__name__)


def yesterday(now=None):
    """The calendar day before today, in the district's time zone: the day the morning report covers."""
    return timezone.localdate(now or timezone.now()) - timedelta(days=1)


def generate_daily_report(day, *, now=None, files=True):
    """Compute (or recompute) the report for `day`, then render its PDF and workbook.

    Idempotent: the same date always updates the same row. Slow when `files` (WeasyPrint):
    call it from a task.
    """
    now = now or timezone.now()
    if day > timezone.localdate(now):
        raise ValueError(f"no report for a day still to come: {day}")
    data = compute.compute_report(day, now=now)
    report, created = DailyReport.objects.get_or_create(date=day, defaults={"data": data, "generated_at": now})
    if not created:
        with transaction.atomic():
            report = DailyReport.objects.select_for_update().get(pk=report.pk)
            stale = [f.name for f in (report.pdf, report.xlsx) if f]
            # The old files show the old figures: the page says "being prepared" until the new ones are saved.
            report.data, report.generated_at, report.pdf, report.xlsx = data, now, "", ""
            report.save(update_fields=["data", "generated_at", "pdf", "xlsx"])
            transaction.on_commit(lambda: _delete_files(report, stale))
    if files:
        render_report_files(report)
    return report


def render_report_files(report):
    """Render the PDF and the workbook from the stored figures and attach them to the row."""
    pdf = render.render_pdf(report)
    xlsx = render.render_xlsx(report)
    stale = [f.name for f in (report.pdf, report.xlsx) if f]
    stem = f"minqing-{report.date.isoformat()}"
    report.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    report.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
    # Only the file columns: a recomputation running meanwhile keeps its figures.
    DailyReport.objects.filter(pk=report.pk).update(pdf=report.pdf.name, xlsx=report.xlsx.name)
    stale = [name for name in stale if name not in (report.pdf.name, report.xlsx.name)]
    transaction.on_commit(lambda: _delete_files(report, stale))
    return report


def _delete_files(report, names):
    storage = report.pdf.storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not delete the old report file %s", name)


# --- subscriptions -----------------------------------------------------------


def subscribe(*, by):
    if not by.has_perm("reports.subscribe"):
        raise PermissionDenied(_("Only staff can receive the daily report."))
    return ReportSubscription.objects.get_or_create(user=by)[0]


def unsubscribe(*, by):
    """Anyone may stop their own emails (also after losing the role that allowed subscribing)."""
    ReportSubscription.objects.filter(user=by).delete()


def subscribers():
    """Active subscribers with an address who may still read reports."""
    candidates = (
        ReportSubscription.objects.filter(user__is_active=True)
        .exclude(user__email__isnull=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    return [s.user for s in candidates if s.user.has_perm("reports.view_report")]


def _message(report, user, pdf):
    url = settings.SITE_URL + report.get_absolute_url()
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = render.report_context(report)
        context.update(
            {"url": url, "list_url": settings.SITE_URL + reverse("reports:report_list"), "attached": pdf is not None}
        )
        subject = " ".join(render_to_string("reports/email/daily_report_subject.txt", context).split())
        body = render_to_string("reports/email/daily_report_message.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[user.email])
    if pdf is not None:
        message.attach(f"minqing-{report.date.isoformat()}.pdf", pdf, "application/pdf")
    return message


def email_daily_report(report_id, *, now=None):
    """Send the report to every subscriber, once: returns how many emails were sent.

    The row is claimed (emailed_at) before sending, so a repeated or concurrent task sends
    nothing; if sending fails the claim is released for the retry (which may repeat the
    emails the failed attempt had already handed over).
    """
    now = now or timezone.now()
    if not DailyReport.objects.filter(pk=report_id, emailed_at__isnull=True).update(emailed_at=now):
        return 0
    try:
        report = DailyReport.objects.get(pk=report_id)
        recipients = subscribers()
        if not recipients:
            return 0
        pdf = None
        if report.pdf:
            with report.pdf.open("rb") as file:
                pdf = file.read()
        messages = [_message(report, user, pdf) for user in recipients]
        with get_connection() as connection:
            sent = connection.send_messages(messages) or 0
    except Exception:
        DailyReport.objects.filter(pk=report_id).update(emailed_at=None)
        raise
    return sent
