"""The figures of the daily report (民情报告), aggregated in the database.

Periods, in the district's time zone (settings.TIME_ZONE, Asia/Shanghai):

- *The day*: the report's calendar day, [day 00:00, day+1 00:00). "New" (created_at), "closed"
  (closed_at, status closed) and the top words of new needs cover the day. The report made each
  morning is for the previous calendar day.
- *The window*: a rolling 30 days ending with the report's day, [day-29 00:00, day+1 00:00). The
  four rates and the average satisfaction cover the window.
- Both end at the moment of computing at the latest, so a report for today counts nothing that
  has not happened yet.
- *Overdue* is a snapshot when the report is computed: open needs (OPEN_STATUSES) flagged
  is_overdue by the escalation job. It cannot be reconstructed for a past day.

Rates (a rate is None, shown as "—", when its denominator is 0):

- response rate 响应率 = needs accepted (accepted_at set: accepted, or moved further) no later than
  their accept_deadline / needs whose accept_deadline falls in the window. Needs rejected without
  being accepted (no acceptance to time) and needs without an accept deadline are left out.
- completion rate 办结率 = needs answered or later (answered_at set, or status answered,
  followed up or closed) / needs dispatched (dispatched_at) in the window. A need sent back after
  an unsatisfied follow-up counts by its latest dispatch.
- resolution rate 解决率 = needs closed with a rating of 3 or more / needs closed (closed_at) in the
  window.
- satisfaction rate 满意率 = ratings of 4 or 5 / ratings given in the window (followed_up_at, or
  closed_at for a rated need without a follow-up time).
- average satisfaction = the mean of the same ratings.

Groupings: by category; by street, the region whose materialised path is the first two steps
of the need's region path (steplen 4, so path[:8]), taken in SQL with Substr; by department
(needs dispatched to one). Totals are sums of the street rows, which cover every need.

Series for the charts (`series`, one point per day for the SERIES_DAYS days ending with the report's day):

- new needs per day by channel (created_at), channels in Channel order, only those with needs;
- the four rates as of each day: each point is the rate over the WINDOW_DAYS days ending with that day
  (so the last point is the report's own rate). Daily counts over the days the windows cover, one
  GROUP BY local day per rate, then running sums in Python.

Cost: a fixed number of queries (twelve) whatever the number of needs. Every figure is a
GROUP BY with conditional aggregates in SQL; Python only sees grouped rows, at most
OVERDUE_LIST_LIMIT overdue needs and at most TEXTS_LIMIT texts of the day's new needs for jieba.
"""

import functools
import logging
import re
from collections import Counter, defaultdict
from datetime import datetime, time, timedelta
from pathlib import Path

from django.db.models import Case, Count, F, Q, Sum, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from marketplace.needs.models import OPEN_STATUSES, Channel, Need, NeedStatus
from portal.regions.models import Region, RegionLevel, ancestor_path_sql

S = NeedStatus
WINDOW_DAYS = 30
OVERDUE_LIST_LIMIT = 200
TEXTS_LIMIT = 5000
TOP_WORDS = 20
RESOLVED_RATING = 3  # 解决: rated 3 or more
SATISFIED_RATING = 4  # 满意: rated 4 or 5
ANSWERED_OR_LATER = [S.ANSWERED, S.FOLLOWED_UP, S.CLOSED]
DATA_VERSION = 1
SERIES_DAYS = 30
# rate: (denominator, numerator) of _rate_filters, and the time that places a need on a day.
RATE_SERIES = {
    "response": ("due", "responded", "accept_deadline"),
    "completion": ("dispatched", "completed", "dispatched_at"),
    "resolution": ("closed", "resolved", "closed_at"),
    "satisfaction": ("rated", "satisfied", Coalesce("followed_up_at", "closed_at")),
}

# Words that say nothing about what residents need (see stopwords.txt).
STOP_WORDS_FILE = Path(__file__).with_name("stopwords.txt")


@functools.cache
def stop_words():
    lines = STOP_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(word for line in lines if not line.startswith("#") for word in line.split())


_WORD = re.compile(r"^(?:[\u4e00-\u9fff]{2,}|[a-z][a-z0-9]{2,})$")

logger = logging.getLogger(__name__)


def local_midnight(day):
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def day_bounds(day, now=None):
    """[start, end) of the local calendar day `day`, ending at `now` at the latest."""
    start, end = local_midnight(day), local_midnight(day + timedelta(days=1))
    now = now or timezone.now()
    return start, max(start, min(end, now))


def _in(field, start, end):
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _rate(num, den):
    return {"num": num, "den": den, "rate": round(100 * num / den, 1) if den else None}


def _street_path():
    return ancestor_path_sql("region", RegionLevel.STREET)


def _count_filters(start, end):
    return {
        "new": _in("created_at", start, end),
        "closed": Q(status=S.CLOSED) & _in("closed_at", start, end),
        "overdue": Q(is_overdue=True, status__in=OPEN_STATUSES),
    }


def _rate_filters(start, end):
    due = _in("accept_deadline", start, end) & ~Q(status=S.REJECTED, accepted_at__isnull=True)
    dispatched = _in("dispatched_at", start, end)
    closed = Q(status=S.CLOSED) & _in("closed_at", start, end)
    rated = Q(rating__isnull=False) & (
        _in("followed_up_at", start, end) | (Q(followed_up_at__isnull=True) & _in("closed_at", start, end))
    )
    return {
        "due": due,
        "responded": due & Q(accepted_at__isnull=False, accepted_at__lte=F("accept_deadline")),
        "dispatched": dispatched,
        "completed": dispatched & (Q(answered_at__isnull=False) | Q(status__in=ANSWERED_OR_LATER)),
        "closed": closed,
        "resolved": closed & Q(rating__gte=RESOLVED_RATING),
        "rated": rated,
        "satisfied": rated & Q(rating__gte=SATISFIED_RATING),
    }


def _any(filters):
    q = Q(pk__in=[])
    for f in filters.values():
        q |= f
    return q


def _counts(group_by, filters, **group_fields):
    """One GROUP BY over the needs matching any filter, counting each filter per group."""
    qs = Need.objects.filter(_any(filters)).order_by()
    if group_fields:
        qs = qs.annotate(**group_fields)
    return qs.values(*group_by).annotate(**{name: Count("pk", filter=f) for name, f in filters.items()})


def _rates_rows(group_by, start, end, base=None, **group_fields):
    filters = _rate_filters(start, end)
    qs = Need.objects.filter(_any(filters)).order_by()
    if base is not None:
        qs = qs.filter(base)
    if group_fields:
        qs = qs.annotate(**group_fields)
    aggregates = {name: Count("pk", filter=f) for name, f in filters.items()}
    aggregates["rating_sum"] = Sum("rating", filter=filters["rated"])
    return qs.values(*group_by).annotate(**aggregates)


def _rates_of(row):
    rated = row["rated"]
    return {
        "response": _rate(row["responded"], row["due"]),
        "completion": _rate(row["completed"], row["dispatched"]),
        "resolution": _rate(row["resolved"], row["closed"]),
        "satisfaction": _rate(row["satisfied"], rated),
        "average_rating": round(row["rating_sum"] / rated, 2) if rated else None,
        "ratings": rated,
    }


def _sum_rows(rows, keys):
    total = dict.fromkeys(keys, 0)
    for row in rows:
        for key in keys:
            total[key] += row[key] or 0
    return total


def _local_day(field):
    return TruncDate(field, tzinfo=timezone.get_default_timezone())


def _series(day, end):
    """The charts' series (see the module docstring): five queries, each a GROUP BY local day."""
    days = [day - timedelta(days=SERIES_DAYS - 1 - i) for i in range(SERIES_DAYS)]

    per_channel = defaultdict(dict)
    rows = (
        Need.objects.filter(_in("created_at", local_midnight(days[0]), end))
        .order_by()
        .annotate(on=_local_day("created_at"))
        .values("on", "channel")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        per_channel[row["channel"]][row["on"]] = row["n"]
    channels = [c for c in Channel.values if c in per_channel] + sorted(set(per_channel) - set(Channel.values))

    # Each point's window reaches WINDOW_DAYS - 1 days before the first day.
    filters = _rate_filters(local_midnight(days[0] - timedelta(days=WINDOW_DAYS - 1)), end)
    rates = {}
    for key, (den, num, on) in RATE_SERIES.items():
        daily = {
            row["on"]: (row["num"], row["den"])
            for row in Need.objects.filter(filters[den])
            .order_by()
            .annotate(on=_local_day(on))
            .values("on")
            .annotate(den=Count("pk"), num=Count("pk", filter=filters[num]))
        }
        points = []
        for d in days:
            window = [daily.get(d - timedelta(days=k), (0, 0)) for k in range(WINDOW_DAYS)]
            points.append(_rate(sum(n for n, _den in window), sum(den for _n, den in window)))
        rates[key] = points

    return {
        "days": [d.isoformat() for d in days],
        "new_by_channel": {c: [per_channel[c].get(d, 0) for d in days] for c in channels},
        "rates": rates,
    }


def top_words(texts, limit=TOP_WORDS):
    """The words most new needs mention (each need counts once per word), stop words removed."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    counter, stop = Counter(), stop_words()
    for text in texts:
        words = {w.strip().lower() for w in jieba.cut(text)}
        counter.update(w for w in words if _WORD.match(w) and w not in stop)
    ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [{"word": word, "count": count} for word, count in ranked]


def compute_report(day, now=None):
    """Every figure of the report for `day` as a JSON-serialisable dict (see the module docstring)."""
    now = now or timezone.now()
    start, end = day_bounds(day, now)
    window_start, window_end = local_midnight(day - timedelta(days=WINDOW_DAYS - 1)), end
    street = {"street_path": _street_path()}

    # 1, 2: new / closed / overdue by category and by street.
    count_filters = _count_filters(start, end)
    by_category = [
        {"id": r["category_id"], "name": r["category__name"], "name_en": r["category__name_en"], "new": r["new"],
         "closed": r["closed"], "overdue": r["overdue"]}
        for r in _counts(["category_id", "category__name", "category__name_en"], count_filters)
    ]  # fmt: skip
    by_category.sort(key=lambda r: (-r["new"], -r["overdue"], r["name"]))
    street_counts = {r["street_path"]: r for r in _counts(["street_path"], count_filters, **street)}

    # 3, 4: the rates by street and by department.
    street_rates = {r["street_path"]: r for r in _rates_rows(["street_path"], window_start, window_end, **street)}
    department_rows = list(
        _rates_rows(
            ["department_id", "department__name", "department__name_en"],
            window_start,
            window_end,
            base=Q(department__isnull=False),
        )
    )

    # 5: street names, in tree order.
    paths = set(street_counts) | set(street_rates)
    streets = list(Region.objects.filter(path__in=paths).order_by("path").values_list("path", "name", "name_en"))
    names = {p: name for p, name, _en in streets}
    names_en = {p: name_en for p, _name, name_en in streets}
    ordered_paths = [p for p, _, _en in streets] + sorted(paths - set(names))

    count_keys = list(count_filters)
    rate_keys = [*_rate_filters(window_start, window_end), "rating_sum"]
    by_street = [
        {
            "path": p,
            "name": names.get(p, "—"),
            "name_en": names_en.get(p, ""),
            **{k: street_counts[p][k] for k in count_keys},
        }
        for p in ordered_paths
        if p in street_counts
    ]
    rates_by_street = [
        {"path": p, "name": names.get(p, "—"), "name_en": names_en.get(p, ""), **_rates_of(street_rates[p])}
        for p in ordered_paths
        if p in street_rates
    ]
    rates_by_department = sorted(
        (
            {
                "id": r["department_id"],
                "name": r["department__name"],
                "name_en": r["department__name_en"],
                **_rates_of(r),
            }
            for r in department_rows
        ),
        key=lambda r: r["name"],
    )
    totals = _sum_rows(street_counts.values(), count_keys)
    overall = _rates_of(_sum_rows(street_rates.values(), rate_keys))

    # 6: the overdue list, most overdue first.
    overdue_rows = (
        Need.objects.filter(count_filters["overdue"])
        .annotate(
            deadline=Case(When(status=S.SUBMITTED, then=F("accept_deadline")), default=F("answer_deadline")),
            street_path=_street_path(),
        )
        .order_by(F("deadline").asc(nulls_last=True), "created_at", "pk")
        .values(
            "pk", "title", "status", "escalation_level", "created_at", "deadline", "street_path",
            "category__name", "region__name", "department__name",
            "category__name_en", "region__name_en", "department__name_en",
        )[:OVERDUE_LIST_LIMIT]
    )  # fmt: skip
    overdue = []
    for r in overdue_rows:
        deadline = r["deadline"]
        overdue.append(
            {
                "id": r["pk"],
                "title": r["title"],
                "status": r["status"],
                "escalation_level": r["escalation_level"],
                "category": r["category__name"],
                "street": names.get(r["street_path"], "—"),
                "region": r["region__name"],
                "department": r["department__name"] or "",
                # The English names beside the Chinese ones: the report reads in either language.
                "category_en": r["category__name_en"],
                "street_en": names_en.get(r["street_path"], ""),
                "region_en": r["region__name_en"],
                "department_en": r["department__name_en"] or "",
                "created_at": timezone.localtime(r["created_at"]),
                "deadline": timezone.localtime(deadline) if deadline else None,
                "days_overdue": round((now - deadline).total_seconds() / 86400, 1) if deadline else None,
            }
        )

    # 7: the day's new needs' words.
    texts = Need.objects.filter(count_filters["new"]).order_by("-created_at").values_list("title", "description")
    words = top_words(f"{title}\n{description}" for title, description in texts[:TEXTS_LIMIT])

    return {
        "version": DATA_VERSION,
        "date": day.isoformat(),
        "computed_at": timezone.localtime(now),
        "day": {"start": start, "end": end},
        "window": {"start": window_start, "end": window_end, "days": WINDOW_DAYS},
        "totals": totals,
        "by_category": by_category,
        "by_street": by_street,
        "rates": {"overall": overall, "by_street": rates_by_street, "by_department": rates_by_department},
        "top_words": words,
        "overdue": {"total": totals["overdue"], "items": overdue, "limit": OVERDUE_LIST_LIMIT},
        # 8-12: the charts' series.
        "series": _series(day, end),
    }
