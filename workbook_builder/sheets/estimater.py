"""Estimater (locked): the published figures with unit, track, expense kind and source.

Every number the workbook computes with is a cell here (or an input on Inndata); formulas elsewhere
reference these cells by name, never a number typed into the formula.
"""

from __future__ import annotations

from ..estimates import KINDS, TRACKS
from ..model import MINUTES_PER_HOUR, STAFF_MAX, YEAR_MAX, YEAR_MIN, hourly_rate_derivation
from .base import Context, Sheet

SHEET = "Estimater"
TOLERANCE_KR = 0.005  # how far the budget years may be from the total before the check fails (rounding)

HOURLY_LABELS = {
    "annual_earnings_kr": "Årslønn, sykepleier (gjennomsnittlig månedsfortjeneste × 12)",
    "holiday_pay_share": "Feriepenger",
    "weeks_per_year": "Uker per år",
    "vacation_weeks": "Ferieuker",
    "hours_per_week": "Arbeidstid per uke",
    "pension_share": "Pensjon, arbeidsgivers andel",
    "employer_tax_share": "Arbeidsgiveravgift",
}
BENEFIT_LABELS = {
    "minutes_saved": "Minutter spart per pasientmottak",
    "share_short_term": "Andel av mottak med gevinst, KAD/ØHD/intermediær",
    "share_home_care": "Andel av mottak med gevinst, hjemmetjenesten",
}


def write(ctx: Context, s: Sheet) -> None:
    est, ws = ctx.est, s.ws
    n = len(est.sizes.values)
    c_first = 4
    c_src = c_first + n
    w_label, w_src = 70, 120
    ws.set_column(0, 0, w_label)
    ws.set_column(1, 1, 13)
    ws.set_column(2, 2, 24)
    ws.set_column(3, 3, 22)
    ws.set_column(c_first, c_src - 1, 12)
    ws.set_column(c_src, c_src, w_src)

    def row(r: int, label: str, unit: str, value: float, name: str, num: str, note: str, formula: str = "",
            role: str = "estimate", label_role: str = "label", track: str = "", kind: str = "") -> int:
        """One figure: label, track and kind, unit, the value (a constant, or a formula with the model's
        value) under a defined name, and its source; returns the next row."""
        s.text(r, 0, label, label_role)
        if track:
            s.text(r, 1, TRACKS[track])
            s.text(r, 2, KINDS[kind])
        s.text(r, 3, unit, "unit")
        if formula:
            s.formula(r, c_first, formula, value, "key" if role == "key" else "calc", num)
        else:
            s.number(r, c_first, value, "constant", num)
        s.define(name, (r, c_first), None, "estimate" if role == "key" else role)
        s.text(r, c_src, note, "muted")
        s.fit_height(r, (label, w_label), (note, w_src))
        return r + 1

    s.text(0, 0, "Estimater – tallene budsjettet bygger på", "title")
    s.text(1, 0, est.name, "subtitle")
    s.text(2, 0, f"Kilde: {est.document}", "text")
    s.text(3, 0, f"Estimatsett {est.id}, versjon {est.version} (SHA-256 {est.sha256[:16]}…). "
                 "Estimatene er «omtrentlige og overordnet» (notatet). Arket er låst; endre tallene i "
                 "estimatfilen og bygg arbeidsboken på nytt.", "muted")
    ws.set_row(3, 30)

    # ---------------------------------------------------------------- one-off line items
    r = 5
    s.band(r, "Engangskostnader: notatets anslag per omfang", c_src)
    r += 1
    for c, head in enumerate(["Linje", "Spor", "Type utgift", "Enhet"]):
        s.text(r, c, head, "colhead")
    for k, size in enumerate(est.sizes.values):
        s.number(r, c_first + k, size, "colhead_r", "size")
    s.define("kj_est_sizes", (r, c_first), (r, c_src - 1), "estimate")
    s.text(r, c_src, "Kilde", "colhead")
    r += 1
    for item in est.items:
        s.text(r, 0, item.label, "label")
        s.text(r, 1, TRACKS[item.track])
        s.text(r, 2, KINDS[item.kind])
        s.text(r, 3, item.unit, "unit")
        figures = item.values if item.values is not None else item.published
        if figures is not None:
            for k, v in enumerate(figures):
                s.number(r, c_first + k, v, "constant", "count")
            name = f"kj_est_{item.id}" if item.values is not None else f"kj_est_{item.id}_published"
            s.define(name, (r, c_first), (r, c_src - 1), "estimate")
        else:
            ws.merge_range(r, c_first, r, c_src - 1, "Ingen sum", s.fmt("muted"))
        source = item.source
        if item.id == "eid":
            source += ". Notatets summer (PKI-kort og kortlesere); modellen regner e-ID fra enhetsprisene nedenfor."
        s.text(r, c_src, source, "muted")
        s.fit_height(r, (item.label, w_label), (source, w_src))
        r += 1
    s.text(r, 0, "Kortlesere (brukes for PKI-kort)", "label")
    s.text(r, 1, TRACKS["teknisk"])
    s.text(r, 2, KINDS["purchase"])
    s.text(r, 3, est.readers.unit, "unit")
    for k, v in enumerate(est.readers.values):
        s.number(r, c_first + k, v, "constant", "count")
    s.define("kj_est_readers", (r, c_first), (r, c_src - 1), "estimate")
    s.text(r, c_src, est.readers.source, "muted")
    s.fit_height(r, (est.readers.source, w_src))
    r += 2

    # ---------------------------------------------------------------- e-ID
    s.band(r, "e-ID: enhetspriser og alternativer", c_src)
    r += 1
    r = row(r, "Pris per kortleser", est.reader_kr.unit, est.reader_kr.value, "kj_est_reader_kr", "kr",
            est.reader_kr.source)
    r = row(r, "Fornyelse av e-ID (PKI-kort) hvert", est.renewal_years.unit, est.renewal_years.value,
            "kj_est_renewal_years", "number", est.renewal_years.source)
    r += 1
    for c, head in enumerate(["e-ID (valg på Inndata)", "", "", "Enhet"]):
        s.text(r, c, head, "colhead")
    s.text(r, c_first, "Pris per person", "colhead_r")
    ws.set_row(r, 30)
    s.text(r, c_first + 1, "Kortlesere", "colhead_r")
    for c in range(c_first + 2, c_src):
        s.blank(r, c, "colhead")
    s.text(r, c_src, "Kilde", "colhead")
    r += 1
    first = r
    for o in est.eid_options:
        s.text(r, 0, o.label, "bold")
        s.text(r, 3, o.unit, "unit")
        s.number(r, c_first, o.kr_per_person, "constant", "kr")
        s.number(r, c_first + 1, 1 if o.readers else 0, "constant", "flag")
        s.text(r, c_src, o.source, "muted")
        s.fit_height(r, (o.source, w_src))
        r += 1
    s.define("kj_list_eid", (first, 0), (r - 1, 0), "list")
    s.define("kj_est_eid_price", (first, c_first), (r - 1, c_first), "estimate")
    s.define("kj_est_eid_readers", (first, c_first + 1), (r - 1, c_first + 1), "estimate")
    r += 1

    # ---------------------------------------------------------------- hourly cost, derived in the open
    s.band(r, "Timekostnad for interne ressurser (avledet fra offentlige tall)", c_src)
    r += 1
    for key, fig in est.hourly_rate.items():
        r = row(r, HOURLY_LABELS[key], fig.unit, fig.value, f"kj_est_{key}",
                "percent" if key.endswith("_share") else "number", fig.source)
    d = hourly_rate_derivation(est)
    rows = [
        ("Arbeidsuker per år", "uker", "kj_est_weeks_worked", "kj_est_weeks_per_year-kj_est_vacation_weeks",
         d["weeks_worked"], "number", "Uker per år − ferieuker"),
        ("Lønnskostnad per år (lønn for arbeidsukene + feriepenger)", "kr per år", "kj_est_pay_kr",
         "kj_est_annual_earnings_kr*(kj_est_weeks_worked/kj_est_weeks_per_year+kj_est_holiday_pay_share)",
         d["pay_kr"], "kr", "Feriepengene erstatter lønnen i ferieukene, så lønnen telles bare for arbeidsukene"),
        ("Med pensjon og arbeidsgiveravgift", "kr per år", "kj_est_cost_kr",
         "kj_est_pay_kr*(1+kj_est_pension_share)*(1+kj_est_employer_tax_share)", d["cost_kr"], "kr",
         "Arbeidsgiveravgift beregnes også av pensjonspremien (KLP)"),
        ("Arbeidstimer per år", "timer per år", "kj_est_work_hours", "kj_est_hours_per_week*kj_est_weeks_worked",
         d["hours"], "number", "Arbeidstid per uke × arbeidsuker (helligdager er ikke trukket fra)"),
        ("Kostnad per time, uavrundet", "kr per time", "kj_est_hourly_raw", "kj_est_cost_kr/kj_est_work_hours",
         d["raw_kr_per_hour"], "kr2", ""),
    ]
    for label, unit, name, formula, value, num, note in rows:
        r = row(r, label, unit, value, name, num, note, formula=formula, role="working")
    r = row(r, "Timekostnad (avrundet til hele kroner): standardverdi på Inndata", "kr per time", d["kr_per_hour"],
            "kj_est_hourly_rate", "kr", "Overstyr på Inndata med kommunens egen timekostnad.",
            formula="ROUND(kj_est_hourly_raw,0)", role="key", label_role="bold")
    r += 1

    # ---------------------------------------------------------------- running costs, benefits, constants
    s.band(r, "Drift per år (notatet nevner postene, men har ingen tall)", c_src)
    r += 1
    for item in est.running:
        r = row(r, item.label, item.unit, item.value, f"kj_est_{item.id}", "number", item.source, track="drift",
                kind=item.kind)
    r += 1
    s.band(r, "Gevinster", c_src)
    r += 1
    for key, fig in est.benefits.items():
        r = row(r, BENEFIT_LABELS[key], fig.unit, fig.value, f"kj_est_{key}",
                "percent" if key.startswith("share") else "number", fig.source)
    r += 1
    s.band(r, "Konstanter", c_src)
    r += 1
    for label, unit, name, value, note in (
        ("Minutter per time", "minutter", "kj_minutes_per_hour", MINUTES_PER_HOUR, "Definisjon"),
        ("Tidligste budsjettår", "år", "kj_year_min", YEAR_MIN, "Grense for gyldige år på Inndata"),
        ("Seneste budsjettår", "år", "kj_year_max", YEAR_MAX, "Grense for gyldige år på Inndata"),
        ("Største antall helsepersonell per trinn", "personer", "kj_staff_max", STAFF_MAX,
         "Grense for gyldige tall på Inndata"),
        ("Avrundingstoleranse", "kr", "kj_tolerance_kr", TOLERANCE_KR,
         "Budsjettårene må summere til totalen innenfor dette (avrunding)"),
    ):
        r = row(r, label, unit, value, name, "year" if unit == "år" else ("0.000" if unit == "kr" else "number"),
                note)
    r += 1

    # ---------------------------------------------------------------- lists: groups, vendors
    s.band(r, "Grupper for trinnvis innføring (notatets anbefaling 1)", c_src)
    r += 1
    for c, head in enumerate(["Gruppe (valg på Inndata)", "Gevinst", "", ""]):
        s.text(r, c, head, "colhead")
    s.text(r, c_first, "Korttid", "colhead_r")
    s.text(r, c_first + 1, "Hjemme", "colhead_r")
    for c in range(c_first + 2, c_src):
        s.blank(r, c, "colhead")
    s.text(r, c_src, "Kilde", "colhead")
    r += 1
    first = r
    for g in est.groups:
        s.text(r, 0, g.label, "bold")
        s.text(r, 1, "Korttidsavd." if g.benefit == "short_term" else "Hjemmetjeneste")
        s.number(r, c_first, 1 if g.benefit == "short_term" else 0, "constant", "flag")
        s.number(r, c_first + 1, 1 if g.benefit == "home_care" else 0, "constant", "flag")
        s.text(r, c_src, g.source, "muted")
        s.fit_height(r, (g.source, w_src))
        r += 1
    s.define("kj_list_groups", (first, 0), (r - 1, 0), "list")
    s.define("kj_est_group_short", (first, c_first), (r - 1, c_first), "estimate")
    s.define("kj_est_group_home", (first, c_first + 1), (r - 1, c_first + 1), "estimate")
    r += 1
    s.band(r, "EPJ-leverandører", c_src)
    r += 1
    first = r
    for v in est.vendors:
        s.text(r, 0, v.label, "bold")
        s.text(r, c_src, v.source, "muted")
        s.fit_height(r, (v.source, w_src))
        r += 1
    s.define("kj_list_vendors", (first, 0), (r - 1, 0), "list")

    ws.freeze_panes(5, 1)
    s.print_setup(landscape=True, last_row=r, last_col=c_src, title="Estimater")
    ws.repeat_rows(6)
    s.protect()
