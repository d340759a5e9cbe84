"""Service-level deadlines: hours to accept, working days to answer (skipping holidays, counting 调休 days)."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from .models import CalendarDay, ServiceLevel

DEFAULT_HOURS_TO_ACCEPT = 24
DEFAULT_WORKING_DAYS_TO_ANSWER = 5


def service_level_for(category, channel):
    """The most specific service level: category+channel, category, channel, then the default row."""
    candidates = ServiceLevel.objects.filter(Q(category=category) | Q(category__isnull=True)).filter(
        channel__in=[channel, ""]
    )
    best = None
    for level in candidates:
        rank = (level.category_id is not None) * 2 + (level.channel != "")
        if best is None or rank > best[0]:
            best = (rank, level)
    if best:
        return best[1]
    return ServiceLevel(hours_to_accept=DEFAULT_HOURS_TO_ACCEPT, working_days_to_answer=DEFAULT_WORKING_DAYS_TO_ANSWER)


def add_working_days(start, days):
    """`start` plus `days` working days, at the same time of day (local time)."""
    local = timezone.localtime(start)
    horizon = local.date() + timedelta(days=days * 3 + 30)
    overrides = dict(
        CalendarDay.objects.filter(date__gt=local.date(), date__lte=horizon).values_list("date", "is_workday")
    )
    day, remaining = local.date(), days
    while remaining > 0:
        day += timedelta(days=1)
        workday = overrides.get(day, day.weekday() < 5)
        if workday:
            remaining -= 1
    return local.replace(year=day.year, month=day.month, day=day.day)


def accept_deadline(need, start):
    level = service_level_for(need.category, need.channel)
    return start + timedelta(hours=level.hours_to_accept)


def answer_deadline(need, start):
    level = service_level_for(need.category, need.channel)
    return add_working_days(start, level.working_days_to_answer)
