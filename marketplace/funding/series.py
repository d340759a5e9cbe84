"""A project's money over time: the running total of its public ledger by local day, against its target.

`money_series(project)` reads it in one query (the ledger's entries summed per day: gifts add, refunds and
reallocations away take off, so the last total is the project's `amount_raised`); `money_chart(project)`
draws it with `portal.core.charts.running_total_chart`, with a table of every day; the funding app
registers `money_chart_panel` as a panel of the project page (marketplace/projects/panels.py).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.core.charts import Table, running_total_chart
from portal.core.money import FEN_PER_YUAN, format_money

from .ledger import RAISED_KINDS
from .models import LedgerEntry


@dataclass(frozen=True)
class Day:
    day: date
    change: int  # fen, signed: the day's entries summed
    total: int  # fen: everything up to the end of the day


def money_series(project):
    """Each local day with ledger entries of `project`, in order, with its change and the running total."""
    rows = (
        LedgerEntry.objects.public()
        .filter(project=project, kind__in=RAISED_KINDS)  # money raised: what is paid out is not less raised
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(change=Sum("amount"))
        .order_by("day")
    )
    days, total = [], 0
    for row in rows:
        total += row["change"]
        days.append(Day(row["day"], row["change"], total))
    return days


def short_money(fen):
    """An axis label: ¥50万 / ¥1.2亿 in Chinese, ¥500k / ¥1.2M otherwise (whole yuan below that)."""
    yuan = fen / FEN_PER_YUAN
    if (get_language() or "").startswith("zh"):
        units = ((100_000_000, "亿"), (10_000, "万"))
    else:
        units = ((1_000_000, "M"), (1_000, "k"))
    for size, unit in units:
        if abs(yuan) >= size:
            return f"¥{yuan / size:.4g}{unit}"
    return f"¥{yuan:,.0f}"


def money_chart(project, days=None, *, today=None):
    """The chart of `money_series(project)` (or of `days`), or None when the ledger has nothing for it."""
    days = money_series(project) if days is None else days
    if not days:
        return None
    today = today or timezone.localdate()
    start = days[0].day
    end = max(days[-1].day, today)
    if end == start:
        end = start + timedelta(days=1)
    target = project.funding_target
    raised = days[-1].total
    description = _(
        "The money raised so far, day by day, from %(start)s to %(end)s: %(raised)s of a target of %(target)s."
    ) % {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "raised": format_money(raised),
        "target": format_money(target),
    }
    rows = [(d.day.isoformat(), [format_money(d.change), format_money(d.total)]) for d in days]
    table = Table(_("Money raised by day"), _("Date"), [_("Change that day"), _("Raised so far")], rows)
    return running_total_chart(
        chart_id=f"project-{project.pk}-money",
        title=_("Money raised by day, against the target"),
        description=description,
        days=[d.day for d in days],
        totals=[d.total for d in days],
        start=start,
        end=end,
        target=target,
        series_label=_("Raised so far"),
        target_label=_("Target %(amount)s") % {"amount": format_money(target)},
        tick_text=short_money,
        day_text=date.isoformat,
        table=table,
    )


def money_chart_panel(context, project):
    """The project page's panel: the chart and its table, or nothing before the first gift."""
    chart = money_chart(project)
    if chart is None:
        return ""
    return render_to_string(
        "funding/includes/money_chart.html", {"chart": chart, "project": project}, request=context.get("request")
    )
