"""Charts drawn on the server as inline SVG: no script, no CDN, printable. Two kinds the dashboards need:
horizontal bars (rankings) and lines over time (trends). Each is an image with its title and, right
after it, the same figures as a table under a disclosure ("the figures as a table"): the text
alternative that GB/T 37668-2019 (WCAG 1.1.1) asks of a chart, for a screen reader and for anyone."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

PALETTE = ("#1f5fa8", "#d9822b", "#2e8b57", "#b03a48", "#6b4fa0")


def _joined(parts: Sequence[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def _shown(value: float | None, unit: str) -> str:
    return "—" if value is None else f"{_number(value)}{unit}"


def _figures(title: str, head: Sequence[str], rows: Sequence[tuple[str, Sequence[str]]]) -> SafeString:
    """The chart's figures as a table, folded under a summary; its scroll box is reachable by keyboard."""
    heads = format_html_join("", '<th scope="col">{}</th>', ((h,) for h in head))
    body = format_html_join(
        "",
        '<tr><th scope="row">{}</th>{}</tr>',
        ((name, format_html_join("", "<td>{}</td>", ((c,) for c in cells))) for name, cells in rows),
    )
    return format_html(
        '<details class="chart-figures"><summary>{}</summary><div class="table-wrap" tabindex="0" role="group" '
        'aria-label="{}"><table class="data"><caption class="visually-hidden">{}</caption><thead><tr>{}</tr></thead>'
        "<tbody>{}</tbody></table></div></details>",
        _("The figures as a table"), title, title, heads, body,
    )  # fmt: skip


def bar_chart(
    title: str, bars: Sequence[tuple[str, float | None]], *, unit: str = "", maximum: float | None = None
) -> SafeString:
    """Horizontal bars, the longest first as given; ``None`` values are drawn as "—"."""
    label_width, chart_width, bar_height, gap = 170, 380, 20, 8
    top = max([v for _n, v in bars if v is not None] + [maximum or 0, 1])
    height = len(bars) * (bar_height + gap) + gap
    parts = []
    for index, (name, value) in enumerate(bars):
        y = gap + index * (bar_height + gap)
        width = 0 if value is None else round(chart_width * value / top, 1)
        shown = "—" if value is None else f"{_number(value)}{unit}"
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar"><title>{}：{}</title></rect>'
                '<text x="{}" y="{}" class="chart-value">{}</text>',
                label_width - 8,
                y + 15,
                name[:14],
                label_width,
                y,
                width,
                bar_height,
                name,
                shown,
                label_width + width + 6,
                y + 15,
                shown,
            )
        )
    svg = format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMinYMin meet">'
        "<title>{}</title>{}</svg>",
        label_width + chart_width + 80, height, title, _joined(parts),
    )  # fmt: skip
    rows = [(name, [_shown(value, unit)]) for name, value in bars]
    return format_html("{}{}", svg, _figures(title, [_("Name"), title], rows))


def line_chart(
    title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *, unit: str = ""
) -> SafeString:
    """Lines over the labels (months, days), each series scaled to the largest value of all."""
    width, height, left, bottom, top_margin = 640, 240, 48, 28, 16
    plot_w, plot_h = width - left - 16, height - bottom - top_margin
    values = [v for _n, points in series for v in points if v is not None]
    top = max([*values, 1.0])
    step = plot_w / max(len(labels) - 1, 1)

    def point(i: int, v: float) -> tuple[float, float]:
        return round(left + i * step, 1), round(top_margin + plot_h * (1 - v / top), 1)

    parts = [
        format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" class="chart-grid"/><text x="{}" y="{}" text-anchor="end" '
            'class="chart-axis">{}</text>',
            left,
            width - 16,
            y,
            y,
            left - 6,
            y + 4,
            _number(round(top * f, 1)),
        )
        for f, y in ((f, round(top_margin + plot_h * (1 - f), 1)) for f in (0, 0.5, 1))
    ]
    every = max(1, len(labels) // 8)
    parts += [
        format_html('<text x="{}" y="{}" text-anchor="middle" class="chart-axis">{}</text>', x, height - 8, label)
        for i, label in enumerate(labels)
        if i % every == 0
        for x, _y in [point(i, 0)]
    ]
    legend = []
    for k, (name, points) in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        coords = [point(i, v) for i, v in enumerate(points) if v is not None]
        path = " ".join(f"{x},{y}" for x, y in coords)
        parts.append(format_html('<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>', path, colour))
        parts.append(
            format_html_join(
                "",
                '<circle cx="{}" cy="{}" r="3" fill="{}"><title>{} {}：{}</title></circle>',
                (
                    (x, y, colour, name, labels[i], f"{_number(v)}{unit}")
                    for i, v in enumerate(points)
                    if v is not None
                    for x, y in [point(i, v)]
                ),
            )
        )
        legend.append(format_html('<span class="chart-key chart-key-{}">{}</span>', k % len(PALETTE), name))
    svg = format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMinYMin meet">'
        "<title>{}</title>{}</svg>",
        width, height, title, _joined(parts),
    )  # fmt: skip
    rows = [(label, [_shown(points[i], unit) for _name, points in series]) for i, label in enumerate(labels)]
    figures = _figures(title, [_("Period"), *[name for name, _points in series]], rows)
    return format_html('<div class="chart-legend">{}</div>{}{}', _joined(legend), svg, figures)
