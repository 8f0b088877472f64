"""Estimater (locked): the published figures with unit, track, expense kind and source, the price
level (municipal deflator), the full cost of an hour derived step by step, and the accounting codes.

Every number the workbook computes with is a cell here (or an input on Inndata); formulas elsewhere
reference these cells by name, never a number typed into the formula.
"""

from __future__ import annotations

from workbook_builder.core.estimates import KINDS, TRACKS, Item, RunningItem
from workbook_builder.core.i18n import N_
from workbook_builder.core.model import (
    DAYS_PER_WEEK,
    MINUTES_PER_HOUR,
    STAFF_MAX,
    SUCCESSIVE_DIVISOR,
    SUCCESSIVE_WEIGHT,
    YEAR_MAX,
    YEAR_MIN,
    choice_label,
    price_index,
)
from workbook_builder.core.numbers import TOLERANCE_KR
from workbook_builder.sheets.base import Context, Sheet

SHEET = N_("Estimater")  # the id; the workbook names it in its målform (Context.sheet_name)

HOURLY_LABELS = {
    "holiday_pay_share": N_("Feriepenger"),
    "weeks_per_year": N_("Uker per år"),
    "vacation_weeks": N_("Ferieuker"),
    "hours_per_week": N_("Arbeidstid per uke"),
    "public_holiday_days": N_("Helligdager på hverdager"),
    "pension_share": N_("Pensjon, arbeidsgivers andel"),
}
BENEFIT_LABELS = {
    "minutes_saved": N_("Minutter spart per pasientmottak"),
    "share_short_term": N_("Andel av mottak med gevinst, KAD/ØHD/intermediær"),
    "share_home_care": N_("Andel av mottak med gevinst, hjemmetjenesten"),
}
STATUS_LABELS = {"regnskap": N_("Regnskap"), "anslag": N_("Anslag")}


class _Writer:
    """The sheet's layout: label, track, kind, unit, one column per reference size, source."""

    def __init__(self, ctx: Context, s: Sheet) -> None:
        self.ctx, self.s, self.ws = ctx, s, s.ws
        self.tr, self.text = ctx.tr, ctx.text
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
            s.text(r, 1, self.tr(TRACKS[track]))
            s.text(r, 2, self.tr(KINDS[kind]))
        s.text(r, 3, unit, "unit")
        if formula:
            s.formula(r, self.c_first, formula, value, "key" if role == "key" else "calc", num)
        elif isinstance(value, str):
            s.text(r, self.c_first, value, "constant", "text")
        else:
            s.number(r, self.c_first, value, "constant", num)
        if name:
            s.define(name, (r, self.c_first), None, "estimate" if role == "key" else role)
        s.text(r, self.c_src, note, "muted", indent=1)
        s.fit_height(r, (label, self.w_label), (note, self.w_src))
        return r + 1

    def head(self, r: int, heads: list[str], value_heads: list[str]) -> int:
        s = self.s
        for c, h in enumerate(heads):
            s.text(r, c, h, "colhead")
        for k in range(self.n):
            h = value_heads[k] if k < len(value_heads) else ""
            s.text(r, self.c_first + k, h, "colhead_r")
        s.text(r, self.c_src, self.tr("Kilde"), "colhead", indent=1)
        if any(len(h) > 12 for h in value_heads):
            self.ws.set_row(r, 30)
        return r + 1


def write(ctx: Context, s: Sheet) -> None:
    est, ws, tr = ctx.est, s.ws, ctx.tr
    w = _Writer(ctx, s)
    w.columns()
    s.text(0, 0, tr("Estimater – tallene budsjettet bygger på"), "title")
    s.text(1, 0, ctx.text(est.name), "subtitle")
    s.text(2, 0, tr("Kilde: {document}", document=ctx.text(est.document)), "text")
    ws.merge_range(3, 0, 3, w.c_src, tr("Estimatsett {id}, versjon {version} (SHA-256 {sha}…). Estimatene er "
                                        "«omtrentlige og overordnet» (notatet). Notatets kroner er {year}-kroner; "
                                        "budsjettet regner dem om til faste kroner for første budsjettår. Arket er "
                                        "låst; endre tallene i estimatfilen og bygg arbeidsboken på nytt.",
                                        id=est.id, version=est.version, sha=est.sha256[:16], year=est.price_year),
                   s.fmt("muted"))
    r = _items(w, 5)
    r = _eid(w, r + 1)
    r = _price_level(w, r + 1)
    r = _hourly(w, r + 1)
    r = _running_benefits(w, r + 1)
    r = _uncertainty(w, r + 1)
    r = _lists(w, r + 1)
    r = _accounting(w, r + 1)
    ws.freeze_panes(5, 1)
    s.print_setup(landscape=True, last_row=r, last_col=w.c_src)
    s.protect()


def _items(w: _Writer, r: int) -> int:
    s, est, tr, text = w.s, w.ctx.est, w.tr, w.text
    s.band(r, tr("Engangskostnader: notatets anslag per omfang ({year}-kroner og timer)", year=est.price_year),
           w.c_src)
    r += 1
    for c, head in enumerate([tr("Linje"), tr("Spor"), tr("Type utgift"), tr("Enhet")]):
        s.text(r, c, head, "colhead")
    for k, size in enumerate(est.sizes.values):
        s.number(r, w.c_first + k, size, "colhead_r", "size")
    s.define("kj_est_sizes", (r, w.c_first), (r, w.c_src - 1), "estimate")
    s.text(r, w.c_src, tr("Kilde"), "colhead", indent=1)
    r += 1
    for item in est.items:
        label = text(item.label)
        s.text(r, 0, label, "label")
        s.text(r, 1, tr(TRACKS[item.track]))
        s.text(r, 2, tr(KINDS[item.kind]))
        s.text(r, 3, text(item.unit), "unit")
        figures = item.values if item.values is not None else item.published
        if figures is not None:
            for k, v in enumerate(figures):
                s.number(r, w.c_first + k, v, "constant", "count")
            name = f"kj_est_{item.id}" if item.values is not None else f"kj_est_{item.id}_published"
            s.define(name, (r, w.c_first), (r, w.c_src - 1), "estimate")
        else:
            note = tr("Beregnes (se under)") if item.kind == "standin" else tr("Ingen sum")
            w.ws.merge_range(r, w.c_first, r, w.c_src - 1, note, s.fmt("muted"))
        source = text(item.source)
        if item.id == "eid":
            source = tr("{source}. Notatets summer (PKI-kort og kortlesere); modellen regner e-ID fra enhetsprisene "
                        "nedenfor.", source=source)
        s.text(r, w.c_src, source, "muted", indent=1)
        s.fit_height(r, (label, w.w_label), (source, w.w_src))
        r += 1
    s.text(r, 0, tr("Kortlesere (brukes for PKI-kort)"), "label")
    s.text(r, 1, tr(TRACKS["teknisk"]))
    s.text(r, 2, tr(KINDS["purchase"]))
    s.text(r, 3, text(est.readers.unit), "unit")
    for k, v in enumerate(est.readers.values):
        s.number(r, w.c_first + k, v, "constant", "count")
    s.define("kj_est_readers", (r, w.c_first), (r, w.c_src - 1), "estimate")
    source = text(est.readers.source)
    s.text(r, w.c_src, source, "muted", indent=1)
    s.fit_height(r, (source, w.w_src))
    return r + 1


def _eid(w: _Writer, r: int) -> int:
    s, est, tr, text, ctx = w.s, w.ctx.est, w.tr, w.text, w.ctx
    s.band(r, tr("e-ID: enhetspriser ({year}-kroner) og alternativer", year=est.price_year), w.c_src)
    r += 1
    r = w.row(r, tr("Pris per kortleser"), text(est.reader_kr.unit), est.reader_kr.value, "kj_est_reader_kr", "kr",
              text(est.reader_kr.source))
    r = w.row(r, tr("Fornyelse av e-ID (PKI-kort) hvert"), text(est.renewal_years.unit), est.renewal_years.value,
              "kj_est_renewal_years", "count", text(est.renewal_years.source))
    r = w.head(r + 1, [tr("e-ID (valg på Inndata)"), tr("Status"), tr("Avviklet"), tr("Enhet")],
               [tr("Pris per person"), tr("Kortlesere")])
    first = r
    for o in est.eid_options:
        s.text(r, 0, choice_label(est, "eid", o.id, ctx.malform), "bold")
        s.text(r, 1, tr("Avviklet") if o.phased_out else tr("Tilbys"))
        s.ws.write_number(r, 2, 1 if o.phased_out else 0, s.fmt("constant", "flag", align="left"))  # under its head
        s.text(r, 3, text(o.unit), "unit")
        s.number(r, w.c_first, o.kr_per_person, "constant", "kr")
        s.number(r, w.c_first + 1, 1 if o.readers else 0, "constant", "flag")
        note = (tr("{source}. Avviklet: {when}.", source=text(o.source), when=text(o.phased_out)) if o.phased_out
                else text(o.source))
        s.text(r, w.c_src, note, "muted", indent=1)
        s.fit_height(r, (note, w.w_src))
        r += 1
    s.define("kj_list_eid", (first, 0), (r - 1, 0), "list")
    s.define("kj_est_eid_phased_out", (first, 2), (r - 1, 2), "estimate")
    s.define("kj_est_eid_price", (first, w.c_first), (r - 1, w.c_first), "estimate")
    s.define("kj_est_eid_readers", (first, w.c_first + 1), (r - 1, w.c_first + 1), "estimate")
    return r


def index_formula(wage: bool, year: str) -> str:
    """The price index (municipal deflator; its wage component with `wage`) of the year in the cell or name
    `year`: the published index up to the last published year, then the forecast used. Model twin:
    `model.price_index`."""
    table = f"kj_est_{'wage' if wage else 'price'}_index"
    forecast = "kj_wage_forecast_used" if wage else "kj_deflator_forecast_used"
    return (f"IF({year}<=kj_est_last_year,INDEX({table},{year}-kj_est_base_year+1),"
            f"INDEX({table},kj_est_last_year-kj_est_base_year+1)*(1+{forecast})^({year}-kj_est_last_year))")


def _price_level(w: _Writer, r: int) -> int:
    s, est, b, tr, text = w.s, w.ctx.est, w.ctx.budget, w.tr, w.text
    p, d = b.params, est.deflator
    year = tr("år")
    s.band(r, tr("Prisnivå: kommunal deflator (kjøp) og lønnsvekst (lønn)"), w.c_src)
    r += 1
    r = w.row(r, tr("Prisår for notatets kroner"), year, est.price_year, "kj_est_price_year", "year",
              text(est.price_year_source))
    r = w.row(r, tr("Lønnsstatistikkens år ({date})", date=text(est.pay.date)), year, est.pay.price_year,
              "kj_est_pay_year", "year", text(est.pay.source))
    r = w.row(r, tr("Deflatorens basisår (indeks = 1)"), year, d.base_year, "kj_est_base_year", "year",
              text(d.source))
    r = w.row(r, tr("Prisvekst per år etter siste publiserte år (prognose)"), text(d.forecast_deflator.unit),
              d.forecast_deflator.value, "kj_est_deflator_forecast", "percent1", text(d.forecast_deflator.source))
    r = w.row(r, tr("Lønnsvekst per år etter siste publiserte år (prognose)"), text(d.forecast_wage.unit),
              d.forecast_wage.value, "kj_est_wage_forecast", "percent1", text(d.forecast_wage.source))
    r += 1
    s.text(r, 0, tr("År"), "colhead")
    for c, head in ((1, tr("Status")), (2, tr("Kommunal deflator")), (3, tr("Lønnsvekst"))):
        s.text(r, c, head, "colhead_r" if c > 1 else "colhead")
    s.text(r, w.c_first, tr("Prisindeks"), "colhead_r")
    s.text(r, w.c_first + 1, tr("Lønnsindeks"), "colhead_r")
    for c in range(w.c_first + 2, w.c_src):
        s.blank(r, c, "colhead")
    s.text(r, w.c_src, tr("Kilde"), "colhead", indent=1)
    r += 1
    first = r
    s.number(r, 0, d.base_year, "constant", "year_left")
    s.text(r, 1, tr("Basisår"))
    s.blank(r, 2)
    s.blank(r, 3)
    s.number(r, w.c_first, 1, "constant", "index")
    s.number(r, w.c_first + 1, 1, "constant", "index")
    s.text(r, w.c_src, tr("Indeksene er 1 i basisåret; hvert år er året før × (1 + veksten)."), "muted", indent=1)
    r += 1
    for y in d.years:
        s.number(r, 0, y.year, "constant", "year_left")
        s.text(r, 1, tr(STATUS_LABELS[y.status]))
        s.number(r, 2, y.deflator, "constant", "percent1")
        s.number(r, 3, y.wage, "constant", "percent1")
        prev_p, prev_w = f"{_c(r - 1, w.c_first)}", f"{_c(r - 1, w.c_first + 1)}"
        s.formula(r, w.c_first, f"{prev_p}*(1+{_c(r, 2)})", price_index(est, y.year, False, 0.0), "calc", "index")
        s.formula(r, w.c_first + 1, f"{prev_w}*(1+{_c(r, 3)})", price_index(est, y.year, True, 0.0), "calc",
                  "index")
        source = text(y.source)
        s.text(r, w.c_src, source, "muted", indent=1)
        s.fit_height(r, (source, w.w_src))
        r += 1
    s.define("kj_est_deflator_years", (first, 0), (r - 1, 0), "estimate")
    s.define("kj_est_price_index", (first, w.c_first), (r - 1, w.c_first), "estimate")
    s.define("kj_est_wage_index", (first, w.c_first + 1), (r - 1, w.c_first + 1), "estimate")
    r += 1
    r = w.row(r, tr("Siste år med publiserte tall"), year, d.last_year, "kj_est_last_year", "year",
              tr("Senere år bruker prognosen (kan endres på Inndata)"), formula="MAX(kj_est_deflator_years)",
              role="working")

    r = w.row(r, tr("Faktor for kjøp: fra notatets prisår til første budsjettår"), tr("faktor"), p.price_factor,
              "kj_calc_price_factor", "factor",
              tr("Prisindeksen i første budsjettår ÷ prisindeksen i notatets prisår. Priser som er lagt inn på "
                 "Inndata, regnes som budsjettårets priser."),
              formula=f"{index_formula(False, 'kj_first_year_used')}/"
                      f"INDEX(kj_est_price_index,kj_est_price_year-kj_est_base_year+1)", role="key",
              label_role="bold")
    r = w.row(r, tr("Faktor for lønn: fra lønnsstatistikkens år til første budsjettår"), tr("faktor"),
              p.wage_factor, "kj_calc_wage_factor", "factor",
              tr("Lønnsindeksen i første budsjettår ÷ lønnsindeksen i statistikkens år."),
              formula=f"{index_formula(True, 'kj_first_year_used')}/"
                      f"INDEX(kj_est_wage_index,kj_est_pay_year-kj_est_base_year+1)", role="key", label_role="bold")
    return r


def _hourly(w: _Writer, r: int) -> int:
    s, est, b, tr, text, ctx = w.s, w.ctx.est, w.ctx.budget, w.tr, w.text, w.ctx
    p, h = b.params, b.params.hourly
    kr_year = tr("kr per år")
    s.band(r, tr("Timekostnad for interne ressurser: full kostnad per time, avledet fra offentlige tall"), w.c_src)
    r += 1
    r = w.head(r, [tr("Stilling (valg på Inndata)"), "", "", tr("Enhet")],
               [tr("Årslønn {date}", date=text(est.pay.date))])
    first = r
    for role in est.pay.roles:
        s.text(r, 0, choice_label(est, "role", role.id, ctx.malform), "bold")
        s.text(r, 3, kr_year, "unit")
        s.number(r, w.c_first, role.annual_kr, "constant", "kr")
        source = text(role.source)
        s.text(r, w.c_src, source, "muted", indent=1)
        s.fit_height(r, (source, w.w_src))
        r += 1
    s.define("kj_list_roles", (first, 0), (r - 1, 0), "list")
    s.define("kj_est_role_pay", (first, w.c_first), (r - 1, w.c_first), "estimate")
    r += 1
    for key, fig in est.hourly_rate.items():
        num = "percent1" if key.endswith("_share") else "general"
        r = w.row(r, tr(HOURLY_LABELS[key]), text(fig.unit), fig.value, f"kj_est_{key}", num, text(fig.source))
    r = w.head(r + 1, [tr("Sone for arbeidsgiveravgift (valg på Inndata)"), "", "", tr("Enhet")], [tr("Sats")])
    first = r
    for z in est.employer_tax.zones:
        s.text(r, 0, choice_label(est, "zone", z.id, ctx.malform), "bold")
        s.text(r, 3, tr("andel av lønn"), "unit")
        s.number(r, w.c_first, z.rate, "constant", "percent1")
        source = text(z.source)
        s.text(r, w.c_src, source, "muted", indent=1)
        s.fit_height(r, (source, w.w_src))
        r += 1
    s.define("kj_list_zones", (first, 0), (r - 1, 0), "list")
    s.define("kj_est_zone_rate", (first, w.c_first), (r - 1, w.c_first), "estimate")
    r = w.row(r, tr("Stilling når ingen er valgt"), "", choice_label(est, "role", est.pay.default_role, ctx.malform),
              "kj_est_default_role", None, text(est.pay.source))
    r = w.row(r, tr("Sone når kommunenummeret ikke er på arket Soner"), "",
              choice_label(est, "zone", est.employer_tax.default_zone, ctx.malform), "kj_est_default_zone", None,
              text(est.employer_tax.source))
    r += 1
    s.band(r, tr("Utregning med verdiene på Inndata (arbeidsgiveravgift også av pensjonen)"), w.c_src, "section")
    r += 1
    role_label = choice_label(est, "role", p.pay_role, ctx.malform)
    zone_label = choice_label(est, "zone", p.employer_tax_zone, ctx.malform)
    # label, unit, name, formula, value, number format, note
    rows: list[tuple[str, str, str | None, str, float | str, str | None, str]] = [
        (tr("Stilling"), "", None, "kj_pay_role_used", role_label, None, tr("Fra Inndata")),
        (tr("Årslønn i statistikken ({date})", date=text(est.pay.date)), kr_year, "kj_calc_role_pay",
         "INDEX(kj_est_role_pay,MATCH(kj_pay_role_used,kj_list_roles,0))", h.role_pay_kr, "kr", ""),
        (tr("Lønnsvekst til første budsjettår"), tr("faktor"), None, "kj_calc_wage_factor", h.wage_factor, "factor",
         tr("Se prisnivå over")),
        (tr("Årslønn i budsjettårets lønnsnivå"), kr_year, "kj_calc_pay_kr", "kj_calc_role_pay*kj_calc_wage_factor",
         h.pay_kr, "kr", ""),
        (tr("Arbeidsuker per år"), tr("uker"), "kj_calc_weeks_worked", "kj_est_weeks_per_year-kj_est_vacation_weeks",
         h.weeks_worked, "decimal1", tr("Uker per år − ferieuker")),
        (tr("Lønn for arbeidsukene + feriepenger"), kr_year, "kj_calc_salary_kr",
         "kj_calc_pay_kr*(kj_calc_weeks_worked/kj_est_weeks_per_year+kj_holiday_pay_share_used)", h.salary_kr, "kr",
         tr("Feriepengene erstatter lønnen i ferieukene, så lønnen telles bare for arbeidsukene")),
        (tr("Pensjon"), kr_year, "kj_calc_pension_kr", "kj_calc_pay_kr*kj_pension_share_used", h.pension_kr, "kr",
         tr("Årslønn × pensjonssatsen på Inndata")),
        (tr("Sats for arbeidsgiveravgift i valgt sone"), tr("andel"), "kj_calc_employer_tax_share",
         "INDEX(kj_est_zone_rate,MATCH(kj_employer_tax_zone_used,kj_list_zones,0))", p.employer_tax_share,
         "percent1", tr("Sone brukt: {zone}", zone=zone_label)),
        (tr("Arbeidsgiveravgift"), kr_year, "kj_calc_employer_tax_kr",
         "(kj_calc_salary_kr+kj_calc_pension_kr)*kj_calc_employer_tax_share", h.employer_tax_kr, "kr",
         tr("Av lønn, feriepenger og pensjon (KLP: arbeidsgiveravgift betales av pensjonspremien)")),
        (tr("Lønnskostnad per år"), kr_year, "kj_calc_cost_kr",
         "kj_calc_salary_kr+kj_calc_pension_kr+kj_calc_employer_tax_kr", h.cost_kr, "kr", ""),
        (tr("Arbeidstimer per år"), tr("timer per år"), "kj_calc_work_hours",
         "kj_hours_per_week_used*kj_calc_weeks_worked-kj_public_holiday_days_used*kj_hours_per_week_used/"
         "kj_days_per_week", h.hours, "decimal1",
         tr("Arbeidstid per uke × arbeidsuker − helligdager på hverdager")),
        (tr("Kostnad per time, uavrundet"), tr("kr per time"), "kj_calc_hourly_raw",
         "IF(kj_calc_work_hours>0,kj_calc_cost_kr/kj_calc_work_hours,0)", h.raw_kr_per_hour, "kr2", ""),
    ]
    for label, unit, name, formula, value, row_num, note in rows:
        r = w.row(r, label, unit, value, name, row_num, note, formula=formula, role="working")
    r = w.row(r, tr("Timekostnad (avrundet til hele kroner): standardverdi på Inndata"), tr("kr per time"),
              h.kr_per_hour, "kj_calc_hourly_rate", "kr", tr("Overstyr på Inndata med kommunens egen timekostnad."),
              formula="ROUND(kj_calc_hourly_raw,0)", role="key", label_role="bold")
    shares = h.shares
    for key, label, formula in (
        ("pay", tr("Andel lønn og feriepenger i lønnskostnaden"),
         "IF(kj_calc_cost_kr=0,1,kj_calc_salary_kr/kj_calc_cost_kr)"),
        ("pension", tr("Andel pensjon i lønnskostnaden"), "IF(kj_calc_cost_kr=0,0,kj_calc_pension_kr/kj_calc_cost_kr)"),
        ("employer_tax", tr("Andel arbeidsgiveravgift i lønnskostnaden"),
         "IF(kj_calc_cost_kr=0,0,kj_calc_employer_tax_kr/kj_calc_cost_kr)"),
    ):
        r = w.row(r, label, tr("andel"), shares[key], f"kj_calc_share_{key}", "percent1",
                  tr("Fordeler vikarutgiftene på artene for lønn, pensjon og arbeidsgiveravgift (Budsjettlinjer)"),
                  formula=formula, role="working")
    return r


def _running_benefits(w: _Writer, r: int) -> int:
    s, est, tr, text = w.s, w.ctx.est, w.tr, w.text
    s.band(r, tr("Vikarer under opplæring"), w.c_src)
    r += 1
    r = w.row(r, tr("Andel av opplæringstimene som krever vikar"), text(est.standin_share.unit),
              est.standin_share.value, "kj_est_standin_share", "percent1", text(est.standin_share.source))
    r += 1
    s.band(r, tr("Drift per år (notatet nevner postene, men har ingen tall)"), w.c_src)
    r += 1
    for item in est.running:
        r = w.row(r, text(item.label), text(item.unit), item.value, f"kj_est_{item.id}", "general", text(item.source),
                  track="drift", kind=item.kind)
    note = tr("Ikke med: kommunens andel av kjernejournalens nasjonale driftskostnader (NHNs prismodell). Kommunene "
              "har betalt den siden 1.1.2022 enten sykehjemmene bruker kjernejournal eller ikke, så den er ingen "
              "kostnad ved dette prosjektet (forskrift om standarder og nasjonale e-helseløsninger; nhn.no).")
    s.text(r, 0, tr("Kommunens andel av nasjonale driftskostnader (NHNs prismodell)"), "label")
    s.text(r, 3, tr("ikke med"), "unit")
    s.text(r, w.c_src, note, "muted", indent=1)
    s.fit_height(r, (note, w.w_src))
    r += 2
    s.band(r, tr("Gevinster"), w.c_src)
    r += 1
    for key, fig in est.benefits.items():
        r = w.row(r, tr(BENEFIT_LABELS[key]), text(fig.unit), fig.value, f"kj_est_{key}",
                  "percent" if key.startswith("share") else "general", text(fig.source))
    r += 1
    s.band(r, tr("Konstanter"), w.c_src)
    r += 1
    definition = tr("Definisjon")
    successive = tr("Forventet = (L + 3·M + H) / 5 (Lichtenberg)")
    limit = tr("Grense for gyldige år på Inndata")
    for label, unit, name, value, num, note in (
        (tr("Minutter per time"), tr("minutter"), "kj_minutes_per_hour", MINUTES_PER_HOUR, "count", definition),
        (tr("Arbeidsdager per uke"), tr("dager"), "kj_days_per_week", DAYS_PER_WEEK, "count",
         tr("Definisjon (mandag–fredag)")),
        (tr("Kroner per 1 000 kr"), tr("kr"), "kj_thousand", 1000, "count",
         tr("Budsjettlinjer og økonomiplan i 1 000 kr")),
        (tr("Suksessivprinsippet: vekt på det sannsynlige tallet"), "", "kj_successive_weight", SUCCESSIVE_WEIGHT,
         "count", successive),
        (tr("Suksessivprinsippet: divisor"), "", "kj_successive_divisor", SUCCESSIVE_DIVISOR, "count",
         tr("Forventet = (L + 3·M + H) / 5; standardavvik = (H − L) / 5 (Lichtenberg)")),
        (tr("Tidligste år for innføringstrinn"), tr("år"), "kj_year_min", YEAR_MIN, "year", limit),
        (tr("Seneste år"), tr("år"), "kj_year_max", YEAR_MAX, "year", limit),
        (tr("Største antall helsepersonell per trinn"), tr("personer"), "kj_staff_max", STAFF_MAX, "count",
         tr("Grense for gyldige tall på Inndata")),
        (tr("Avrundingstoleranse"), tr("kr"), "kj_tolerance_kr", TOLERANCE_KR, "0.000",
         tr("Summer som skal stemme, kan avvike så mye ved avrunding, og ikke mer: budsjettårene mot totalen og "
            "budsjettlinjene mot nye midler (Kontroll), og lagrede tall mot modellen (kj-budget check og collect)")),
    ):
        r = w.row(r, label, unit, value, name, num, note)
    return r


def _uncertainty(w: _Writer, r: int) -> int:
    """Each item's range around its likely value (the «middels» level), the levels and the P85 quantile."""
    s, est, tr, text, ctx = w.s, w.ctx.est, w.tr, w.text, w.ctx
    u = est.uncertainty
    s.band(r, tr("Usikkerhet: spenn per linje (lav og høy andel rundt det sannsynlige tallet, nivå «{level}»)",
                 level=choice_label(est, "level", u.default_level, ctx.malform)), w.c_src)
    r += 1
    r = w.head(r, [tr("Linje"), "", "", ""], [tr("Lav andel"), tr("Høy andel")])
    ranged: list[Item | RunningItem] = [*est.items, *est.running]
    for item in ranged:
        label, source = text(item.label), text(item.range_source)
        s.text(r, 0, label, "label")
        s.number(r, w.c_first, item.low_share, "constant", "percent1")
        s.number(r, w.c_first + 1, item.high_share, "constant", "percent1")
        s.define(f"kj_est_low_{item.id}", (r, w.c_first), None, "estimate")
        s.define(f"kj_est_high_{item.id}", (r, w.c_first + 1), None, "estimate")
        s.text(r, w.c_src, source, "muted", indent=1)
        s.fit_height(r, (label, w.w_label), (source, w.w_src))
        r += 1
    r += 1
    r = w.head(r, [tr("Usikkerhetsnivå (valg på Inndata)"), "", "", ""], [tr("Faktor")])
    first = r
    for lv in u.levels:
        s.text(r, 0, choice_label(est, "level", lv.id, ctx.malform), "bold")
        s.number(r, w.c_first, lv.factor, "constant", "decimal1")
        source = text(lv.source)
        s.text(r, w.c_src, source, "muted", indent=1)
        s.fit_height(r, (source, w.w_src))
        r += 1
    s.define("kj_list_levels", (first, 0), (r - 1, 0), "list")
    s.define("kj_est_level_factor", (first, w.c_first), (r - 1, w.c_first), "estimate")
    r = w.row(r, tr("Nivå når ingen er valgt"), "", choice_label(est, "level", u.default_level, ctx.malform),
              "kj_est_default_level", None, text(u.source))
    r = w.row(r, tr("P85: standardavvik over forventningen (normalfordelingen)"), text(u.p85_z.unit), u.p85_z.value,
              "kj_est_p85_z", "factor", text(u.p85_z.source))
    return r


def _lists(w: _Writer, r: int) -> int:
    s, est, tr, text, ctx = w.s, w.ctx.est, w.tr, w.text, w.ctx
    s.band(r, tr("Grupper for trinnvis innføring (notatets anbefaling 1)"), w.c_src)
    r += 1
    r = w.head(r, [tr("Gruppe (valg på Inndata)"), tr("Gevinst"), tr("KOSTRA-funksjon"), ""],
               [tr("Korttid"), tr("Hjemme")])
    first = r
    for g in est.groups:
        s.text(r, 0, choice_label(est, "group", g.id, ctx.malform), "bold")
        s.text(r, 1, tr("Korttidsavd.") if g.benefit == "short_term" else tr("Hjemmetjeneste"))
        s.text(r, 2, g.function, "constant", "text")
        s.number(r, w.c_first, 1 if g.benefit == "short_term" else 0, "constant", "flag")
        s.number(r, w.c_first + 1, 1 if g.benefit == "home_care" else 0, "constant", "flag")
        source = text(g.source)
        s.text(r, w.c_src, source, "muted", indent=1)
        s.fit_height(r, (source, w.w_src))
        r += 1
    s.define("kj_list_groups", (first, 0), (r - 1, 0), "list")
    s.define("kj_est_group_function", (first, 2), (r - 1, 2), "estimate")
    s.define("kj_est_group_short", (first, w.c_first), (r - 1, w.c_first), "estimate")
    s.define("kj_est_group_home", (first, w.c_first + 1), (r - 1, w.c_first + 1), "estimate")
    r += 1
    s.band(r, tr("EPJ-leverandører"), w.c_src)
    r += 1
    r = w.head(r, [tr("Leverandør (valg på Inndata)"), "", "", ""], [tr("Navn skrives")])
    first = r
    for v in est.vendors:
        s.text(r, 0, choice_label(est, "vendor", v.id, ctx.malform), "bold")
        s.number(r, w.c_first, 1 if v.other else 0, "constant", "flag")
        source = text(v.source)
        s.text(r, w.c_src, source, "muted", indent=1)
        s.fit_height(r, (source, w.w_src))
        r += 1
    s.define("kj_list_vendors", (first, 0), (r - 1, 0), "list")
    s.define("kj_est_vendor_other", (first, w.c_first), (r - 1, w.c_first), "estimate")
    return r


def _accounting(w: _Writer, r: int) -> int:
    s, est, tr, text = w.s, w.ctx.est, w.tr, w.text
    acc = est.accounting
    s.band(r, tr("Regnskap: {plan}", plan=text(acc.plan)), w.c_src)
    r += 1
    r = w.row(r, tr("Budsjett alle linjer hører til"), "",
              tr("Driftsbudsjettet") if acc.budget == "drift" else text(acc.budget), "kj_est_budget", None,
              tr("Ingen linje er en investering med notatets tall; Kontroll sier fra om et kjøp når grensen i KRS 4 "
                 "(se under)."))
    r = w.row(r, tr("Investeringsgrense (KRS 4): anskaffelseskost minst"), text(acc.investment_threshold_kr.unit),
              acc.investment_threshold_kr.value, "kj_est_investment_kr", "kr", text(acc.investment_threshold_kr.source))
    r = w.row(r, tr("Investeringsgrense (KRS 4): levetid minst"), text(acc.investment_min_life_years.unit),
              acc.investment_min_life_years.value, "kj_est_investment_life", "count",
              text(acc.investment_min_life_years.source))
    r = w.row(r, tr("Merverdiavgift"), text(acc.mva_share.unit), acc.mva_share.value, "kj_est_mva_share", "percent",
              f"{text(acc.mva_share.source)}. {text(acc.mva_note)}")
    r = w.row(r, tr("Levetid for leverandørmodulen"), tr("år"), est.item("vendor_module").life_years,
              "kj_est_vendor_module_life", "count", text(est.item("vendor_module").source))
    r = w.row(r, tr("Levetid for e-ID (kort og kortlesere)"), tr("år"), est.item("eid").life_years,
              "kj_est_eid_life", "count",
              tr("Vurderes per enhet (et kort, en kortleser), ikke for alle kortene samlet (KRS 4)"))
    r += 1
    r = w.head(r, [tr("KOSTRA-funksjon"), tr("Kode"), "", ""], [tr("I budsjett-linjene")])
    first = r
    line_functions = est.function_codes
    source = text(acc.source)
    for f in acc.functions:
        s.text(r, 0, text(f.label), "label")
        s.text(r, 1, f.id, "constant", "text")
        s.number(r, w.c_first, 1 if f.id in line_functions else 0, "constant", "flag")
        s.text(r, w.c_src, source, "muted", indent=1)
        r += 1
    s.define("kj_est_function_codes", (first, 1), (r - 1, 1), "estimate")
    s.define("kj_est_function_labels", (first, 0), (r - 1, 0), "estimate")
    r += 1
    r = w.head(r, [tr("KOSTRA-art"), tr("Kode"), "", ""], [])
    first = r
    for a in acc.arts:
        s.text(r, 0, text(a.label), "label")
        s.text(r, 1, a.id, "constant", "text")
        s.text(r, w.c_src, source, "muted", indent=1)
        r += 1
    s.define("kj_est_art_codes", (first, 1), (r - 1, 1), "estimate")
    s.define("kj_est_art_labels", (first, 0), (r - 1, 0), "estimate")
    r += 1
    r = w.head(r, [tr("Funksjoner i budsjettlinjene (i denne rekkefølgen)"), tr("Kode"), "", ""], [])
    first = r
    for code in line_functions:
        s.text(r, 0, text(acc.function(code).label), "label")
        s.text(r, 1, code, "constant", "text")
        note = tr("Standard for trinn uten gruppe") if code == acc.default_function else tr("Funksjonen til en gruppe")
        s.text(r, w.c_src, note, "muted", indent=1)
        r += 1
    s.define("kj_est_line_functions", (first, 1), (r - 1, 1), "estimate")
    s.define("kj_est_default_function", (first + line_functions.index(acc.default_function), 1), None, "estimate")
    return r


def _c(row: int, col: int) -> str:
    from workbook_builder.sheets.base import cell

    return cell(row, col)
