"""Small SVG charts drawn on the server, for documents that run no JavaScript (the PDFs).

Two kinds: a horizontal bar chart (one bar per series in each category) and a line chart
(one line per series over ordered categories, such as quarters). Both return SVG markup
with a ``<title>`` and ``<desc>`` for screen readers; every label is escaped. The figures
stay ``Decimal``; they become floats only as positions on the drawing. A chart is a
picture of a table, so every chart is followed by its table in the document.
"""

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.utils.safestring import SafeString, mark_safe

from socialvalue.core.money import plain, round_half_up

FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"
TEXT = "#0b0c0c"
MUTED = "#505a5f"
GRID = "#b1b4b6"
# GOV.UK blue and dark grey, told apart by the legend and, on lines, by the marker shape.
BLUE = "#1d70b8"
GREY = "#505a5f"
NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Decimal]
    colour: str = BLUE


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _n(number: float) -> str:
    """A coordinate, short."""
    return f"{number:.1f}".rstrip("0").rstrip(".")


def nice_scale(maximum: Decimal, ticks: int = 5) -> tuple[Decimal, Decimal]:
    """(step, top): a round step (1, 2, 2.5 or 5 × 10ⁿ) and the axis top, a multiple of it
    at or above ``maximum``; an empty or zero series gets a scale of 0 to 1."""
    if maximum <= 0:
        return Decimal("0.2"), Decimal(1)
    raw = maximum / ticks
    magnitude = Decimal(1).scaleb(raw.adjusted())
    step = next(m * magnitude for m in NICE_STEPS if m * magnitude >= raw)
    top = (maximum / step).to_integral_value(rounding=ROUND_CEILING) * step
    return step, top


def short_money(value: Decimal) -> str:
    """£950, £45.6k, £1.23m: for axes and bar ends; the tables give the exact figure."""
    sign = "-" if value < 0 else ""
    value = abs(value)

    def trim(number: Decimal, places: int) -> str:
        text = plain(round_half_up(number, places))
        return text.rstrip("0").rstrip(".") if "." in text else text

    if value >= 1_000_000:
        return f"{sign}£{trim(value / 1_000_000, 2)}m"
    if value >= 1_000:
        return f"{sign}£{trim(value / 1_000, 1)}k"
    return f"{sign}£{trim(value, 0)}"


def wrap(label: str, width: int) -> list[str]:
    """Split a label into at most two lines of about ``width`` characters, with an ellipsis
    when it is longer still."""
    words, lines, line = label.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if len(candidate) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    if len(lines) == 2 and len(lines[1]) > width:
        lines[1] = lines[1][: width - 1].rstrip() + "…"
    return lines or [""]


def _open(width: int, height: int, title: str, description: str, chart_id: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{_e(chart_id)}-title {_e(chart_id)}-desc" '
        f'font-family="{FONT}" font-size="11" fill="{TEXT}">',
        f'<title id="{_e(chart_id)}-title">{_e(title)}</title>',
        f'<desc id="{_e(chart_id)}-desc">{_e(description)}</desc>',
    ]


def _legend(series: Sequence[Series], x: float, y: float, markers: bool = False) -> list[str]:
    parts = []
    for index, s in enumerate(series):
        if markers:
            parts.append(
                f'<line x1="{_n(x)}" y1="{_n(y - 4)}" x2="{_n(x + 18)}" y2="{_n(y - 4)}" '
                f'stroke="{s.colour}" stroke-width="2.5"/>'
            )
            parts.append(_marker(index, x + 9, y - 4, s.colour))
        else:
            parts.append(
                f'<rect x="{_n(x)}" y="{_n(y - 10)}" width="12" height="12" fill="{s.colour}"/>'
            )
        parts.append(f'<text x="{_n(x + 24)}" y="{_n(y)}">{_e(s.name)}</text>')
        x += 24 + len(s.name) * 6.5 + 20
    return parts


def _marker(index: int, x: float, y: float, colour: str) -> str:
    if index % 2:
        return f'<rect x="{_n(x - 3.5)}" y="{_n(y - 3.5)}" width="7" height="7" fill="{colour}"/>'
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{colour}"/>'


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    width: int = 640,
    label_width: int = 190,
    value_format: Callable[[Decimal], str] = short_money,
) -> SafeString:
    """Horizontal bars: one group per label, one bar per series, the value at its end."""
    bar, gap, top_margin, axis_height = 14, 12, 30, 22
    group = bar * len(series) + gap
    plot_height = group * len(labels)
    height = top_margin + plot_height + axis_height
    value_room = 62
    plot_left, plot_width = label_width, width - label_width - value_room
    maximum = max((v for s in series for v in s.values), default=Decimal(0))
    step, axis_top = nice_scale(maximum)

    def x_of(value: Decimal) -> float:
        return plot_left + float(max(value, Decimal(0)) / axis_top) * plot_width

    parts = _open(width, height, title, description, chart_id)
    parts += _legend(series, plot_left, 14)
    tick = Decimal(0)
    while tick <= axis_top:
        x = x_of(tick)
        parts.append(
            f'<line x1="{_n(x)}" y1="{top_margin - 4}" x2="{_n(x)}" '
            f'y2="{top_margin + plot_height}" stroke="{GRID}" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{_n(x)}" y="{top_margin + plot_height + 14}" text-anchor="middle" '
            f'fill="{MUTED}" font-size="9.5">{_e(value_format(tick))}</text>'
        )
        tick += step
    for row, label in enumerate(labels):
        y0 = top_margin + row * group + gap / 2
        lines = wrap(label, max(8, int(label_width / 6.2)))
        first_y = y0 + (bar * len(series)) / 2 + 4 - (len(lines) - 1) * 6.5
        for offset, line in enumerate(lines):
            parts.append(
                f'<text x="{plot_left - 8}" y="{_n(first_y + offset * 13)}" '
                f'text-anchor="end">{_e(line)}</text>'
            )
        for index, s in enumerate(series):
            value = s.values[row] if row < len(s.values) else Decimal(0)
            y = y0 + index * bar
            end = x_of(value)
            parts.append(
                f'<rect x="{plot_left}" y="{_n(y)}" width="{_n(max(end - plot_left, 0.0))}" '
                f'height="{bar - 2}" fill="{s.colour}"/>'
            )
            parts.append(
                f'<text x="{_n(end + 4)}" y="{_n(y + bar - 4)}" font-size="9.5">'
                f"{_e(value_format(value))}</text>"
            )
    parts.append(
        f'<line x1="{plot_left}" y1="{top_margin - 4}" x2="{plot_left}" '
        f'y2="{top_margin + plot_height}" stroke="{TEXT}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every label and value is escaped above


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    width: int = 640,
    height: int = 240,
    value_format: Callable[[Decimal], str] = short_money,
) -> SafeString:
    """One line per series across ``labels`` (in order), with a marker at every point.

    A label "Q1 2026-27" is written on two lines under its point ("Q1", "2026-27")."""
    left, right, top_margin, bottom = 62, 16, 30, 36
    plot_width, plot_height = width - left - right, height - top_margin - bottom
    maximum = max((v for s in series for v in s.values), default=Decimal(0))
    step, axis_top = nice_scale(maximum)
    count = len(labels)

    def x_of(index: int) -> float:
        if count == 1:
            return left + plot_width / 2
        return left + plot_width * index / (count - 1)

    def y_of(value: Decimal) -> float:
        return top_margin + plot_height - float(max(value, Decimal(0)) / axis_top) * plot_height

    parts = _open(width, height, title, description, chart_id)
    parts += _legend(series, left, 14, markers=True)
    tick = Decimal(0)
    while tick <= axis_top:
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" y1="{_n(y)}" x2="{width - right}" y2="{_n(y)}" '
            f'stroke="{GRID}" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{_n(y + 3.5)}" text-anchor="end" fill="{MUTED}" '
            f'font-size="9.5">{_e(value_format(tick))}</text>'
        )
        tick += step
    for index, label in enumerate(labels):
        first, _, rest = label.partition(" ")
        x = x_of(index)
        base = top_margin + plot_height + 14
        parts.append(f'<text x="{_n(x)}" y="{base}" text-anchor="middle">{_e(first)}</text>')
        if rest:
            parts.append(
                f'<text x="{_n(x)}" y="{base + 12}" text-anchor="middle" fill="{MUTED}" '
                f'font-size="9.5">{_e(rest)}</text>'
            )
    for number, s in enumerate(series):
        points = [(x_of(i), y_of(v)) for i, v in enumerate(s.values[:count])]
        if len(points) > 1:
            path = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{s.colour}" stroke-width="2"/>'
            )
        parts += [_marker(number, x, y, s.colour) for x, y in points]
    parts.append(
        f'<line x1="{left}" y1="{top_margin + plot_height}" x2="{width - right}" '
        f'y2="{top_margin + plot_height}" stroke="{TEXT}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every label and value is escaped above
