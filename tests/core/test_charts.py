"""The SVG chart builders and the heat-map scale (portal.core.charts), and the styles they rely on."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.template.loader import render_to_string

from portal.core import charts
from portal.core.charts import Series, heat_scale, line_chart, nice_ticks, stacked_bar_chart

SVG = "{http://www.w3.org/2000/svg}"
SITE_CSS = Path(settings.BASE_DIR) / "portal" / "static" / "css" / "site.css"
NASTY = '<script>alert("x")</script> & 甲街道'


def _luminance(colour):
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _svg(chart):
    return ET.fromstring(str(chart.svg))  # well-formed XML, or this raises


def _bars(chart):
    """{series index: [(x, top y, height)]} from the stacked chart's plain-colour paths."""
    found = {}
    for index, group in enumerate(_svg(chart).iter(f"{SVG}g")):
        d = group.find(f"{SVG}path").get("d")
        found[index] = [
            (float(x), float(y), float(bottom) - float(y))
            for x, y, _w, bottom in re.findall(r"M([\d.]+) ([\d.]+)h([\d.]+)V([\d.]+)", d)
        ]
    return found


def _bar_chart(**overrides):
    kwargs = {
        "chart_id": "c1",
        "title": "New needs",
        "description": "Per day",
        "labels": ["2026-11-01", "2026-11-02", "2026-11-03"],
        "series": [Series("Web", [1, 0, 4]), Series("Hotline", [3, 0, 4])],
        "row_header": "Day",
        "total_label": "Total",
    }
    return stacked_bar_chart(**{**kwargs, **overrides})


def test_a_stacked_bar_chart_has_a_bar_per_value_scaled_to_the_axis():
    chart = _bar_chart()
    svg = _svg(chart)
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find(f"{SVG}title").text == "New needs" and svg.find(f"{SVG}title").get("id") == "c1-title"
    assert svg.find(f"{SVG}desc").text == "Per day" and svg.find(f"{SVG}desc").get("id") == "c1-desc"
    assert svg.get("width") == "100%" and svg.get("viewBox") == f"0 0 {charts.WIDTH} {charts.HEIGHT}"
    bars = _bars(chart)
    # Zero values draw nothing: web on days 1 and 3, hotline on days 1 and 3.
    assert [len(bars[0]), len(bars[1])] == [2, 2]
    (web1, web3), (hot1, hot3) = bars[0], bars[1]
    assert web3[2] == pytest.approx(hot3[2], abs=0.2) == pytest.approx(4 * web1[2], abs=0.4)  # heights follow values
    assert hot1[2] == pytest.approx(3 * web1[2], abs=0.3)
    assert hot3[1] + hot3[2] == pytest.approx(web3[1])  # hotline sits on top of web
    # The highest bar (8) reaches the top tick's line, which is 8 or more.
    ticks = [int(t.text) for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "start"]
    assert ticks[0] == 0 and ticks[-1] >= 8
    top_line = charts.MARGIN_TOP + (charts.HEIGHT - charts.MARGIN_TOP - charts.MARGIN_BOTTOM) * (1 - 8 / ticks[-1])
    assert hot3[1] == pytest.approx(top_line, abs=0.1)


def test_a_stacked_bar_chart_tabulates_every_figure_with_totals():
    chart = _bar_chart()
    assert chart.table.caption == "New needs" and chart.table.row_header == "Day"
    assert chart.table.columns == ["Web", "Hotline", "Total"]
    assert chart.table.rows == [("2026-11-01", [1, 3, 4]), ("2026-11-02", [0, 0, 0]), ("2026-11-03", [4, 4, 8])]
    assert [item.label for item in chart.legend] == ["Web", "Hotline"]


def test_stacked_series_differ_by_hatching_not_only_colour():
    chart = _bar_chart(series=[Series(f"s{i}", [i + 1]) for i in range(4)], labels=["d"])
    patterns = [p.get("id") for p in _svg(chart).iter(f"{SVG}pattern")]
    assert patterns == ["c1-hatch-1", "c1-hatch-2", "c1-hatch-3"]  # the first series is plain colour
    overlays = [p.get("fill") for p in _svg(chart).iter(f"{SVG}path") if p.get("fill", "").startswith("url(")]
    assert overlays == ["url(#c1-hatch-1)", "url(#c1-hatch-2)", "url(#c1-hatch-3)"]
    swatches = [ET.fromstring(str(item.swatch)) for item in chart.legend]
    assert [len(list(s.iter(f"{SVG}pattern"))) for s in swatches] == [0, 1, 1, 1]
    assert all(s.get("aria-hidden") == "true" for s in swatches)


def test_labels_and_texts_are_escaped():
    chart = _bar_chart(
        title=NASTY, description=NASTY, labels=[NASTY, "b", "c"], series=[Series(NASTY, [1, 2, 3])], short_labels=None
    )
    markup = str(chart.svg) + "".join(str(item.swatch) for item in chart.legend)
    assert "<script>" not in markup
    svg = _svg(chart)
    assert svg.find(f"{SVG}title").text == NASTY and svg.find(f"{SVG}desc").text == NASTY
    assert NASTY in [t.text for t in svg.iter(f"{SVG}text")]  # the axis label, intact once parsed
    lines = line_chart(chart_id="l", title=NASTY, description="d", labels=[NASTY], series=[Series(NASTY, [50])])
    assert "<script>" not in str(lines.svg) and _svg(lines).find(f"{SVG}title").text == NASTY
    html = render_to_string("core/charts/chart.html", {"chart": chart})
    assert "<script>" not in html and html.count("&lt;script&gt;") >= 4  # caption, legend, table…


def test_a_line_chart_breaks_at_missing_values_and_marks_each_point():
    chart = line_chart(
        chart_id="rates",
        title="Rates",
        description="d",
        labels=["a", "b", "c", "d", "e"],
        series=[Series("Response", [100, 50, None, 0, 25]), Series("Completion", [None, None, None, None, None])],
        percent=True,
        row_header="Day",
    )
    svg = _svg(chart)
    groups = list(svg.iter(f"{SVG}g"))
    assert len(groups) == 1  # a series without any value draws nothing
    line, markers = groups[0].findall(f"{SVG}path")
    assert line.get("d").count("M") == 2 and line.get("d").count("L") == 2  # a-b, then d-e
    assert markers.get("d").count("M") == 4  # a marker per value
    ys = [float(y) for y in re.findall(r"M[\d.]+ ([\d.]+)", line.get("d"))]
    assert ys == [charts.MARGIN_TOP, pytest.approx(charts.HEIGHT - charts.MARGIN_BOTTOM)]  # 100 % and 0 %
    ticks = [t.text for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "start"]
    assert ticks == ["0%", "25%", "50%", "75%", "100%"]
    assert chart.table.rows[2] == ("c", ["—", "—"]) and chart.table.rows[0] == ("a", ["100%", "—"])


def test_lines_differ_by_marker_and_dash_not_only_colour():
    series = [Series(f"s{i}", [10 * i, 20 * i]) for i in range(4)]
    chart = line_chart(chart_id="l", title="t", description="d", labels=["a", "b"], series=series, percent=True)
    dashes, markers = [], []
    for group in _svg(chart).iter(f"{SVG}g"):
        line, marker = group.findall(f"{SVG}path")
        dashes.append(line.get("stroke-dasharray"))
        markers.append(re.sub(r"[\d.\s-]", "", marker.get("d")))  # the commands: the marker's shape
    assert len(set(dashes)) == 4 and len(set(markers)) == 4
    assert chart.table.rows == [("a", ["0%", "10%", "20%", "30%"]), ("b", ["0%", "20%", "40%", "60%"])]


def test_table_cells_can_say_more_than_the_value():
    series = [Series("Response", [66.7, None], ["66.7% (2/3)", "—"])]
    chart = line_chart(chart_id="l", title="t", description="d", labels=["a", "b"], series=series, percent=True)
    assert chart.table.rows == [("a", ["66.7% (2/3)"]), ("b", ["—"])]


def test_axis_labels_do_not_crowd_and_the_last_day_is_labelled():
    labels = [f"11-{d:02d}" for d in range(1, 31)]
    chart = _bar_chart(labels=labels, series=[Series("Web", list(range(30)))])
    shown = [t for t in _svg(chart).iter(f"{SVG}text") if t.get("text-anchor") == "middle"]
    assert shown[-1].text == "11-30"
    xs = [float(t.get("x")) for t in shown]
    assert 4 <= len(shown) <= 10 and min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= charts.LABEL_GAP
    assert min(xs) - 20 >= 0 and max(xs) + 20 <= charts.WIDTH  # "11-30" fits inside the drawing


def test_text_is_never_smaller_than_12px():
    svg = _svg(_bar_chart())
    assert float(svg.get("font-size")) >= 12
    assert all(t.get("font-size") is None for t in svg.iter(f"{SVG}text"))  # all inherit the root's size
    # The stylesheet keeps the drawing at least as wide (in px) as its viewBox: 1 unit >= 1 px.
    rule = re.search(r"\.chart-svg \{[^}]*min-width: ([\d.]+)rem", SITE_CSS.read_text()).group(1)
    assert float(rule) * 16 >= charts.WIDTH


def test_font_family_is_set_only_when_asked():
    assert _svg(_bar_chart()).get("font-family") is None  # the page's font
    assert _svg(_bar_chart(font_family="Report CJK")).get("font-family") == "Report CJK"


def test_series_colours_stand_out_against_white():
    for colour in charts.COLOURS:
        assert contrast(colour, "#ffffff") >= 3, colour
    assert contrast(charts.MUTED, "#ffffff") >= 4.5


def test_nice_ticks():
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(3) == [0, 1, 2, 3]
    assert nice_ticks(8) == [0, 2, 4, 6, 8]
    assert nice_ticks(37) == [0, 10, 20, 30, 40]
    assert nice_ticks(1234)[-1] >= 1234 and len(nice_ticks(1234)) <= 6


def test_the_chart_template_shows_legend_svg_and_a_table_for_screen_readers():
    chart = _bar_chart()
    soup = BeautifulSoup(render_to_string("core/charts/chart.html", {"chart": chart}), "html.parser")
    figure = soup.find("figure", id="c1")
    assert figure.figcaption.get_text(strip=True) == "New needs"
    assert figure.find("svg", attrs={"role": "img"}) is not None
    assert [li.get_text(strip=True) for li in figure.select(".chart-legend li")] == ["Web", "Hotline"]
    table = figure.select_one("details table")
    assert table.caption.get_text() == "New needs"
    assert [th["scope"] for th in table.thead.find_all("th")] == ["col"] * 4
    rows = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in table.tbody.find_all("tr")]
    assert rows[2] == ["2026-11-03", "4", "4", "8"] and table.tbody.th["scope"] == "row"
    scroller = figure.select_one(".chart-scroll")
    assert scroller["tabindex"] == "0" and scroller["aria-labelledby"] == "c1-title"
    assert "<table" not in render_to_string("core/charts/chart.html", {"chart": chart, "without_table": True})


# --- heat map ---------------------------------------------------------------------------


def test_heat_scale_spreads_counts_over_the_shades():
    scale = heat_scale(10)
    assert [scale.shade(n) for n in range(11)] == [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert [(s.shade, s.low, s.high) for s in scale.legend] == [
        (0, 0, 0), (1, 1, 2), (2, 3, 4), (3, 5, 6), (4, 7, 8), (5, 9, 10),
    ]  # fmt: skip
    assert scale.shade(25) == 5  # beyond the top: the darkest


def test_heat_scale_with_few_counts_keeps_the_highest_darkest():
    assert [(s.shade, s.low, s.high) for s in heat_scale(1).legend] == [(0, 0, 0), (5, 1, 1)]
    two = heat_scale(2)
    assert two.shade(1) < two.shade(2) == 5
    assert [(s.low, s.high) for s in heat_scale(3).legend] == [(0, 0), (1, 1), (2, 2), (3, 3)]
    assert [s.shade for s in heat_scale(0).legend] == [0] and heat_scale(0).shade(0) == 0


@pytest.mark.parametrize("top", [1, 2, 3, 4, 5, 6, 7, 13, 99, 1000, 123457])
def test_heat_scale_ranges_cover_every_count_once(top):
    scale = heat_scale(top)
    legend = scale.legend[1:]
    assert legend[0].low == 1 and legend[-1].high == top
    assert all(b.low == a.high + 1 for a, b in zip(legend, legend[1:], strict=False))
    assert [s.shade for s in legend] == sorted({s.shade for s in legend})  # distinct, darker upwards
    for step in legend:
        assert scale.shade(step.low) == scale.shade(step.high) == step.shade


def test_heat_shades_are_one_hue_getting_darker_with_readable_numbers():
    css = SITE_CSS.read_text()
    shades = {
        int(n): (bg, fg)
        for n, bg, fg in re.findall(r"\.heat-(\d) \{ background: (#[0-9a-f]{6}); color: (#[0-9a-f]{6}); \}", css)
    }
    assert sorted(shades) == list(range(charts.HEAT_STEPS + 1))
    luminances = [_luminance(shades[n][0]) for n in sorted(shades)]
    assert luminances == sorted(luminances, reverse=True)  # each step darker than the one before
    assert all(a - b > 0.05 for a, b in zip(luminances, luminances[1:], strict=False))  # visibly so
    for n, (bg, fg) in shades.items():
        assert contrast(bg, fg) >= 4.5, n
    total = re.search(r"\.heatmap td\.heat, \.heatmap \.heat-total \{([^}]*)\}", css).group(1)
    assert "white-space: nowrap" in total and "font-variant-numeric: tabular-nums" in total


def test_the_heat_legend_template_explains_each_shade():
    html = render_to_string(
        "core/charts/heat_legend.html", {"scale": heat_scale(7), "label": "Open needs:", "label_id": "x-legend"}
    )
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find(id="x-legend").get_text() == "Open needs:"
    steps = [(li["class"][0], li.get_text()) for li in soup.select(".heat-legend-steps li")]
    assert steps == [("heat-0", "0"), ("heat-1", "1–2"), ("heat-2", "3"), ("heat-3", "4–5"), ("heat-4", "6"),
                     ("heat-5", "7")]  # fmt: skip
