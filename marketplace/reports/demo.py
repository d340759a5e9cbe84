"""The last 30 days' daily reports (民情报告), as the morning job would have left them.

Computed now from the demo's needs (figures only: the PDF and workbook are rendered when first
asked for). The overdue list of a report is a snapshot at computing time and cannot be rebuilt
for a past morning, so these reports show today's overdue needs; every other figure is the day's.
"""

from datetime import timedelta

from django.utils import timezone

from portal.core.demo import demo_step

from .models import DailyReport
from .services import generate_daily_report

DAYS = 30


@demo_step(order=140, after=["marketplace.needs.demo"])
def load(ctx):
    now = timezone.now()
    today = timezone.localdate(now)
    days = [today - timedelta(days=n) for n in range(1, DAYS + 1)]
    existing = set(DailyReport.objects.filter(date__in=days).values_list("date", flat=True))
    missing = [day for day in days if day not in existing]
    for day in missing:
        generate_daily_report(day, now=now, files=False)
    return f"{len(missing)} daily reports" + (f" ({len(existing)} kept)" if existing else "")
