"""Soner (locked): the employer's tax zone of every municipality (Skatteetaten's zones), which the
zone on Inndata defaults to from the municipality number."""

from __future__ import annotations

from workbook_builder.sheets.base import Context, Sheet

SHEET = "Soner"


def write(ctx: Context, s: Sheet) -> None:
    ws, est = s.ws, ctx.est
    tax = est.employer_tax
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 36)
    ws.set_column(2, 2, 12)
    ws.set_column(3, 3, 90)
    s.text(0, 0, "Soner – arbeidsgiveravgift per kommune", "title")
    source = tax.municipalities_source or "Ingen tabell i estimatfilen: sonen er standardsonen på Estimater."
    ws.merge_range(1, 0, 1, 3, source, s.fmt("muted"))
    ws.set_row(1, 30)
    r = 3
    for c, head in enumerate(("Kommunenummer", "Kommune", "Sone", "Sats")):
        s.text(r, c, head, "colhead")
    r += 1
    first = r
    numbers = sorted(tax.municipalities) or ["0000"]
    for number in numbers:
        zone = est.zone(tax.municipalities.get(number, tax.default_zone))
        s.text(r, 0, number, "constant", "text")
        s.text(r, 1, tax.municipality_names.get(number, ""), "text")
        s.text(r, 2, zone.label, "constant", "text")
        s.formula(r, 3, f'INDEX(kj_est_zone_rate,MATCH({_c(r, 2)},kj_list_zones,0))', zone.rate, "calc", "percent1")
        r += 1
    s.define("kj_est_zone_municipalities", (first, 0), (r - 1, 0), "estimate")
    s.define("kj_est_zone_of_municipality", (first, 2), (r - 1, 2), "estimate")
    ws.freeze_panes(first, 0)
    ws.autofilter(first - 1, 0, r - 1, 3)
    s.print_setup(landscape=False, last_row=r - 1, last_col=3, title="Soner")
    ws.repeat_rows(first - 1)
    s.protect(autofilter=True)


def _c(row: int, col: int) -> str:
    from workbook_builder.sheets.base import cell

    return cell(row, col)
