"""The follow-up note (oppfølgingsnotat) for a tertial report or the annual accounts: the actuals entered on
Oppfølging beside the budget, line by line and year by year (`core.followup.follow_up`: budget, P50, P85,
actual in fixed prices, deviation, status), with a summary in words and a chart of budget vs actual.

Every figure is the model's, formatted by the memo's helpers (services/memo.py: 1 234 567 kr); the page is
`templates/oppfolging.html.j2`, printed and turned into a PDF like the memo (memo.html_to_pdf).

A budget year that has not ended on the note's date (`today`) is read as «hittil i år»: its actuals are compared
with the whole year's budget, so a line below P50 then is no saving yet, and a line above P85 has already spent
more than the year's cost frame.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from workbook_builder import __version__
from workbook_builder.core.estimates import Estimates
from workbook_builder.core.followup import ABOVE, BELOW, HOURS, KR, WITHIN, Deviation, follow_up, line_label
from workbook_builder.core.i18n import tr
from workbook_builder.core.model import Budget, Inputs
from workbook_builder.core.numbers import nb_list, same_amount
from workbook_builder.core.textinput import one_line
from workbook_builder.services.memo import built_text, hours, kr, num, pct
from workbook_builder.services.source import Finding
from workbook_builder.services.svgchart import Series, bar_chart
from workbook_builder.templating import render

GENERATOR_KIND = "follow-up note"  # in the generator (HTML) and so the PDF's /Creator: xlsx/output.py tells it apart
STATUS_CLASS = {BELOW: "empty", WITHIN: "ok", ABOVE: "note"}  # as Oppfølging colours them; the word is always shown
# Bars at least 3:1 against the white page (WCAG 2.1 1.4.11), the actual darker than the budget.
BUDGET_COLOR, ACTUAL_COLOR = "#5b7fb5", "#0b3d66"
LARGEST = 3  # how many of the largest deviations the summary names, per unit


class NoActuals(ValueError):
    """The workbook has no actual figures yet: there is nothing to follow up."""


def figure(x: float | None, unit: str, malform: str) -> str:
    """A figure in a line's unit: '1 234 kr' or '1 234 timer' ('timar' in nynorsk); '–' when unknown."""
    if x is None:
        return "–"
    return kr(x) if unit == KR else hours(x, malform)


def signed(x: float | None, unit: str, malform: str) -> str:
    """A deviation with its sign: '+1 234 kr', '−56 timer', '0 kr'."""
    if x is None:
        return "–"
    text = figure(x, unit, malform)
    return f"+{text}" if x > 0 and any(c in "123456789" for c in text) else text


def signed_pct(share: float | None) -> str:
    """'+10 %', '−23,2 %'; '–' where there is no share (a budget of 0)."""
    if share is None:
        return "–"
    text = pct(share)
    return f"+{text}" if share > 0 and any(c in "123456789" for c in text) else text


def year_to_date(year: int, today: dt.date) -> bool:
    """A budget year not ended on the note's date: its actuals are the year so far («hittil i år»)."""
    return year >= today.year


def _row(d: Deviation, est: Estimates, m: str) -> dict[str, Any]:
    return {"label": line_label(est, d.line, m), "unit": d.line.unit, "budget": figure(d.budget, d.line.unit, m),
            "range": f"{figure(d.p50, d.line.unit, m)} – {figure(d.p85, d.line.unit, m)}",
            "nominal": figure(d.actual_nominal, d.line.unit, m), "actual": figure(d.actual, d.line.unit, m),
            "deviation": signed(d.deviation, d.line.unit, m), "share": signed_pct(d.deviation_share),
            "status": tr(d.status, m) if d.status else "", "status_class": STATUS_CLASS.get(d.status, ""),
            "known": d.actual is not None, "id": d.line.id, "year": d.year}


@dataclass(frozen=True)
class Totals:
    """The lines of one unit whose actual is known: their budget beside their actual (fixed prices)."""

    unit: str  # KR or HOURS
    budget: float
    actual: float
    lines: int

    @property
    def deviation(self) -> float:
        return self.actual - self.budget

    @property
    def share(self) -> float | None:
        return self.deviation / self.budget if self.budget else None

    def text(self, malform: str) -> dict[str, str]:
        """The figures as the note prints them, in kr (new money) or hours; '–' where no line is known."""
        if not self.lines:
            return dict.fromkeys(("budget", "actual", "deviation", "share"), "–")
        return {"budget": figure(self.budget, self.unit, malform), "actual": figure(self.actual, self.unit, malform),
                "deviation": signed(self.deviation, self.unit, malform), "share": signed_pct(self.share)}


def totals(devs: Sequence[Deviation], unit: str) -> Totals:
    """The budget and the actual of the lines of `unit` whose actual is known (as Oppfølging's summary)."""
    known = [d for d in devs if d.line.unit == unit and d.actual is not None]
    return Totals(unit, sum(d.budget for d in known), sum(d.actual or 0.0 for d in known), len(known))


def followup_context(est: Estimates, inputs: Inputs, b: Budget, *, workbook: str = "",
                     findings: Sequence[Finding] = (), metadata: dict[str, str] | None = None,
                     today: dt.date | None = None) -> dict[str, Any]:
    """Everything the note shows, in the budget's målform; raises NoActuals when no line has an actual."""
    today = today or dt.date.today()
    p = b.params
    m = p.malform
    devs = follow_up(est, b, inputs.actuals)
    known = [d for d in devs if d.actual is not None]
    if not known:
        raise NoActuals("no actual figures")
    period = sorted({d.year for d in known})
    years: list[dict[str, Any]] = []
    for k, y in enumerate(b.years):
        if y.year not in period:
            continue
        in_year = [d for d in devs if d.year == y.year]
        shown = [d for d in in_year if d.actual is not None or d.budget != 0]
        money, time = totals(in_year, KR), totals(in_year, HOURS)
        cash_range = b.ranges.cash_years[k]
        years.append({
            "year": y.year, "so_far": year_to_date(y.year, today),
            "money": [_row(d, est, m) for d in shown if d.line.unit == KR],
            "time": [_row(d, est, m) for d in shown if d.line.unit == HOURS],
            "money_total": money, "time_total": time,
            "money_text": money.text(m), "time_text": time.text(m),
            "cash_kr": kr(y.cash_kr), "cash_p85": kr(cash_range.p85), "no_cash_budget": same_amount(y.cash_kr, 0.0),
            "cash_share": pct(money.actual / y.cash_kr) if y.cash_kr else "–",
            "over_frame": money.actual > cash_range.p85,
            "known": sum(1 for d in in_year if d.actual is not None),
            "missing": [line_label(est, d.line, m) for d in in_year if d.actual is None and d.budget != 0],
        })
    above = [d for d in known if d.status == ABOVE]
    label = {d.line.id: line_label(est, d.line, m) for d in devs}

    def named(d: Deviation) -> str:
        share = "" if d.deviation_share is None else f" ({signed_pct(d.deviation_share)})"
        return f"{label[d.line.id]} ({d.year}): {signed(d.deviation, d.line.unit, m)}{share}"

    largest = {unit: [named(d) for d in sorted((d for d in known if d.line.unit == unit and d.deviation),
                                                key=lambda d: -abs(d.deviation or 0.0))[:LARGEST]]
               for unit in (KR, HOURS)}
    so_far = [y["year"] for y in years if y["so_far"]]
    first, last = period[0], period[-1]
    chart_years = [str(y["year"]) + (" *" if y["so_far"] else "") for y in years]
    charts = []
    for unit, key, title in ((KR, "money_total", tr("Nye midler: budsjett og faktisk per år (faste {year}-kroner)",
                                                     m, year=p.price_year)),
                             (HOURS, "time_total", tr("Interne timer: budsjett og faktisk per år", m))):
        if not any(y[key].lines for y in years):
            continue
        series = [Series(tr("Budsjett for linjene med faktisk tall", m), tuple(y[key].budget for y in years),
                         BUDGET_COLOR),
                  Series(tr("Faktisk", m), tuple(y[key].actual for y in years), ACTUAL_COLOR)]
        charts.append({"unit": unit, "key": key, "title": title,
                       "svg": Markup(bar_chart(chart_years, series, title=title,
                                               unit="kr" if unit == KR else tr("timer", m)))})
    municipality = one_line(inputs.municipality) or tr("Kommunen", m)
    money_all = totals(known, KR)
    return {
        "lang": m, "p": p, "b": b, "est": est, "years": years, "charts": charts, "period": period,
        "period_text": str(first) if first == last else f"{first}–{last}", "so_far": so_far,
        "so_far_text": nb_list([str(y) for y in so_far], malform=m) if so_far else "",
        "n_known": len(known), "n_lines": sum(1 for d in devs if d.year in period and (d.budget != 0
                                                                                      or d.actual is not None)),
        "above": [named(d) for d in above], "n_above": len(above),
        "n_within": sum(1 for d in known if d.status == WITHIN), "n_below": sum(1 for d in known if d.status == BELOW),
        "largest_money": largest[KR], "largest_time": largest[HOURS],
        "money_total": money_all, "time_total": totals(known, HOURS), "money_total_text": money_all.text(m),
        "status_words": {"below": tr(BELOW, m), "within": tr(WITHIN, m), "above": tr(ABOVE, m)},
        "findings": [f.shown(m) for f in findings],
        "municipality": municipality, "css_municipality": re.sub(r'[<>&"\\]', "", municipality),
        "number": one_line(inputs.municipality_number), "workbook": one_line(workbook), "metadata": metadata or {},
        "built_text": built_text(metadata or {}),
        "date_text": today.strftime("%d.%m.%Y"), "version": __version__, "generator_kind": GENERATOR_KIND,
        "first_year": p.first_year, "last_year": p.last_year, "document": est.text_in(est.document, m),
        "kr": kr, "num": num, "hours": lambda x: hours(x, m), "pct": pct,
    }


def actuals_summary(est: Estimates, b: Budget) -> str:
    """The actuals in a few English words for the terminal: '5 actual(s) in 2025–2026, 1 above P85'."""
    known = [d for d in follow_up(est, b, b.inputs.actuals) if d.actual is not None]
    if not known:
        return "no actuals"
    years = sorted({d.year for d in known})
    period = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return f"{len(known)} actual(s) in {period}, {sum(d.status == ABOVE for d in known)} above P85"


def render_followup_html(est: Estimates, inputs: Inputs, b: Budget, **kwargs: Any) -> str:
    """The follow-up note as one self-contained HTML page (CSS and charts inline), in the budget's målform;
    raises NoActuals when the workbook has no actual figures."""
    return render("oppfolging.html.j2", b.params.malform, **followup_context(est, inputs, b, **kwargs))
