"""Beregning (locked workings): the model, as formulas, one formula per row.

Columns: C = all steps (the municipality's total), D = steps that start before the first budget
year, E–H = the four budget years (cumulative personnel by then). A year's one-off cost is the
increase of the cumulative estimate, so the years add up to the total, as in `model.budget`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..cells import STEP_ROWS
from ..estimates import TRACKS
from ..model import PLAN_YEARS, benefit, one_off_with, parse_group, running_cost, segment
from .base import Context, Sheet, cell

SHEET = "Beregning"
C_LABEL, C_UNIT, C_TOTAL, C_BEFORE = 0, 1, 2, 3
C_YEARS = tuple(range(4, 4 + PLAN_YEARS))
COLS = (C_TOTAL, C_BEFORE, *C_YEARS)


@dataclass
class Rows:
    """Row numbers other sheets (Budsjett, Scenarier, Kontroll) reference."""

    year: int = 0
    staff: int = 0
    qty: dict[str, int] = None  # type: ignore[assignment]
    kr: dict[str, int] = None  # type: ignore[assignment]
    total_hours: int = 0
    total_purchase: int = 0
    total_kr: int = 0
    inc_hours: dict[str, int] = None  # type: ignore[assignment]
    inc_kr: dict[str, int] = None  # type: ignore[assignment]
    track_hours: dict[str, int] = None  # type: ignore[assignment]
    track_kr: dict[str, int] = None  # type: ignore[assignment]
    track_purchase: dict[str, int] = None  # type: ignore[assignment]
    year_hours: int = 0
    year_purchase: int = 0
    year_kr: int = 0
    running_kr: int = 0
    benefit_hours: int = 0
    benefit_kr: int = 0
    net_kr: int = 0
    readers: int = 0


def write(ctx: Context, s: Sheet) -> Rows:
    ws, est, b = s.ws, ctx.est, ctx.budget
    p = b.params
    ws.set_column(C_LABEL, C_LABEL, 84)
    ws.set_column(C_UNIT, C_UNIT, 12)
    ws.set_column(C_TOTAL, C_YEARS[-1], 14)
    s.text(0, 0, "Beregning – modellen som formler", "title")
    s.text(1, 0, "Låst. Kolonne C gjelder alle trinn; D trinn som starter før første budsjettår; E–H hvert "
                 "budsjettår (kumulativt antall helsepersonell). Tallene kommer fra Inndata og Estimater.", "note")
    rows = Rows(qty={}, kr={}, inc_hours={}, inc_kr={}, track_hours={}, track_kr={}, track_purchase={})

    # ---------------------------------------------------------------- step helper table
    r = 3
    heads = ("Trinn", "", "Helsepersonell", "Gruppe nr.", "Korttid", "Hjemme", "Startår", "Ufullstendig")
    for c, h in enumerate(heads):
        s.text(r, c, h, "colhead")
    r += 1
    first = r
    steps = list(ctx.inputs.steps) + [None] * (STEP_ROWS - len(ctx.inputs.steps))
    group_ids = [g.id for g in est.groups]
    for k in range(STEP_ROWS):
        step = steps[k]
        st, gr, yr = (_inndata_cell(ctx, name, k) for name in ("kj_step_staff", "kj_step_group", "kj_step_year"))
        staff = step.staff if step else 0
        gid = step.group if step else None
        gidx = group_ids.index(parse_group(est, gid)) + 1 if gid else 0
        short = 1 if gidx and est.groups[gidx - 1].benefit == "short_term" else 0
        home = 1 if gidx and est.groups[gidx - 1].benefit == "home_care" else 0
        year = step.year if step and step.year is not None else p.first_year
        s.text(r, 0, f"Trinn {k + 1}", "text")
        s.formula(r, 2, f"IF(ISNUMBER({st}),IF(AND({st}>=0,{st}<=kj_staff_max,{st}=INT({st})),{st},0),0)",
                  staff, "calc", "count")
        s.formula(r, 3, f"IFERROR(MATCH({gr},kj_list_groups,0),0)", gidx, "calc", "count")
        s.formula(r, 4, f"IF({cell(r, 3)}>0,INDEX(kj_est_group_short,{cell(r, 3)}),0)", short, "calc", "count")
        s.formula(r, 5, f"IF({cell(r, 3)}>0,INDEX(kj_est_group_home,{cell(r, 3)}),0)", home, "calc", "count")
        s.formula(r, 6, f"IF(ISNUMBER({yr}),IF(AND({yr}>=kj_year_min,{yr}<=kj_year_max,{yr}=INT({yr})),{yr},"
                        f"kj_first_year_used),kj_first_year_used)", year, "calc", "year")
        s.formula(r, 7, f"IF({cell(r, 2)}>0,IF({cell(r, 3)}=0,1,0),IF({cell(r, 3)}>0,1,0))",
                  1 if (staff > 0) != (gidx > 0) else 0, "calc", "count")
        r += 1
    for c, name in ((2, "kj_calc_step_staff"), (4, "kj_calc_step_short"), (5, "kj_calc_step_home"),
                    (6, "kj_calc_step_year"), (7, "kj_calc_step_incomplete")):
        s.define(name, (first, c), (r - 1, c), "working")
    r += 1

    # ---------------------------------------------------------------- per column: personnel and line items
    s.band(r, "Engangskostnad ved kumulativt antall helsepersonell", C_YEARS[-1])
    r += 1
    s.text(r, C_LABEL, "Kolonne", "colhead")
    s.text(r, C_UNIT, "Enhet", "colhead")
    s.text(r, C_TOTAL, "Alle trinn", "colhead_r")
    s.text(r, C_BEFORE, "Før", "colhead_r")
    for k, c in enumerate(C_YEARS):
        s.text(r, c, f"År {k + 1}", "colhead_r")
    r += 1
    rows.year = r
    s.text(r, C_LABEL, "Budsjettår (til og med)", "text")
    s.text(r, C_UNIT, "år", "unit")
    s.text(r, C_TOTAL, "alle", "unit")
    s.formula(r, C_BEFORE, "kj_first_year_used-1", p.first_year - 1, "calc", "year")
    s.formula(r, C_YEARS[0], "kj_first_year_used", p.first_year, "calc", "year")
    for k, c in enumerate(C_YEARS[1:], start=1):
        s.formula(r, c, f"{cell(r, c - 1)}+1", p.first_year + k, "calc", "year")
    s.define("kj_calc_years", (r, C_YEARS[0]), (r, C_YEARS[-1]), "working")
    r += 1

    def cum(year: int | None, groups: set[str] | None = None) -> int:
        return sum(st.staff for st in ctx.inputs.steps if st.staff > 0
                   and (year is None or (st.year if st.year is not None else p.first_year) <= year)
                   and (groups is None or st.group in groups))

    ns = {C_TOTAL: cum(None), C_BEFORE: cum(p.first_year - 1)}
    ns.update({c: cum(p.first_year + k) for k, c in enumerate(C_YEARS)})
    # The model's one-off breakdown for each column: the total with the vendor module, the cumulative
    # columns without it (it is booked once, in the year of the first step).
    cols = {c: one_off_with(est, n, p, with_vendor=c == C_TOTAL) for c, n in ns.items()}
    rows.staff = r
    s.text(r, C_LABEL, "Helsepersonell (kumulativt)", "bold")
    s.text(r, C_UNIT, "personer", "unit")
    s.formula(r, C_TOTAL, "SUM(kj_calc_step_staff)", ns[C_TOTAL], "calc", "count")
    for c in COLS[1:]:
        s.formula(r, c, f"SUMPRODUCT(--(kj_calc_step_year<={cell(rows.year, c)}),kj_calc_step_staff)", ns[c],
                  "calc", "count")
    r += 1
    sizes = est.sizes.values
    seg_row, x0_row, x1_row = r, r + 1, r + 2
    for label, row in (("Referansesegment (1 = 30→100, 2 = 100→400)", seg_row), ("Segmentets nedre størrelse", x0_row),
                       ("Segmentets øvre størrelse", x1_row)):
        s.text(row, C_LABEL, label, "text")
        s.text(row, C_UNIT, "nr." if row == seg_row else "personer", "unit")
    for c in COLS:
        n_ = cell(rows.staff, c)
        sg = segment(sizes, ns[c]) + 1
        s.formula(seg_row, c, f"MIN(COUNT(kj_est_sizes)-1,IFERROR(MATCH({n_},kj_est_sizes,1),1))", sg, "calc", "count")
        s.formula(x0_row, c, f"INDEX(kj_est_sizes,{cell(seg_row, c)})", sizes[sg - 1], "calc", "count")
        s.formula(x1_row, c, f"INDEX(kj_est_sizes,{cell(seg_row, c)}+1)", sizes[sg], "calc", "count")
    r += 3

    def interp(values_name: str, c: int) -> str:
        n_, sg, x0, x1 = cell(rows.staff, c), cell(seg_row, c), cell(x0_row, c), cell(x1_row, c)
        a, b_ = f"INDEX({values_name},{sg})", f"INDEX({values_name},{sg}+1)"
        return f"MAX(0,{a}+({b_}-{a})*({n_}-{x0})/({x1}-{x0}))"

    for item in est.items:
        if item.values is None:
            continue
        rows.qty[item.id] = r
        s.text(r, C_LABEL, item.label, "text")
        s.text(r, C_UNIT, item.unit, "unit")
        for c in COLS:
            formula = f"ROUND(IF({cell(rows.staff, c)}=0,0,{interp('kj_est_' + item.id, c)}),0)"
            line = cols[c].item(item.id)
            s.formula(r, c, formula, line.hours if item.kind == "hours" else line.purchase_kr, "calc", "count")
        r += 1
    rows.readers = r
    s.text(r, C_LABEL, "Kortlesere (rundet opp, aldri flere enn personer)", "text")
    s.text(r, C_UNIT, "kortlesere", "unit")
    for c in COLS:
        n_ = cell(rows.staff, c)
        formula = (f"IF(INDEX(kj_est_eid_readers,kj_eid_index)=1,IF({n_}=0,0,"
                   f"MIN({n_},ROUNDUP({interp('kj_est_readers', c)},0))),0)")
        s.formula(r, c, formula, cols[c].eid_readers, "calc", "count")
    r += 1
    rows.qty["eid"] = r
    s.text(r, C_LABEL, est.item("eid").label + " (personer × pris + kortlesere × pris)", "text")
    s.text(r, C_UNIT, "kr", "unit")
    for c in COLS:
        formula = f"{cell(rows.staff, c)}*kj_eid_kr_per_person_used+{cell(rows.readers, c)}*kj_reader_kr_used"
        s.formula(r, c, formula, cols[c].item("eid").purchase_kr, "calc", "kr")
    r += 1
    rows.qty["vendor_module"] = r
    s.text(r, C_LABEL, est.item("vendor_module").label, "text")
    s.text(r, C_UNIT, "kr", "unit")
    s.formula(r, C_TOTAL, f'IF(AND({cell(rows.staff, C_TOTAL)}>0,kj_vendor_module_kr_used<>""),'
                          f'kj_vendor_module_kr_used,0)', cols[C_TOTAL].item("vendor_module").purchase_kr, "calc", "kr")
    s.text(r, C_BEFORE, "i året for første trinn", "muted")
    r += 1

    # kroner per line item
    s.band(r, "Kroner per linje (timer × timekostnad; kjøp som over)", C_YEARS[-1], "section")
    r += 1
    for item in est.items:
        rows.kr[item.id] = r
        s.text(r, C_LABEL, item.label, "text")
        s.text(r, C_UNIT, "kr", "unit")
        for c in (C_TOTAL,) if item.id == "vendor_module" else COLS:
            q = cell(rows.qty[item.id], c)
            formula = f"{q}*kj_hourly_rate_used" if item.kind == "hours" else q
            s.formula(r, c, formula, cols[c].item(item.id).kr, "calc", "kr")
        r += 1
    hours_items = [i.id for i in est.items if i.kind == "hours"]
    purchase_items = [i.id for i in est.items if i.kind == "purchase"]
    rows.total_hours, rows.total_purchase, rows.total_kr = r, r + 1, r + 2
    for row, label, unit in ((r, "Interne timer", "timer"), (r + 1, "Kjøp av varer", "kr"),
                             (r + 2, "Engangskostnad i alt", "kr")):
        s.text(row, C_LABEL, label, "total")
        s.text(row, C_UNIT, unit, "unit")
    for c in COLS:
        o = cols[c]
        s.formula(rows.total_hours, c, "+".join(cell(rows.qty[i], c) for i in hours_items), o.total_hours, "total",
                  "count")
        refs = [cell(rows.kr[i], c) for i in purchase_items if i != "vendor_module" or c == C_TOTAL]
        s.formula(rows.total_purchase, c, "+".join(refs), o.total_purchase_kr, "total", "kr")
        s.formula(rows.total_kr, c, f"{cell(rows.total_hours, c)}*kj_hourly_rate_used+{cell(rows.total_purchase, c)}",
                  o.total_kr, "total", "kr")
    r += 4

    # ---------------------------------------------------------------- one-off cost per budget year (increments)
    s.band(r, "Engangskostnad per budsjettår (økningen i kumulativt estimat)", C_YEARS[-1])
    r += 1
    s.text(r, C_LABEL, "Budsjettår", "colhead")
    s.text(r, C_UNIT, "Enhet", "colhead")
    s.text(r, C_TOTAL, "Sum 4 år", "colhead_r")
    s.blank(r, C_BEFORE, "colhead")
    for k, c in enumerate(C_YEARS):
        s.formula(r, c, cell(rows.year, c), p.first_year + k, "colhead_r", "year")
    r += 1
    years = b.years
    for item in est.items:
        if item.kind == "hours":
            rows.inc_hours[item.id] = r
            s.text(r, C_LABEL, f"{item.label}", "text")
            s.text(r, C_UNIT, "timer", "unit")
            for k, c in enumerate(C_YEARS):
                s.formula(r, c, f"{cell(rows.qty[item.id], c)}-{cell(rows.qty[item.id], c - 1)}",
                          years[k].item_hours[item.id], "calc", "count")
            s.formula(r, C_TOTAL, f"SUM({cell(r, C_YEARS[0])}:{cell(r, C_YEARS[-1])})",
                      sum(y.item_hours[item.id] for y in years), "calc", "count")
            r += 1
        rows.inc_kr[item.id] = r
        s.text(r, C_LABEL, f"{item.label}", "text")
        s.text(r, C_UNIT, "kr", "unit")
        for k, c in enumerate(C_YEARS):
            if item.id == "vendor_module":
                formula = (f'IF(AND({cell(rows.staff, c)}>0,{cell(rows.staff, c - 1)}=0,kj_vendor_module_kr_used<>""),'
                           f"kj_vendor_module_kr_used,0)")
            else:
                formula = f"{cell(rows.kr[item.id], c)}-{cell(rows.kr[item.id], c - 1)}"
            s.formula(r, c, formula, years[k].item_kr[item.id], "calc", "kr")
        s.formula(r, C_TOTAL, f"SUM({cell(r, C_YEARS[0])}:{cell(r, C_YEARS[-1])})",
                  sum(y.item_kr[item.id] for y in years), "calc", "kr")
        r += 1
    # by track and kind
    for track in ("organisering", "teknisk"):
        t_items = [i for i in est.items if i.track == track]
        h_items = [i.id for i in t_items if i.kind == "hours"]
        p_items = [i.id for i in t_items if i.kind == "purchase"]
        spec = [("hours", f"{TRACKS[track]}: interne timer", "timer", h_items, rows.inc_hours, "count"),
                ("kr", f"{TRACKS[track]}: interne ressurser i kr", "kr", h_items, rows.inc_kr, "kr"),
                ("purchase", f"{TRACKS[track]}: kjøp av varer", "kr", p_items, rows.inc_kr, "kr")]
        for key, label, unit, ids, src, num in spec:
            if not ids:
                continue
            {"hours": rows.track_hours, "kr": rows.track_kr, "purchase": rows.track_purchase}[key][track] = r
            s.text(r, C_LABEL, label, "bold")
            s.text(r, C_UNIT, unit, "unit")
            for k, c in enumerate(C_YEARS):
                y = years[k]
                value = sum(y.item_hours[i] if key == "hours" else y.item_kr[i] for i in ids)
                s.formula(r, c, "+".join(cell(src[i], c) for i in ids), value, "calc", num)
            s.formula(r, C_TOTAL, f"SUM({cell(r, C_YEARS[0])}:{cell(r, C_YEARS[-1])})",
                      sum(sum(y.item_hours[i] if key == "hours" else y.item_kr[i] for i in ids) for y in years),
                      "calc", num)
            r += 1
    rows.year_hours, rows.year_purchase, rows.year_kr = r, r + 1, r + 2
    for row, label, unit, num, attr, ids, src in (
        (r, "Engangs: interne timer", "timer", "count", "one_off_hours", hours_items, rows.inc_hours),
        (r + 1, "Engangs: kjøp av varer", "kr", "kr", "one_off_purchase_kr", purchase_items, rows.inc_kr),
        (r + 2, "Engangskostnad i året", "kr", "kr", "one_off_kr", [i.id for i in est.items], rows.inc_kr),
    ):
        s.text(row, C_LABEL, label, "total")
        s.text(row, C_UNIT, unit, "unit")
        for k, c in enumerate(C_YEARS):
            s.formula(row, c, f"SUM({','.join(cell(src[i], c) for i in ids)})", getattr(years[k], attr), "total", num)
        s.formula(row, C_TOTAL, f"SUM({cell(row, C_YEARS[0])}:{cell(row, C_YEARS[-1])})",
                  sum(getattr(y, attr) for y in years), "total", num)
    r += 4

    # ---------------------------------------------------------------- running costs
    s.band(r, "Drift per år (fra året hvert trinn starter)", C_YEARS[-1])
    r += 1
    run_cols = (C_TOTAL, *C_YEARS)
    runs = {C_TOTAL: b.running, **{c: running_cost(est, ns[c], p) for c in C_YEARS}}
    s.text(r, C_LABEL, "Budsjettår", "colhead")
    s.text(r, C_UNIT, "Enhet", "colhead")
    s.text(r, C_TOTAL, "Full drift", "colhead_r")
    s.blank(r, C_BEFORE, "colhead")
    for k, c in enumerate(C_YEARS):
        s.formula(r, c, cell(rows.year, c), p.first_year + k, "colhead_r", "year")
    r += 1
    line_rows: dict[str, int] = {}
    formulas = {
        "eid_renewal": "IF({n}>0,{n}*kj_eid_kr_per_person_used/kj_renewal_years_used,0)",
        **{ri.id: f"IF({{n}}>0,kj_{ri.id}_used,0)" for ri in est.running},
    }
    for k_line, line in enumerate(b.running.lines):
        line_rows[line.id] = r
        s.text(r, C_LABEL, line.label, "text")
        s.text(r, C_UNIT, "timer" if line.kind == "hours" else "kr", "unit")
        for c in run_cols:
            ln = runs[c].lines[k_line]
            value = ln.hours if line.kind == "hours" else ln.purchase_kr
            s.formula(r, c, formulas[line.id].format(n=cell(rows.staff, c)), value, "calc",
                      "number" if line.kind == "hours" else "kr")
        r += 1
    run_hours = [ln.id for ln in b.running.lines if ln.kind == "hours"]
    run_purchase = [ln.id for ln in b.running.lines if ln.kind == "purchase"]
    rows.running_kr = r + 2
    for row, label, unit, ids in ((r, "Drift: interne timer", "timer", run_hours),
                                  (r + 1, "Drift: kjøp", "kr", run_purchase)):
        s.text(row, C_LABEL, label, "bold")
        s.text(row, C_UNIT, unit, "unit")
        for c in run_cols:
            value = runs[c].total_hours if unit == "timer" else runs[c].total_purchase_kr
            s.formula(row, c, "+".join(cell(line_rows[i], c) for i in ids), value, "calc",
                      "number" if unit == "timer" else "kr")
    s.text(r + 2, C_LABEL, "Driftskostnad i året", "total")
    s.text(r + 2, C_UNIT, "kr", "unit")
    for c in run_cols:
        s.formula(r + 2, c, f"{cell(r, c)}*kj_hourly_rate_used+{cell(r + 1, c)}", runs[c].total_kr, "total", "kr")
    r += 4

    # ---------------------------------------------------------------- benefits
    s.band(r, "Gevinst per år (frigjort tid; korttid følger gruppe a+b, hjemmetjenesten gruppe c)", C_YEARS[-1])
    r += 1
    short_groups = {g.id for g in est.groups if g.benefit == "short_term"}
    home_groups = {g.id for g in est.groups if g.benefit == "home_care"}
    cum_s = {C_TOTAL: cum(None, short_groups), **{c: cum(p.first_year + k, short_groups)
                                                  for k, c in enumerate(C_YEARS)}}
    cum_h = {C_TOTAL: cum(None, home_groups), **{c: cum(p.first_year + k, home_groups)
                                                 for k, c in enumerate(C_YEARS)}}
    rs, rh, rfs, rfh, rhs, rhh = r, r + 1, r + 2, r + 3, r + 4, r + 5
    labels = [(rs, "Helsepersonell i gruppe a og b (kumulativt)", "personer"),
              (rh, "Helsepersonell i gruppe c (kumulativt)", "personer"),
              (rfs, "Andel av korttidsgevinsten som er tatt ut", "andel"),
              (rfh, "Andel av hjemmetjenestegevinsten som er tatt ut", "andel"),
              (rhs, "Timer spart, korttidsavdelinger", "timer"),
              (rhh, "Timer spart, hjemmetjenesten", "timer")]
    for row, label, unit in labels:
        s.text(row, C_LABEL, label, "text")
        s.text(row, C_UNIT, unit, "unit")
    for c in run_cols:
        if c == C_TOTAL:
            s.formula(rs, c, "SUMPRODUCT(kj_calc_step_staff,kj_calc_step_short)", cum_s[c], "calc", "count")
            s.formula(rh, c, "SUMPRODUCT(kj_calc_step_staff,kj_calc_step_home)", cum_h[c], "calc", "count")
        else:
            y = cell(rows.year, c)
            s.formula(rs, c, f"SUMPRODUCT(--(kj_calc_step_year<={y}),kj_calc_step_staff,kj_calc_step_short)",
                      cum_s[c], "calc", "count")
            s.formula(rh, c, f"SUMPRODUCT(--(kj_calc_step_year<={y}),kj_calc_step_staff,kj_calc_step_home)",
                      cum_h[c], "calc", "count")
        tot_s, tot_h = cell(rs, C_TOTAL, True), cell(rh, C_TOTAL, True)
        fs = cum_s[c] / cum_s[C_TOTAL] if cum_s[C_TOTAL] else 0.0
        fh = cum_h[c] / cum_h[C_TOTAL] if cum_h[C_TOTAL] else 0.0
        s.formula(rfs, c, f"IF({tot_s}=0,0,{cell(rs, c)}/{tot_s})", fs, "calc", "percent")
        s.formula(rfh, c, f"IF({tot_h}=0,0,{cell(rh, c)}/{tot_h})", fh, "calc", "percent")
        ben = benefit(est, p, fs, fh)
        s.formula(rhs, c, f"kj_admissions_short_term_used*kj_share_short_term_used*kj_minutes_saved_used/"
                          f"kj_minutes_per_hour*{cell(rfs, c)}", ben.short_term_hours, "calc", "number")
        s.formula(rhh, c, f"kj_admissions_home_care_used*kj_share_home_care_used*kj_minutes_saved_used/"
                          f"kj_minutes_per_hour*{cell(rfh, c)}", ben.home_care_hours, "calc", "number")
    r += 6
    rows.benefit_hours, rows.benefit_kr, rows.net_kr = r, r + 1, r + 2
    s.text(r, C_LABEL, "Timer spart i alt", "bold")
    s.text(r, C_UNIT, "timer", "unit")
    s.text(r + 1, C_LABEL, "Gevinst i kr (timer × timekostnad)", "total")
    s.text(r + 1, C_UNIT, "kr", "unit")
    s.text(r + 2, C_LABEL, "Netto: gevinst − engangskostnad − drift", "total")
    s.text(r + 2, C_UNIT, "kr", "unit")
    for k, c in enumerate(run_cols):
        if c == C_TOTAL:
            hours, kr, net = b.benefit.hours, b.benefit.kr, b.benefit.kr - b.running.total_kr
            net_formula = f"{cell(r + 1, c)}-{cell(rows.running_kr, c)}"
            s.text(r + 2, C_BEFORE, "(full drift, per år)", "muted")
        else:
            y = years[k - 1]
            hours, kr, net = y.benefit_hours, y.benefit_kr, y.net_kr
            net_formula = f"{cell(r + 1, c)}-{cell(rows.year_kr, c)}-{cell(rows.running_kr, c)}"
        s.formula(r, c, f"{cell(rhs, c)}+{cell(rhh, c)}", hours, "calc", "number")
        s.formula(r + 1, c, f"{cell(r, c)}*kj_hourly_rate_used", kr, "total", "kr")
        s.formula(r + 2, c, net_formula, net, "total", "kr")
    r += 4

    # ---------------------------------------------------------------- key figures used by the other sheets
    s.band(r, "Nøkkeltall", C_YEARS[-1])
    r += 1
    tot = C_TOTAL
    key_rows = [
        ("kj_eid_index", "Valgt e-ID (nummer i listen på Estimater)", "nr.", "MATCH(kj_eid_used,kj_list_eid,0)",
         [o.id for o in est.eid_options].index(p.eid) + 1, "count"),
        ("kj_calc_payback", "Tilbakebetalingstid (engangskostnad ÷ netto gevinst per år)", "år",
         f'IF(AND({cell(rows.net_kr, tot)}>0,{cell(rows.staff, tot)}>0),'
         f'{cell(rows.total_kr, tot)}/{cell(rows.net_kr, tot)},"")', b.payback_years, "years"),
        ("kj_calc_outside_basis", "Utenfor notatets estimatgrunnlag (1 = ja)", "1/0",
         f"IF(AND({cell(rows.staff, tot)}>0,OR({cell(rows.staff, tot)}<MIN(kj_est_sizes),"
         f"{cell(rows.staff, tot)}>MAX(kj_est_sizes))),1,0)", int(b.one_off.outside_basis), "count"),
        ("kj_calc_vendor_missing", "Pris for leverandørmodul mangler (1 = ja)", "1/0",
         'IF(kj_vendor_module_kr_used="",1,0)', int(b.one_off.vendor_module_missing), "count"),
        ("kj_last_year", "Siste budsjettår", "år", cell(rows.year, C_YEARS[-1]), p.last_year, "year"),
    ]
    for name, label, unit, formula, value, num in key_rows:
        s.text(r, C_LABEL, label, "text")
        s.text(r, C_UNIT, unit, "unit")
        s.formula(r, tot, formula, value, "calc", num)
        s.define(name, (r, tot), None, "working")
        r += 1

    ws.freeze_panes(3, 2)
    s.print_setup(landscape=True, last_row=r, last_col=C_YEARS[-1], title="Beregning")
    s.protect()
    return rows


def _inndata_cell(ctx: Context, name: str, k: int) -> str:
    """Row k of a step column on Inndata, as a cell reference (one formula per row, no index numbers)."""
    n = ctx.register.names[name]
    return f"'{n.sheet}'!{cell(n.first[0] + k, n.first[1])}"
