"""Beregning (locked workings): the model, as formulas, one formula per row.

Columns: C = all steps (the municipality's total), D = steps that start before the first budget
year, E–H = the four budget years (cumulative personnel by then). A year's one-off cost is the
increase of the cumulative estimate, so the years add up to the total, as in `model.budget`.
Every krone is in the prices of the first budget year.

The sheet is written in sections, each a function; the rows they share are kept in :class:`Rows`,
which Budsjett, Budsjettlinjer, Scenarier and Kontroll read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbook_builder.cells import STEP_ROWS
from workbook_builder.core.estimates import TRACKS
from workbook_builder.core.i18n import N_
from workbook_builder.core.model import (
    PLAN_YEARS,
    OneOff,
    Running,
    Step,
    benefit,
    cash_line_specs,
    one_off_with,
    parse_group,
    running_cost,
    segment,
    standin_basis,
    step_function,
)
from workbook_builder.sheets.base import Context, Sheet, cell

SHEET = N_("Beregning")  # the id; the workbook names it in its målform (Context.sheet_name)
C_LABEL, C_UNIT, C_TOTAL, C_BEFORE = 0, 1, 2, 3
C_YEARS = tuple(range(4, 4 + PLAN_YEARS))
COLS = (C_TOTAL, C_BEFORE, *C_YEARS)
# The units of the rows (message ids: `_Calc.label` shows them in the workbook's målform)
UNITS = (N_("år"), N_("personer"), N_("nr."), N_("kortlesere"), N_("kr"), N_("timer"), N_("andel"), N_("1/0"))
RUN_COLS = (C_TOTAL, *C_YEARS)


@dataclass
class Rows:
    """Row numbers other sheets reference."""

    year: int = 0
    staff: int = 0
    qty: dict[str, int] = field(default_factory=dict)
    kr: dict[str, int] = field(default_factory=dict)
    total_hours: int = 0
    total_purchase: int = 0
    total_standin: int = 0
    total_kr: int = 0
    inc_hours: dict[str, int] = field(default_factory=dict)
    inc_kr: dict[str, int] = field(default_factory=dict)
    track_hours: dict[str, int] = field(default_factory=dict)
    track_kr: dict[str, int] = field(default_factory=dict)
    track_cash: dict[str, int] = field(default_factory=dict)
    year_hours: int = 0
    year_purchase: int = 0
    year_standin: int = 0
    year_kr: int = 0
    renewal: int = 0
    running_purchase: int = 0
    running_hours: int = 0
    running_kr: int = 0
    cash: int = 0
    internal_hours: int = 0
    internal_kr: int = 0
    benefit_hours: int = 0
    benefit_kr: int = 0
    readers: int = 0
    cards_kr: int = 0
    readers_kr: int = 0
    standin_hours: int = 0
    cash_lines: dict[str, int] = field(default_factory=dict)
    shares: dict[tuple[str, str], int] = field(default_factory=dict)  # (allocation, function) → row
    renewal_by_function: dict[str, int] = field(default_factory=dict)
    inc_cards: int = 0
    inc_readers: int = 0
    running_lines: dict[str, int] = field(default_factory=dict)


class _Calc:
    """What the sections share: the sheet, the model's columns and the rows written so far."""

    def __init__(self, ctx: Context, s: Sheet) -> None:
        self.ctx, self.s, self.est, self.b = ctx, s, ctx.est, ctx.budget
        self.tr, self.text = ctx.tr, ctx.text
        self.p = self.b.params
        self.rows = Rows()
        steps = ctx.inputs.steps
        p = self.p

        def cum(year: int | None, groups: set[str] | None = None) -> int:
            return sum(st.staff for st in steps if st.staff > 0
                       and (year is None or (st.year if st.year is not None else p.first_year) <= year)
                       and (groups is None or st.group in groups))

        self.cum = cum
        self.ns = {C_TOTAL: cum(None), C_BEFORE: cum(p.first_year - 1)}
        self.ns.update({c: cum(p.first_year + k) for k, c in enumerate(C_YEARS)})
        # The model's one-off breakdown for each column: the total with the vendor module, the cumulative
        # columns without it (it is booked once, in the year of the first step).
        self.cols: dict[int, OneOff] = {c: one_off_with(self.est, n, p, with_vendor=c == C_TOTAL)
                                        for c, n in self.ns.items()}
        self.runs: dict[int, Running] = {C_TOTAL: self.b.running,
                                         **{c: running_cost(self.est, self.ns[c], p) for c in C_YEARS}}

    def label(self, r: int, text: str, unit: str, role: str = "text") -> None:
        """A row's label and unit (texts in the workbook's målform; the unit a message id, e.g. "kr")."""
        self.s.text(r, C_LABEL, text, role)
        self.s.text(r, C_UNIT, self.tr(unit) if unit else "", "unit")

    def year_head(self, r: int, total_head: str) -> int:
        s, p = self.s, self.p
        s.text(r, C_LABEL, self.tr("Budsjettår"), "colhead")
        s.text(r, C_UNIT, self.tr("Enhet"), "colhead")
        s.text(r, C_TOTAL, self.tr(total_head) if total_head else "", "colhead_r")
        s.blank(r, C_BEFORE, "colhead")
        for k, c in enumerate(C_YEARS):
            s.formula(r, c, cell(self.rows.year, c), p.first_year + k, "colhead_r", "year")
        return r + 1

    def sum_years(self, r: int, value: float, role: str, num: str) -> None:
        self.s.formula(r, C_TOTAL, f"SUM({cell(r, C_YEARS[0])}:{cell(r, C_YEARS[-1])})", value, role, num)


def write(ctx: Context, s: Sheet) -> Rows:
    ws = s.ws
    ws.set_column(C_LABEL, C_LABEL, 84)
    ws.set_column(C_UNIT, C_UNIT, 12)
    ws.set_column(C_TOTAL, C_YEARS[-1], 14)
    tr = ctx.tr
    s.text(0, 0, tr("Beregning – modellen som formler"), "title")
    s.text(1, 0, tr("Låst. Kolonne C gjelder alle trinn; D trinn som starter før første budsjettår; E–H hvert "
                    "budsjettår (kumulativt antall helsepersonell). Tallene kommer fra Inndata og Estimater. Kroner "
                    "i faste priser for første budsjettår."), "note")
    c = _Calc(ctx, s)
    r = _steps(c, 3)
    r = _cumulative(c, r + 1)
    r = _per_year(c, r + 1)
    r = _running(c, r + 1)
    r = _money(c, r + 1)
    r = _benefits(c, r + 1)
    r = _key_figures(c, r + 1)
    r = _functions(c, r + 1)
    ws.freeze_panes(3, 2)
    s.print_setup(landscape=True, last_row=r, last_col=C_YEARS[-1])
    s.protect()
    return c.rows


def _steps(c: _Calc, r: int) -> int:
    """The step table: each Inndata step row validated, with its group's benefit and KOSTRA function."""
    s, est, ctx, p, tr = c.s, c.est, c.ctx, c.p, c.tr
    heads = (N_("Trinn"), "", N_("Helsepersonell"), N_("Gruppe nr."), N_("Korttid"), N_("Hjemme"), N_("Startår"),
             N_("Ufullstendig"), N_("KOSTRA-funksjon"))
    for col, h in enumerate(heads):
        s.text(r, col, tr(h) if h else "", "colhead", indent=int(col == 8))
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
        func = step_function(est, step) if step else est.accounting.default_function
        s.text(r, 0, tr("Trinn {n}", n=k + 1), "text")
        s.formula(r, 2, f"IF(ISNUMBER({st}),IF(AND({st}>=0,{st}<=kj_staff_max,{st}=INT({st})),{st},0),0)",
                  staff, "calc", "count")
        s.formula(r, 3, f"IFERROR(MATCH({gr},kj_list_groups,0),0)", gidx, "calc", "count")
        s.formula(r, 4, f"IF({cell(r, 3)}>0,INDEX(kj_est_group_short,{cell(r, 3)}),0)", short, "calc", "count")
        s.formula(r, 5, f"IF({cell(r, 3)}>0,INDEX(kj_est_group_home,{cell(r, 3)}),0)", home, "calc", "count")
        s.formula(r, 6, f"IF(ISNUMBER({yr}),IF(AND({yr}>=kj_year_min,{yr}<=kj_year_max,{yr}=INT({yr})),{yr},"
                        f"kj_first_year_used),kj_first_year_used)", year, "calc", "year")
        s.formula(r, 7, f"IF({cell(r, 2)}>0,IF({cell(r, 3)}=0,1,0),IF({cell(r, 3)}>0,1,0))",
                  1 if (staff > 0) != (gidx > 0) else 0, "calc", "count")
        s.formula(r, 8, f"IF({cell(r, 3)}>0,INDEX(kj_est_group_function,{cell(r, 3)}),kj_est_default_function)",
                  func, "calc", "text", indent=1)
        r += 1
    for col, name in ((2, "kj_calc_step_staff"), (4, "kj_calc_step_short"), (5, "kj_calc_step_home"),
                      (6, "kj_calc_step_year"), (7, "kj_calc_step_incomplete"), (8, "kj_calc_step_function")):
        s.define(name, (first, col), (r - 1, col), "working")
    return r


def _cumulative(c: _Calc, r: int) -> int:
    """Personnel and every line item at the cumulative personnel of each column."""
    s, est, p, rows, cols, tr, text = c.s, c.est, c.p, c.rows, c.cols, c.tr, c.text
    s.band(r, tr("Engangskostnad ved kumulativt antall helsepersonell"), C_YEARS[-1])
    r += 1
    s.text(r, C_LABEL, tr("Kolonne"), "colhead")
    s.text(r, C_UNIT, tr("Enhet"), "colhead")
    s.text(r, C_TOTAL, tr("Alle trinn"), "colhead_r")
    s.text(r, C_BEFORE, tr("Før"), "colhead_r")
    for k, col in enumerate(C_YEARS):
        s.text(r, col, tr("År {n}", n=k + 1), "colhead_r")
    r += 1
    rows.year = r
    c.label(r, tr("Budsjettår (til og med)"), "år")
    s.text(r, C_TOTAL, tr("alle"), "unit")
    s.formula(r, C_BEFORE, "kj_first_year_used-1", p.first_year - 1, "calc", "year")
    s.formula(r, C_YEARS[0], "kj_first_year_used", p.first_year, "calc", "year")
    for k, col in enumerate(C_YEARS[1:], start=1):
        s.formula(r, col, f"{cell(r, col - 1)}+1", p.first_year + k, "calc", "year")
    s.define("kj_calc_years", (r, C_YEARS[0]), (r, C_YEARS[-1]), "working")
    r += 1
    rows.staff = r
    c.label(r, tr("Helsepersonell (kumulativt)"), "personer", "bold")
    s.formula(r, C_TOTAL, "SUM(kj_calc_step_staff)", c.ns[C_TOTAL], "calc", "count")
    for col in COLS[1:]:
        s.formula(r, col, f"SUMPRODUCT(--(kj_calc_step_year<={cell(rows.year, col)}),kj_calc_step_staff)", c.ns[col],
                  "calc", "count")
    r += 1
    sizes = est.sizes.values
    seg_row, x0_row, x1_row = r, r + 1, r + 2
    c.label(seg_row, tr("Referansesegment (1 = mellom første og andre størrelse, osv.)"), "nr.")
    c.label(x0_row, tr("Segmentets nedre størrelse"), "personer")
    c.label(x1_row, tr("Segmentets øvre størrelse"), "personer")
    for col in COLS:
        n_ = cell(rows.staff, col)
        sg = segment(sizes, c.ns[col]) + 1
        s.formula(seg_row, col, f"MIN(COUNT(kj_est_sizes)-1,IFERROR(MATCH({n_},kj_est_sizes,1),1))", sg, "calc",
                  "count")
        s.formula(x0_row, col, f"INDEX(kj_est_sizes,{cell(seg_row, col)})", sizes[sg - 1], "calc", "count")
        s.formula(x1_row, col, f"INDEX(kj_est_sizes,{cell(seg_row, col)}+1)", sizes[sg], "calc", "count")
    r += 3

    def interp(values_name: str, col: int) -> str:
        n_, sg, x0, x1 = cell(rows.staff, col), cell(seg_row, col), cell(x0_row, col), cell(x1_row, col)
        a, b_ = f"INDEX({values_name},{sg})", f"INDEX({values_name},{sg}+1)"
        return f"MAX(0,{a}+({b_}-{a})*({n_}-{x0})/({x1}-{x0}))"

    for item in est.interpolated_items:
        rows.qty[item.id] = r
        purchase = item.kind == "purchase"
        label = tr("{label} (prisjustert)", label=text(item.label)) if purchase else text(item.label)
        s.text(r, C_LABEL, label, "text")
        s.text(r, C_UNIT, text(item.unit), "unit")
        for col in COLS:
            x = f"IF({cell(rows.staff, col)}=0,0,{interp('kj_est_' + item.id, col)})"
            formula = f"ROUND({x}*kj_calc_price_factor,0)" if purchase else f"ROUND({x},0)"
            line = cols[col].item(item.id)
            s.formula(r, col, formula, line.purchase_kr if purchase else line.hours, "calc",
                      "kr" if purchase else "count")
        r += 1
    rows.readers = r
    c.label(r, tr("Kortlesere (rundet opp, aldri flere enn personer)"), "kortlesere")
    for col in COLS:
        n_ = cell(rows.staff, col)
        formula = (f"IF(INDEX(kj_est_eid_readers,kj_eid_index)=1,IF({n_}=0,0,"
                   f"MIN({n_},ROUNDUP({interp('kj_est_readers', col)},0))),0)")
        s.formula(r, col, formula, cols[col].eid_readers, "calc", "count")
    r += 1
    rows.cards_kr, rows.readers_kr = r, r + 1
    c.label(r, tr("e-ID: personer × pris per person"), "kr")
    c.label(r + 1, tr("e-ID: kortlesere × pris per kortleser"), "kr")
    for col in COLS:
        s.formula(r, col, f"{cell(rows.staff, col)}*kj_eid_kr_per_person_used", cols[col].eid_cards_kr, "calc", "kr")
        s.formula(r + 1, col, f"{cell(rows.readers, col)}*kj_reader_kr_used", cols[col].eid_readers_kr, "calc",
                  "kr")
    r += 2
    rows.qty["eid"] = r
    c.label(r, text(est.item("eid").label), "kr")
    for col in COLS:
        s.formula(r, col, f"{cell(rows.cards_kr, col)}+{cell(rows.readers_kr, col)}",
                  cols[col].item("eid").purchase_kr, "calc", "kr")
    r += 1
    basis = standin_basis(est)
    rows.standin_hours = r
    c.label(r, tr("Opplæringstimer med vikar (opplæring × andel som krever vikar)"), "timer")
    for col in COLS:
        formula = f"{cell(rows.qty[basis.id], col)}*kj_standin_share_used" if basis else "0"
        s.formula(r, col, formula, cols[col].standin_hours, "calc", "number")
    r += 1
    rows.qty["standin"] = r
    c.label(r, tr("{label} (timer × timekostnad for vikar)", label=text(est.item("standin").label)), "kr")
    for col in COLS:
        s.formula(r, col, f"{cell(rows.standin_hours, col)}*kj_standin_hourly_rate_used", cols[col].standin_kr,
                  "calc", "kr")
    r += 1
    rows.qty["vendor_module"] = r
    c.label(r, text(est.item("vendor_module").label), "kr")
    s.formula(r, C_TOTAL, f'IF(AND({cell(rows.staff, C_TOTAL)}>0,kj_vendor_module_kr_used<>""),'
                          f'kj_vendor_module_kr_used,0)', cols[C_TOTAL].item("vendor_module").purchase_kr, "calc", "kr")
    # one line, after a gap, into the empty year columns (wrapped, it ran over the row below)
    s.text(r, C_BEFORE, tr("i året for første trinn"), "note", indent=1)
    r += 1

    s.band(r, tr("Kroner per linje (timer × timekostnad; kjøp og vikarer som over)"), C_YEARS[-1], "section")
    r += 1
    for item in est.items:
        rows.kr[item.id] = r
        c.label(r, text(item.label), "kr")
        for col in (C_TOTAL,) if item.id == "vendor_module" else COLS:
            q = cell(rows.qty[item.id], col)
            formula = f"{q}*kj_hourly_rate_used" if item.kind == "hours" else q
            s.formula(r, col, formula, cols[col].item(item.id).kr, "calc", "kr")
        r += 1
    hours_items = [i.id for i in est.items if i.kind == "hours"]
    purchase_items = [i.id for i in est.items if i.kind == "purchase"]
    rows.total_hours, rows.total_purchase, rows.total_standin, rows.total_kr = r, r + 1, r + 2, r + 3
    for row, label, unit in ((r, tr("Interne timer"), "timer"), (r + 1, tr("Kjøp av varer og tjenester"), "kr"),
                             (r + 2, tr("Vikarer"), "kr"), (r + 3, tr("Engangskostnad i alt"), "kr")):
        c.label(row, label, unit, "total")
    for col in COLS:
        o = cols[col]
        s.formula(rows.total_hours, col, "+".join(cell(rows.qty[i], col) for i in hours_items), o.total_hours,
                  "total", "count")
        refs = [cell(rows.kr[i], col) for i in purchase_items if i != "vendor_module" or col == C_TOTAL]
        s.formula(rows.total_purchase, col, "+".join(refs), o.total_purchase_kr, "total", "kr")
        s.formula(rows.total_standin, col, cell(rows.kr["standin"], col), o.standin_kr, "total", "kr")
        s.formula(rows.total_kr, col, f"{cell(rows.total_hours, col)}*kj_hourly_rate_used+"
                                      f"{cell(rows.total_purchase, col)}+{cell(rows.total_standin, col)}",
                  o.total_kr, "total", "kr")
    return r + 4


def _per_year(c: _Calc, r: int) -> int:
    """The one-off cost of each budget year: the increase of the cumulative estimate."""
    s, est, rows, years, tr, text = c.s, c.est, c.rows, c.b.years, c.tr, c.text
    s.band(r, tr("Engangskostnad per budsjettår (økningen i kumulativt estimat)"), C_YEARS[-1])
    r = c.year_head(r + 1, N_("Sum 4 år"))
    for item in est.items:
        if item.kind == "hours":
            rows.inc_hours[item.id] = r
            c.label(r, text(item.label), "timer")
            for k, col in enumerate(C_YEARS):
                s.formula(r, col, f"{cell(rows.qty[item.id], col)}-{cell(rows.qty[item.id], col - 1)}",
                          years[k].item_hours[item.id], "calc", "count")
            c.sum_years(r, sum(y.item_hours[item.id] for y in years), "calc", "count")
            r += 1
        if item.id == "eid":
            rows.inc_cards, rows.inc_readers = r, r + 1
            for row, src, label, attr in ((r, rows.cards_kr, tr("e-ID: kort"), "eid_cards_kr"),
                                          (r + 1, rows.readers_kr, tr("e-ID: kortlesere"), "eid_readers_kr")):
                c.label(row, label, "kr")
                for k, col in enumerate(C_YEARS):
                    s.formula(row, col, f"{cell(src, col)}-{cell(src, col - 1)}", getattr(years[k], attr), "calc",
                              "kr")
                c.sum_years(row, sum(getattr(y, attr) for y in years), "calc", "kr")
            r += 2
        rows.inc_kr[item.id] = r
        c.label(r, text(item.label), "kr")
        for k, col in enumerate(C_YEARS):
            if item.id == "vendor_module":
                formula = (f'IF(AND({cell(rows.staff, col)}>0,{cell(rows.staff, col - 1)}=0,'
                           f'kj_vendor_module_kr_used<>""),kj_vendor_module_kr_used,0)')
            else:
                formula = f"{cell(rows.kr[item.id], col)}-{cell(rows.kr[item.id], col - 1)}"
            s.formula(r, col, formula, years[k].item_kr[item.id], "calc", "kr")
        c.sum_years(r, sum(y.item_kr[item.id] for y in years), "calc", "kr")
        r += 1
    # by track: internal hours, their value, and new money (purchases and stand-ins)
    for track in TRACKS:
        t_items = [i for i in est.items if i.track == track]
        h_items = [i.id for i in t_items if i.kind == "hours"]
        m_items = [i.id for i in t_items if i.kind != "hours"]
        name = tr(TRACKS[track])
        spec = [("hours", tr("{track}: interne timer", track=name), "timer", h_items, rows.inc_hours, "count"),
                ("kr", tr("{track}: interne ressurser i kr", track=name), "kr", h_items, rows.inc_kr, "kr"),
                ("cash", tr("{track}: nye midler (kjøp og vikarer)", track=name), "kr", m_items, rows.inc_kr, "kr")]
        for key, label, unit, ids, src_rows, num in spec:
            if not ids:
                continue
            {"hours": rows.track_hours, "kr": rows.track_kr, "cash": rows.track_cash}[key][track] = r
            c.label(r, label, unit, "bold")
            values = [sum(y.item_hours[i] if key == "hours" else y.item_kr[i] for i in ids) for y in years]
            for k, col in enumerate(C_YEARS):
                s.formula(r, col, "+".join(cell(src_rows[i], col) for i in ids), values[k], "calc", num)
            c.sum_years(r, sum(values), "calc", num)
            r += 1
    hours_items = [i.id for i in est.items if i.kind == "hours"]
    purchase_items = [i.id for i in est.items if i.kind == "purchase"]
    standin_items = [i.id for i in est.items if i.kind == "standin"]
    rows.year_hours, rows.year_purchase, rows.year_standin, rows.year_kr = r, r + 1, r + 2, r + 3
    for row, label, unit, num, attr, ids, src_rows in (
        (r, tr("Engangskostnad: interne timer"), "timer", "count", "one_off_hours", hours_items, rows.inc_hours),
        (r + 1, tr("Engangskostnad: kjøp av varer og tjenester"), "kr", "kr", "one_off_purchase_kr", purchase_items,
         rows.inc_kr),
        (r + 2, tr("Engangskostnad: vikarer"), "kr", "kr", "one_off_standin_kr", standin_items, rows.inc_kr),
        (r + 3, tr("Engangskostnad i året (nye midler og interne timer i kr)"), "kr", "kr", "one_off_kr",
         [i.id for i in est.items], rows.inc_kr),
    ):
        c.label(row, label, unit, "total")
        for k, col in enumerate(C_YEARS):
            s.formula(row, col, f"SUM({','.join(cell(src_rows[i], col) for i in ids)})", getattr(years[k], attr),
                      "total", num)
        c.sum_years(row, sum(getattr(y, attr) for y in years), "total", num)
    return r + 4


def _running(c: _Calc, r: int) -> int:
    """Running costs: e-ID renewals in the years they fall due, and the note's yearly items."""
    s, b, rows, years, runs, tr = c.s, c.b, c.rows, c.b.years, c.runs, c.tr
    s.band(r, tr("Drift per år (fra året hvert trinn starter; fornyelse av e-ID i årene den faller)"), C_YEARS[-1])
    r = c.year_head(r + 1, N_("Full drift, snitt"))
    rows.renewal = r
    c.label(r, tr("Fornyelse av e-ID: kort som fornyes i året × pris per person (startår + hvert "
                  "fornyelsesintervall)"), "kr")
    s.formula(r, C_TOTAL, f"IF({cell(rows.staff, C_TOTAL)}>0,{cell(rows.staff, C_TOTAL)}*kj_eid_kr_per_person_used/"
                          f"kj_renewal_years_used,0)", runs[C_TOTAL].lines[0].purchase_kr, "calc", "kr")
    for k, col in enumerate(C_YEARS):
        y = cell(rows.year, col)
        s.formula(r, col, f"SUMPRODUCT(kj_calc_step_staff,--({y}>kj_calc_step_year),"
                          f"--(MOD({y}-kj_calc_step_year,kj_renewal_years_used)=0))*kj_eid_kr_per_person_used",
                  years[k].renewal_kr, "calc", "kr")
    r += 1
    line_rows = rows.running_lines
    for k_line, line in enumerate(b.running.lines[1:], start=1):
        line_rows[line.id] = r
        c.label(r, c.text(c.est.running_item(line.id).label), "timer" if line.kind == "hours" else "kr")
        for col in RUN_COLS:
            ln = runs[col].lines[k_line]
            value = ln.hours if line.kind == "hours" else ln.purchase_kr
            s.formula(r, col, f"IF({cell(rows.staff, col)}>0,kj_{line.id}_used,0)", value, "calc",
                      "number" if line.kind == "hours" else "kr")
        r += 1
    run_hours = [ln.id for ln in b.running.lines if ln.kind == "hours"]
    run_purchase = [ln.id for ln in b.running.lines[1:] if ln.kind == "purchase"]
    rows.running_hours, rows.running_purchase, rows.running_kr = r, r + 1, r + 2
    c.label(r, tr("Drift: interne timer"), "timer", "bold")
    c.label(r + 1, tr("Drift: kjøp (uten fornyelse av e-ID)"), "kr", "bold")
    c.label(r + 2, tr("Driftskostnad i året (nye midler og interne timer i kr)"), "kr", "total")
    for k, col in enumerate(RUN_COLS):
        run = runs[col]
        purchase = sum(ln.purchase_kr for ln in run.lines[1:])
        s.formula(r, col, "+".join(cell(line_rows[i], col) for i in run_hours) or "0", run.total_hours, "calc",
                  "number")
        s.formula(r + 1, col, "+".join(cell(line_rows[i], col) for i in run_purchase) or "0", purchase, "calc", "kr")
        if col == C_TOTAL:
            formula = f"{cell(r, col)}*kj_hourly_rate_used+({cell(rows.renewal, col)}+{cell(r + 1, col)})"
            value = run.total_kr
        else:
            formula = f"{cell(rows.renewal, col)}+{cell(r + 1, col)}+{cell(r, col)}*kj_hourly_rate_used"
            value = years[k - 1].running_kr
        s.formula(r + 2, col, formula, value, "total", "kr")
    return r + 3


def _money(c: _Calc, r: int) -> int:
    """New money apart from staff time, per budget year."""
    s, rows, years, tr = c.s, c.rows, c.b.years, c.tr
    s.band(r, tr("Nye midler og interne ressurser per budsjettår"), C_YEARS[-1])
    r = c.year_head(r + 1, N_("Sum 4 år"))
    rows.cash, rows.internal_hours, rows.internal_kr = r, r + 1, r + 2
    c.label(r, tr("Behov for nye midler: kjøp + vikarer + fornyelse av e-ID + driftskjøp"), "kr", "total")
    c.label(r + 1, tr("Interne ressurser: timer (engangs + drift)"), "timer", "bold")
    c.label(r + 2, tr("Interne ressurser i kr (timer × timekostnad)"), "kr", "bold")
    for k, col in enumerate(C_YEARS):
        y = years[k]
        s.formula(r, col, f"{cell(rows.year_purchase, col)}+{cell(rows.year_standin, col)}+"
                          f"{cell(rows.renewal, col)}+{cell(rows.running_purchase, col)}", y.cash_kr, "total", "kr")
        s.formula(r + 1, col, f"{cell(rows.year_hours, col)}+{cell(rows.running_hours, col)}", y.internal_hours,
                  "calc", "number")
        s.formula(r + 2, col, f"{cell(r + 1, col)}*kj_hourly_rate_used", y.internal_kr, "calc", "kr")
    c.sum_years(r, sum(y.cash_kr for y in years), "total", "kr")
    c.sum_years(r + 1, sum(y.internal_hours for y in years), "bold", "number")
    c.sum_years(r + 2, sum(y.internal_kr for y in years), "bold", "kr")
    return r + 3


def _benefits(c: _Calc, r: int) -> int:
    """Freed time per year: the short-term benefit follows groups a+b, the home-care benefit group c."""
    s, est, b, p, rows, years, tr = c.s, c.est, c.b, c.p, c.rows, c.b.years, c.tr
    short_groups = {g.id for g in est.groups if g.benefit == "short_term"}
    home_groups = {g.id for g in est.groups if g.benefit == "home_care"}
    short_ids = "+".join(sorted(short_groups))
    home_ids = "+".join(sorted(home_groups))
    s.band(r, tr("Gevinst per år (frigjort tid; korttid følger gruppe {short}, hjemmetjenesten gruppe {home})",
                 short=short_ids, home=home_ids), C_YEARS[-1])
    r = c.year_head(r + 1, N_("Full drift"))
    cum_s = {C_TOTAL: c.cum(None, short_groups), **{col: c.cum(p.first_year + k, short_groups)
                                                    for k, col in enumerate(C_YEARS)}}
    cum_h = {C_TOTAL: c.cum(None, home_groups), **{col: c.cum(p.first_year + k, home_groups)
                                                   for k, col in enumerate(C_YEARS)}}
    rs, rh, rfs, rfh, rhs, rhh = r, r + 1, r + 2, r + 3, r + 4, r + 5
    for row, label, unit in ((rs, tr("Helsepersonell i gruppe {groups} (kumulativt)", groups=short_ids), "personer"),
                             (rh, tr("Helsepersonell i gruppe {groups} (kumulativt)", groups=home_ids), "personer"),
                             (rfs, tr("Andel av korttidsgevinsten som er tatt ut"), "andel"),
                             (rfh, tr("Andel av hjemmetjenestegevinsten som er tatt ut"), "andel"),
                             (rhs, tr("Timer spart, korttidsavdelinger"), "timer"),
                             (rhh, tr("Timer spart, hjemmetjenesten"), "timer")):
        c.label(row, label, unit)
    for col in RUN_COLS:
        if col == C_TOTAL:
            s.formula(rs, col, "SUMPRODUCT(kj_calc_step_staff,kj_calc_step_short)", cum_s[col], "calc", "count")
            s.formula(rh, col, "SUMPRODUCT(kj_calc_step_staff,kj_calc_step_home)", cum_h[col], "calc", "count")
        else:
            y = cell(rows.year, col)
            s.formula(rs, col, f"SUMPRODUCT(--(kj_calc_step_year<={y}),kj_calc_step_staff,kj_calc_step_short)",
                      cum_s[col], "calc", "count")
            s.formula(rh, col, f"SUMPRODUCT(--(kj_calc_step_year<={y}),kj_calc_step_staff,kj_calc_step_home)",
                      cum_h[col], "calc", "count")
        tot_s, tot_h = cell(rs, C_TOTAL, True), cell(rh, C_TOTAL, True)
        fs = cum_s[col] / cum_s[C_TOTAL] if cum_s[C_TOTAL] else 0.0
        fh = cum_h[col] / cum_h[C_TOTAL] if cum_h[C_TOTAL] else 0.0
        s.formula(rfs, col, f"IF({tot_s}=0,0,{cell(rs, col)}/{tot_s})", fs, "calc", "percent")
        s.formula(rfh, col, f"IF({tot_h}=0,0,{cell(rh, col)}/{tot_h})", fh, "calc", "percent")
        ben = benefit(est, p, fs, fh)
        s.formula(rhs, col, f"kj_admissions_short_term_used*kj_share_short_term_used*kj_minutes_saved_used/"
                            f"kj_minutes_per_hour*{cell(rfs, col)}", ben.short_term_hours, "calc", "number")
        s.formula(rhh, col, f"kj_admissions_home_care_used*kj_share_home_care_used*kj_minutes_saved_used/"
                            f"kj_minutes_per_hour*{cell(rfh, col)}", ben.home_care_hours, "calc", "number")
    r += 6
    rows.benefit_hours, rows.benefit_kr = r, r + 1
    c.label(r, tr("Frigjorte timer i alt"), "timer", "bold")
    c.label(r + 1, tr("Frigjort tid i kr (timer × timekostnad; ikke innsparte kroner)"), "kr", "total")
    for k, col in enumerate(RUN_COLS):
        hours, kr = (b.benefit.hours, b.benefit.kr) if col == C_TOTAL else (years[k - 1].benefit_hours,
                                                                            years[k - 1].benefit_kr)
        s.formula(r, col, f"{cell(rhs, col)}+{cell(rhh, col)}", hours, "calc", "number")
        s.formula(r + 1, col, f"{cell(r, col)}*kj_hourly_rate_used", kr, "total", "kr")
    return r + 2


def _key_figures(c: _Calc, r: int) -> int:
    s, est, b, p, rows, tr = c.s, c.est, c.b, c.p, c.rows, c.tr
    s.band(r, tr("Nøkkeltall"), C_YEARS[-1])
    r += 1
    tot = C_TOTAL
    spare = f"({cell(rows.benefit_hours, tot)}-{cell(rows.running_hours, tot)})"
    key_rows = [
        ("kj_eid_index", tr("Valgt e-ID (nummer i listen på Estimater)"), "nr.", "MATCH(kj_eid_used,kj_list_eid,0)",
         [o.id for o in est.eid_options].index(p.eid) + 1, "count"),
        ("kj_calc_hours_returned", tr("År før frigjort tid veier opp de interne engangstimene "
                                      "(engangstimer ÷ (timer frigjort − drift, per år))"), "år",
         f'IF(AND({spare}>0,{cell(rows.total_hours, tot)}>0),{cell(rows.total_hours, tot)}/{spare},"")',
         b.hours_returned_years, "years"),
        ("kj_calc_outside_basis", tr("Utenfor notatets estimatgrunnlag (1 = ja)"), "1/0",
         f"IF(AND({cell(rows.staff, tot)}>0,OR({cell(rows.staff, tot)}<MIN(kj_est_sizes),"
         f"{cell(rows.staff, tot)}>MAX(kj_est_sizes))),1,0)", int(b.one_off.outside_basis), "count"),
        ("kj_calc_vendor_missing", tr("Pris for leverandørmodul mangler (1 = ja)"), "1/0",
         'IF(kj_vendor_module_kr_used="",1,0)', int(b.one_off.vendor_module_missing), "count"),
        ("kj_last_year", tr("Siste budsjettår"), "år", cell(rows.year, C_YEARS[-1]), p.last_year, "year"),
    ]
    for name, label, unit, formula, value, num in key_rows:
        c.label(r, label, unit)
        s.formula(r, tot, formula, value, "calc", num)
        s.define(name, (r, tot), None, "working")
        r += 1
    return r


def _functions(c: _Calc, r: int) -> int:
    """New money split on KOSTRA functions: each function's share of the personnel (added in the year,
    live by then, or all steps), e-ID renewals by the steps' functions, and every line of new money."""
    s, est, b, p, rows, tr = c.s, c.est, c.b, c.p, c.rows, c.tr
    s.band(r, tr("Nye midler fordelt på KOSTRA-funksjon (grunnlag for Budsjettlinjer)"), C_YEARS[-1])
    r = c.year_head(r + 1, "")
    codes = est.function_codes
    steps = tuple(st for st in c.ctx.inputs.steps if st.staff > 0)

    def weights(allocation: str, year: int) -> dict[str, int]:
        """The personnel per function of the steps that start in `year` (added), are live by then (live), or all."""
        out: dict[str, int] = {}
        for st in steps:
            if {"added": step_year(st) == year, "live": step_year(st) <= year, "all": True}[allocation]:
                f = step_function(est, st)
                out[f] = out.get(f, 0) + st.staff
        return out

    def share(w: dict[str, int], f: str) -> float:
        total = sum(w.values())
        return (1.0 if f == est.accounting.default_function else 0.0) if total == 0 else w.get(f, 0) / total

    def step_year(st: Step) -> int:
        return st.year if st.year is not None else p.first_year

    functions = c.ctx.register.names["kj_est_line_functions"]
    code_refs = {f: f"'{functions.sheet}'!{cell(functions.first[0] + fi, functions.first[1], True)}"
                 for fi, f in enumerate(codes)}
    share_labels = {"added": N_("Andel av personell som starter i året: funksjon {code} {name}"),
                    "live": N_("Andel av personell i drift i året: funksjon {code} {name}"),
                    "all": N_("Andel av alle trinn: funksjon {code} {name}")}
    for allocation, label in share_labels.items():
        for f in codes:
            rows.shares[(allocation, f)] = r
            c.label(r, tr(label, code=f, name=c.text(est.accounting.function(f).label)), "andel")
            s.formula(r, C_BEFORE, code_refs[f], f, "calc", "text")
            code = cell(r, C_BEFORE, True)
            for k, col in enumerate(C_YEARS):
                y = cell(rows.year, col)
                cond = {"added": f",--(kj_calc_step_year={y})", "live": f",--(kj_calc_step_year<={y})",
                        "all": ""}[allocation]
                num_ = f"SUMPRODUCT(kj_calc_step_staff,--(kj_calc_step_function={code}){cond})"
                den = f"SUMPRODUCT(kj_calc_step_staff{cond})"
                fallback = f"IF({code}=kj_est_default_function,1,0)"
                share_ = share(weights(allocation, p.first_year + k), f)
                s.formula(r, col, f"IF({den}=0,{fallback},{num_}/{den})", share_, "calc", "percent")
            r += 1
    renewal = next(cl for cl in b.cash_lines if cl.id == "eid_renewal")
    for fi, f in enumerate(codes):
        rows.renewal_by_function[f] = r
        c.label(r, tr("Fornyelse av e-ID, funksjon {code}", code=f), "kr")
        s.formula(r, C_BEFORE, code_refs[f], f, "calc", "text")
        code = cell(r, C_BEFORE, True)
        for k, col in enumerate(C_YEARS):
            y = cell(rows.year, col)
            s.formula(r, col, f"SUMPRODUCT(kj_calc_step_staff,--(kj_calc_step_function={code}),"
                              f"--({y}>kj_calc_step_year),--(MOD({y}-kj_calc_step_year,kj_renewal_years_used)=0))"
                              f"*kj_eid_kr_per_person_used", renewal.by_function[k][fi], "calc", "kr")
        r += 1
    r += 1
    s.band(r, tr("Linjer med nye midler (art fra estimatfilen)"), C_YEARS[-1], "section")
    r += 1
    sources = {"eid_cards": rows.inc_cards, "eid_readers": rows.inc_readers, "eid_renewal": rows.renewal}
    for line_id, label, art, _allocation in cash_line_specs(est):
        rows.cash_lines[line_id] = r
        line = next(cl for cl in b.cash_lines if cl.id == line_id)
        c.label(r, tr("{label} (art {art})", label=c.text(label), art=art), "kr")
        for k, col in enumerate(C_YEARS):
            if line_id.startswith("standin_"):
                formula = f"{cell(rows.inc_kr['standin'], col)}*kj_calc_share_{line_id.removeprefix('standin_')}"
            elif line_id in sources:
                formula = cell(sources[line_id], col)
            elif line_id in rows.inc_kr:
                formula = cell(rows.inc_kr[line_id], col)
            else:  # a running purchase
                formula = f"IF({cell(rows.staff, col)}>0,kj_{line_id}_used,0)"
            s.formula(r, col, formula, line.years[k], "calc", "kr")
        c.sum_years(r, sum(line.years), "calc", "kr")
        r += 1
    return r


def _inndata_cell(ctx: Context, name: str, k: int) -> str:
    """Row k of a step column on Inndata, as a cell reference (one formula per row, no index numbers)."""
    n = ctx.register.names[name]
    return f"'{n.sheet}'!{cell(n.first[0] + k, n.first[1])}"
