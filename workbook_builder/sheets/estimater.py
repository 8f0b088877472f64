"""Estimater (locked): the published figures with unit, track, expense kind and source, the price
level (municipal deflator), the full cost of an hour derived step by step, and the accounting codes.

Every number the workbook computes with is a cell here (or an input on Inndata); formulas elsewhere
reference these cells by name, never a number typed into the formula.
"""

from __future__ import annotations

from workbook_builder.core.estimates import KINDS, TRACKS, Item, RunningItem
from workbook_builder.core.model import (
    DAYS_PER_WEEK,
    MINUTES_PER_HOUR,
    STAFF_MAX,
    SUCCESSIVE_DIVISOR,
    SUCCESSIVE_WEIGHT,
    YEAR_MAX,
    YEAR_MIN,
    price_index,
)
from workbook_builder.core.numbers import TOLERANCE_KR
from workbook_builder.sheets.base import Context, Sheet

SHEET = "Estimater"

HOURLY_LABELS = {
    "holiday_pay_share": "Feriepenger",
    "weeks_per_year": "Uker per år",
    "vacation_weeks": "Ferieuker",
    "hours_per_week": "Arbeidstid per uke",
    "public_holiday_days": "Helligdager på hverdager",
    "pension_share": "Pensjon, arbeidsgivers andel",
}
BENEFIT_LABELS = {
    "minutes_saved": "Minutter spart per pasientmottak",
    "share_short_term": "Andel av mottak med gevinst, KAD/ØHD/intermediær",
    "share_home_care": "Andel av mottak med gevinst, hjemmetjenesten",
}
STATUS_LABELS = {"regnskap": "Regnskap", "anslag": "Anslag"}


class _Writer:
    """The sheet's layout: label, track, kind, unit, one column per reference size, source."""

    def __init__(self, ctx: Context, s: Sheet) -> None:
        self.ctx, self.s, self.ws = ctx, s, s.ws
        self.n = len(ctx.est.sizes.values)
        self.c_first = 4
        self.c_src = self.c_first + self.n
        self.w_label, self.w_src = 70, 120

    def columns(self) -> None:
        ws = self.ws
        ws.set_column(0, 0, self.w_label)
        ws.set_column(1, 1, 13)
        ws.set_column(2, 2, 24)
        ws.set_column(3, 3, 22)
        ws.set_column(self.c_first, self.c_src - 1, 13)
        ws.set_column(self.c_src, self.c_src, self.w_src)

    def row(self, r: int, label: str, unit: str, value: float | str, name: str | None, num: str | None, note: str,
            formula: str = "", role: str = "estimate", label_role: str = "label", track: str = "",
            kind: str = "") -> int:
        """One figure: label, track and kind, unit, the value (a constant, or a formula with the model's
        value) under a defined name, and its source; returns the next row."""
        s = self.s
        s.text(r, 0, label, label_role)
        if track:
            s.text(r, 1, TRACKS[track])
            s.text(r, 2, KINDS[kind])
        s.text(r, 3, unit, "unit")
        if formula:
            s.formula(r, self.c_first, formula, value, "key" if role == "key" else "calc", num)
        elif isinstance(value, str):
            s.text(r, self.c_first, value, "constant", "text")
        else:
            s.number(r, self.c_first, value, "constant", num)
        if name:
            s.define(name, (r, self.c_first), None, "estimate" if role == "key" else role)
        s.text(r, self.c_src, note, "muted")
        s.fit_height(r, (label, self.w_label), (note, self.w_src))
        return r + 1

    def head(self, r: int, heads: list[str], value_heads: list[str]) -> int:
        s = self.s
        for c, h in enumerate(heads):
            s.text(r, c, h, "colhead")
        for k in range(self.n):
            h = value_heads[k] if k < len(value_heads) else ""
            s.text(r, self.c_first + k, h, "colhead_r")
        s.text(r, self.c_src, "Kilde", "colhead")
        if any(len(h) > 12 for h in value_heads):
            self.ws.set_row(r, 30)
        return r + 1


def write(ctx: Context, s: Sheet) -> None:
    est, ws = ctx.est, s.ws
    w = _Writer(ctx, s)
    w.columns()
    s.text(0, 0, "Estimater – tallene budsjettet bygger på", "title")
    s.text(1, 0, est.name, "subtitle")
    s.text(2, 0, f"Kilde: {est.document}", "text")
    ws.merge_range(3, 0, 3, w.c_src, f"Estimatsett {est.id}, versjon {est.version} (SHA-256 {est.sha256[:16]}…). "
                   "Estimatene er «omtrentlige og overordnet» (notatet). Notatets kroner er "
                   f"{est.price_year}-kroner; budsjettet regner dem om til faste kroner for første budsjettår. "
                   "Arket er låst; endre tallene i estimatfilen og bygg arbeidsboken på nytt.", s.fmt("muted"))
    r = _items(w, 5)
    r = _eid(w, r + 1)
    r = _price_level(w, r + 1)
    r = _hourly(w, r + 1)
    r = _running_benefits(w, r + 1)
    r = _uncertainty(w, r + 1)
    r = _lists(w, r + 1)
    r = _accounting(w, r + 1)
    ws.freeze_panes(5, 1)
    s.print_setup(landscape=True, last_row=r, last_col=w.c_src, title="Estimater")
    s.protect()


def _items(w: _Writer, r: int) -> int:
    s, est = w.s, w.ctx.est
    s.band(r, f"Engangskostnader: notatets anslag per omfang ({est.price_year}-kroner og timer)", w.c_src)
    r += 1
    for c, head in enumerate(["Linje", "Spor", "Type utgift", "Enhet"]):
        s.text(r, c, head, "colhead")
    for k, size in enumerate(est.sizes.values):
        s.number(r, w.c_first + k, size, "colhead_r", "size")
    s.define("kj_est_sizes", (r, w.c_first), (r, w.c_src - 1), "estimate")
    s.text(r, w.c_src, "Kilde", "colhead")
    r += 1
    for item in est.items:
        s.text(r, 0, item.label, "label")
        s.text(r, 1, TRACKS[item.track])
        s.text(r, 2, KINDS[item.kind])
        s.text(r, 3, item.unit, "unit")
        figures = item.values if item.values is not None else item.published
        if figures is not None:
            for k, v in enumerate(figures):
                s.number(r, w.c_first + k, v, "constant", "count")
            name = f"kj_est_{item.id}" if item.values is not None else f"kj_est_{item.id}_published"
            s.define(name, (r, w.c_first), (r, w.c_src - 1), "estimate")
        else:
            text = "Beregnes (se under)" if item.kind == "standin" else "Ingen sum"
            w.ws.merge_range(r, w.c_first, r, w.c_src - 1, text, s.fmt("muted"))
        source = item.source
        if item.id == "eid":
            source += ". Notatets summer (PKI-kort og kortlesere); modellen regner e-ID fra enhetsprisene nedenfor."
        s.text(r, w.c_src, source, "muted")
        s.fit_height(r, (item.label, w.w_label), (source, w.w_src))
        r += 1
    s.text(r, 0, "Kortlesere (brukes for PKI-kort)", "label")
    s.text(r, 1, TRACKS["teknisk"])
    s.text(r, 2, KINDS["purchase"])
    s.text(r, 3, est.readers.unit, "unit")
    for k, v in enumerate(est.readers.values):
        s.number(r, w.c_first + k, v, "constant", "count")
    s.define("kj_est_readers", (r, w.c_first), (r, w.c_src - 1), "estimate")
    s.text(r, w.c_src, est.readers.source, "muted")
    s.fit_height(r, (est.readers.source, w.w_src))
    return r + 1


def _eid(w: _Writer, r: int) -> int:
    s, est = w.s, w.ctx.est
    s.band(r, f"e-ID: enhetspriser ({est.price_year}-kroner) og alternativer", w.c_src)
    r += 1
    r = w.row(r, "Pris per kortleser", est.reader_kr.unit, est.reader_kr.value, "kj_est_reader_kr", "kr",
              est.reader_kr.source)
    r = w.row(r, "Fornyelse av e-ID (PKI-kort) hvert", est.renewal_years.unit, est.renewal_years.value,
              "kj_est_renewal_years", "count", est.renewal_years.source)
    r = w.head(r + 1, ["e-ID (valg på Inndata)", "Status", "Avviklet", "Enhet"], ["Pris per person", "Kortlesere"])
    first = r
    for o in est.eid_options:
        s.text(r, 0, o.label, "bold")
        s.text(r, 1, "Avviklet" if o.phased_out else "Tilbys")
        s.number(r, 2, 1 if o.phased_out else 0, "constant", "flag")
        s.text(r, 3, o.unit, "unit")
        s.number(r, w.c_first, o.kr_per_person, "constant", "kr")
        s.number(r, w.c_first + 1, 1 if o.readers else 0, "constant", "flag")
        note = o.source + (f". Avviklet: {o.phased_out}." if o.phased_out else "")
        s.text(r, w.c_src, note, "muted")
        s.fit_height(r, (note, w.w_src))
        r += 1
    s.define("kj_list_eid", (first, 0), (r - 1, 0), "list")
    s.define("kj_est_eid_phased_out", (first, 2), (r - 1, 2), "estimate")
    s.define("kj_est_eid_price", (first, w.c_first), (r - 1, w.c_first), "estimate")
    s.define("kj_est_eid_readers", (first, w.c_first + 1), (r - 1, w.c_first + 1), "estimate")
    return r


def _price_level(w: _Writer, r: int) -> int:
    s, est, b = w.s, w.ctx.est, w.ctx.budget
    p, d = b.params, est.deflator
    s.band(r, "Prisnivå: kommunal deflator (kjøp) og lønnsvekst (lønn)", w.c_src)
    r += 1
    r = w.row(r, "Prisår for notatets kroner", "år", est.price_year, "kj_est_price_year", "year",
              est.price_year_source)
    r = w.row(r, f"Lønnsstatistikkens år ({est.pay.date})", "år", est.pay.price_year, "kj_est_pay_year", "year",
              est.pay.source)
    r = w.row(r, "Deflatorens basisår (indeks = 1)", "år", d.base_year, "kj_est_base_year", "year", d.source)
    r = w.row(r, "Prisvekst per år etter siste publiserte år (prognose)", d.forecast_deflator.unit,
              d.forecast_deflator.value, "kj_est_deflator_forecast", "percent1", d.forecast_deflator.source)
    r = w.row(r, "Lønnsvekst per år etter siste publiserte år (prognose)", d.forecast_wage.unit,
              d.forecast_wage.value, "kj_est_wage_forecast", "percent1", d.forecast_wage.source)
    r += 1
    s.text(r, 0, "År", "colhead")
    for c, head in ((1, "Status"), (2, "Kommunal deflator"), (3, "Lønnsvekst")):
        s.text(r, c, head, "colhead_r" if c > 1 else "colhead")
    s.text(r, w.c_first, "Prisindeks", "colhead_r")
    s.text(r, w.c_first + 1, "Lønnsindeks", "colhead_r")
    for c in range(w.c_first + 2, w.c_src):
        s.blank(r, c, "colhead")
    s.text(r, w.c_src, "Kilde", "colhead")
    r += 1
    first = r
    s.number(r, 0, d.base_year, "constant", "year_left")
    s.text(r, 1, "Basisår")
    s.blank(r, 2)
    s.blank(r, 3)
    s.number(r, w.c_first, 1, "constant", "index")
    s.number(r, w.c_first + 1, 1, "constant", "index")
    s.text(r, w.c_src, "Indeksene er 1 i basisåret; hvert år er året før × (1 + veksten).", "muted")
    r += 1
    for y in d.years:
        s.number(r, 0, y.year, "constant", "year_left")
        s.text(r, 1, STATUS_LABELS[y.status])
        s.number(r, 2, y.deflator, "constant", "percent1")
        s.number(r, 3, y.wage, "constant", "percent1")
        prev_p, prev_w = f"{_c(r - 1, w.c_first)}", f"{_c(r - 1, w.c_first + 1)}"
        s.formula(r, w.c_first, f"{prev_p}*(1+{_c(r, 2)})", price_index(est, y.year, False, 0.0), "calc", "index")
        s.formula(r, w.c_first + 1, f"{prev_w}*(1+{_c(r, 3)})", price_index(est, y.year, True, 0.0), "calc",
                  "index")
        s.text(r, w.c_src, y.source, "muted")
        s.fit_height(r, (y.source, w.w_src))
        r += 1
    s.define("kj_est_deflator_years", (first, 0), (r - 1, 0), "estimate")
    s.define("kj_est_price_index", (first, w.c_first), (r - 1, w.c_first), "estimate")
    s.define("kj_est_wage_index", (first, w.c_first + 1), (r - 1, w.c_first + 1), "estimate")
    r += 1
    r = w.row(r, "Siste år med publiserte tall", "år", d.last_year, "kj_est_last_year", "year",
              "Senere år bruker prognosen (kan endres på Inndata)", formula="MAX(kj_est_deflator_years)",
              role="working")

    def idx(kind: str, forecast: str, year: str) -> str:
        table = f"kj_est_{kind}_index"
        return (f"IF({year}<=kj_est_last_year,INDEX({table},{year}-kj_est_base_year+1),"
                f"INDEX({table},kj_est_last_year-kj_est_base_year+1)*(1+{forecast})^({year}-kj_est_last_year))")

    r = w.row(r, "Faktor for kjøp: fra notatets prisår til første budsjettår", "faktor", p.price_factor,
              "kj_calc_price_factor", "factor",
              "Prisindeksen i første budsjettår ÷ prisindeksen i notatets prisår. Priser som er lagt inn på Inndata, "
              "regnes som budsjettårets priser.",
              formula=f"{idx('price', 'kj_deflator_forecast_used', 'kj_first_year_used')}/"
                      f"INDEX(kj_est_price_index,kj_est_price_year-kj_est_base_year+1)", role="key",
              label_role="bold")
    r = w.row(r, "Faktor for lønn: fra lønnsstatistikkens år til første budsjettår", "faktor", p.wage_factor,
              "kj_calc_wage_factor", "factor", "Lønnsindeksen i første budsjettår ÷ lønnsindeksen i statistikkens år.",
              formula=f"{idx('wage', 'kj_wage_forecast_used', 'kj_first_year_used')}/"
                      f"INDEX(kj_est_wage_index,kj_est_pay_year-kj_est_base_year+1)", role="key", label_role="bold")
    return r


def _hourly(w: _Writer, r: int) -> int:
    s, est, b = w.s, w.ctx.est, w.ctx.budget
    p, h = b.params, b.params.hourly
    s.band(r, "Timekostnad for interne ressurser: full kostnad per time, avledet fra offentlige tall", w.c_src)
    r += 1
    r = w.head(r, ["Stilling (valg på Inndata)", "", "", "Enhet"], [f"Årslønn {est.pay.date}"])
    first = r
    for role in est.pay.roles:
        s.text(r, 0, role.label, "bold")
        s.text(r, 3, "kr per år", "unit")
        s.number(r, w.c_first, role.annual_kr, "constant", "kr")
        s.text(r, w.c_src, role.source, "muted")
        s.fit_height(r, (role.source, w.w_src))
        r += 1
    s.define("kj_list_roles", (first, 0), (r - 1, 0), "list")
    s.define("kj_est_role_pay", (first, w.c_first), (r - 1, w.c_first), "estimate")
    r += 1
    for key, fig in est.hourly_rate.items():
        num = "percent1" if key.endswith("_share") else "general"
        r = w.row(r, HOURLY_LABELS[key], fig.unit, fig.value, f"kj_est_{key}", num, fig.source)
    r = w.head(r + 1, ["Sone for arbeidsgiveravgift (valg på Inndata)", "", "", "Enhet"], ["Sats"])
    first = r
    for z in est.employer_tax.zones:
        s.text(r, 0, z.label, "bold")
        s.text(r, 3, "andel av lønn", "unit")
        s.number(r, w.c_first, z.rate, "constant", "percent1")
        s.text(r, w.c_src, z.source, "muted")
        s.fit_height(r, (z.source, w.w_src))
        r += 1
    s.define("kj_list_zones", (first, 0), (r - 1, 0), "list")
    s.define("kj_est_zone_rate", (first, w.c_first), (r - 1, w.c_first), "estimate")
    r = w.row(r, "Stilling når ingen er valgt", "", est.role(est.pay.default_role).label, "kj_est_default_role", None,
              est.pay.source)
    r = w.row(r, "Sone når kommunenummeret ikke er på arket Soner", "", est.zone(est.employer_tax.default_zone).label,
              "kj_est_default_zone", None, est.employer_tax.source)
    r += 1
    s.band(r, "Utregning med verdiene på Inndata (arbeidsgiveravgift også av pensjonen)", w.c_src, "section")
    r += 1
    role_label = est.role(p.pay_role).label
    zone_label = est.zone(p.employer_tax_zone).label
    # label, unit, name, formula, value, number format, note
    rows: list[tuple[str, str, str | None, str, float | str, str | None, str]] = [
        ("Stilling", "", None, "kj_pay_role_used", role_label, None, "Fra Inndata"),
        (f"Årslønn i statistikken ({est.pay.date})", "kr per år", "kj_calc_role_pay",
         "INDEX(kj_est_role_pay,MATCH(kj_pay_role_used,kj_list_roles,0))", h.role_pay_kr, "kr", ""),
        ("Lønnsvekst til første budsjettår", "faktor", None, "kj_calc_wage_factor", h.wage_factor, "factor",
         "Se prisnivå over"),
        ("Årslønn i budsjettårets lønnsnivå", "kr per år", "kj_calc_pay_kr", "kj_calc_role_pay*kj_calc_wage_factor",
         h.pay_kr, "kr", ""),
        ("Arbeidsuker per år", "uker", "kj_calc_weeks_worked", "kj_est_weeks_per_year-kj_est_vacation_weeks",
         h.weeks_worked, "decimal1", "Uker per år − ferieuker"),
        ("Lønn for arbeidsukene + feriepenger", "kr per år", "kj_calc_salary_kr",
         "kj_calc_pay_kr*(kj_calc_weeks_worked/kj_est_weeks_per_year+kj_holiday_pay_share_used)", h.salary_kr, "kr",
         "Feriepengene erstatter lønnen i ferieukene, så lønnen telles bare for arbeidsukene"),
        ("Pensjon", "kr per år", "kj_calc_pension_kr", "kj_calc_pay_kr*kj_pension_share_used", h.pension_kr, "kr",
         "Årslønn × pensjonssatsen på Inndata"),
        ("Sats for arbeidsgiveravgift i valgt sone", "andel", "kj_calc_employer_tax_share",
         "INDEX(kj_est_zone_rate,MATCH(kj_employer_tax_zone_used,kj_list_zones,0))", p.employer_tax_share,
         "percent1", f"Sone brukt: {zone_label}"),
        ("Arbeidsgiveravgift", "kr per år", "kj_calc_employer_tax_kr",
         "(kj_calc_salary_kr+kj_calc_pension_kr)*kj_calc_employer_tax_share", h.employer_tax_kr, "kr",
         "Av lønn, feriepenger og pensjon (KLP: arbeidsgiveravgift betales av pensjonspremien)"),
        ("Lønnskostnad per år", "kr per år", "kj_calc_cost_kr",
         "kj_calc_salary_kr+kj_calc_pension_kr+kj_calc_employer_tax_kr", h.cost_kr, "kr", ""),
        ("Arbeidstimer per år", "timer per år", "kj_calc_work_hours",
         "kj_hours_per_week_used*kj_calc_weeks_worked-kj_public_holiday_days_used*kj_hours_per_week_used/"
         "kj_days_per_week", h.hours, "decimal1", "Arbeidstid per uke × arbeidsuker − helligdager på hverdager"),
        ("Kostnad per time, uavrundet", "kr per time", "kj_calc_hourly_raw",
         "IF(kj_calc_work_hours>0,kj_calc_cost_kr/kj_calc_work_hours,0)", h.raw_kr_per_hour, "kr2", ""),
    ]
    for label, unit, name, formula, value, row_num, note in rows:
        r = w.row(r, label, unit, value, name, row_num, note, formula=formula, role="working")
    r = w.row(r, "Timekostnad (avrundet til hele kroner): standardverdi på Inndata", "kr per time", h.kr_per_hour,
              "kj_calc_hourly_rate", "kr", "Overstyr på Inndata med kommunens egen timekostnad.",
              formula="ROUND(kj_calc_hourly_raw,0)", role="key", label_role="bold")
    shares = h.shares
    for key, label, formula in (
        ("pay", "Andel lønn og feriepenger", "IF(kj_calc_cost_kr=0,1,kj_calc_salary_kr/kj_calc_cost_kr)"),
        ("pension", "Andel pensjon", "IF(kj_calc_cost_kr=0,0,kj_calc_pension_kr/kj_calc_cost_kr)"),
        ("employer_tax", "Andel arbeidsgiveravgift", "IF(kj_calc_cost_kr=0,0,kj_calc_employer_tax_kr/kj_calc_cost_kr)"),
    ):
        r = w.row(r, f"{label} i lønnskostnaden", "andel", shares[key], f"kj_calc_share_{key}", "percent1",
                  "Fordeler vikarutgiftene på artene for lønn, pensjon og arbeidsgiveravgift (Budsjettlinjer)",
                  formula=formula, role="working")
    return r


def _running_benefits(w: _Writer, r: int) -> int:
    s, est = w.s, w.ctx.est
    s.band(r, "Vikarer under opplæring", w.c_src)
    r += 1
    r = w.row(r, "Andel av opplæringstimene som krever vikar", est.standin_share.unit, est.standin_share.value,
              "kj_est_standin_share", "percent1", est.standin_share.source)
    r += 1
    s.band(r, "Drift per år (notatet nevner postene, men har ingen tall)", w.c_src)
    r += 1
    for item in est.running:
        r = w.row(r, item.label, item.unit, item.value, f"kj_est_{item.id}", "general", item.source, track="drift",
                  kind=item.kind)
    note = ("Ikke med: kommunens andel av kjernejournalens nasjonale driftskostnader (NHNs prismodell). Kommunene har "
            "betalt den siden 1.1.2022 enten sykehjemmene bruker kjernejournal eller ikke, så den er ingen kostnad ved "
            "dette prosjektet (forskrift om standarder og nasjonale e-helseløsninger; nhn.no).")
    s.text(r, 0, "Kommunens andel av nasjonale driftskostnader (NHNs prismodell)", "label")
    s.text(r, 3, "ikke med", "unit")
    s.text(r, w.c_src, note, "muted")
    s.fit_height(r, (note, w.w_src))
    r += 2
    s.band(r, "Gevinster", w.c_src)
    r += 1
    for key, fig in est.benefits.items():
        r = w.row(r, BENEFIT_LABELS[key], fig.unit, fig.value, f"kj_est_{key}",
                  "percent" if key.startswith("share") else "general", fig.source)
    r += 1
    s.band(r, "Konstanter", w.c_src)
    r += 1
    for label, unit, name, value, num, note in (
        ("Minutter per time", "minutter", "kj_minutes_per_hour", MINUTES_PER_HOUR, "count", "Definisjon"),
        ("Arbeidsdager per uke", "dager", "kj_days_per_week", DAYS_PER_WEEK, "count", "Definisjon (mandag–fredag)"),
        ("Kroner per 1 000 kr", "kr", "kj_thousand", 1000, "count", "Budsjettlinjer og økonomiplan i 1 000 kr"),
        ("Suksessivprinsippet: vekt på det sannsynlige tallet", "", "kj_successive_weight", SUCCESSIVE_WEIGHT,
         "count", "Forventet = (L + 3·M + H) / 5 (Lichtenberg)"),
        ("Suksessivprinsippet: divisor", "", "kj_successive_divisor", SUCCESSIVE_DIVISOR, "count",
         "Forventet = (L + 3·M + H) / 5; standardavvik = (H − L) / 5 (Lichtenberg)"),
        ("Tidligste år for innføringstrinn", "år", "kj_year_min", YEAR_MIN, "year", "Grense for gyldige år på Inndata"),
        ("Seneste år", "år", "kj_year_max", YEAR_MAX, "year", "Grense for gyldige år på Inndata"),
        ("Største antall helsepersonell per trinn", "personer", "kj_staff_max", STAFF_MAX, "count",
         "Grense for gyldige tall på Inndata"),
        ("Avrundingstoleranse", "kr", "kj_tolerance_kr", TOLERANCE_KR, "0.000",
         "Summer som skal stemme, kan avvike så mye ved avrunding, og ikke mer: budsjettårene mot totalen og "
         "budsjettlinjene mot nye midler (Kontroll), og lagrede tall mot modellen (kj-budget check og collect)"),
    ):
        r = w.row(r, label, unit, value, name, num, note)
    return r


def _uncertainty(w: _Writer, r: int) -> int:
    """Each item's range around its likely value (the «middels» level), the levels and the P85 quantile."""
    s, est = w.s, w.ctx.est
    u = est.uncertainty
    s.band(r, "Usikkerhet: spenn per linje (lav og høy andel rundt det sannsynlige tallet, nivå «Middels»)", w.c_src)
    r += 1
    r = w.head(r, ["Linje", "", "", ""], ["Lav andel", "Høy andel"])
    ranged: list[Item | RunningItem] = [*est.items, *est.running]
    for item in ranged:
        s.text(r, 0, item.label, "label")
        s.number(r, w.c_first, item.low_share, "constant", "percent1")
        s.number(r, w.c_first + 1, item.high_share, "constant", "percent1")
        s.define(f"kj_est_low_{item.id}", (r, w.c_first), None, "estimate")
        s.define(f"kj_est_high_{item.id}", (r, w.c_first + 1), None, "estimate")
        s.text(r, w.c_src, item.range_source, "muted")
        s.fit_height(r, (item.label, w.w_label), (item.range_source, w.w_src))
        r += 1
    r += 1
    r = w.head(r, ["Usikkerhetsnivå (valg på Inndata)", "", "", ""], ["Faktor"])
    first = r
    for lv in u.levels:
        s.text(r, 0, lv.label, "bold")
        s.number(r, w.c_first, lv.factor, "constant", "decimal1")
        s.text(r, w.c_src, lv.source, "muted")
        s.fit_height(r, (lv.source, w.w_src))
        r += 1
    s.define("kj_list_levels", (first, 0), (r - 1, 0), "list")
    s.define("kj_est_level_factor", (first, w.c_first), (r - 1, w.c_first), "estimate")
    r = w.row(r, "Nivå når ingen er valgt", "", est.level(u.default_level).label, "kj_est_default_level", None,
              u.source)
    r = w.row(r, "P85: standardavvik over forventningen (normalfordelingen)", u.p85_z.unit, u.p85_z.value,
              "kj_est_p85_z", "factor", u.p85_z.source)
    return r


def _lists(w: _Writer, r: int) -> int:
    s, est = w.s, w.ctx.est
    s.band(r, "Grupper for trinnvis innføring (notatets anbefaling 1)", w.c_src)
    r += 1
    r = w.head(r, ["Gruppe (valg på Inndata)", "Gevinst", "KOSTRA-funksjon", ""], ["Korttid", "Hjemme"])
    first = r
    for g in est.groups:
        s.text(r, 0, g.label, "bold")
        s.text(r, 1, "Korttidsavd." if g.benefit == "short_term" else "Hjemmetjeneste")
        s.text(r, 2, g.function, "constant", "text")
        s.number(r, w.c_first, 1 if g.benefit == "short_term" else 0, "constant", "flag")
        s.number(r, w.c_first + 1, 1 if g.benefit == "home_care" else 0, "constant", "flag")
        s.text(r, w.c_src, g.source, "muted")
        s.fit_height(r, (g.source, w.w_src))
        r += 1
    s.define("kj_list_groups", (first, 0), (r - 1, 0), "list")
    s.define("kj_est_group_function", (first, 2), (r - 1, 2), "estimate")
    s.define("kj_est_group_short", (first, w.c_first), (r - 1, w.c_first), "estimate")
    s.define("kj_est_group_home", (first, w.c_first + 1), (r - 1, w.c_first + 1), "estimate")
    r += 1
    s.band(r, "EPJ-leverandører", w.c_src)
    r += 1
    r = w.head(r, ["Leverandør (valg på Inndata)", "", "", ""], ["Navn skrives"])
    first = r
    for v in est.vendors:
        s.text(r, 0, v.label, "bold")
        s.number(r, w.c_first, 1 if v.other else 0, "constant", "flag")
        s.text(r, w.c_src, v.source, "muted")
        s.fit_height(r, (v.source, w.w_src))
        r += 1
    s.define("kj_list_vendors", (first, 0), (r - 1, 0), "list")
    s.define("kj_est_vendor_other", (first, w.c_first), (r - 1, w.c_first), "estimate")
    return r


def _accounting(w: _Writer, r: int) -> int:
    s, est = w.s, w.ctx.est
    acc = est.accounting
    s.band(r, f"Regnskap: {acc.plan}", w.c_src)
    r += 1
    r = w.row(r, "Budsjett alle linjer hører til", "", "Driftsbudsjettet" if acc.budget == "drift" else acc.budget,
              "kj_est_budget", None, "Ingen linje er en investering med notatets tall; Kontroll sier fra om et kjøp "
              "når grensen i KRS 4 (se under).")
    r = w.row(r, "Investeringsgrense (KRS 4): anskaffelseskost minst", acc.investment_threshold_kr.unit,
              acc.investment_threshold_kr.value, "kj_est_investment_kr", "kr", acc.investment_threshold_kr.source)
    r = w.row(r, "Investeringsgrense (KRS 4): levetid minst", acc.investment_min_life_years.unit,
              acc.investment_min_life_years.value, "kj_est_investment_life", "count",
              acc.investment_min_life_years.source)
    r = w.row(r, "Merverdiavgift", acc.mva_share.unit, acc.mva_share.value, "kj_est_mva_share", "percent",
              f"{acc.mva_share.source}. {acc.mva_note}")
    r = w.row(r, "Levetid for leverandørmodulen", "år", est.item("vendor_module").life_years,
              "kj_est_vendor_module_life", "count", est.item("vendor_module").source)
    r = w.row(r, "Levetid for e-ID (kort og kortlesere)", "år", est.item("eid").life_years, "kj_est_eid_life",
              "count", "Vurderes per enhet (et kort, en kortleser), ikke for alle kortene samlet (KRS 4)")
    r += 1
    r = w.head(r, ["KOSTRA-funksjon", "Kode", "", ""], ["I budsjett-linjene"])
    first = r
    line_functions = est.function_codes
    for f in acc.functions:
        s.text(r, 0, f.label, "label")
        s.text(r, 1, f.id, "constant", "text")
        s.number(r, w.c_first, 1 if f.id in line_functions else 0, "constant", "flag")
        s.text(r, w.c_src, acc.source, "muted")
        r += 1
    s.define("kj_est_function_codes", (first, 1), (r - 1, 1), "estimate")
    s.define("kj_est_function_labels", (first, 0), (r - 1, 0), "estimate")
    r += 1
    r = w.head(r, ["KOSTRA-art", "Kode", "", ""], [])
    first = r
    for a in acc.arts:
        s.text(r, 0, a.label, "label")
        s.text(r, 1, a.id, "constant", "text")
        s.text(r, w.c_src, acc.source, "muted")
        r += 1
    s.define("kj_est_art_codes", (first, 1), (r - 1, 1), "estimate")
    s.define("kj_est_art_labels", (first, 0), (r - 1, 0), "estimate")
    r += 1
    r = w.head(r, ["Funksjoner i budsjettlinjene (i denne rekkefølgen)", "Kode", "", ""], [])
    first = r
    for code in line_functions:
        s.text(r, 0, acc.function(code).label, "label")
        s.text(r, 1, code, "constant", "text")
        note = "Standard for trinn uten gruppe" if code == acc.default_function else "Funksjonen til en gruppe"
        s.text(r, w.c_src, note, "muted")
        r += 1
    s.define("kj_est_line_functions", (first, 1), (r - 1, 1), "estimate")
    s.define("kj_est_default_function", (first + line_functions.index(acc.default_function), 1), None, "estimate")
    return r


def _c(row: int, col: int) -> str:
    from workbook_builder.sheets.base import cell

    return cell(row, col)
