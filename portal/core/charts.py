"""Charts drawn on the server as SVG: readable without JavaScript, printable by WeasyPrint.

A builder returns a `Chart`: the SVG (every label and text escaped here, so a template outputs it
as it is), its legend and a `Table` with the same figures for screen readers and for anyone who
wants the numbers. One template shows the three together:

    {% include "core/charts/chart.html" with chart=charts.new_by_channel %}

Sizes: the drawing is WIDTH user units wide with text of FONT_SIZE units, and the stylesheet
(`.chart-svg` in site.css) never lets it get narrower than WIDTH pixels, so its text is never
smaller than 12 px; on a narrow screen the chart scrolls inside its own box, not the page, and
opens at its right end: the latest days and the y axis, whose labels stand on the right.

Not by colour alone: stacked series also differ by a white hatching, lines by marker shape and
dash pattern; each colour has at least 3:1 contrast against white (tests/core/test_charts.py).

Charts drawn to fit a phone (`Chart.fit`: `option_bar_chart`, a vote's result; `running_total_chart`, a
project's money over time) are FIT_WIDTH units wide and scale down with their box instead of scrolling.

`heat_scale` maps counts to the shades of a heat map (HTML cells: `heat-0` … `heat-5` in
site.css) and gives the legend that explains them (`core/charts/heat_legend.html`).
"""

import math
from bisect import bisect_left
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 480
HEIGHT = 220
FONT_SIZE = 12
# The y axis' labels stand on the right, next to the latest days: on a narrow screen the chart opens
# scrolled to its right end (`.chart-scroll` in site.css), showing both.
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 12, 44, 12, 26
LABEL_GAP = 44  # the least room, in units, between two x-axis labels ("11-03" is about 34 units wide)
LABEL_STEPS = (1, 2, 5, 7, 10, 14, 20, 30, 50, 100)

MUTED = "#57606a"  # axis text: 6.4:1 against white
GRID = "#d0d7de"
# Series colours, each at least 3:1 against white, in the order series are given.
COLOURS = ("#0969da", "#b3261e", "#1a7f37", "#8250df", "#9a6700", "#1b7c83", "#bf3989", "#57606a")
# White hatching over the colour, one per stacked series (path data in a 6 × 6 tile, filled or not): ""
# is plain colour.
HATCHES = (
    ("", False),
    ("M-1 1L1-1M0 6L6 0M5 7L7 5", False),  # diagonal
    ("M2 3a1 1 0 1 0 2 0a1 1 0 1 0-2 0", True),  # dots
    ("M0 3H6", False),  # horizontal
    ("M-1 5L1 7M0 0L6 6M5-1L7 1", False),  # other diagonal
    ("M3 0V6", False),  # vertical
    ("M-1 1L1-1M0 6L6 0M5 7L7 5M-1 5L1 7M0 0L6 6M5-1L7 1", False),  # cross-hatch
    ("M0 3H6M3 0V6", False),  # grid
)
MARKERS = ("circle", "square", "triangle", "diamond")
DASHES = ("", "6 3", "2 3", "9 3 2 3")
MARKER_SIZE = 3.5

HEAT_STEPS = 5  # shades for counts above zero (heat-1 … heat-5), heat-0 for none


@dataclass(frozen=True)
class Series:
    """One series: its label, a value per x label (None where there is no value) and optionally the text of
    each table cell (the values themselves otherwise)."""

    label: str
    values: list
    cells: list | None = None


@dataclass(frozen=True)
class LegendItem:
    label: str
    swatch: SafeString


@dataclass(frozen=True)
class Table:
    caption: str
    row_header: str
    columns: list
    rows: list  # (row label, [cell text, …])


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    svg: SafeString
    legend: list = field(default_factory=list)
    table: Table | None = None
    note: str = ""  # shown under the caption
    # Drawn to fit the width of a phone (FIT_WIDTH units, scaled down with its box: no sideways scroll).
    fit: bool = False
    # The id of a table on the page with the same figures (then chart.html shows no table of its own).
    table_id: str = ""


# --- helpers ------------------------------------------------------------------


def _num(value):
    """A coordinate for SVG: at most one decimal, no trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _join(parts):
    """Markup made only of pieces built with format_html (which escaped every argument)."""
    return mark_safe("".join(parts))  # each part is already escaped


def nice_ticks(top, count=4):
    """Round y-axis ticks from 0 to at least `top` (whole numbers), about `count` steps."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, round(step))
    return [i * step for i in range(math.ceil(top / step) + 1)]


def _open(chart_id, title, description, font_family, *, width=WIDTH, height=HEIGHT, size=FONT_SIZE, css="chart-svg"):
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="{css}" viewBox="0 0 {width} {height}" width="100%" '
        'role="img" aria-labelledby="{id}-title {id}-desc" focusable="false" font-size="{size}"{font}>'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>',
        css=css,
        width=width,
        height=_num(height),
        id=chart_id,
        size=size,
        font=format_html(' font-family="{}"', font_family) if font_family else "",
        title=title,
        description=description,
    )


class _Frame:
    """The plot area: x bands (one per label) and a y scale from 0 to the last tick."""

    def __init__(self, count, ticks):
        self.left, self.right = MARGIN_LEFT, WIDTH - MARGIN_RIGHT
        self.top, self.bottom = MARGIN_TOP, HEIGHT - MARGIN_BOTTOM
        self.count = max(count, 1)
        self.band = (self.right - self.left) / self.count
        self.ticks = ticks
        self.y_max = ticks[-1] or 1

    def x(self, index):
        return self.left + self.band * (index + 0.5)

    def y(self, value):
        return self.bottom - (self.bottom - self.top) * value / self.y_max

    def axes(self, labels, tick_text):
        parts = []
        for tick in self.ticks:
            y = self.y(tick)
            parts.append(
                format_html(
                    '<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="{stroke}" stroke-width="1"/>'
                    '<text x="{label_x}" y="{label_y}" text-anchor="start" fill="{muted}">{label}</text>',
                    left=self.left,
                    right=self.right,
                    y=_num(y),
                    stroke=MUTED if tick == 0 else GRID,
                    label_x=self.right + 6,
                    label_y=_num(y + 4),
                    muted=MUTED,
                    label=tick_text(tick),
                )
            )
        step = next((s for s in LABEL_STEPS if s * self.band >= LABEL_GAP), len(labels) or 1)
        last = len(labels) - 1
        for i, label in enumerate(labels):
            if (last - i) % step == 0:  # counted back from the last label, which always shows
                parts.append(
                    format_html(
                        '<text x="{x}" y="{y}" text-anchor="middle" fill="{muted}">{label}</text>',
                        x=_num(self.x(i)),
                        y=_num(self.bottom + FONT_SIZE + 6),
                        muted=MUTED,
                        label=label,
                    )
                )
        return parts

    def hover(self, index, text):
        """An invisible band over one x label whose <title> browsers show as a tooltip."""
        return format_html(
            '<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="#fff" fill-opacity="0">'
            "<title>{text}</title></rect>",
            x=_num(self.left + self.band * index),
            y=self.top,
            width=_num(self.band),
            height=self.bottom - self.top,
            text=text,
        )


def _hatch_pattern(pattern_id, index):
    hatch, filled = HATCHES[index % len(HATCHES)]
    if not hatch:
        return ""
    return format_html(
        '<pattern id="{}" patternUnits="userSpaceOnUse" width="6" height="6">'
        '<path d="{}" stroke="#fff" stroke-width="1.2" fill="{}"/></pattern>',
        pattern_id,
        hatch,
        "#fff" if filled else "none",
    )


def _swatch_bar(chart_id, index, *, colour_index=None):
    colour = COLOURS[(index if colour_index is None else colour_index) % len(COLOURS)]
    pattern_id = f"{chart_id}-swatch-{index}"
    pattern = _hatch_pattern(pattern_id, index)
    overlay = format_html('<rect width="14" height="14" fill="url(#{})"/>', pattern_id) if pattern else ""
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart-swatch" viewBox="0 0 14 14" width="14" height="14" '
        'aria-hidden="true" focusable="false">'
        '{}<rect width="14" height="14" fill="{}"/>{}</svg>',
        format_html("<defs>{}</defs>", pattern) if pattern else "",
        colour,
        overlay,
    )


def _marker(kind, x, y, size=MARKER_SIZE):
    """Path data of one marker centred on (x, y)."""
    if kind == "square":
        s = size * 0.9
        return f"M{_num(x - s)} {_num(y - s)}h{_num(2 * s)}v{_num(2 * s)}h{_num(-2 * s)}z"
    if kind == "triangle":
        s = size * 1.2
        return f"M{_num(x)} {_num(y - s)}L{_num(x + s)} {_num(y + s * 0.8)}H{_num(x - s)}z"
    if kind == "diamond":
        s = size * 1.25
        return f"M{_num(x)} {_num(y - s)}L{_num(x + s)} {_num(y)}L{_num(x)} {_num(y + s)}L{_num(x - s)} {_num(y)}z"
    r = _num(size)  # a circle: two half arcs
    return f"M{_num(x - size)} {_num(y)}a{r} {r} 0 1 0 {_num(2 * size)} 0a{r} {r} 0 1 0 {_num(-2 * size)} 0z"


def _line_style(index):
    return COLOURS[index % len(COLOURS)], MARKERS[index % len(MARKERS)], DASHES[index % len(DASHES)]


def _swatch_line(index):
    colour, marker, dash = _line_style(index)
    dash_attr = format_html(' stroke-dasharray="{}"', dash) if dash else ""
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart-swatch chart-swatch-line" viewBox="0 0 28 14" '
        'width="28" height="14" aria-hidden="true" focusable="false">'
        '<path d="M1 7H27" stroke="{}" stroke-width="2"{} fill="none"/>'
        '<path d="{}" fill="{}" stroke="#fff" stroke-width="1"/></svg>',
        colour,
        dash_attr,
        _marker(marker, 14, 7, 4),
        colour,
    )


# --- stacked bars -----------------------------------------------------------------


def stacked_bar_chart(
    *, chart_id, title, description, labels, series, short_labels=None, row_header="", total_label="", font_family=None
):
    """Bars stacked from the first series (at the bottom) to the last, one bar per label.

    `labels` name each bar in tooltips and in the table; `short_labels` (if given) label the x axis.
    The table has a row per label, a column per series and, with `total_label`, one for the bar's total.
    """
    count = len(labels)
    totals = [sum((s.values[i] or 0) for s in series) for i in range(count)]
    frame = _Frame(count, nice_ticks(max(totals, default=0)))
    bar = frame.band * 0.72

    defs, fills = [], []
    base = [0] * count
    for index, s in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        rects = []
        for i in range(count):
            value = s.values[i] or 0
            if value <= 0:
                continue
            y_top, y_bottom = frame.y(base[i] + value), frame.y(base[i])
            rects.append(f"M{_num(frame.x(i) - bar / 2)} {_num(y_top)}h{_num(bar)}V{_num(y_bottom)}h{_num(-bar)}z")
            base[i] += value
        if not rects:
            continue
        d = "".join(rects)
        pattern_id = f"{chart_id}-hatch-{index}"
        pattern = _hatch_pattern(pattern_id, index)
        fills.append(
            format_html(
                '<g class="chart-series"><path d="{}" fill="{}" stroke="#fff" stroke-width="1"/>{}</g>',
                d,
                colour,
                format_html('<path d="{}" fill="url(#{})"/>', d, pattern_id) if pattern else "",
            )
        )
        if pattern:
            defs.append(pattern)

    hovers = []
    for i, label in enumerate(labels):
        parts = ", ".join(f"{s.label} {s.values[i] or 0}" for s in series if s.values[i])
        hovers.append(frame.hover(i, f"{label}: {totals[i]}" + (f" ({parts})" if parts else "")))

    svg = _join(
        [
            _open(chart_id, title, description, font_family),
            format_html("<defs>{}</defs>", _join(defs)) if defs else "",
            *frame.axes(short_labels or labels, str),
            *fills,
            *hovers,
            "</svg>",
        ]
    )
    legend = [LegendItem(s.label, _swatch_bar(chart_id, index)) for index, s in enumerate(series)]
    columns = [s.label for s in series] + ([total_label] if total_label else [])
    rows = []
    for i, label in enumerate(labels):
        cells = [s.cells[i] if s.cells else (s.values[i] or 0) for s in series]
        rows.append((label, [*cells, totals[i]] if total_label else cells))
    return Chart(chart_id, title, description, svg, legend, Table(title, row_header, columns, rows))


# --- lines ------------------------------------------------------------------------


def line_chart(
    *, chart_id, title, description, labels, series, short_labels=None, row_header="", percent=False, font_family=None
):
    """A line per series with a marker at each value; a None leaves a gap. With `percent`, y runs 0–100 %."""
    count = len(labels)
    if percent:
        ticks, tick_text = [0, 25, 50, 75, 100], "{}%".format
    else:
        top = max((v for s in series for v in s.values if v is not None), default=0)
        ticks, tick_text = nice_ticks(top), str
    frame = _Frame(count, ticks)

    lines = []
    for index, s in enumerate(series):
        colour, marker, dash = _line_style(index)
        path, markers, pen_down = [], [], False
        for i, value in enumerate(s.values):
            if value is None:
                pen_down = False
                continue
            x, y = frame.x(i), frame.y(value)
            path.append(f"{'L' if pen_down else 'M'}{_num(x)} {_num(y)}")
            markers.append(_marker(marker, x, y))
            pen_down = True
        if not path:
            continue
        lines.append(
            format_html(
                '<g class="chart-series"><path d="{}" fill="none" stroke="{}" stroke-width="2" '
                'stroke-linejoin="round"{}/><path d="{}" fill="{}" stroke="#fff" stroke-width="1"/></g>',
                "".join(path),
                colour,
                format_html(' stroke-dasharray="{}"', dash) if dash else "",
                "".join(markers),
                colour,
            )
        )

    def shown(s, i):
        value = s.cells[i] if s.cells else s.values[i]
        return "—" if value is None else (f"{value}%" if percent and not s.cells else str(value))

    hovers = [
        frame.hover(i, f"{label}: " + ", ".join(f"{s.label} {shown(s, i)}" for s in series))
        for i, label in enumerate(labels)
    ]
    svg = _join([_open(chart_id, title, description, font_family), *frame.axes(short_labels or labels, tick_text)])
    svg = _join([svg, *lines, *hovers, "</svg>"])
    legend = [LegendItem(s.label, _swatch_line(index)) for index, s in enumerate(series)]
    rows = [(label, [shown(s, i) for s in series]) for i, label in enumerate(labels)]
    return Chart(chart_id, title, description, svg, legend, Table(title, row_header, [s.label for s in series], rows))


# --- heat map -------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatStep:
    shade: int
    low: int
    high: int


@dataclass(frozen=True)
class HeatScale:
    """Counts in equal ranges up to the highest, each range a shade: 0 has shade 0, the highest shade `steps`."""

    highs: tuple  # the highest count of each range, ascending
    steps: int

    def shade(self, count):
        if not count or count <= 0 or not self.highs:
            return 0
        index = min(bisect_left(self.highs, count), len(self.highs) - 1)
        return self._shade_of(index)

    def _shade_of(self, index):
        # Spread the ranges over the shades so the highest count is always the darkest.
        return max(1, int((index + 1) * self.steps / len(self.highs) + 0.5))

    @property
    def legend(self):
        steps, low = [HeatStep(0, 0, 0)], 1
        for index, high in enumerate(self.highs):
            steps.append(HeatStep(self._shade_of(index), low, high))
            low = high + 1
        return steps


def heat_scale(top, steps=HEAT_STEPS):
    """The shades for counts from 0 to `top`: at most `steps` ranges of (nearly) equal width."""
    top = max(0, int(top or 0))
    ranges = min(steps, top)
    return HeatScale(tuple(math.ceil(top * i / ranges) for i in range(1, ranges + 1)), steps)


# --- charts that fit a phone ------------------------------------------------------------
# Drawn FIT_WIDTH units wide with FIT_FONT-unit text: they scale with their box (`.chart-fit` in site.css)
# instead of scrolling sideways. On a 320 px screen a card's text column is 210-290 px wide, so their text
# is drawn at 11-16 px; on a wide screen the box stops at 20rem (17 px text).

FIT_WIDTH = 240
FIT_FONT = 13
INK = "#1f2328"  # labels: 16:1 against white
TRACK = "#eaeef2"  # the empty part of a bar (decoration: the bar's end and its figure carry the value)
TARGET_COLOUR = "#b3261e"  # 6.5:1 against white
FIT_BAR, FIT_ROW_GAP = 16, 14


def text_width(text, size=FIT_FONT):
    """About how wide `text` is drawn: a CJK or full-width character is one em, anything else 0.6 em."""
    return sum(size if ord(c) >= 0x2E80 else size * 0.6 for c in str(text))


def fit_text(text, width, size=FIT_FONT):
    """`text`, cut with an ellipsis where it would be wider than `width` (the full text is in the table)."""
    text = str(text)
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


@dataclass(frozen=True)
class Bar:
    """One bar of `option_bar_chart`: its label, value, the figure written after it, and whether it is marked."""

    label: str
    value: int
    text: str
    marked: bool = False


# Plain colour, and a second colour with white hatching for marked bars (not told apart by colour alone).
_PLAIN, _MARKED = 0, 1
_BAR_COLOURS = {_PLAIN: 0, _MARKED: 2}


def _bar_fill(chart_id, style, x, y, width, height, value):
    colour = COLOURS[_BAR_COLOURS[style]]
    rect = format_html(
        '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}" fill="{}" data-value="{}"/>',
        _num(x),
        _num(y),
        _num(width),
        height,
        colour,
        value,
    )
    if style != _MARKED or width <= 0:
        return rect
    overlay = format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{}-hatch)"/>',
        _num(x),
        _num(y),
        _num(width),
        height,
        chart_id,
    )
    return _join([rect, overlay])


def option_bar_chart(*, chart_id, title, description, bars, scale, legend=("", ""), mark="✓ ", table_id=""):
    """A horizontal bar per option, its length `value / scale` of the drawing's width, its label above it and
    its figure (`text`) after it; marked bars (carried, chosen…) are drawn in a second colour with hatching
    and their label starts with `mark`. `legend` names the plain and the marked bars (a label left empty has
    no legend item). `table_id` names the table on the page that holds the same figures.
    """
    size = FIT_FONT
    room = max((text_width(bar.text, size) for bar in bars), default=0) + 8
    plot = FIT_WIDTH - room
    scale = max(scale, max((bar.value for bar in bars), default=0), 1)
    row = size + 5 + FIT_BAR + FIT_ROW_GAP
    parts = []
    for index, bar in enumerate(bars):
        top = index * row
        bar_top = top + size + 5
        width = plot * max(bar.value, 0) / scale
        label = (mark if bar.marked else "") + str(bar.label)
        parts.append(
            format_html(
                '<g class="chart-row"><title>{tooltip}</title>'
                '<text x="0" y="{label_y}" fill="{ink}">{label}</text>'
                '<rect x="0" y="{bar_top}" width="{plot}" height="{bar}" fill="{track}"/>{fill}'
                '<text x="{text_x}" y="{text_y}" fill="{ink}">{text}</text></g>',
                tooltip=f"{label}: {bar.text}",
                label_y=top + size,
                ink=INK,
                label=fit_text(label, FIT_WIDTH, size),
                bar_top=bar_top,
                plot=_num(plot),
                bar=FIT_BAR,
                track=TRACK,
                fill=_bar_fill(chart_id, _MARKED if bar.marked else _PLAIN, 0, bar_top, width, FIT_BAR, bar.value),
                text_x=_num(plot + 6),
                text_y=bar_top + FIT_BAR - 4,
                text=bar.text,
            )
        )
    height = max(len(bars) * row - FIT_ROW_GAP, row)
    hatch = _hatch_pattern(f"{chart_id}-hatch", _MARKED)
    svg = _join(
        [
            _open(chart_id, title, description, None, width=FIT_WIDTH, height=height, size=size, css="chart-svg"),
            format_html("<defs>{}</defs>", hatch),
            *parts,
            "</svg>",
        ]
    )
    items = []
    for style, label in zip((_PLAIN, _MARKED), legend, strict=True):
        if label and any(bar.marked == (style == _MARKED) for bar in bars):
            items.append(LegendItem(label, _swatch_bar(chart_id, style, colour_index=_BAR_COLOURS[style])))
    return Chart(chart_id, title, description, svg, items, None, fit=True, table_id=table_id)


def running_total_chart(
    *,
    chart_id,
    title,
    description,
    days,
    totals,
    start,
    end,
    target,
    series_label,
    target_label,
    tick_text,
    day_text,
    table,
):
    """A running total over time as a step line from 0 at `start` to `end` (dates; each of `days` at its place
    in time, its total from that day on), with a dashed line at `target` (none when it is 0). `tick_text`
    writes the y axis' values, `day_text` the dates at both ends of the x axis; `table` holds the figures.
    """
    size = FIT_FONT
    width, height = FIT_WIDTH, 180
    left, right, top, bottom = 4, width - 52, 14, height - 24
    span = max((end - start).days, 1)
    ticks = nice_ticks(max([target or 0, *totals, 0]))
    y_max = ticks[-1] or 1

    def x(day):
        return left + (right - left) * min(max((day - start).days, 0), span) / span

    def y(value):
        return bottom - (bottom - top) * max(value, 0) / y_max

    parts = []
    for tick in ticks:
        parts.append(
            format_html(
                '<line x1="{l}" x2="{r}" y1="{y}" y2="{y}" stroke="{stroke}" stroke-width="1"/>'
                '<text x="{tx}" y="{ty}" fill="{muted}">{label}</text>',
                l=left,
                r=right,
                y=_num(y(tick)),
                stroke=MUTED if tick == 0 else GRID,
                tx=right + 4,
                ty=_num(y(tick) + 4),
                muted=MUTED,
                label=tick_text(tick),
            )
        )
    for day, anchor in ((start, "start"), (end, "end")):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="{}" fill="{}">{}</text>',
                _num(x(day) if anchor == "start" else right),
                height - 6,
                anchor,
                MUTED,
                day_text(day),
            )
        )
    if target:
        target_y = y(target)
        label_y = target_y - 5 if target_y - top >= size else target_y + size + 2
        parts.append(
            format_html(
                '<g class="chart-target"><line x1="{l}" x2="{r}" y1="{y}" y2="{y}" stroke="{c}" stroke-width="2" '
                'stroke-dasharray="6 3"/><text x="{tx}" y="{ty}" fill="{c}">{label}</text></g>',
                l=left,
                r=right,
                y=_num(target_y),
                c=TARGET_COLOUR,
                tx=left + 2,
                ty=_num(label_y),
                label=fit_text(target_label, right - left - 4, size),
            )
        )
    path = [f"M{_num(x(start))} {_num(y(0))}"]
    markers = []
    for day, total in zip(days, totals, strict=True):
        path.append(f"H{_num(x(day))}V{_num(y(total))}")
        markers.append(_marker("circle", x(day), y(total)))
    path.append(f"H{_num(x(end))}")
    colour = COLOURS[0]
    parts.append(
        format_html(
            '<g class="chart-series"><path d="{}" fill="none" stroke="{}" stroke-width="2" stroke-linejoin="round"/>'
            '<path d="{}" fill="{}" stroke="#fff" stroke-width="1"/></g>',
            "".join(path),
            colour,
            "".join(markers) if len(markers) <= 60 else "",
            colour,
        )
    )
    svg = _join([_open(chart_id, title, description, None, width=width, height=height, size=size), *parts, "</svg>"])
    legend = [LegendItem(series_label, _swatch_line(0))]
    if target:
        legend.append(LegendItem(target_label, _swatch_target()))
    return Chart(chart_id, title, description, svg, legend, table, fit=True)


def _swatch_target():
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart-swatch chart-swatch-line" viewBox="0 0 28 14" '
        'width="28" height="14" aria-hidden="true" focusable="false">'
        '<path d="M1 7H27" stroke="{}" stroke-width="2" stroke-dasharray="6 3" fill="none"/></svg>',
        TARGET_COLOUR,
    )
