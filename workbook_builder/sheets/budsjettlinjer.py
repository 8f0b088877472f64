"""Budsjettlinjer (locked output): the new money as lines for the budget system, one row per budget
year × KOSTRA function × KOSTRA art, in kr and 1 000 kr, with the ansvar and prosjekt codes from
Inndata and a text. Internal hours are not here: they are carried by pay already in the budget."""

from __future__ import annotations

from workbook_builder.core.i18n import N_
from workbook_builder.core.model import accounting_arts, cash_line_specs
from workbook_builder.sheets import beregning
from workbook_builder.sheets.base import Context, Sheet, cell
from workbook_builder.sheets.beregning import C_YEARS, Rows

SHEET = N_("Budsjettlinjer")  # the id; the workbook names it in its målform (Context.sheet_name)
HEADS = (N_("År"), N_("Ansvar"), N_("Funksjon"), N_("Funksjon (navn)"), N_("Art"), N_("Art (navn)"), N_("Prosjekt"),
         N_("Beløp"), N_("Beløp"), N_("Tekst"))
UNITS = ("", "", "", "", "", "", "", N_("kr"), N_("1 000 kr"), "")
SUBTITLE = N_("Faste {first}-kroner, uten mva. Driftsbudsjettet ({plan}). Kopier radene til budsjettsystemet; tomme "
              "rader (0) kan filtreres bort.")
C_YEAR, C_ANSVAR, C_FUNC, C_FUNC_NAME, C_ART, C_ART_NAME, C_PROSJEKT, C_KR, C_THOUSAND, C_TEXT = range(10)


def write(ctx: Context, s: Sheet, rows: Rows) -> None:
    ws, est, b = s.ws, ctx.est, ctx.budget
    tr = ctx.tr

    def ref(row: int, col: int, absolute: bool = False) -> str:
        return ctx.sheet_ref(beregning.SHEET, row, col, absolute)

    p = b.params
    acc = est.accounting
    for col, width in ((C_YEAR, 7), (C_ANSVAR, 10), (C_FUNC, 9), (C_FUNC_NAME, 40), (C_ART, 6), (C_ART_NAME, 50),
                       (C_PROSJEKT, 10), (C_KR, 13), (C_THOUSAND, 11), (C_TEXT, 90)):
        ws.set_column(col, col, width)
    s.text(0, 0, tr("Budsjettlinjer – nye midler per år, KOSTRA-funksjon og art"), "title")
    subtitle, subtitle_value = ctx.template(SUBTITLE, {"first": "kj_first_year_used"}, first=p.first_year,
                                            plan=ctx.text(acc.plan))
    s.formula(1, 0, subtitle, subtitle_value, "subtitle")
    s.text(2, 0, tr("Interne timer er ikke med: de bæres av lønn som allerede er budsjettert (se Budsjett, del 2). "
                    "Vikarutgiftene er fordelt på lønn, pensjon og arbeidsgiveravgift etter timekostnadens deler."),
           "note")
    r = 4
    for col, (head, unit) in enumerate(zip(HEADS, UNITS)):
        s.text(r, col, f"{tr(head)} ({tr(unit)})" if unit else tr(head),
               "colhead_r" if col in (C_KR, C_THOUSAND) else "colhead", indent=int(col == C_TEXT))
    ws.set_row(r, 30)
    r += 1
    first = r
    functions = ctx.register.names["kj_est_line_functions"]
    specs = cash_line_specs(est)
    lines = iter(b.accounting_lines)
    for k, col in enumerate(C_YEARS):
        for fi, f in enumerate(est.function_codes):
            code_ref = f"'{functions.sheet}'!{cell(functions.first[0] + fi, functions.first[1], True)}"
            for art in accounting_arts(est):
                line = next(lines)
                assert (line.year, line.function, line.art) == (p.first_year + k, f, art)
                s.formula(r, C_YEAR, ref(rows.year, col, True), line.year, "calc", "year_left")
                s.formula(r, C_ANSVAR, 'IF(kj_ansvar="","",kj_ansvar)', ctx.inputs.ansvar, "calc", "text")
                s.formula(r, C_FUNC, code_ref, f, "calc", "text")
                s.formula(r, C_FUNC_NAME, f"INDEX(kj_est_function_labels,MATCH({cell(r, C_FUNC)},"
                                          f"kj_est_function_codes,0))", ctx.text(acc.function(f).label), "calc")
                s.text(r, C_ART, art, "constant", "text")
                s.formula(r, C_ART_NAME, f"INDEX(kj_est_art_labels,MATCH({cell(r, C_ART)},kj_est_art_codes,0))",
                          ctx.text(acc.art(art).label), "calc")
                s.formula(r, C_PROSJEKT, 'IF(kj_prosjekt="","",kj_prosjekt)', ctx.inputs.prosjekt, "calc", "text")
                parts = []
                for line_id, _label, line_art, allocation in specs:
                    if line_art != art:
                        continue
                    if allocation == "steps":
                        parts.append(ref(rows.renewal_by_function[f], col))
                    else:
                        parts.append(f"{ref(rows.cash_lines[line_id], col)}*{ref(rows.shares[(allocation, f)], col)}")
                s.formula(r, C_KR, "+".join(parts), line.kr, "calc", "kr")
                s.formula(r, C_THOUSAND, f"ROUND({cell(r, C_KR)}/kj_thousand,0)", line.thousand_kr, "calc", "thousand")
                s.text(r, C_TEXT, line.text, "text", indent=1)  # a gap after the figures in 1 000 kr
                r += 1
    last = r - 1
    for name, col in (("kj_lines_year", C_YEAR), ("kj_lines_function", C_FUNC), ("kj_lines_art", C_ART),
                      ("kj_lines_kr", C_KR), ("kj_lines_thousand_kr", C_THOUSAND), ("kj_lines_text", C_TEXT)):
        s.define(name, (first, col), (last, col), "working")
    total = sum(line.kr for line in b.accounting_lines)
    s.text(r, C_YEAR, tr("Sum"), "total")
    for col in range(C_ANSVAR, C_KR):
        s.blank(r, col, "total")
    s.formula(r, C_KR, f"SUM({cell(first, C_KR)}:{cell(last, C_KR)})", total, "total", "kr")
    s.formula(r, C_THOUSAND, f"SUM({cell(first, C_THOUSAND)}:{cell(last, C_THOUSAND)})",
              sum(line.thousand_kr for line in b.accounting_lines), "total", "thousand")
    s.define("kj_lines_total_kr", (r, C_KR), None, "working")
    s.text(r, C_TEXT, tr("Skal være lik «Behov for nye midler» på Budsjett (kontrolleres på Kontroll). Summen i "
                         "1 000 kr kan avvike litt på grunn av avrunding per linje."), "note", indent=1)
    zero = {"type": "cell", "criteria": "==", "value": 0, "format": ctx.wb.add_format({"font_color": "#A6A6A6"})}
    ws.conditional_format(first, C_KR, last, C_THOUSAND, zero)
    ws.autofilter(first - 1, C_YEAR, last, C_TEXT)
    ws.freeze_panes(first, 0)
    s.print_setup(landscape=True, last_row=r, last_col=C_TEXT)
    ws.repeat_rows(first - 1)
    s.protect(autofilter=True)
