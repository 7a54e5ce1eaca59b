"""The SVG charts drawn for the Cabinet report: scales, labels, escaping."""

import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from socialvalue.insights.svg_charts import (
    Series,
    bar_chart,
    line_chart,
    nice_scale,
    short_money,
    wrap,
)

D = Decimal
SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg)
    return [el.text or "" for el in root.iter(f"{SVG}text")]


@pytest.mark.parametrize(
    ("maximum", "step", "top"),
    [
        (D("563130"), D("200000"), D("600000")),  # raw step 112,626 → 200,000
        (D("276776.89"), D("100000"), D("300000")),
        (D("1000"), D("200"), D("1000")),
        (D("12"), D("2.5"), D("12.5")),
        (D("0.3"), D("0.1"), D("0.3")),
        (D("0"), D("0.2"), D("1")),
    ],
)
def test_it_picks_a_round_scale(maximum: Decimal, step: Decimal, top: Decimal) -> None:
    assert nice_scale(maximum) == (step, top)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("0"), "£0"),
        (D("949.5"), "£950"),
        (D("7817.40"), "£7.8k"),
        (D("133100"), "£133.1k"),
        (D("200000"), "£200k"),
        (D("5478155.76"), "£5.48m"),
        (D("-1500"), "-£1.5k"),
    ],
)
def test_it_shortens_money_for_axes(value: Decimal, text: str) -> None:
    assert short_money(value) == text


def test_it_wraps_a_long_label_onto_two_lines_at_most() -> None:
    assert wrap("Community building: health & wellbeing", 20) == [
        "Community building:",
        "health & wellbeing",
    ]
    assert wrap("Economic prosperity", 26) == ["Economic prosperity"]
    long = wrap("one two three four five six seven eight nine ten eleven", 12)
    assert len(long) == 2
    assert long[1].endswith("…")
    assert len(long[1]) <= 12


def test_it_draws_a_bar_per_series_and_label_with_its_value() -> None:
    svg = bar_chart(
        chart_id="chart-theme",
        title="By theme",
        description="The figures are in the table.",
        labels=["Jobs", "Growth"],
        series=[
            Series("Committed", [D("600000"), D("0")]),
            Series("Delivered", [D("300000"), D("150000")]),
        ],
        width=600,
        label_width=200,
    )

    root = ElementTree.fromstring(svg)  # well-formed XML
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-theme-title chart-theme-desc"
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == "By theme"
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("height") == "12"]
    # Two legend keys are 12 high too; the four bars follow them.
    widths = [float(r.get("width", "0")) for r in bars[2:]]
    # Axis 0 to £600k over 600 - 200 - 62 = 338 points.
    assert widths == [338.0, 169.0, 0.0, 84.5]
    shown = texts(svg)
    assert [t for t in shown if t in {"Jobs", "Growth"}] == ["Jobs", "Growth"]
    assert {"£600k", "£300k", "£0", "£150k", "£200k", "£400k"} <= set(shown)


def test_it_draws_a_line_through_each_point() -> None:
    svg = line_chart(
        chart_id="chart-trend",
        title="By quarter",
        description="The figures are in the table.",
        labels=["Q1 2024-25", "Q2 2024-25", "Q3 2024-25"],
        series=[Series("Delivered", [D("100"), D("50"), D("0")])],
        width=400,
        height=200,
    )

    root = ElementTree.fromstring(svg)
    polyline = root.find(f"{SVG}polyline")
    assert polyline is not None
    points = polyline.get("points")
    # x from 62 to 384 (400 - 16); y from 164 (£0) up to 30 (£100, the axis top).
    assert points == "62,30 223,97 384,164"
    assert len(list(root.iter(f"{SVG}circle"))) == 3 + 1  # three points and the legend
    assert [t for t in texts(svg) if re.fullmatch(r"Q\d", t)] == ["Q1", "Q2", "Q3"]
    assert texts(svg).count("2024-25") == 3


def test_it_draws_a_single_point_without_a_line() -> None:
    svg = line_chart(
        chart_id="c",
        title="t",
        description="d",
        labels=["Q1 2024-25"],
        series=[Series("Delivered", [D("10")])],
    )

    assert "<polyline" not in svg
    assert svg.count("<circle") == 2


def test_it_escapes_every_label() -> None:
    nasty = '<script>alert("x")</script> & Sons'
    for svg in (
        bar_chart(
            chart_id='x"><script>',
            title=nasty,
            description=nasty,
            labels=[nasty],
            series=[Series(nasty, [D("1")])],
        ),
        line_chart(
            chart_id="x",
            title=nasty,
            description=nasty,
            labels=[nasty],
            series=[Series(nasty, [D("1")])],
        ),
    ):
        assert "<script>" not in svg
        assert "&lt;script&gt;" in svg
        ElementTree.fromstring(svg)  # still well-formed
