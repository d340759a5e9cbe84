"""The report as HTML (the page and the PDF share `reports/_report_body.html`), PDF and Excel.

PDF and Excel are made from the stored figures only, in a Celery task, never in a request:
with WenQuanYi Micro Hei (Debian's fonts-wqy-microhei) WeasyPrint takes about 0.6 s of CPU
for a two-page report and about 4 s for a full one (25 streets, 20 departments, 200 overdue
needs: 12 pages), mostly table layout and line breaking. Finding and embedding the font,
and fetching nothing else, is `portal.core.pdf`'s job.
"""

import copy
import dataclasses
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from marketplace.needs.models import Channel, EscalationLevel, NeedStatus
from portal.core.charts import Series, line_chart, stacked_bar_chart
from portal.core.excel import add_table, new_workbook, safe_value, workbook_bytes
from portal.core.languages import is_chinese_active
from portal.core.pdf import (  # noqa: F401 (re-exported: tests and older callers import them from here)
    CJK_FONT_FAMILY,
    DEFAULT_FACE,
    KNOWN_CJK_FONT_FILES,
    cjk_font_file,
    font_face_css,
    font_only_url_fetcher,
    html_to_pdf,
)

RATE_LABELS = {
    "response": _("Response rate"),
    "completion": _("Completion rate"),
    "resolution": _("Resolution rate"),
    "satisfaction": _("Satisfaction rate"),
}
RATE_PARTS = {
    # rate: (numerator label, denominator label)
    "response": (_("Accepted in time"), _("Due for acceptance")),
    "completion": (_("Answered"), _("Dispatched")),
    "resolution": (_("Resolved (3+)"), _("Closed")),
    "satisfaction": (_("Satisfied (4+)"), _("Ratings")),
}


# --- names ---------------------------------------------------------------


def localize_names(data):
    """Put the names of categories, streets, places and departments in the active language (in place).

    Reports store the Chinese name of each record and, since English names exist, the English
    one beside it (`name_en`, `category_en`…). For reports stored before, the English names are
    looked up from the records themselves (by id or path where stored, else by Chinese name).
    """
    if is_chinese_active() or not data:
        return data
    from portal.core.models import Category
    from portal.organisations.models import Organisation
    from portal.regions.models import Region

    rates = data.get("rates", {})
    overdue = data.get("overdue", {}).get("items", [])
    # (rows, name key, English key, model, field stored with each row)
    groups = [
        (data.get("by_category", []), "name", "name_en", Category, "id"),
        (data.get("by_street", []), "name", "name_en", Region, "path"),
        (rates.get("by_street", []), "name", "name_en", Region, "path"),
        (rates.get("by_department", []), "name", "name_en", Organisation, "id"),
        (overdue, "category", "category_en", Category, None),
        (overdue, "street", "street_en", Region, None),
        (overdue, "region", "region_en", Region, None),
        (overdue, "department", "department_en", Organisation, None),
    ]
    missing = defaultdict(set)  # model → Chinese names (or keys) whose English name is not stored
    for rows, key, key_en, model, by in groups:
        for row in rows:
            if key_en not in row and row.get(key):
                missing[model, by].add(row[by] if by else row[key])
    found = {}
    for (model, by), values in missing.items():
        field = by or "name"
        found[model, by] = dict(model.objects.filter(**{f"{field}__in": values}).values_list(field, "name_en"))
    for rows, key, key_en, model, by in groups:
        for row in rows:
            english = row[key_en] if key_en in row else found.get((model, by), {}).get(row[by] if by else row.get(key))
            if english:
                row[key] = english
    return data


# --- context -------------------------------------------------------------


def _dt(value):
    if isinstance(value, str):
        return parse_datetime(value)
    return value


def _rate_text(rate):
    return "—" if rate["rate"] is None else f"{rate['rate']}% ({rate['num']}/{rate['den']})"


def report_charts(data, *, font_family=None):
    """The charts of the report's series ({} for reports computed before there were series)."""
    series = data.get("series")
    if not series or not series.get("days"):
        return {}
    days = [date.fromisoformat(d) for d in series["days"]]
    labels = [d.isoformat() for d in days]
    short = [d.strftime("%m-%d") for d in days]
    first, last = labels[0], labels[-1]
    day_header = gettext("Day")

    channel_names = dict(Channel.choices)
    by_channel = series["new_by_channel"]
    totals = [sum(values[i] for values in by_channel.values()) for i in range(len(days))]
    busiest = max(range(len(days)), key=lambda i: (totals[i], i))
    description = ngettext(
        "%(total)s new need from %(first)s to %(last)s.",
        "%(total)s new needs from %(first)s to %(last)s.",
        sum(totals),
    ) % {"total": sum(totals), "first": first, "last": last}
    if totals[busiest]:
        description += " " + gettext("Most on %(day)s: %(count)s.") % {"day": labels[busiest], "count": totals[busiest]}
        description += " " + gettext("Each bar stacks the channels in the legend's order, the first at the bottom.")
    new_by_channel = stacked_bar_chart(
        chart_id="chart-new-by-channel",
        title=gettext("New needs per day, by channel"),
        description=description,
        labels=labels,
        short_labels=short,
        series=[Series(str(channel_names.get(code, code)), values) for code, values in by_channel.items()],
        row_header=day_header,
        total_label=gettext("Total"),
        font_family=font_family,
    )

    rates = series["rates"]
    window = data.get("window", {}).get("days", 30)
    note = ngettext(
        "Each point is the rate over the %(days)s day up to that day.",
        "Each point is the rate over the %(days)s days up to that day.",
        window,
    ) % {"days": window}
    keys = [key for key in RATE_LABELS if key in rates]
    last_rates = "; ".join(f"{RATE_LABELS[key]} {_rate_text(rates[key][-1])}" for key in keys)
    rates_chart = line_chart(
        chart_id="chart-rates",
        title=gettext("The rates, day by day"),
        description=f"{note} {first} – {last}. "
        + gettext("On %(day)s: %(rates)s.") % {"day": last, "rates": last_rates},
        labels=labels,
        short_labels=short,
        series=[
            Series(str(RATE_LABELS[key]), [p["rate"] for p in rates[key]], [_rate_text(p) for p in rates[key]])
            for key in keys
        ],
        row_header=day_header,
        percent=True,
        font_family=font_family,
    )
    return {"new_by_channel": new_by_channel, "rates": dataclasses.replace(rates_chart, note=note)}


def report_context(report, *, font_family=None):
    """The template context for a report: its stored figures, made ready to display.

    `font_family` names the font of the charts' text (the PDF's: WeasyPrint draws SVG text with it).
    """
    data = localize_names(copy.deepcopy(report.data or {}))
    for key in ("day", "window"):
        if key in data:
            data[key]["start"], data[key]["end"] = _dt(data[key]["start"]), _dt(data[key]["end"])
    data["computed_at"] = _dt(data.get("computed_at"))
    statuses, levels = dict(NeedStatus.choices), dict(EscalationLevel.choices)
    for item in data.get("overdue", {}).get("items", []):
        item["created_at"], item["deadline"] = _dt(item["created_at"]), _dt(item["deadline"])
        item["status_label"] = statuses.get(item["status"], item["status"])
        item["escalation_label"] = levels.get(item["escalation_level"], "") if item["escalation_level"] else ""
    highest = max((row["new"] for row in data.get("by_category", [])), default=0)
    for row in data.get("by_category", []):
        row["bar"] = round(100 * row["new"] / highest) if highest else 0
    overdue = data.get("overdue", {})
    return {
        "report": report,
        "data": data,
        "rates": data.get("rates", {}),
        "rate_labels": RATE_LABELS,
        "overall_rates": [(label, data["rates"]["overall"][key]) for key, label in RATE_LABELS.items()]
        if "rates" in data
        else [],
        "overdue_more": max(0, overdue.get("total", 0) - len(overdue.get("items", []))),
        "charts": report_charts(data, font_family=font_family),
    }


# --- PDF ------------------------------------------------------------------

# The font helpers live in portal.core.pdf (project books use them too); these names stay
# importable from here.
_url_fetcher = font_only_url_fetcher


def render_pdf_html(report, font_css=""):
    """The standalone HTML document WeasyPrint prints (the page's body, print styles, the CJK font)."""
    context = report_context(report, font_family=DEFAULT_FACE)
    context.update({"for_pdf": True, "font_css": font_css, "site_name": settings.WAGTAIL_SITE_NAME})
    return render_to_string("reports/report_pdf.html", context)


def render_pdf(report, *, language=None, font_file=None, family=CJK_FONT_FAMILY):
    """The report as PDF bytes. Slow (WeasyPrint): call it from a task."""
    font_file = font_file or cjk_font_file()
    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_pdf_html(report, font_face_css(font_file, family))
    return html_to_pdf(html, font_file=font_file)


# --- Excel ---------------------------------------------------------------

SHEETS = {
    "summary": _("Summary"),
    "by_category": _("By category"),
    "by_street": _("By street"),
    "rates_by_street": _("Rates by street"),
    "rates_by_department": _("Rates by department"),
    "top_words": _("Top words"),
    "overdue": _("Overdue"),
}


def _naive(value):
    return safe_value(_dt(value))


def _fraction(rate):
    """A rate for a cell formatted as a percentage: 0.667 for 66.7 %, empty without data."""
    return rate["num"] / rate["den"] if rate["den"] else None


def _rate_columns():
    columns = []
    for key, label in RATE_LABELS.items():
        num, den = RATE_PARTS[key]
        columns += [str(label), str(num), str(den)]
    return [*columns, str(_("Average rating"))]


def _rate_cells(row):
    cells = []
    for key in RATE_LABELS:
        rate = row[key]
        cells += [_fraction(rate), rate["num"], rate["den"]]
    return [*cells, row["average_rating"]]


def _add_table(workbook, key, header, rows, **formats):
    return add_table(workbook, str(SHEETS[key]), [str(h) for h in header], rows, **formats)


def render_xlsx(report, *, language=None):
    """The report as an Excel workbook (bytes): one sheet per table."""
    with translation.override(language or settings.LANGUAGE_CODE):
        data = localize_names(copy.deepcopy(report.data))
        rates = data["rates"]
        workbook = new_workbook()
        totals, overall = data["totals"], rates["overall"]
        summary = [
            [str(_("Report date")), data["date"]],
            [str(_("Day from")), _naive(data["day"]["start"])],
            [str(_("Day until")), _naive(data["day"]["end"])],
            [str(_("Rates from")), _naive(data["window"]["start"])],
            [str(_("Rates until")), _naive(data["window"]["end"])],
            [str(_("New needs")), totals["new"]],
            [str(_("Closed needs")), totals["closed"]],
            [str(_("Overdue needs")), totals["overdue"]],
        ]
        for key, label in RATE_LABELS.items():
            rate = overall[key]
            summary.append([str(label), _fraction(rate), rate["num"], rate["den"]])
        summary += [[str(_("Average rating")), overall["average_rating"]], [str(_("Ratings")), overall["ratings"]]]
        sheet = _add_table(workbook, "summary", [_("Figure"), _("Value"), _("Of which"), _("Out of")], summary)
        for row in sheet.iter_rows(min_row=3, max_row=6, min_col=2, max_col=2):
            row[0].number_format = "yyyy-mm-dd hh:mm"
        for row in sheet.iter_rows(min_row=10, max_row=9 + len(RATE_LABELS), min_col=2, max_col=2):
            row[0].number_format = "0.0%"
        sheet.column_dimensions["A"].width = 24
        sheet.column_dimensions["B"].width = 20

        counts_header = [_("New"), _("Closed"), _("Overdue")]
        _add_table(
            workbook,
            "by_category",
            [_("Category"), *counts_header],
            [[r["name"], r["new"], r["closed"], r["overdue"]] for r in data["by_category"]],
        )
        _add_table(
            workbook,
            "by_street",
            [_("Street"), *counts_header],
            [[r["name"], r["new"], r["closed"], r["overdue"]] for r in data["by_street"]],
        )
        percent = [2 + 3 * i for i in range(len(RATE_LABELS))]
        _add_table(
            workbook,
            "rates_by_street",
            [_("Street"), *_rate_columns()],
            [[r["name"], *_rate_cells(r)] for r in rates["by_street"]],
            percent_columns=percent,
        )
        _add_table(
            workbook,
            "rates_by_department",
            [_("Department"), *_rate_columns()],
            [[r["name"], *_rate_cells(r)] for r in rates["by_department"]],
            percent_columns=percent,
        )
        _add_table(
            workbook,
            "top_words",
            [_("Word"), _("New needs mentioning it")],
            [[w["word"], w["count"]] for w in data["top_words"]],
        )
        statuses, levels = dict(NeedStatus.choices), dict(EscalationLevel.choices)
        _add_table(
            workbook,
            "overdue",
            [
                _("Number"), _("Title"), _("Category"), _("Street"), _("Where"), _("Status"), _("Department"),
                _("Submitted at"), _("Deadline"), _("Days overdue"), _("Escalated to"),
            ],
            [
                [
                    item["id"], item["title"], item["category"], item["street"], item["region"],
                    str(statuses.get(item["status"], item["status"])), item["department"],
                    _naive(item["created_at"]), _naive(item["deadline"]), item["days_overdue"],
                    str(levels.get(item["escalation_level"], "")) if item["escalation_level"] else "",
                ]
                for item in data["overdue"]["items"]
            ],
            date_columns=(8, 9),
        )  # fmt: skip
        return workbook_bytes(workbook)
