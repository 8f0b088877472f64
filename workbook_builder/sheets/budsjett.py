"""Budsjett (locked output): what a finance officer puts into the økonomiplan, in fixed prices of the
first budget year, as three things never netted against each other: new money (the line that goes into
the driftsbudsjett), internal resources (staff already paid for) and benefits (freed time). Key
figures, two charts and the master check; A4."""

from __future__ import annotations

from typing import Any

from xlsxwriter.chart import Chart

from workbook_builder.cells import list_label
from workbook_builder.core.i18n import N_
from workbook_builder.core.model import PLAN_YEARS, QUALITY_GAINS, choice_label, parse_vendor
from workbook_builder.core.numbers import excel_round
from workbook_builder.core.vocabulary import OUTPUT_BY_NAME, output_label
from workbook_builder.sheets import beregning
from workbook_builder.sheets.base import Context, Sheet, cell, excel_text, new_chart
from workbook_builder.sheets.beregning import C_TOTAL, C_YEARS, Rows
from workbook_builder.sheets.styles import localized

SHEET = N_("Budsjett")  # the id; the workbook names it in its målform (Context.sheet_name)
C_LABEL, C_UNIT = 0, 1
C_Y = tuple(range(2, 2 + PLAN_YEARS))
C_SUM = 2 + PLAN_YEARS
EMPTY_AXIS = '[>=1000]#,##0" kr";[=0]0" kr";""'  # an empty chart shows 0 kr, not «1 kr»
EMPTY_HOURS_AXIS = '[>=10]#,##0" t";[=0]0" t";""'
# Hours in whole hours, in the tables as in the key figures (vocabulary.OUTPUTS: «count»), on Oppfølging and in
# the memo: the freed hours per year showed «89» as a key figure and «88,7» in section 3.
HOURS = "count"


TITLE = N_("Budsjett for innføring av kjernejournal")
TITLE_MUNICIPALITY = N_("Budsjett for innføring av kjernejournal – {municipality}")
PLAN = N_("Økonomiplan {first}–{last} i faste {first}-kroner, uten mva.")
NO_VENDOR = N_("ikke valgt")
FREED_HOURS = N_("Frigjorte timer")  # the table's row and the chart's legend: one name


class _Budget:
    def __init__(self, ctx: Context, s: Sheet, rows: Rows) -> None:
        self.ctx, self.s, self.rows = ctx, s, rows
        self.b, self.est = ctx.budget, ctx.est
        self.p = self.b.params
        self.year_row = 0
        self.line_rows: dict[str, int] = {}
        self.range_rows: dict[str, list[int]] = {}

    def ref(self, row: int, col: int) -> str:
        """A cell of Beregning."""
        return self.ctx.sheet_ref(beregning.SHEET, row, col)

    def from_range(self, key: str) -> list[str]:
        """P50 or P85 per budget year, from the Usikkerhet sheet."""
        from workbook_builder.sheets import usikkerhet

        return [self.ctx.sheet_ref(usikkerhet.SHEET, row, usikkerhet.C_MEAN) for row in self.range_rows[key]]

    def line(self, r: int, key: str, label: str, unit: str, formulas: list[str], values: list[float], num: str,
             role: str = "calc", name: str | None = None, name_role: str = "output") -> int:
        """A per-year line with its four-year sum; returns the next row."""
        s = self.s
        self.line_rows[key] = r
        s.text(r, C_LABEL, label, "bold" if role in ("total", "key") else "label")
        s.text(r, C_UNIT, unit, "unit")
        s.fit_height(r, (label, 50))
        for k, col in enumerate(C_Y):
            s.formula(r, col, formulas[k], values[k], role, num)
        s.formula(r, C_SUM, f"SUM({cell(r, C_Y[0])}:{cell(r, C_Y[-1])})", sum(values),
                  role if role in ("total", "key") else "bold", num)
        if name:
            s.define(name, (r, C_Y[0]), (r, C_Y[-1]), name_role)
        return r + 1

    def from_calc(self, row: int) -> list[str]:
        return [self.ref(row, C_YEARS[k]) for k in range(PLAN_YEARS)]

    def head(self, r: int, title: str, note: str = "") -> int:
        s = self.s
        s.band(r, title, C_SUM)
        r += 1
        s.text(r, C_LABEL, note or self.ctx.tr("Post"), "colhead")
        s.text(r, C_UNIT, self.ctx.tr("Enhet"), "colhead")
        for k, col in enumerate(C_Y):
            s.formula(r, col, cell(self.year_row, col, True), self.p.first_year + k, "colhead_r", "year")
        s.text(r, C_SUM, self.ctx.tr("Sum 4 år"), "colhead_r")
        return r + 1


def write(ctx: Context, s: Sheet, rows: Rows, range_rows: dict[str, list[int]]) -> None:
    ws = s.ws
    g = _Budget(ctx, s, rows)
    g.range_rows = range_rows
    b, est, p = g.b, g.est, g.p
    ws.set_column(C_LABEL, C_LABEL, 50)
    ws.set_column(C_UNIT, C_UNIT, 11)
    ws.set_column(C_Y[0], C_SUM, 14)
    tr = ctx.tr
    muni = ctx.inputs.municipality
    plain, _ = ctx.template(TITLE, {})
    titled, titled_value = ctx.template(TITLE_MUNICIPALITY, {"municipality": "kj_municipality"}, municipality=muni)
    s.formula(0, 0, f'IF(kj_municipality="",{plain},{titled})', titled_value if muni else tr(TITLE), "title")
    plan, plan_value = ctx.template(PLAN, {"first": "kj_first_year_used", "last": "kj_last_year"},
                                    first=p.first_year, last=p.last_year)
    s.formula(1, 0, plan, plan_value, "bold")
    s.text(2, 0, tr("Kilde: {name}, estimatsett {id} versjon {version}. Bygget {date}.", name=ctx.text(est.name),
                    id=est.id, version=est.version, date=ctx.today.strftime("%d.%m.%Y")), "subtitle")
    r = 4
    s.text(r, C_LABEL, tr("Samlet kontroll"), "bold")
    s.formula(r, C_UNIT, "kj_master_check", ctx.tr(b.master_check), "check")
    ws.merge_range(r, C_Y[0], r, C_SUM, "", s.fmt("bold"))
    s.formula(r, C_Y[0], "kj_master_message", b.master_message, "bold")
    for text, fmt in ctx.fmt.status_rules(ctx.malform):
        ws.conditional_format(r, C_UNIT, r, C_UNIT, {"type": "cell", "criteria": "==", "value": f'"{text}"',
                                                     "format": fmt})
    r = _key_figures(g, r + 2)
    r = _money(g, r + 1)
    r = _internal(g, r + 1)
    r = _benefits(g, r + 1)
    r = _totals(g, r + 1)
    # the charts start a page of their own: the band «Diagram» was printed alone at the foot of the tables' page
    ws.set_h_pagebreaks([r + 1])
    last_row = _charts(g, r + 1)
    s.print_setup(landscape=False, last_row=last_row, last_col=C_SUM)
    ws.fit_to_pages(1, 0)
    s.protect()


def _key_figures(g: _Budget, r: int) -> int:
    s, b, est, p, rows, ctx = g.s, g.b, g.est, g.p, g.rows, g.ctx
    tr, ref = ctx.tr, g.ref
    s.band(r, tr("Nøkkeltall"), C_SUM)
    r += 1
    tot = C_TOTAL
    vendor = list_label(est, "vendor", ctx.inputs.vendor, ctx.malform) or tr(NO_VENDOR)
    if ctx.inputs.vendor and est.vendor(parse_vendor(est, ctx.inputs.vendor)).other:
        vendor = ctx.inputs.vendor_other if ctx.inputs.vendor_other.strip() else vendor
    other = ('IF(INDEX(kj_est_vendor_other,MATCH(kj_vendor_used,kj_list_vendors,0))=1,'
             'IF(TRIM(kj_vendor_other)="",kj_vendor_used,kj_vendor_other),kj_vendor_used)')
    # (the output shown, its formula, the model's value, bold, defined here); its label, unit and number format
    # come from the one list of outputs (vocabulary.OUTPUTS), read in the workbook's målform. A row without an
    # output has its label (a message id) first.
    key: list[tuple[str, str, Any, bool, bool]] = [
        ("kj_total_staff", ref(rows.staff, tot), b.total_staff, False, True),
        ("kj_eid_used", "kj_eid_used", choice_label(est, "eid", p.eid, ctx.malform), False, False),
        (N_("EPJ-leverandør"), f'IF(kj_vendor_used="",{excel_text(tr(NO_VENDOR))},{other})', vendor, False, False),
        ("kj_price_year", "kj_first_year_used", p.price_year, False, True),
        ("kj_price_factor", "kj_calc_price_factor", p.price_factor, False, True),
        ("kj_wage_factor", "kj_calc_wage_factor", p.wage_factor, False, True),
        ("kj_hourly_rate_used", "kj_hourly_rate_used", p.hourly_rate, False, False),
        ("kj_cash_total_kr", "SUM(kj_year_cash_kr)", b.cash_total_kr, True, True),
        ("kj_total_hours", ref(rows.total_hours, tot), b.one_off.total_hours, False, True),
        ("kj_total_purchase_kr", ref(rows.total_purchase, tot), b.one_off.total_purchase_kr, False, True),
        ("kj_total_kr", ref(rows.total_kr, tot), b.one_off.total_kr, True, True),
        ("kj_total_kr_p50", "kj_total_kr_p50", b.ranges.one_off.p50, False, False),
        ("kj_total_kr_p85", "kj_total_kr_p85", b.ranges.one_off.p85, False, False),
        ("kj_cash_total_kr_p85", "kj_cash_total_kr_p85", b.ranges.cash_total.p85, False, False),
        (N_("Usikkerhet i anslaget (valgt på Inndata)"), "kj_uncertainty_used",
         choice_label(est, "level", p.uncertainty, ctx.malform), False, False),
        ("kj_running_kr_per_year", ref(rows.running_kr, tot), b.running.total_kr, True, True),
        ("kj_benefit_hours_per_year", ref(rows.benefit_hours, tot), b.benefit.hours, False, True),
        ("kj_benefit_kr_per_year", ref(rows.benefit_kr, tot), b.benefit.kr, False, True),
        ("kj_hours_returned_years", "kj_calc_hours_returned", b.hours_returned_years, False, True),
        ("kj_outside_basis", "kj_calc_outside_basis", int(b.one_off.outside_basis), False, True),
        ("kj_vendor_module_missing", "kj_calc_vendor_missing", int(b.one_off.vendor_module_missing), False, True),
    ]
    for shown, formula, value, headline, defined_here in key:
        out = OUTPUT_BY_NAME.get(shown)
        label, unit, num = ((output_label(shown, est, ctx.malform), tr(out.unit) if out.unit else "", out.num) if out
                            else (tr(shown), "", None))
        name = shown if defined_here else None
        s.text(r, C_LABEL, label, "bold" if headline else "label")
        s.text(r, C_UNIT, unit, "unit")
        s.formula(r, C_Y[0], formula, value, "key" if headline else "calc", None if num == "text" else num)
        if name:
            s.define(name, (r, C_Y[0]), None, "output")
        if name == "kj_hours_returned_years":
            text = tr("Timer, ikke kroner: frigjort tid gir ikke innsparte kroner i budsjettet.")
            never = tr("Frigjort tid veier ikke opp engangstimene med disse tallene.")
            s.formula(r, C_Y[1], f'IF(kj_total_staff=0,"",IF(kj_hours_returned_years="",{excel_text(never)},'
                                 f'{excel_text(text)}))',
                      "" if b.total_staff == 0 else never if b.hours_returned_years is None else text, "note",
                      indent=1)
        r += 1
    return r


def _money(g: _Budget, r: int) -> int:
    s, b, est, rows, ctx = g.s, g.b, g.est, g.rows, g.ctx
    tr, kr = ctx.tr, ctx.tr("kr")
    years = b.years
    g.s.band(r, tr("1. Behov for nye midler – driftsbudsjettet"), C_SUM)
    r += 1
    s.text(r, C_LABEL, tr("Post"), "colhead")
    s.text(r, C_UNIT, tr("Enhet"), "colhead")
    g.year_row = r
    for k, col in enumerate(C_Y):
        s.formula(r, col, g.ref(rows.year, C_YEARS[k]), g.p.first_year + k, "colhead_r", "year")
    s.define("kj_year", (r, C_Y[0]), (r, C_Y[-1]), "output")
    s.text(r, C_SUM, tr("Sum 4 år"), "colhead_r")
    r += 1
    r = g.line(r, "eid", tr("e-ID: kort og kortlesere"), kr,
               [f"{g.ref(rows.inc_cards, C_YEARS[k])}+{g.ref(rows.inc_readers, C_YEARS[k])}"
                for k in range(PLAN_YEARS)],
               [y.eid_cards_kr + y.eid_readers_kr for y in years], "kr")
    for item in est.items:
        if item.kind == "purchase" and item.id != "eid":
            r = g.line(r, item.id, ctx.text(item.label), kr, g.from_calc(rows.inc_kr[item.id]),
                       [y.item_kr[item.id] for y in years], "kr", name=f"kj_year_{item.id}_kr", name_role="working")
    r = g.line(r, "standin", ctx.text(est.item("standin").label), kr, g.from_calc(rows.inc_kr["standin"]),
               [y.one_off_standin_kr for y in years], "kr")
    r = g.line(r, "renewal", tr("Fornyelse av e-ID (i årene kortene må fornyes)"), kr, g.from_calc(rows.renewal),
               [y.renewal_kr for y in years], "kr", name="kj_year_renewal_kr")
    for ln in b.running.lines[1:]:
        if ln.kind == "purchase":
            r = g.line(r, ln.id, ctx.text(est.running_item(ln.id).label), kr,
                       [f"IF({g.ref(rows.staff, C_YEARS[k])}>0,kj_{ln.id}_used,0)" for k in range(PLAN_YEARS)],
                       [next(c for c in b.cash_lines if c.id == ln.id).years[k] for k in range(PLAN_YEARS)], "kr")
    r = g.line(r, "cash", tr("Behov for nye midler"), kr, g.from_calc(rows.cash), [y.cash_kr for y in years], "kr",
               "key", name="kj_year_cash_kr")
    rg = b.ranges
    r = g.line(r, "cash_p50", tr("  – P50, forventet (styringsramme)"), kr, g.from_range("cash_p50"),
               [x.p50 for x in rg.cash_years], "kr", name="kj_year_cash_kr_p50")
    r = g.line(r, "cash_p85", tr("  – P85, kostnadsramme"), kr, g.from_range("cash_p85"),
               [x.p85 for x in rg.cash_years], "kr", name="kj_year_cash_kr_p85")
    r = g.line(r, "cash_reserve", tr("  – Usikkerhetsavsetning (P85 − P50)"), kr,
               [f"{cell(g.line_rows['cash_p85'], col)}-{cell(g.line_rows['cash_p50'], col)}" for col in C_Y],
               [x.reserve for x in rg.cash_years], "kr")
    # P85 of the four years together is the period's cost limit (Nøkkeltall, Usikkerhet, the memo): lower than
    # the sum of the years' P85, since the years are not all expensive at once. The sum column shows it, not a
    # second «P85 for the period» that agrees with nothing else.
    _period_range(g, "cash_p85", "kj_cash_total_kr_p85", rg.cash_total.p85, "cash_reserve", rg.cash_total.reserve)
    cash = g.line_rows["cash"]
    r = g.line(r, "cash_thousand", tr("Behov for nye midler i 1 000 kr (avrundet)"), tr("1 000 kr"),
               [f"ROUND({cell(cash, col)}/kj_thousand,0)" for col in C_Y],
               [excel_round(y.cash_kr / 1000) for y in years], "thousand")
    note = " ".join((tr("Alle priser uten mva: kommunen får mva-kompensasjon for kjøp til helse- og "
                        "omsorgstjenestene. Kontoplan og KOSTRA-koder per linje: arket Budsjettlinjer."),
                     tr(PERIOD_P85_NOTE)))
    s.ws.merge_range(r, C_LABEL, r, C_SUM, note, s.fmt("muted"))
    s.ws.set_row(r, 42)
    return r + 1


PERIOD_P85_NOTE = N_("Sum 4 år for P85 er kostnadsrammen for perioden samlet, som i nøkkeltallene: den er lavere enn "
                     "summen av årenes P85, fordi ikke alle årene blir dyre samtidig.")


def _period_range(g: _Budget, p85_key: str, p85_name: str, p85: float, reserve_key: str | None = None,
                  reserve: float = 0.0) -> None:
    """The four-year column of a P85 row (and of its reserve row): the P85 of the period, not a sum of years."""
    s = g.s
    row = g.line_rows[p85_key]
    s.formula(row, C_SUM, p85_name, p85, "bold", "kr")
    if reserve_key is not None:
        p50_row = g.line_rows[p85_key.replace("p85", "p50")]
        s.formula(g.line_rows[reserve_key], C_SUM, f"{cell(row, C_SUM)}-{cell(p50_row, C_SUM)}", reserve, "bold", "kr")


def _internal(g: _Budget, r: int) -> int:
    s, b, est, rows, ctx = g.s, g.b, g.est, g.rows, g.ctx
    tr, kr, hours = ctx.tr, ctx.tr("kr"), ctx.tr("timer")
    years = b.years
    r = g.head(r, tr("2. Interne ressurser – ansatte som allerede er lønnet (ikke nye midler)"))
    for track, row in rows.track_hours.items():
        ids = [i.id for i in est.items if i.track == track and i.kind == "hours"]
        r = g.line(r, f"hours_{track}", tr("{track}: engangstimer", track=_track(ctx, track)),
                   hours, g.from_calc(row), [sum(y.item_hours[i] for i in ids) for y in years], HOURS)
    r = g.line(r, "running_hours", tr("Drift: timer per år"), hours, g.from_calc(rows.running_hours),
               [y.running_hours for y in years], HOURS)
    r = g.line(r, "internal_hours", tr("Interne timer i alt"), hours, g.from_calc(rows.internal_hours),
               [y.internal_hours for y in years], HOURS, "total", name="kj_year_internal_hours")
    r = g.line(r, "internal_kr", tr("Verdien av de interne timene (timer × timekostnad)"), kr,
               g.from_calc(rows.internal_kr), [y.internal_kr for y in years], "kr", name="kj_year_internal_kr")
    rg = b.ranges
    r = g.line(r, "internal_p50", tr("  – P50, forventet"), kr, g.from_range("internal_p50"),
               [x.p50 for x in rg.internal_years], "kr", name="kj_year_internal_kr_p50")
    r = g.line(r, "internal_p85", tr("  – P85"), kr, g.from_range("internal_p85"),
               [x.p85 for x in rg.internal_years], "kr", name="kj_year_internal_kr_p85")
    _period_range(g, "internal_p85", "kj_internal_total_kr_p85", rg.internal_total.p85)
    note = tr("Timene tas av ansatte som allerede er i budsjettet. De krever ikke nye midler, men tid som må "
              "planlegges i turnus og arbeidsplaner.")
    s.ws.merge_range(r, C_LABEL, r, C_SUM, note, s.fmt("muted"))
    s.ws.set_row(r, 28)
    return r + 1


def _track(ctx: Context, track: str) -> str:
    from workbook_builder.core.estimates import TRACKS

    return ctx.tr(TRACKS[track])


def _benefits(g: _Budget, r: int) -> int:
    s, b, rows, ctx = g.s, g.b, g.rows, g.ctx
    tr = ctx.tr
    years = b.years
    r = g.head(r, tr("3. Gevinster – frigjort tid (ikke innsparte kroner)"))
    r = g.line(r, "benefit_hours", tr(FREED_HOURS), tr("timer"), g.from_calc(rows.benefit_hours),
               [y.benefit_hours for y in years], HOURS, name="kj_year_benefit_hours")
    r = g.line(r, "benefit_kr", tr("Verdien av frigjort tid (timer × timekostnad)"), tr("kr"),
               g.from_calc(rows.benefit_kr), [y.benefit_kr for y in years], "kr", name="kj_year_benefit_kr")
    text = tr("Kvalitet og pasientsikkerhet (notatet): {gains}", gains=" ".join(tr(q) for q in QUALITY_GAINS))
    s.ws.merge_range(r, C_LABEL, r, C_SUM, text, s.fmt("wrap"))
    s.ws.set_row(r, 46)
    return r + 1


def _totals(g: _Budget, r: int) -> int:
    b, rows, tr, kr = g.b, g.rows, g.ctx.tr, g.ctx.tr("kr")
    years = b.years
    r = g.head(r, tr("Ressursbruk i alt (nye midler + interne timer i kr; gevinsten er ikke trukket fra)"))
    r = g.line(r, "one_off", tr("Engangskostnader"), kr, g.from_calc(rows.year_kr), [y.one_off_kr for y in years],
               "kr", name="kj_year_one_off_kr")
    r = g.line(r, "running", tr("Driftskostnader"), kr, g.from_calc(rows.running_kr), [y.running_kr for y in years],
               "kr", name="kj_year_running_kr")
    r = g.line(r, "all", tr("Ressursbruk i alt"), kr,
               [f"{cell(g.line_rows['one_off'], col)}+{cell(g.line_rows['running'], col)}" for col in C_Y],
               [y.one_off_kr + y.running_kr for y in years], "kr", "total")
    return r


# The charts' titles (cells the charts link to; the money chart's names the first budget year). What to do while
# there are no figures stands beside them, not in them: LibreOffice keeps a linked title as the text it had when
# the file was saved, so a title that said «ingen tall ennå» in a blank workbook said it after it was filled in.
TITLE_MONEY = N_("Behov for nye midler per år (faste {first}-kroner)")
TITLE_HOURS = N_("Interne timer brukt og tid frigjort per år")
NO_FIGURES_YET = N_("Ingen tall ennå: legg inn innføringstrinn på Inndata")


def _charts(g: _Budget, r: int) -> int:
    s, ctx, b = g.s, g.ctx, g.b
    p, tr = g.p, ctx.tr
    wb = ctx.wb
    s.band(r, tr("Diagram"), C_SUM, "section")
    r += 1
    money_title, money_value = ctx.template(TITLE_MONEY, {"first": "kj_first_year_used"}, first=p.first_year)
    s.formula(r, C_LABEL, money_title, money_value, "note")
    s.text(r + 1, C_LABEL, tr(TITLE_HOURS), "note")
    s.formula(r, C_Y[0], f'IF(kj_total_staff=0,{excel_text(tr(NO_FIGURES_YET))},"")',
              tr(NO_FIGURES_YET) if b.total_staff == 0 else "", "note")
    title_rows = (r, r + 1)
    # the figures the money chart draws, under their years (they were printed without them)
    s.text(r + 2, C_LABEL, tr("Post"), "colhead")
    s.text(r + 2, C_UNIT, tr("Enhet"), "colhead")
    for k, col in enumerate(C_Y):
        s.formula(r + 2, col, cell(g.year_row, col, True), p.first_year + k, "colhead_r", "year")
    r += 3
    years = [s.name, g.year_row, C_Y[0], g.year_row, C_Y[-1]]
    lr = g.line_rows
    money = new_chart(wb, {"type": "column", "subtype": "stacked"})
    purchases = [k for k in lr if k in ("eid",) or k in {i.id for i in g.est.items if i.kind == "purchase"}]
    series = [(tr("Kjøp (e-ID, bistand, modul)"), purchases, "#2F5597"), (tr("Vikarer"), ["standin"], "#8FAADC"),
              (tr("Fornyelse og drift"), ["renewal", *[ln.id for ln in b.running.lines[1:] if ln.kind == "purchase"]],
               "#F4B183")]
    # chart series need one row each: sum the lines in helper rows (hidden under the charts' anchor)
    helper = r
    for k, (label, keys, _colour) in enumerate(series):
        s.text(helper + k, C_LABEL, label, "note")
        s.text(helper + k, C_UNIT, tr("kr"), "unit")
        for i, col in enumerate(C_Y):
            parts = [cell(lr[key], col) for key in keys if key in lr]
            value = sum(_line_value(g, key, i) for key in keys if key in lr)
            s.formula(helper + k, col, "+".join(parts) or "0", value, "calc", "kr")
    for k, (_label, _keys, colour) in enumerate(series):
        money.add_series({"name": [s.name, helper + k, C_LABEL], "categories": years,
                          "values": [s.name, helper + k, C_Y[0], helper + k, C_Y[-1]],
                          "fill": {"color": colour}, "gap": 60})
    p85 = new_chart(wb, {"type": "line"})
    p85.add_series({"name": tr("P85, kostnadsramme"), "categories": years,
                    "values": [s.name, lr["cash_p85"], C_Y[0], lr["cash_p85"], C_Y[-1]],
                    "line": {"none": True},
                    "marker": {"type": "dash", "size": 14, "fill": {"color": "#C00000"},
                               "border": {"color": "#C00000"}}})
    money.combine(p85)
    _style(money, [s.name, title_rows[0], C_LABEL], localized(EMPTY_AXIS, ctx.malform), tr("kr"), tr("Budsjettår"))
    hours = new_chart(wb, {"type": "column"})
    for key, label, colour in (("internal_hours", tr("Interne timer brukt"), "#2F5597"),
                               ("benefit_hours", tr(FREED_HOURS), "#548235")):
        hours.add_series({"name": label, "categories": years, "values": [s.name, lr[key], C_Y[0], lr[key], C_Y[-1]],
                          "fill": {"color": colour}, "gap": 80})
    _style(hours, [s.name, title_rows[1], C_LABEL], localized(EMPTY_HOURS_AXIS, ctx.malform), tr("timer"),
           tr("Budsjettår"))
    r += len(series) + 1
    s.ws.insert_chart(r, C_LABEL, money, {"x_offset": 5, "y_offset": 5, "object_position": 1})
    s.ws.insert_chart(r + 17, C_LABEL, hours, {"x_offset": 5, "y_offset": 5, "object_position": 1})
    return r + 34


def _line_value(g: _Budget, key: str, k: int) -> float:
    y = g.b.years[k]
    if key == "eid":
        return y.eid_cards_kr + y.eid_readers_kr
    if key == "standin":
        return y.one_off_standin_kr
    if key == "renewal":
        return y.renewal_kr
    if key in y.item_kr:
        return y.item_kr[key]
    return next(c for c in g.b.cash_lines if c.id == key).years[k]


def axis_title(text: str) -> dict[str, Any]:
    """An axis title: the unit of the value axis, or what the categories are."""
    return {"name": text, "name_font": {"name": "Calibri", "size": 9, "bold": False, "color": "#404040"}}


def _style(chart: Chart, title_ref: list[Any], axis_format: str, y_title: str, x_title: str) -> None:
    chart.set_title({"name": title_ref, "name_font": {"name": "Calibri", "size": 12, "bold": True}})
    chart.set_y_axis({"num_format": axis_format, "min": 0, "num_font": {"name": "Calibri", "size": 9},
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}, **axis_title(y_title)})
    chart.set_x_axis({"num_font": {"name": "Calibri", "size": 10}, "num_format": "0", **axis_title(x_title)})
    chart.set_legend({"position": "bottom", "font": {"name": "Calibri", "size": 10}})
    chart.set_size({"width": 760, "height": 320})
    chart.set_chartarea({"border": {"none": True}})
