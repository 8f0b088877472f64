"""Usikkerhet (locked workings): the range of the budget by the successive principle (Lichtenberg), in
native formulas: each item's low, likely and high figure, its mean (L + 3·M + H) / 5 and standard deviation
(H − L) / 5; the total's mean is the sum of the means and its standard deviation the square root of the sum of
variances (the items are taken as independent); P50 = the mean, P85 = mean + z × sd. For the one-off total,
and per budget year and in all for the new money and the internal resources apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workbook_builder.core.estimates import Estimates
from workbook_builder.core.i18n import N_
from workbook_builder.core.model import (
    PLAN_YEARS,
    Range,
    Spread,
    cash_range_ids,
    choice_label,
    internal_range_ids,
    item_shares,
)
from workbook_builder.sheets import beregning
from workbook_builder.sheets.base import Context, Sheet, cell
from workbook_builder.sheets.beregning import C_TOTAL, C_YEARS, Rows

SHEET = N_("Usikkerhet")  # the id; the workbook names it in its målform (Context.sheet_name)
C_LABEL, C_LIKELY, C_LOW, C_HIGH, C_MEAN, C_SD = range(6)


class _Writer:
    def __init__(self, ctx: Context, s: Sheet, rows: Rows) -> None:
        self.ctx, self.s, self.rows = ctx, s, rows
        self.est, self.b = ctx.est, ctx.budget
        self.tr = ctx.tr
        self.labels = {i.id: ctx.text(i.label) for i in self.est.items}
        self.labels.update({r.id: ctx.text(r.label) for r in self.est.running})
        self.labels["eid_renewal"] = ctx.tr("Fornyelse av e-ID")
        self.blocks: list[int] = []  # the first row (the band) of each block, for the page breaks

    def head(self, r: int, title: str) -> int:
        s = self.s
        self.blocks.append(r)
        s.band(r, title, C_SD)
        r += 1
        heads = (N_("Linje"), N_("Sannsynlig (M)"), N_("Lav (L)"), N_("Høy (H)"), N_("Forventet"), N_("Standardavvik"))
        for c, h in enumerate(heads):
            s.text(r, c, self.tr(h), "colhead" if c == 0 else "colhead_r")
        return r + 1

    def block(self, r: int, title: str, likely_formulas: list[tuple[str, str]], rng: Range,
              names: dict[str, str] | None = None) -> int:
        """One scope: a row per item (M from Beregning, L, H, mean, sd), then the total, P50, P85, reserve."""
        s = self.s
        r = self.head(r, title)
        first = r
        for (range_id, formula), sp in zip(likely_formulas, rng.spreads):
            self.item_row(r, range_id, formula, sp)
            r += 1
        last = r - 1
        s.text(r, C_LABEL, self.tr("Sum (uavhengige linjer)"), "total")
        s.formula(r, C_LIKELY, f"SUM({cell(first, C_LIKELY)}:{cell(last, C_LIKELY)})", rng.likely, "total", "kr")
        s.blank(r, C_LOW, "total")
        s.blank(r, C_HIGH, "total")
        s.formula(r, C_MEAN, f"SUM({cell(first, C_MEAN)}:{cell(last, C_MEAN)})", rng.mean, "total", "kr")
        s.formula(r, C_SD, f"SQRT(SUMSQ({cell(first, C_SD)}:{cell(last, C_SD)}))", rng.sd, "total", "kr")
        total = r
        rows = {}
        for k, (key, label, formula, value) in enumerate((
            ("p50", self.tr("P50 (forventet kostnad, styringsramme)"), cell(total, C_MEAN), rng.p50),
            ("p85", self.tr("P85 (kostnadsramme: 85 % sannsynlighet for ikke å overskride)"),
             f"{cell(total, C_MEAN)}+kj_est_p85_z*{cell(total, C_SD)}", rng.p85),
            ("reserve", self.tr("Usikkerhetsavsetning (P85 − P50)"),
             f"{cell(total + 2, C_MEAN)}-{cell(total + 1, C_MEAN)}", rng.reserve),
        ), start=1):
            s.text(total + k, C_LABEL, label, "bold")
            s.formula(total + k, C_MEAN, formula, value, "key" if key == "p85" else "calc", "kr")
            rows[key] = total + k
        for key, name in (names or {}).items():
            row = {"mean": total, "sd": total, "p50": rows["p50"], "p85": rows["p85"]}[key]
            s.define(name, (row, C_SD if key == "sd" else C_MEAN), None, "output")
        self.last_rows = rows
        return total + 5

    def item_row(self, r: int, range_id: str, likely: str, sp: Spread) -> None:
        s = self.s
        s.text(r, C_LABEL, self.labels[range_id], "label")
        s.formula(r, C_LIKELY, likely, sp.likely, "calc", "kr")
        m = cell(r, C_LIKELY)
        s.formula(r, C_LOW, f"{m}*(1+kj_calc_low_{range_id})", sp.low, "calc", "kr")
        s.formula(r, C_HIGH, f"{m}*(1+kj_calc_high_{range_id})", sp.high, "calc", "kr")
        s.formula(r, C_MEAN, f"({cell(r, C_LOW)}+kj_successive_weight*{m}+{cell(r, C_HIGH)})/kj_successive_divisor",
                  sp.mean, "calc", "kr")
        s.formula(r, C_SD, f"({cell(r, C_HIGH)}-{cell(r, C_LOW)})/kj_successive_divisor", sp.sd, "calc", "kr")


def write(ctx: Context, s: Sheet, rows: Rows) -> dict[str, list[int]]:
    """Returns the rows of P50 and P85 per scope, for Budsjett."""
    ws, est, b = s.ws, ctx.est, ctx.budget
    p = b.params
    w = _Writer(ctx, s, rows)
    tr = ctx.tr
    ws.set_column(C_LABEL, C_LABEL, 70)
    ws.set_column(C_LIKELY, C_SD, 16)
    s.text(0, 0, tr("Usikkerhet – spennet i budsjettet (suksessivprinsippet)"), "title")
    ws.merge_range(1, 0, 1, C_SD, tr("Låst. Hver linje har et lavt (L), sannsynlig (M) og høyt (H) tall. Forventet "
                                     "= (L + 3·M + H) / 5 og standardavvik = (H − L) / 5. Linjene regnes som "
                                     "uavhengige: summens standardavvik er kvadratroten av summen av kvadratene. P50 "
                                     "= forventet (styringsramme); P85 = forventet + 1,0364 × standardavvik "
                                     "(kostnadsramme). Forskjellen er usikkerhetsavsetningen."), s.fmt("muted"))
    ws.set_row(1, 44)
    # ---------------------------------------------------------------- the level and each line's shares
    r = 3
    s.band(r, tr("Nivå og spenn per linje"), C_SD)
    r += 1
    level = est.level(p.uncertainty)
    s.text(r, C_LABEL, tr("Usikkerhetsnivå (Inndata)"), "label")
    s.formula(r, C_LIKELY, "kj_uncertainty_used", choice_label(est, "level", p.uncertainty, ctx.malform), "calc")
    r += 1
    s.text(r, C_LABEL, tr("Faktor for spennene"), "label")
    s.formula(r, C_LIKELY, "INDEX(kj_est_level_factor,MATCH(kj_uncertainty_used,kj_list_levels,0))", level.factor,
              "calc", "decimal1")
    s.define("kj_calc_uncertainty_factor", (r, C_LIKELY), None, "working")
    r += 2
    for c, h in enumerate((tr("Linje"), tr("Lav andel"), tr("Høy andel"))):
        s.text(r, c, h, "colhead" if c == 0 else "colhead_r")
    r += 1
    for range_id in (*[i.id for i in est.items], *[x.id for x in est.running]):
        lo, hi = item_shares(est, p, range_id)
        s.text(r, C_LABEL, w.labels[range_id], "label")
        s.formula(r, 1, f"MAX(-1,kj_est_low_{range_id}*kj_calc_uncertainty_factor)", lo, "calc", "percent1")
        s.formula(r, 2, f"kj_est_high_{range_id}*kj_calc_uncertainty_factor", hi, "calc", "percent1")
        s.define(f"kj_calc_low_{range_id}", (r, 1), None, "working")
        s.define(f"kj_calc_high_{range_id}", (r, 2), None, "working")
        r += 1
    r += 1
    # renewals have the e-ID's range
    s.define("kj_calc_low_eid_renewal", ctx.register.names["kj_calc_low_eid"].first, None, "working")
    s.define("kj_calc_high_eid_renewal", ctx.register.names["kj_calc_high_eid"].first, None, "working")

    # ---------------------------------------------------------------- the one-off total
    rg = b.ranges
    one_off = [(i.id, ctx.sheet_ref(beregning.SHEET, rows.kr[i.id], C_TOTAL)) for i in est.items]
    r = w.block(r, tr("Engangskostnad i alt (nye midler og interne timer i kr, alle trinn)"), one_off, rg.one_off,
                {"mean": "kj_total_kr_mean", "sd": "kj_total_kr_sd", "p50": "kj_total_kr_p50",
                 "p85": "kj_total_kr_p85"})
    out: dict[str, list[int]] = {"cash_p50": [], "cash_p85": [], "internal_p50": [], "internal_p85": []}
    for scope, ids, years, total, title, title_all in (
        ("cash", cash_range_ids(est), rg.cash_years, rg.cash_total, N_("Behov for nye midler {year}"),
         N_("Behov for nye midler, alle fire budsjettår (hver linje som én: årene henger sammen)")),
        ("internal", internal_range_ids(est), rg.internal_years, rg.internal_total,
         N_("Interne ressurser (kr) {year}"),
         N_("Interne ressurser (kr), alle fire budsjettår (hver linje som én: årene henger sammen)")),
    ):
        year_rows: dict[str, list[int]] = {}
        for k in range(PLAN_YEARS):
            col = C_YEARS[k]
            likely = [(rid, _year_formula(ctx, rows, rid, col)) for rid in ids]
            r = w.block(r, tr(title, year=p.first_year + k), likely, years[k])
            year_rows.setdefault("likely", []).append(r - 5 - len(ids))  # first item row of the block
            out[f"{scope}_p50"].append(w.last_rows["p50"])
            out[f"{scope}_p85"].append(w.last_rows["p85"])
        firsts = year_rows["likely"]
        likely_total = [(rid, "+".join(cell(first + n, C_LIKELY) for first in firsts)) for n, rid in enumerate(ids)]
        r = w.block(r, tr(title_all), likely_total, total,
                    {"p50": f"kj_{scope}_total_kr_p50", "p85": f"kj_{scope}_total_kr_p85"})
    s.print_setup(landscape=False, last_row=r, last_col=C_SD)
    # a block (band, lines, sum, P50, P85, reserve) is never split across pages: «Behov for nye midler 2030»
    # printed its P50 and P85 on the next page
    ws.set_h_pagebreaks(page_breaks(ws, [3, *w.blocks], r, [70] + [16] * (C_SD - C_LABEL)))
    s.protect()
    return out


# A4 portrait with the margins of Sheet.print_setup, in points: the printable height and width
PAGE_HEIGHT_PT, PAGE_WIDTH_PT = (11.69 - 2 * 0.75) * 72, (8.27 - 2 * 0.5) * 72
DEFAULT_ROW_PT = 15.0


def page_breaks(ws: Any, starts: list[int], end: int, widths: Sequence[float], fill: float = 0.9) -> list[int]:
    """Manual page breaks before blocks so that none is split: the blocks (each from its first row up to the
    next block's) are packed onto pages greedily. A sheet fitted to one page wide is scaled by the page's width
    over the columns' (a column of width w is 7·w + 5 pixels, 0,75 pt each); `fill` leaves room for the
    difference between this estimate and the spreadsheet's own layout."""
    columns_pt = sum(7 * w + 5 for w in widths) * 0.75
    scale = min(1.0, PAGE_WIDTH_PT / columns_pt)
    capacity = PAGE_HEIGHT_PT / scale * fill
    sizes = ws.row_sizes

    def height(first: int, last: int) -> float:
        return sum(sizes[row][0] if row in sizes and sizes[row][0] is not None else DEFAULT_ROW_PT
                   for row in range(first, last))

    breaks: list[int] = []
    page = 0
    for start, stop in zip(starts, [*starts[1:], end + 1]):
        if height(page, stop) > capacity and start > page:
            breaks.append(start)
            page = start
    return breaks


def _year_formula(ctx: Context, rows: Rows, range_id: str, col: int) -> str:
    """The likely figure of an item in a budget year, from Beregning."""
    est: Estimates = ctx.est

    def ref(row: int, col: int) -> str:
        return ctx.sheet_ref(beregning.SHEET, row, col)

    if range_id == "eid_renewal":
        return ref(rows.renewal, col)
    if range_id in rows.inc_kr:
        return ref(rows.inc_kr[range_id], col)
    line = rows.running_lines[range_id]
    kind = est.running_item(range_id).kind
    return f"{ref(line, col)}*kj_hourly_rate_used" if kind == "hours" else ref(line, col)
