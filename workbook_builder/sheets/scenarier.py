"""Scenarier (locked): the note's tables (one column per reference size of the estimates) reproduced,
beside the municipality's own case."""

from __future__ import annotations

from workbook_builder.core.estimates import Item
from workbook_builder.core.i18n import N_
from workbook_builder.core.model import eid_cost
from workbook_builder.sheets import beregning
from workbook_builder.sheets.base import Context, Sheet, cell, excel_text
from workbook_builder.sheets.beregning import C_TOTAL, Rows

SHEET = N_("Scenarier")  # the id; the workbook names it in its målform (Context.sheet_name)
OWN = N_("Eget: {staff}")  # the head of the municipality's own column: its number of health personnel


def write(ctx: Context, s: Sheet, rows: Rows) -> None:
    ws, est, b = s.ws, ctx.est, ctx.budget
    p, rate = b.params, b.params.hourly_rate
    tr, text = ctx.tr, ctx.text

    def _b(row: int) -> str:
        return ctx.sheet_ref(beregning.SHEET, row, C_TOTAL)

    sizes = est.sizes.values
    c0 = 2
    c_own = c0 + len(sizes)
    ws.set_column(0, 0, 82)
    ws.set_column(1, 1, 10)
    ws.set_column(c0, c_own, 15)
    s.text(0, 0, tr("Scenarier – notatets omfang og kommunens eget tilfelle"), "title")
    s.text(1, 0, tr("Notatets tabeller gjengitt ({year}-kroner; e-ID med PKI-kort og kortlesere, som i notatet). "
                    "Timer regnes om til kroner med timekostnaden budsjettet bruker, og kjøp prisjusteres til "
                    "budsjettåret. Siste kolonne er kommunens tall fra Beregning (budsjettårets kroner).",
                    year=est.price_year), "note")
    r = 3
    s.text(r, 0, tr("Linje"), "colhead")
    s.text(r, 1, tr("Enhet"), "colhead")
    for k, size in enumerate(sizes):
        s.formula(r, c0 + k, f"INDEX(kj_est_sizes,{k + 1})", size, "colhead_r", "size")
    own_head, own_value = ctx.template(OWN, {"staff": _b(rows.staff)}, staff=b.total_staff)
    s.formula(r, c_own, own_head, own_value, "colhead_r")
    r += 1
    hours_rows: list[tuple[Item, int]] = []
    purchase_rows: list[tuple[Item, int]] = []
    for item in est.items:
        s.text(r, 0, text(item.label), "text")
        s.text(r, 1, text(item.unit), "unit")
        num = "count" if item.kind == "hours" else "kr"
        for k in range(len(sizes)):
            if item.values is not None:
                s.formula(r, c0 + k, f"INDEX(kj_est_{item.id},{k + 1})", item.values[k], "calc", num)
            elif item.published is not None:
                s.formula(r, c0 + k, f"INDEX(kj_est_{item.id}_published,{k + 1})", item.published[k], "calc", num)
            else:
                note = tr("beregnes") if item.kind == "standin" else tr("ingen sum")
                s.ws.write_string(r, c0 + k, note, s.fmt("unit", align="right"))
        own = b.one_off.item(item.id)
        if item.id == "vendor_module":
            missing = tr("mangler")
            s.formula(r, c_own, f'IF(kj_vendor_module_missing=1,{excel_text(missing)},{_b(rows.kr["vendor_module"])})',
                      missing if b.one_off.vendor_module_missing else own.purchase_kr, "calc", num)
        else:
            value = own.hours if item.kind == "hours" else own.cash_kr
            s.formula(r, c_own, _b(rows.qty[item.id]), value, "calc", num)
        if item.kind != "standin":
            (hours_rows if item.kind == "hours" else purchase_rows).append((item, r))
        r += 1
    r_h, r_hk, r_p, r_pl, r_t = r, r + 1, r + 2, r + 3, r + 4
    for row, label, unit in ((r_h, tr("Interne timer"), tr("timer")),
                             (r_hk, tr("Interne ressurser i kroner"), tr("kr")),
                             (r_p, tr("Kjøp av varer og tjenester ({year}-kroner)", year=est.price_year), tr("kr")),
                             (r_pl, tr("Kjøp av varer og tjenester, prisjustert til budsjettåret"), tr("kr")),
                             (r_t, tr("Engangskostnad i alt (budsjettårets kroner)"), tr("kr"))):
        s.text(row, 0, label, "total")
        s.text(row, 1, unit, "unit")
    for k in range(len(sizes)):
        c = c0 + k
        hours = sum(item.values[k] for item, _ in hours_rows if item.values is not None)  # hours items have values
        purchase = sum((item.values[k] if item.values else item.published[k] if item.published else 0.0)
                       for item, _ in purchase_rows)
        s.formula(r_h, c, "+".join(cell(row, c) for _, row in hours_rows), hours, "total", "count")
        s.formula(r_hk, c, f"{cell(r_h, c)}*kj_hourly_rate_used", hours * rate, "total", "kr")
        s.formula(r_p, c, f"SUM({','.join(cell(row, c) for _, row in purchase_rows)})", purchase, "total", "kr")
        s.formula(r_pl, c, f"{cell(r_p, c)}*kj_calc_price_factor", purchase * p.price_factor, "total", "kr")
        s.formula(r_t, c, f"{cell(r_hk, c)}+{cell(r_pl, c)}", hours * rate + purchase * p.price_factor, "key", "kr")
    o = b.one_off
    s.formula(r_h, c_own, _b(rows.total_hours), o.total_hours, "total", "count")
    s.formula(r_hk, c_own, f"{cell(r_h, c_own)}*kj_hourly_rate_used", o.total_hours * rate, "total", "kr")
    s.text(r_p, c_own, "–", "unit", align="right")  # in place of a figure, where the figures stand
    s.formula(r_pl, c_own, f"{_b(rows.total_purchase)}+{_b(rows.total_standin)}", o.cash_kr, "total", "kr")
    s.formula(r_t, c_own, _b(rows.total_kr), o.total_kr, "key", "kr")
    s.text(r_t + 1, 0, tr("Kommunens egne tall har med vikarer under opplæring; notatets tabeller har dem ikke."),
           "note")
    r += 7
    s.band(r, tr("Kontroll: notatets e-ID-summer = personer × kortpris + kortlesere × leserpris ({year}-kroner)",
                 year=est.price_year), c_own, "section")
    r += 1
    s.text(r, 0, tr("e-ID beregnet fra enhetsprisene (PKI-kort)"), "label")
    s.text(r, 1, tr("kr"), "unit")
    pki = next((k for k, o_ in enumerate(est.eid_options) if o_.readers), 0)
    for k, size in enumerate(sizes):
        value = eid_cost(est, int(size), est.eid_options[pki].id)[2]
        s.formula(r, c0 + k, f"{cell(3, c0 + k)}*INDEX(kj_est_eid_price,{pki + 1})+INDEX(kj_est_readers,{k + 1})"
                             f"*kj_est_reader_kr", value, "calc", "kr")
    s.print_setup(landscape=True, last_row=r, last_col=c_own)
    s.protect()
