"""Making, storing and sending the daily report (民情报告)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.rendered import render_file, stored_file
from portal.notifications.messages import in_languages, when
from portal.notifications.services import notify

from . import compute, render
from .models import DailyReport, ReportSubscription
from .renderers import REPORT_PDF, REPORT_XLSX

logger = logging.getLogger(__name__)


def yesterday(now=None):
    """The calendar day before today, in the district's time zone: the day the morning report covers."""
    return timezone.localdate(now or timezone.now()) - timedelta(days=1)


def generate_daily_report(day, *, now=None, files=True):
    """Compute (or recompute) the report for `day`, then render its PDF and workbook.

    Idempotent: the same date always updates the same row. Slow when `files` (WeasyPrint):
    call it from a task. A recomputed report has a new files key, so its old files are
    never served for the new figures.
    """
    now = now or timezone.now()
    if day > timezone.localdate(now):
        raise ValueError(f"no report for a day still to come: {day}")
    data = compute.compute_report(day, now=now)
    report, created = DailyReport.objects.get_or_create(date=day, defaults={"data": data, "generated_at": now})
    if not created:
        with transaction.atomic():
            report = DailyReport.objects.select_for_update().get(pk=report.pk)
            report.data, report.generated_at = data, now
            report.save(update_fields=["data", "generated_at"])
    if files:
        render_report_files(report)
    return report


def render_report_files(report):
    """Render the PDF and the workbook (in this process: the caller is a task). Returns both stored files."""
    return render_file(REPORT_PDF, report.files_key), render_file(REPORT_XLSX, report.files_key)


def report_files(report):
    """The stored PDF and workbook of the report as it is now (None for one still to be rendered)."""
    return stored_file(REPORT_PDF, report.files_key), stored_file(REPORT_XLSX, report.files_key)


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


def _summary(report, user):
    url = settings.SITE_URL + report.get_absolute_url()
    context = render.report_context(report)
    context.update({"url": url, "list_url": settings.SITE_URL + reverse("reports:report_list"), "attached": True})
    return render_to_string("reports/email/daily_report_message.txt", context)


def email_daily_report(report_id, *, now=None):
    """Tell every subscriber, once, with the PDF attached: returns how many were told.

    The row is claimed (emailed_at) first, so a repeated or concurrent task tells nobody twice.
    The message goes through `notify` (in the app, and by email after the commit).
    """
    now = now or timezone.now()
    with transaction.atomic():
        if not DailyReport.objects.filter(pk=report_id, emailed_at__isnull=True).update(emailed_at=now):
            return 0
        report = DailyReport.objects.get(pk=report_id)
        recipients = subscribers()
        pdf, _xlsx = report_files(report)
        from .messages import DAILY_REPORT

        notify(
            users=recipients,
            message=DAILY_REPORT,
            params={"date": when(report.date), "summary": in_languages(lambda: _summary(report, None))},
            url=report.get_absolute_url(),
            attachment=pdf,
        )
    return len(recipients)
