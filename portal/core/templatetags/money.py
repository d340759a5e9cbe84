"""Figures as people read them, in both languages (builtins: every template may use them without loading them).

`{{ amount|money }}`: the one way a template shows an amount (fen) — ¥180,000.00.
`{{ count|number }}`: a count with separators — 2,224 (in zh-hans too, as official statistics write it).
`{{ when|deadline }}`: a deadline — 11-30 14:00 this year, 2025-11-30 14:00 in any other.
`{{ when|overdue_by }}`: "Overdue by 3 days" / "已超期 3 天" once a deadline has passed, else nothing.
"""

from datetime import datetime
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import ngettext

from portal.core.money import format_money

register = template.Library()


@register.filter
def money(fen):
    return format_money(fen)


@register.filter
def number(value):
    if value is None or value == "" or isinstance(value, bool):
        return "" if value is None else value
    if isinstance(value, str):
        if not value.lstrip("-").isdigit():
            return value
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float | Decimal):
        return f"{value:,}"
    return value


def _local(value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def deadline(value):
    if not value:
        return ""
    """A deadline in the district's local time, always with its year (a date without one is read as this year's)."""
    local = _local(value)
    if not isinstance(local, datetime):
        return format_date(local, "Y-m-d")
    # What format_date(local, "Y-m-d H:i") writes, five times faster (a queue shows one a row).
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"


@register.filter
def overdue_by(value):
    if not value:
        return ""
    late = timezone.now() - value
    if late.total_seconds() <= 0:
        return ""
    if late.days >= 1:
        return ngettext("Overdue by %(n)s day", "Overdue by %(n)s days", late.days) % {"n": number(late.days)}
    hours = max(1, late.seconds // 3600)
    return ngettext("Overdue by %(n)s hour", "Overdue by %(n)s hours", hours) % {"n": hours}
