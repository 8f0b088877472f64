"""Oppfølging (inputs and outputs): what each line of the budget really cost in each budget year, beside the
budget in the same fixed prices (core/followup.py is the model twin of every cell).

Per line and budget year: the actual (yellow input, blank until known: hours from the time records for a line
of internal hours, kroner from the accounts in the prices of the year paid for new money), the actual in the
budget's fixed prices (the price index of the first budget year over the year paid's, from Estimater; the pay
index for stand-ins), the budget (likely), P50 and P85 of the line in that year (the successive principle, as on
Usikkerhet), the deviation in the line's unit and in %, and a status word. An invalid actual (text, negative) is
named beside its cell and left out, never an error value. A summary per year and two charts (new money,
internal hours: budget vs actual) come first.

Defined names: kj_actual_<line> (the four input cells of a line), and the table's columns kj_followup_line
(the line ids, in a hidden column), kj_followup_year, kj_followup_budget, kj_followup_p50, kj_followup_p85,
kj_followup_actual (fixed prices), kj_followup_deviation, kj_followup_share, kj_followup_status and
kj_followup_note (an actual a regeneration could not carry, as text: the reader finds it again while its cell is
blank).
"""

from __future__ import annotations

from typing import Any

from workbook_builder.core.estimates import MAX_FIGURE
from workbook_builder.core.followup import (
    ABOVE,
    BELOW,
    HOURS,
    KR,
    WITHIN,
    FollowUpLine,
    follow_up,
    line_label,
    lines,
)
from workbook_builder.core.i18n import N_
from workbook_builder.core.model import PLAN_YEARS
from workbook_builder.sheets import beregning
from workbook_builder.sheets.base import Context, Sheet, cell, excel_text, new_chart
from workbook_builder.sheets.beregning import C_YEARS, Rows
from workbook_builder.sheets.budsjett import EMPTY_AXIS, EMPTY_HOURS_AXIS, axis_title
from workbook_builder.sheets.estimater import index_formula
from workbook_builder.sheets.inndata import STATUS, _range_text
from workbook_builder.sheets.styles import NOTE_FILL, NOTE_TEXT, OK_FILL, OK_TEXT, localized

SHEET = N_("Oppfølging")  # the id; the workbook names it in its målform (Context.sheet_name)
(C_ID, C_YEAR, C_UNIT, C_IN, C_FIXED, C_BUDGET, C_P50, C_P85, C_DEV, C_SHARE, C_STATUS, C_CHECK,
 C_NOTE) = range(13)
HEADS = {C_YEAR: N_("År"), C_UNIT: N_("Enhet"), C_IN: N_("Faktisk (regnskap, timelister)"),
         C_FIXED: N_("Faktisk i faste {first}-priser"), C_BUDGET: N_("Budsjett (sannsynlig)"), C_P50: N_("P50"),
         C_P85: N_("P85"), C_DEV: N_("Avvik (faktisk − budsjett)"), C_SHARE: N_("Avvik i %"),
         C_STATUS: N_("Status"), C_CHECK: N_("Kontroll av faktisk tall"), C_NOTE: N_("Merknad")}
NUM = {HOURS: "hours", KR: "kr"}
TITLE_MONEY = N_("Nye midler: budsjett og faktisk per år (faste {first}-kroner)")
TITLE_HOURS = N_("Interne timer: budsjett og faktisk per år")


def actual_name(line_id: str) -> str:
    """The defined name of a line's four actual-input cells (one per budget year)."""
    return f"kj_actual_{line_id}"


def budget_formula(ctx: Context, rows: Rows, line: FollowUpLine, k: int) -> str:
    """The budget's figure for a line in budget year k, in the line's unit, from Beregning (model twin:
    followup.line_budget)."""
    col = C_YEARS[k]

    def ref(row: int) -> str:
        return ctx.sheet_ref(beregning.SHEET, row, col)

    if line.id == "eid_renewal":
        return ref(rows.renewal)
    if line.id in rows.inc_kr:
        return ref(rows.inc_hours[line.id] if line.unit == HOURS else rows.inc_kr[line.id])
    return ref(rows.running_lines[line.id])


def write(ctx: Context, s: Sheet, rows: Rows) -> None:
    ws, est, b = s.ws, ctx.est, ctx.budget
    p, tr = b.params, ctx.tr
    deviations = {(d.line.id, d.year): d for d in follow_up(est, b, ctx.inputs.actuals)}
    follow = lines(est)
    ws.set_column(C_ID, C_ID, 4, None, {"hidden": True})
    for col, width in ((C_YEAR, 8), (C_UNIT, 7), (C_IN, 15), (C_FIXED, 15), (C_BUDGET, 15), (C_P50, 14),
                       (C_P85, 14), (C_DEV, 15), (C_SHARE, 9), (C_STATUS, 17), (C_CHECK, 26), (C_NOTE, 30)):
        ws.set_column(col, col, width)
    s.text(0, C_YEAR, tr("Oppfølging – faktisk mot budsjett per linje og år"), "title")
    intro = tr("Fyll inn de gule cellene når tallene er kjent: timer fra timelister for interne timer, kroner fra "
               "regnskapet (uten mva, i årets kroner) for nye midler. Kronene regnes om til budsjettets faste "
               "priser med prisindeksen på Estimater (lønnsindeksen for vikarer), så et avvik er et reelt avvik, "
               "ikke prisvekst. Status sammenligner med linjens spenn i året: under P50, innenfor P50–P85 eller "
               "over P85 (kostnadsrammen). Tomme celler er ikke med.")
    ws.merge_range(1, C_YEAR, 1, C_NOTE, intro, s.fmt("muted"))
    ws.set_row(1, 44)
    years = [ctx.sheet_ref(beregning.SHEET, rows.year, C_YEARS[k]) for k in range(PLAN_YEARS)]

    # ---------------------------------------------------------------- the table: a block per line
    table_first = 4 + 2 + PLAN_YEARS + 2  # under the summary
    r = table_first
    s.band(r, tr("Per linje og budsjettår"), C_NOTE, first_col=C_YEAR)
    r += 1
    head_values = {"first": p.first_year}
    for col, head in HEADS.items():
        if col == C_FIXED:
            formula, value = ctx.template(head, {"first": "kj_first_year_used"}, **head_values)
            s.formula(r, col, formula, value, "colhead_r")
        else:
            s.text(r, col, tr(head), "colhead" if col in (C_YEAR, C_UNIT, C_STATUS, C_CHECK, C_NOTE) else "colhead_r",
                   indent=int(col == C_STATUS))  # a gap after «Avvik i %»
    ws.set_row(r, 30)
    r += 1
    first_row = r
    invalid_number = excel_text(tr(STATUS["number"]))
    invalid_range = excel_text(tr(STATUS["range"], range=_range_text(ctx, 0, MAX_FIGURE)))
    words = {w: excel_text(tr(w)) for w in (BELOW, WITHIN, ABOVE)}
    for line in follow:
        label = line_label(est, line, ctx.malform)
        s.band(r, label, C_NOTE, "section", first_col=C_YEAR)
        s.fit_height(r, (label, 150))
        r += 1
        first = r
        unit, num = tr(line.unit), NUM[line.unit]
        for k in range(PLAN_YEARS):
            year = p.first_year + k
            d = deviations[(line.id, year)]
            s.text(r, C_ID, line.id, "note")
            s.formula(r, C_YEAR, years[k], year, "calc", "year_left")
            s.text(r, C_UNIT, unit, "unit")
            _write_input(s, r, d.actual_nominal, num)
            a = cell(r, C_IN)
            s.formula(r, C_CHECK, f'IF({a}="","",IF(ISNUMBER({a}),IF(OR({a}<0,{a}>{MAX_FIGURE:d}),{invalid_range},""),'
                                  f"{invalid_number}))", "", "status")
            ok = f'AND({a}<>"",{cell(r, C_CHECK)}="")'
            if line.unit == HOURS:
                fixed = f'IF({ok},{a},"")'
            else:
                y = cell(r, C_YEAR)
                fixed = (f'IF({ok},{a}*{index_formula(line.wage, "kj_first_year_used")}/'
                         f'{index_formula(line.wage, y)},"")')
            s.formula(r, C_FIXED, fixed, d.actual, "calc", num)
            m = cell(r, C_BUDGET)
            s.formula(r, C_BUDGET, budget_formula(ctx, rows, line, k), d.budget, "calc", num)
            low, high = f"{m}*(1+kj_calc_low_{line.id})", f"{m}*(1+kj_calc_high_{line.id})"
            s.formula(r, C_P50, f"({low}+kj_successive_weight*{m}+{high})/kj_successive_divisor", d.p50, "calc", num)
            s.formula(r, C_P85, f"{cell(r, C_P50)}+kj_est_p85_z*({high}-{low})/kj_successive_divisor", d.p85, "calc",
                      num)
            f_ = cell(r, C_FIXED)
            s.formula(r, C_DEV, f'IF({f_}="","",{f_}-{m})', d.deviation, "calc", num)
            s.formula(r, C_SHARE, f'IF(OR({f_}="",{m}=0),"",({f_}-{m})/{m})', d.deviation_share, "calc", "percent1")
            s.formula(r, C_STATUS, f'IF({f_}="","",IF({f_}>{cell(r, C_P85)},{words[ABOVE]},'
                                   f'IF({f_}<{cell(r, C_P50)},{words[BELOW]},{words[WITHIN]})))',
                      tr(d.status) if d.status else "", "bold", indent=1)
            note = ctx.input_notes.get(f"{actual_name(line.id)}#{k + 1}")
            if note:
                s.text(r, C_NOTE, note, "status")
            r += 1
        s.define(actual_name(line.id), (first, C_IN), (r - 1, C_IN), "input")
        ws.data_validation(first, C_IN, r - 1, C_IN, _validation(ctx, line, label))
    last_row = r - 1
    for name, col in (("kj_followup_line", C_ID), ("kj_followup_year", C_YEAR), ("kj_followup_budget", C_BUDGET),
                      ("kj_followup_note", C_NOTE),
                      ("kj_followup_p50", C_P50), ("kj_followup_p85", C_P85), ("kj_followup_actual", C_FIXED),
                      ("kj_followup_deviation", C_DEV), ("kj_followup_share", C_SHARE),
                      ("kj_followup_status", C_STATUS)):
        s.define(name, (first_row, col), (last_row, col), "working")
    for word, (fill, font) in ((WITHIN, (OK_FILL, OK_TEXT)), (ABOVE, (NOTE_FILL, NOTE_TEXT))):
        ws.conditional_format(first_row, C_STATUS, last_row, C_STATUS, {
            "type": "cell", "criteria": "==", "value": excel_text(tr(word)),
            "format": ctx.wb.add_format({"bg_color": fill, "font_color": font})})

    # ---------------------------------------------------------------- the summary per year, and the charts
    _summary(ctx, s, 3, years, list(deviations.values()), (first_row, last_row))
    chart_row = last_row + 2
    _charts(ctx, s, chart_row)
    s.print_setup(landscape=True, last_row=chart_row + 17, last_col=C_NOTE)
    ws.repeat_rows(table_first + 1)
    s.protect()


SUMMARY_HEADS = (N_("År"), N_("Nye midler: budsjett for linjene med faktisk tall"), N_("Nye midler: faktisk"),
                 N_("Avvik"), N_("Interne timer: budsjett for linjene med faktisk tall"), N_("Interne timer: faktisk"),
                 N_("Avvik"), N_("Linjer med faktisk tall"))
SUMMARY_COLS = (C_YEAR, C_IN, C_FIXED, C_BUDGET, C_P50, C_P85, C_DEV, C_STATUS)


def _summary(ctx: Context, s: Sheet, r: int, years: list[str], devs: list[Any], table: tuple[int, int]) -> None:
    """Per budget year: the budget of the lines whose actual is known beside the actual, new money (kr) and
    internal hours apart (never added together), and how many lines are known."""
    tr, b = ctx.tr, ctx.budget
    s.band(r, tr("Samlet per år (bare linjene med faktisk tall)"), C_NOTE, first_col=C_YEAR)
    r += 1
    for col in (C_UNIT, C_SHARE):
        s.blank(r, col, "colhead")
    for col, head in zip(SUMMARY_COLS, SUMMARY_HEADS):
        s.text(r, col, tr(head), "colhead" if col in (C_YEAR, C_STATUS) else "colhead_r")
    s.ws.set_row(r, 44)
    r += 1
    first, last = table

    def rng(col: int) -> str:
        return f"{cell(first, col, True)}:{cell(last, col, True)}"

    for k, y in enumerate(b.years):
        year = cell(r, C_YEAR)
        s.formula(r, C_YEAR, years[k], y.year, "bold", "year_left")
        for unit, c_budget, c_actual, c_dev in ((KR, C_IN, C_FIXED, C_BUDGET), (HOURS, C_P50, C_P85, C_DEV)):
            known = [d for d in devs if d.year == y.year and d.line.unit == unit and d.actual is not None]
            budget = sum(d.budget for d in known)
            actual = sum(d.actual for d in known)
            unit_text = excel_text(tr(unit))
            s.formula(r, c_budget, f"SUMPRODUCT(({rng(C_UNIT)}={unit_text})*({rng(C_YEAR)}={year})"
                                   f"*ISNUMBER({rng(C_FIXED)})*{rng(C_BUDGET)})", budget, "calc", NUM[unit])
            s.formula(r, c_actual, f"SUMIFS({rng(C_FIXED)},{rng(C_UNIT)},{unit_text},{rng(C_YEAR)},{year})", actual,
                      "calc", NUM[unit])
            s.formula(r, c_dev, f"{cell(r, c_actual)}-{cell(r, c_budget)}", actual - budget, "calc", NUM[unit])
        n_known = sum(1 for d in devs if d.year == y.year and d.actual is not None)
        n_lines = sum(1 for d in devs if d.year == y.year)
        s.formula(r, C_STATUS, f'SUMPRODUCT(({rng(C_YEAR)}={year})*ISNUMBER({rng(C_FIXED)}))&" / "&'
                              f'COUNTIF({rng(C_YEAR)},{year})', f"{n_known} / {n_lines}", "calc")
        r += 1


def _charts(ctx: Context, s: Sheet, r: int) -> None:
    """Two column charts, budget beside actual per year: new money (kr) and internal hours."""
    tr, p = ctx.tr, ctx.budget.params
    s.band(r, tr("Diagram"), C_NOTE, "section", first_col=C_YEAR)
    title_money, value_money = ctx.template(TITLE_MONEY, {"first": "kj_first_year_used"}, first=p.first_year)
    s.formula(r + 1, C_YEAR, title_money, value_money, "note")
    s.text(r + 2, C_YEAR, tr(TITLE_HOURS), "note")
    top = 5  # the summary's first year row (_summary starts at row 3)
    cats = [s.name, top, C_YEAR, top + PLAN_YEARS - 1, C_YEAR]
    # the value axis as on Budsjett: while no actual is entered the charts are empty, and a plain «#,##0" kr"»
    # then labels the ticks 0, 0.5 and 1 as «0 kr», «1 kr», «1 kr»
    specs = ((r + 1, C_IN, C_FIXED, EMPTY_AXIS, tr("kr"), C_YEAR),
             (r + 2, C_P50, C_P85, EMPTY_HOURS_AXIS, tr("timer"), C_DEV))
    for title_row, c_budget, c_actual, axis, unit, col in specs:
        chart = new_chart(ctx.wb, {"type": "column"})
        for c, colour in ((c_budget, "#8FAADC"), (c_actual, "#2F5597")):
            name = tr("Budsjett") if c == c_budget else tr("Faktisk")
            chart.add_series({"name": name, "categories": cats, "values": [s.name, top, c, top + PLAN_YEARS - 1, c],
                              "fill": {"color": colour}, "gap": 80})
        chart.set_title({"name": [s.name, title_row, C_YEAR],
                         "name_font": {"name": "Calibri", "size": 11, "bold": True}})
        chart.set_y_axis({"num_format": localized(axis, ctx.malform), "min": 0,
                          "num_font": {"name": "Calibri", "size": 9},
                          "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}, **axis_title(unit)})
        chart.set_x_axis({"num_font": {"name": "Calibri", "size": 10}, "num_format": "0",
                          **axis_title(tr("Budsjettår"))})
        chart.set_legend({"position": "bottom", "font": {"name": "Calibri", "size": 10}})
        chart.set_size({"width": 520, "height": 280})
        chart.set_chartarea({"border": {"none": True}})
        s.ws.insert_chart(r + 3, col, chart, {"x_offset": 5, "y_offset": 5, "object_position": 1})


def _write_input(s: Sheet, row: int, value: float | None, num: str) -> None:
    if value is None:
        s.blank(row, C_IN, "input", num)
    else:
        s.ws.write_number(row, C_IN, value, s.fmt("input", num))


def _validation(ctx: Context, line: FollowUpLine, label: str) -> dict[str, Any]:
    """A number from 0, in the line's unit, with a help text in the workbook's målform."""
    tr = ctx.tr
    if line.unit == HOURS:
        message = tr("Timer brukt på linjen i året, fra timelistene. Tomt til tallet er kjent.")
    else:
        message = tr("Kroner uten mva fra regnskapet, i årets kroner (regnes om til faste priser). Tomt til "
                     "tallet er kjent.")
    title = label if len(label) <= 32 else label[:31].rsplit(" ", 1)[0] + "…"
    return {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": MAX_FIGURE,
            "input_title": title, "input_message": message[:255], "error_title": tr("Ugyldig verdi"),
            "error_message": tr("Skriv et tall {range}.", range=_range_text(ctx, 0, MAX_FIGURE)),
            "ignore_blank": True}
