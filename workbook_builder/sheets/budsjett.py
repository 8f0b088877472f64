"""Budsjett (locked output): key figures, one-off cost by track and kind per budget year, running
costs, benefits and payback, a chart of cost by year and track, and the master check."""

from __future__ import annotations

from ..cells import list_label
from ..model import PLAN_YEARS
from . import beregning
from .base import Context, Sheet, cell
from .beregning import C_TOTAL, C_YEARS, Rows

SHEET = "Budsjett"
C_LABEL, C_UNIT = 0, 1
C_Y = tuple(range(2, 2 + PLAN_YEARS))
C_SUM = 2 + PLAN_YEARS


def ref(row: int, col: int) -> str:
    return f"'{beregning.SHEET}'!{cell(row, col)}"


def write(ctx: Context, s: Sheet, rows: Rows) -> None:
    ws, b, est = s.ws, ctx.budget, ctx.est
    p = b.params
    ws.set_column(C_LABEL, C_LABEL, 46)
    ws.set_column(C_UNIT, C_UNIT, 11)
    ws.set_column(C_Y[0], C_SUM, 15)
    muni = ctx.inputs.municipality
    s.formula(0, 0, 'IF(kj_municipality="","Budsjett for innføring av kjernejournal",'
                    '"Budsjett for innføring av kjernejournal – "&kj_municipality)',
              "Budsjett for innføring av kjernejournal" + (f" – {muni}" if muni else ""), "title")
    s.formula(1, 0, f'"Økonomiplan "&kj_first_year_used&"–"&kj_last_year&". Kilde: {est.name}, estimatsett '
                    f'{est.id} versjon {est.version}. Bygget {ctx.today:%d.%m.%Y}."',
              f"Økonomiplan {p.first_year}–{p.last_year}. Kilde: {est.name}, estimatsett {est.id} versjon "
              f"{est.version}. Bygget {ctx.today:%d.%m.%Y}.", "subtitle")
    r = 3
    s.text(r, C_LABEL, "Samlet kontroll", "bold")
    s.formula(r, C_UNIT, "kj_master_check", b.master_check, "check")
    ws.merge_range(r, C_Y[0], r, C_SUM, "", s.fmt("bold"))
    s.formula(r, C_Y[0], "kj_master_message", b.master_message, "bold")
    for text, fmt in ctx.fmt.status_rules():
        ws.conditional_format(r, C_UNIT, r, C_UNIT, {"type": "cell", "criteria": "==", "value": f'"{text}"',
                                                     "format": fmt})

    # ---------------------------------------------------------------- key figures
    r += 2
    s.band(r, "Nøkkeltall", C_SUM)
    r += 1
    tot = C_TOTAL
    vendor = list_label(est, "vendor", ctx.inputs.vendor) or "ikke valgt"
    key = [
        ("kj_total_staff", "Helsepersonell i alle trinn", "personer", ref(rows.staff, tot), b.total_staff, "count"),
        (None, "e-ID", "", "kj_eid_used", est.eid_option(p.eid).label, None),
        (None, "EPJ-leverandør", "", 'IF(kj_vendor_used="","ikke valgt",kj_vendor_used)', vendor, None),
        (None, "Timekostnad for interne ressurser", "kr per time", "kj_hourly_rate_used", p.hourly_rate, "kr"),
        ("kj_total_hours", "Engangs: interne timer", "timer", ref(rows.total_hours, tot), b.one_off.total_hours,
         "count"),
        ("kj_total_purchase_kr", "Engangs: kjøp av varer", "kr", ref(rows.total_purchase, tot),
         b.one_off.total_purchase_kr, "kr"),
        ("kj_total_kr", "Engangskostnad i alt", "kr", ref(rows.total_kr, tot), b.one_off.total_kr, "kr"),
        ("kj_running_kr_per_year", "Driftskostnad per år (alle trinn i drift)", "kr per år",
         ref(rows.running_kr, tot), b.running.total_kr, "kr"),
        ("kj_benefit_hours_per_year", "Gevinst per år: frigjort tid", "timer per år", ref(rows.benefit_hours, tot),
         b.benefit.hours, "count"),
        ("kj_benefit_kr_per_year", "Gevinst per år i kroner", "kr per år", ref(rows.benefit_kr, tot),
         b.benefit.kr, "kr"),
        ("kj_payback_years", "Tilbakebetalingstid", "år", "kj_calc_payback", b.payback_years, "years"),
        ("kj_outside_basis", "Utenfor notatets estimatgrunnlag (30–400)", "", "kj_calc_outside_basis",
         int(b.one_off.outside_basis), "flag"),
        ("kj_vendor_module_missing", "Pris for leverandørmodul mangler", "", "kj_calc_vendor_missing",
         int(b.one_off.vendor_module_missing), "flag"),
    ]
    for name, label, unit, formula, value, num in key:
        headline = name in ("kj_total_kr", "kj_running_kr_per_year", "kj_benefit_kr_per_year", "kj_payback_years")
        s.text(r, C_LABEL, label, "bold" if headline else "label")
        s.text(r, C_UNIT, unit, "unit")
        s.formula(r, C_Y[0], formula, value, "key" if headline else "calc", num)
        if name:
            s.define(name, (r, C_Y[0]), None, "output")
        if name == "kj_payback_years":
            s.formula(r, C_Y[1], 'IF(kj_payback_years="","Betaler seg ikke tilbake med disse tallene '
                                 '(gevinst minus drift er ikke positiv)","")',
                      "" if b.payback_years is not None else
                      "Betaler seg ikke tilbake med disse tallene (gevinst minus drift er ikke positiv)", "note")
        r += 1

    # ---------------------------------------------------------------- per budget year
    r += 1
    s.band(r, "Per budsjettår", C_SUM)
    r += 1
    s.text(r, C_LABEL, "Post", "colhead")
    s.text(r, C_UNIT, "Enhet", "colhead")
    year_row = r
    for k, c in enumerate(C_Y):
        s.formula(r, c, ref(rows.year, C_YEARS[k]), p.first_year + k, "colhead_r", "year")
    s.define("kj_year", (r, C_Y[0]), (r, C_Y[-1]), "output")
    s.text(r, C_SUM, "Sum 4 år", "colhead_r")
    r += 1
    years = b.years
    tracks = {i.id: i.track for i in est.items}

    def track_sum(y, track: str, kind: str | None, hours: bool = False) -> float:
        return sum((y.item_hours[i] if hours else y.item_kr[i]) for i in y.item_kr
                   if tracks[i] == track and (kind is None or est.item(i).kind == kind))

    lines = [
        ("Organisering: interne timer", "timer", rows.track_hours.get("organisering"),
         lambda y: track_sum(y, "organisering", "hours", True), "count", "label"),
        ("Organisering: interne ressurser", "kr", rows.track_kr.get("organisering"),
         lambda y: track_sum(y, "organisering", "hours"), "kr", "label"),
        ("Teknisk: interne timer", "timer", rows.track_hours.get("teknisk"),
         lambda y: track_sum(y, "teknisk", "hours", True), "count", "label"),
        ("Teknisk: interne ressurser", "kr", rows.track_kr.get("teknisk"),
         lambda y: track_sum(y, "teknisk", "hours"), "kr", "label"),
        ("Teknisk: kjøp av varer (e-ID, bistand, modul)", "kr", rows.track_purchase.get("teknisk"),
         lambda y: track_sum(y, "teknisk", "purchase"), "kr", "label"),
        ("Engangskostnader", "kr", rows.year_kr, lambda y: y.one_off_kr, "kr", "total"),
        ("Driftskostnader", "kr", rows.running_kr, lambda y: y.running_kr, "kr", "label"),
        ("Kostnader i alt", "kr", None, lambda y: y.one_off_kr + y.running_kr, "kr", "total"),
        ("Gevinst: frigjort tid", "timer", rows.benefit_hours, lambda y: y.benefit_hours, "count", "label"),
        ("Gevinst i kroner", "kr", rows.benefit_kr, lambda y: y.benefit_kr, "kr", "label"),
        ("Netto (gevinst − kostnader)", "kr", rows.net_kr, lambda y: y.net_kr, "kr", "total"),
    ]
    named = {"Engangskostnader": "kj_year_one_off_kr", "Driftskostnader": "kj_year_running_kr",
             "Gevinst i kroner": "kj_year_benefit_kr", "Netto (gevinst − kostnader)": "kj_year_net_kr"}
    line_rows: dict[str, int] = {}
    for label, unit, src_row, value_of, num, role in lines:
        line_rows[label] = r
        s.text(r, C_LABEL, label, "bold" if role == "total" else "label")
        s.text(r, C_UNIT, unit, "unit")
        for k, c in enumerate(C_Y):
            if src_row is None:
                formula = f"{cell(line_rows['Engangskostnader'], c)}+{cell(line_rows['Driftskostnader'], c)}"
            else:
                formula = ref(src_row, C_YEARS[k])
            s.formula(r, c, formula, value_of(years[k]), role if role == "total" else "calc", num)
        s.formula(r, C_SUM, f"SUM({cell(r, C_Y[0])}:{cell(r, C_Y[-1])})", sum(value_of(y) for y in years),
                  "total" if role == "total" else "bold", num)
        if label in named:
            s.define(named[label], (r, C_Y[0]), (r, C_Y[-1]), "output")
        r += 1
    ws.merge_range(r, C_LABEL, r, C_SUM, "Timer er kommunens egne ansattes tid (timer × timekostnad). Gevinsten "
                   "er frigjort tid, ikke innsparte kroner. Driftskostnader regnes fra året hvert trinn starter.",
                   s.fmt("muted"))
    ws.set_row(r, 30)
    r += 2

    # ---------------------------------------------------------------- chart data and chart
    s.band(r, "Kostnad per spor (til diagrammet)", C_SUM, "section")
    r += 1
    chart_rows = []
    for label, parts, value_of in (
        ("Organisering", [line_rows["Organisering: interne ressurser"]],
         lambda y: track_sum(y, "organisering", None)),
        ("Teknisk", [line_rows["Teknisk: interne ressurser"],
                     line_rows["Teknisk: kjøp av varer (e-ID, bistand, modul)"]],
         lambda y: track_sum(y, "teknisk", None)),
        ("Drift", [line_rows["Driftskostnader"]], lambda y: y.running_kr),
    ):
        s.text(r, C_LABEL, label, "label")
        s.text(r, C_UNIT, "kr", "unit")
        for k, c in enumerate(C_Y):
            s.formula(r, c, "+".join(cell(pr, c) for pr in parts), value_of(years[k]), "calc", "kr")
        s.formula(r, C_SUM, f"SUM({cell(r, C_Y[0])}:{cell(r, C_Y[-1])})", sum(value_of(y) for y in years),
                  "calc", "kr")
        chart_rows.append((label, r))
        r += 1
    chart = ctx.wb.add_chart({"type": "column", "subtype": "stacked"})
    colours = {"Organisering": "#2F5597", "Teknisk": "#8FAADC", "Drift": "#F4B183"}
    for label, row in chart_rows:
        chart.add_series({
            "name": label,
            "categories": [SHEET, year_row, C_Y[0], year_row, C_Y[-1]],
            "values": [SHEET, row, C_Y[0], row, C_Y[-1]],
            "fill": {"color": colours[label]},
            "gap": 60,
        })
    benefit_line = ctx.wb.add_chart({"type": "line"})
    benefit_line.add_series({
        "name": "Gevinst (frigjort tid i kr)",
        "categories": [SHEET, year_row, C_Y[0], year_row, C_Y[-1]],
        "values": [SHEET, line_rows["Gevinst i kroner"], C_Y[0], line_rows["Gevinst i kroner"], C_Y[-1]],
        "line": {"color": "#548235", "width": 2.25},
        "marker": {"type": "circle", "size": 6, "fill": {"color": "#548235"}, "border": {"color": "#548235"}},
    })
    chart.combine(benefit_line)
    chart.set_title({"name": "Kostnad per år og spor", "name_font": {"name": "Calibri", "size": 12, "bold": True}})
    chart.set_y_axis({"num_format": '#,##0" kr"', "num_font": {"name": "Calibri", "size": 9},
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"num_font": {"name": "Calibri", "size": 10}, "num_format": "0"})
    chart.set_legend({"position": "bottom", "font": {"name": "Calibri", "size": 10}})
    chart.set_size({"width": 760, "height": 330})
    chart.set_chartarea({"border": {"none": True}})
    r += 1
    ws.insert_chart(r, C_LABEL, chart, {"x_offset": 5, "y_offset": 5, "object_position": 1})
    last_row = r + 17
    s.print_setup(landscape=False, last_row=last_row, last_col=C_SUM, title="Budsjett")
    ws.fit_to_pages(1, 1)
    s.protect()
