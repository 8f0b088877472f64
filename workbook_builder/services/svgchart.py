"""A small bar chart as inline SVG, written by hand.

Why not matplotlib: the memo needs one chart of four years × three bars. Hand-written SVG is
~100 lines, adds no 40 MB dependency, renders the same in a browser and in WeasyPrint, uses the
memo's own font, and its labels are formatted by the same Norwegian formatter as the tables.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from workbook_builder.core.numbers import nb_number

NBSP = "\u00a0"


@dataclass(frozen=True)
class Series:
    """One bar per category; `stack` names the bar a series is stacked onto (its own label if empty)."""

    label: str
    values: tuple[float, ...]
    color: str
    stack: str = ""


def nice_step(maximum: float, ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 × 10^n) so that about `ticks` steps cover `maximum`."""
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    power: float = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def axis_label(x: float) -> str:
    """Axis numbers in thousands or millions of kroner, Norwegian style (250 000 → '250 000')."""
    if x >= 1_000_000 and x % 100_000 == 0:
        return f"{nb_number(x / 1_000_000, 1 if x % 1_000_000 else 0)}{NBSP}mill."
    return nb_number(x, 0, NBSP)


def bar_chart(categories: Sequence[str], series: Sequence[Series], *, title: str, unit: str = "kr",
              width: int = 640, height: int = 260) -> str:
    """Grouped (and optionally stacked) bars; returns an <svg> element with a <title> for screen readers."""
    stacks: list[str] = []
    for s in series:
        key = s.stack or s.label
        if key not in stacks:
            stacks.append(key)
    totals = [[0.0] * len(categories) for _ in stacks]
    for s in series:
        k = stacks.index(s.stack or s.label)
        for i, v in enumerate(s.values):
            totals[k][i] += max(v, 0.0)
    top = max((v for row in totals for v in row), default=0.0)
    step = nice_step(top)
    y_max = step * max(1, math.ceil(top / step)) if top > 0 else step

    left, right, top_pad, bottom = 86, 12, 16, 58
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    y = lambda v: top_pad + plot_h - plot_h * v / y_max  # noqa: E731
    group_w = plot_w / max(len(categories), 1)
    bar_w = min(34.0, group_w * 0.8 / max(len(stacks), 1))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-label="{escape(title)}" class="chart">',
           f"<title>{escape(title)}</title>",
           '<g font-family="Carlito, Calibri, \'Liberation Sans\', Arial, sans-serif" font-size="11" fill="#222">']
    ticks = int(round(y_max / step))
    for t in range(ticks + 1):
        v = t * step
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                   f'stroke="{"#888" if t == 0 else "#ddd"}" stroke-width="1"/>')
        out.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{escape(axis_label(v))}</text>')
    out.append(f'<text x="12" y="{top_pad + plot_h / 2:.1f}" transform="rotate(-90 12 {top_pad + plot_h / 2:.1f})" '
               f'text-anchor="middle">{escape(unit)}</text>')
    for i, cat in enumerate(categories):
        gx = left + i * group_w + (group_w - bar_w * len(stacks)) / 2
        for k, key in enumerate(stacks):
            base = 0.0
            for s in series:
                if (s.stack or s.label) != key:
                    continue
                v = max(s.values[i], 0.0)
                if v > 0:
                    out.append(f'<rect x="{gx + k * bar_w:.1f}" y="{y(base + v):.1f}" width="{bar_w - 2:.1f}" '
                               f'height="{y(base) - y(base + v):.1f}" fill="{s.color}" stroke="#ffffff" '
                               'stroke-width="1">'
                               f"<title>{escape(s.label)} {escape(cat)}: {escape(nb_number(v, 0, NBSP))} {unit}"
                               "</title></rect>")
                base += v
        out.append(f'<text x="{left + (i + 0.5) * group_w:.1f}" y="{top_pad + plot_h + 15}" text-anchor="middle" '
                   f'font-weight="bold">{escape(cat)}</text>')
    lx: float = left
    ly = height - 18
    for s in series:
        out.append(f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{s.color}"/>')
        out.append(f'<text x="{lx + 14}" y="{ly}">{escape(s.label)}</text>')
        lx += 14 + 6.2 * len(s.label) + 18
    out.append("</g></svg>")
    return "\n".join(out)
