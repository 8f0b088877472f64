"""Inndata: the only editable cells, one input colour, each with unit, default, help and validation.

A blank input means "use the default" (column D, from Estimater). Column E shows the value the
budget uses; column F says in Norwegian when an input is invalid (it is then ignored and Kontroll
fails), so a pasted value that slipped past validation never becomes a wrong number.
"""

from __future__ import annotations

from typing import Any

from workbook_builder.cells import INPUT_BY_NAME, LIST_NAMES, STEP_ROWS, TEXT_MAX, InputSpec, list_label
from workbook_builder.core.i18n import N_
from workbook_builder.core.model import PARAMETER_BY_NAME, choice_label, first_year_min
from workbook_builder.core.municipality import excel_municipality_number_ok
from workbook_builder.sheets.base import Context, Sheet, cell, excel_text
from workbook_builder.sheets.kontroll import INVALID

SHEET = N_("Inndata")  # the id; the workbook names it in its målform (Context.sheet_name)
C_LABEL, C_IN, C_UNIT, C_DEF, C_USED, C_STATUS, C_MIN, C_MAX, C_HELP, C_NOTE = range(10)
SECTIONS = (
    (N_("Timekostnad for interne ressurser (full kostnad per time, i budsjettårets lønnsnivå)"),
     ("kj_pay_role", "kj_employer_tax_zone", "holiday_pay_share", "pension_share", "hours_per_week",
      "public_holiday_days", "hourly_rate")),
    (N_("Usikkerhet: hvor sikkert er anslaget? (gir P50 og P85 på Budsjett)"), ("kj_uncertainty",)),
    (N_("Priser uten mva, i budsjettårets kroner (tomt: notatets pris, prisjustert)"),
     ("vendor_module_kr", "eid_kr_per_person", "reader_kr", "renewal_years", "standin_share", "standin_hourly_rate")),
    (N_("Prisnivå: vekst etter siste år med tall fra statsbudsjettet (se Estimater)"),
     ("deflator_forecast", "wage_forecast")),
    (N_("Drift per år (notatet har ingen tall: fyll inn det kommunen venter)"),
     ("maintenance_kr_per_year", "followup_hours_per_year", "helseid_key_hours_per_year")),
    (N_("Gevinster (notatet: minst 4 minutter spart per pasientmottak)"),
     ("admissions_short_term", "admissions_home_care", "minutes_saved", "share_short_term", "share_home_care")),
)
NOT_CARRIED = N_("Ugyldig: ikke overført (se kolonne J)")
# The statuses of a step row (column F); the «Ugyldig» ones start with INVALID in both målformer.
STEP_STATUS = {"staff": N_("Ugyldig antall: skriv et helt tall"), "group": N_("Ugyldig gruppe: velg fra listen"),
               "year": N_("Ugyldig år: skriv et årstall"), "no_group": N_("Mangler gruppe"),
               "no_staff": N_("Mangler antall")}
# The statuses of an input of its own row; {range} is «fra 0 til 10 000», {limit} a number of characters.
STATUS = {"digits": N_("Ugyldig: fire sifre"), "length": N_("Ugyldig: høyst {limit} tegn"),
          "choice": N_("Ugyldig: velg fra listen"), "range": N_("Ugyldig: må være {range}"),
          "whole": N_("Ugyldig: skriv et helt tall"), "number": N_("Ugyldig: skriv et tall")}
COLUMN_HEADS = (N_("Verdi"), N_("Enhet"), N_("Standard"), N_("Brukt"), N_("Kontroll"), N_("Min"), N_("Maks"),
                N_("Hjelp"))
# Units are message ids (bokmål) of the model's parameters; the number format follows the id.
MUNICIPALITY_OK = excel_municipality_number_ok("kj_municipality_number")
# An amount shows no «kr»: the Enhet column beside it says the unit (kr, kr per person, kr per år), as the
# FAST standard's unit column does; a share keeps its % (that is how the number is written, not its unit).
NUM_FOR_UNIT = {"kr": "amount", "kr per år": "amount", "kr per person": "amount", "kr per kortleser": "amount",
                "kr per time": "amount", "timer per år": "general", "år": "count", "mottak per år": "count",
                "minutter": "general", "andel": "percent1", "andel av lønn": "percent1", "andel per år": "percent1",
                "timer per uke": "general", "dager per år": "general"}
# Choice inputs: the list's defined name and the formula of the default (column D).
CHOICE_DEFAULTS = {
    "kj_eid": "INDEX(kj_list_eid,1)",
    "kj_pay_role": "kj_est_default_role",
    "kj_uncertainty": "kj_est_default_level",
    # the municipality number's zone when it is one by the one rule (core/municipality.py), else the default
    "kj_employer_tax_zone": (f'IFERROR(INDEX(kj_est_zone_of_municipality,MATCH(IF({MUNICIPALITY_OK},'
                             'TRIM(kj_municipality_number)&"",""),kj_est_zone_municipalities,0)),kj_est_default_zone)'),
}


def _range_text(ctx: Context, minimum: float, maximum: float, percent: bool = False, grouped: bool = True) -> str:
    """'fra 0 til 10 000', 'fra 0 % til 100 %', 'fra 2000 til 2100' (years are not grouped)."""
    def fmt(x: float) -> str:
        if percent:
            return f"{x * 100:g} %"
        if float(x).is_integer():
            return f"{x:,.0f}".replace(",", " ") if grouped else f"{x:.0f}"
        return f"{x:g}".replace(".", ",")
    return ctx.tr("fra {low} til {high}", low=fmt(minimum), high=fmt(maximum))


def _clip(text: str, limit: int) -> str:
    """`text` within Excel's limit for a validation's title (32) or message (255): cut after a whole word,
    with «…», never inside one."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:(") + "…"


def _validation(ctx: Context, spec: InputSpec, help_text: str, minimum: float | None = None,
                ref: str = "") -> dict[str, Any]:
    """An Excel data validation with a help text and error message in the workbook's målform (`minimum`
    replaces the register's lower bound, e.g. the first budget year's, which comes from the estimates; `ref`
    is the cell's address, for a rule written as a formula)."""
    tr = ctx.tr
    if minimum is not None:
        from dataclasses import replace

        spec = replace(spec, minimum=minimum)
    v: dict[str, Any] = {"input_title": _clip(tr(spec.label), 32), "input_message": _clip(help_text, 255),
                         "error_title": tr("Ugyldig verdi"), "ignore_blank": True}
    if spec.kind == "choice":
        v.update(validate="list", source=f"={LIST_NAMES[spec.choices]}", error_message=tr("Velg en verdi fra listen."))
    elif spec.field == "municipality_number":  # the one municipality-number rule, as a formula
        v.update(validate="custom", value=f'=OR(TRIM({ref})="",{excel_municipality_number_ok(ref)})',
                 error_message=tr("Kommunenummeret har fire sifre, f.eks. 3405 eller 0301."))
    elif spec.kind == "text":
        v.update(validate="length", criteria="<=", value=TEXT_MAX, error_message=tr("Høyst {limit} tegn.",
                                                                                    limit=TEXT_MAX))
    else:
        assert spec.minimum is not None and spec.maximum is not None, f"{spec.name}: a number input without bounds"
        rng = _range_text(ctx, spec.minimum, spec.maximum, spec.percent, grouped=spec.unit != "år")
        if spec.percent:
            message = tr("Skriv en andel {range}.", range=rng)
        elif spec.kind == "whole":
            message = (tr("Skriv et helt tall {range} ({unit}).", range=rng, unit=tr(spec.unit)) if spec.unit
                       else tr("Skriv et helt tall {range}.", range=rng))
        else:
            message = (tr("Skriv et tall {range} ({unit}).", range=rng, unit=tr(spec.unit)) if spec.unit
                       else tr("Skriv et tall {range}.", range=rng))
        v.update(validate="integer" if spec.kind == "whole" else "decimal", criteria="between",
                 minimum=spec.minimum, maximum=spec.maximum, error_message=message)
    return v


def write(ctx: Context, s: Sheet) -> None:
    ws, est, b, inputs = s.ws, ctx.est, ctx.budget, ctx.inputs
    tr = ctx.tr
    widths = {C_LABEL: 58, C_IN: 36, C_UNIT: 30, C_DEF: 17, C_USED: 17, C_STATUS: 26, C_MIN: 9, C_MAX: 12,
              C_HELP: 80, C_NOTE: 40}
    for c, w in widths.items():
        ws.set_column(c, c, w)
    s.text(0, 0, tr("Inndata – fyll inn de gule feltene"), "title")
    ws.merge_range(1, 0, 1, C_HELP, tr("Bare de gule feltene kan endres. Et tomt felt betyr at standardverdien i "
                                       "kolonne D brukes; kolonne E viser verdien budsjettet regner med. Står det noe "
                                       "i kolonne F, er verdien ugyldig og blir ikke brukt (se arket Kontroll). "
                                       "Alle kroner er uten mva og i faste kroner for første budsjettår."),
                   s.fmt("muted"))
    ws.set_row(1, 30)
    r = _header(ctx, s, 3, tr("Kommune og valg"), COLUMN_HEADS)
    first_eid = choice_label(est, "eid", est.eid_options[0].id, ctx.malform)
    helps = {
        "kj_municipality": tr("Kommunens navn. Vises i overskriften på Budsjett, og i topptekst når arbeidsboken "
                              "bygges eller regenereres med navnet fylt inn."),
        "kj_municipality_number": tr("Fire sifre, f.eks. 3405 (Lillehammer). Velger sone for arbeidsgiveravgift og "
                                     "brukes når flere kommuner samles."),
        "kj_vendor": tr("Kommunens EPJ-leverandør: modulen for HelseID og kjernejournal kjøpes her."),
        "kj_vendor_other": tr("Bare ved «{other}»: leverandørens navn, f.eks. Helseplattformen (Epic).",
                              other=_other_vendor(ctx)),
        "kj_eid": tr("Hvordan helsepersonell logger inn på nivå høyt. Tomt: {eid} (notatets anslag). BankID på "
                     "mobil er avviklet.", eid=first_eid),
        "kj_first_year": tr("Første år i økonomiplanen (fire år). Budsjettet er i faste kroner for dette året. Tomt: "
                            "året etter at arbeidsboken ble laget."),
        "kj_ansvar": tr("Ansvarsnummeret budsjettlinjene skal føres på (kommunens egen kontoplan). Vises på "
                        "Budsjettlinjer."),
        "kj_prosjekt": tr("Prosjektnummeret for innføringen, om kommunen bruker det. Vises på Budsjettlinjer."),
        "kj_pay_role": tr("Lønnen timekostnaden bygger på (KS' lønnsstatistikk). Tomt: {role}.",
                          role=choice_label(est, "role", est.pay.default_role, ctx.malform).lower()),
        "kj_employer_tax_zone": tr("Sonen for arbeidsgiveravgift. Tomt: sonen for kommunenummeret (Skatteetaten), "
                                   "eller {zone}.",
                                   zone=_zone_text(choice_label(est, "zone", est.employer_tax.default_zone,
                                                                ctx.malform))),
        "kj_uncertainty": tr("Lav: godt avklart, med tilbud (halve spennet). Middels: notatets anslag (AACE klasse "
                             "4). Høy: tidlig fase (halvannen gang spennet). Tomt: {level}. Spennene per linje står "
                             "på Estimater.",
                             level=choice_label(est, "level", est.uncertainty.default_level, ctx.malform)),
    }
    for name in ("kj_municipality", "kj_municipality_number", "kj_vendor", "kj_vendor_other", "kj_eid",
                 "kj_first_year", "kj_ansvar", "kj_prosjekt"):
        r = _fixed_row(ctx, s, r, name, helps[name])

    # ---------------------------------------------------------------- rollout steps
    r = _header(ctx, s, r + 1, tr("Innføringstrinn – notatet anbefaler trinnvis innføring: a, så b, så c (sone for "
                                  "sone)"),
                (N_("Gruppe"), N_("Avdeling eller sone"), N_("Antall helsepersonell"), N_("Startår"), N_("Kontroll"),
                 "", "", N_("Hjelp")))
    first = r
    steps = list(inputs.steps) + [None] * (STEP_ROWS - len(inputs.steps))
    if len(steps) > STEP_ROWS:
        raise ValueError(f"the workbook has room for {STEP_ROWS} rollout steps, got {len(inputs.steps)}")
    groups = "; ".join(choice_label(est, "group", g.id, ctx.malform) for g in est.groups)
    step_help = {
        C_IN: f"{groups}.",
        C_UNIT: tr("Navn på avdeling, sykehjem eller sone (fritekst)."),
        C_DEF: tr("Antall helsepersonell som får tilgang i dette trinnet."),
        C_USED: tr("Året trinnet starter. Tomt: første budsjettår."),
    }
    word = {k: excel_text(tr(v)) for k, v in STEP_STATUS.items()}
    for k, step in enumerate(steps):
        s.text(r, C_LABEL, tr("Trinn {n}", n=k + 1), "label")
        group = list_label(est, "group", step.group, ctx.malform) if step else None
        row_values = {"kj_step_group": (C_IN, group),
                      "kj_step_unit": (C_UNIT, step.unit if step and step.unit else None),
                      "kj_step_staff": (C_DEF, step.staff if step and step.staff else None),
                      "kj_step_year": (C_USED, step.year if step and step.year is not None else None)}
        for c, v in row_values.values():
            _write_input(s, r, c, v, {C_IN: "text", C_UNIT: "text", C_DEF: "count", C_USED: "year"}[c])
        g, u, n, y = (cell(r, c) for c in (C_IN, C_UNIT, C_DEF, C_USED))
        status = (
            f'IF(AND({g}="",{u}="",{n}="",{y}=""),"",'
            f'IF(AND({n}<>"",IF(ISNUMBER({n}),OR({n}<0,{n}>kj_staff_max,{n}<>INT({n})),TRUE)),{word["staff"]},'
            f'IF(AND({g}<>"",ISNA(MATCH({g},kj_list_groups,0))),{word["group"]},'
            f'IF(AND({y}<>"",IF(ISNUMBER({y}),OR({y}<kj_year_min,{y}>kj_year_max,{y}<>INT({y})),TRUE)),'
            f'{word["year"]},'
            f'IF(AND(N({n})>0,{g}=""),{word["no_group"]},IF(AND({g}<>"",N({n})=0),{word["no_staff"]},""))))))'
        )
        value = ""
        if step is not None and (step.staff > 0) != (step.group is not None):
            value = tr(STEP_STATUS["no_group"] if step.staff > 0 else STEP_STATUS["no_staff"])
        noted = {f"{name}#{k + 1}": cv for name, cv in row_values.items()}
        _status(ctx, s, r, status, value, noted)
        _note(ctx, s, r, list(noted))
        r += 1
    for c, name in ((C_IN, "kj_step_group"), (C_UNIT, "kj_step_unit"), (C_DEF, "kj_step_staff"),
                    (C_USED, "kj_step_year")):
        s.define(name, (first, c), (r - 1, c), "input")
        spec = INPUT_BY_NAME[name]
        ws.data_validation(first, c, r - 1, c, _validation(ctx, spec, step_help[c]))
    s.define("kj_step_status", (first, C_STATUS), (r - 1, C_STATUS), "working")
    for k, c in enumerate((C_IN, C_UNIT, C_DEF, C_USED)):
        _help(s, first + k, step_help[c])
    s.text(r, C_LABEL, tr("Sum helsepersonell"), "total")
    for c in (C_IN, C_UNIT):
        s.blank(r, c, "total")
    s.formula(r, C_DEF, "kj_total_staff", b.total_staff, "total", "count")
    r += 2

    # ---------------------------------------------------------------- prices, the hourly cost, running, benefits
    for title, names in SECTIONS:
        r = _header(ctx, s, r, tr(title), COLUMN_HEADS)
        for name in names:
            choice = name in INPUT_BY_NAME  # a choice (pay role, employer's tax zone) or a numeric parameter
            r = _fixed_row(ctx, s, r, name, helps[name]) if choice else _parameter_row(ctx, s, r, name)
        r += 1
    last = r - 1
    s.define("kj_input_status", (4, C_STATUS), (last, C_STATUS), "working")
    s.define("kj_input_note", (4, C_NOTE), (last, C_NOTE), "working")  # read back by a later regeneration
    invalid_word = excel_text(tr(INVALID))
    invalid = {"type": "formula", "criteria": f"=LEFT(${cell(4, C_STATUS)},LEN({invalid_word}))={invalid_word}",
               "format": ctx.wb.add_format({"bg_color": "#FFC7CE"})}
    ws.conditional_format(4, C_IN, last, C_IN, invalid)
    ws.freeze_panes(3, 1)
    s.print_setup(landscape=True, last_row=last, last_col=C_HELP)
    s.protect()


def _other_vendor(ctx: Context) -> str:
    """The vendor list's «other» entry (a name is typed for it) in the workbook's målform."""
    other = next((v for v in ctx.est.vendors if v.other), None)
    return choice_label(ctx.est, "vendor", other.id, ctx.malform) if other else ctx.tr("Annen leverandør")


def _zone_text(label: str) -> str:
    """A zone's list label as it reads inside a sentence: «Sone I» → «sone I»."""
    return label[:1].lower() + label[1:] if label[:5].lower() == "sone " else label


def _fixed_row(ctx: Context, s: Sheet, r: int, name: str, help_text: str) -> int:
    """A text or choice input of its own row (municipality, vendor, e-ID, year, codes, role, zone)."""
    ws, est, inputs, p = s.ws, ctx.est, ctx.inputs, ctx.budget.params
    spec = INPUT_BY_NAME[name]
    raw = getattr(inputs, spec.field)
    tr = ctx.tr
    value = (list_label(est, spec.choices, raw, ctx.malform) if spec.kind == "choice"
             else (raw if raw not in ("", None) else None))
    s.text(r, C_LABEL, tr(spec.label), "label")
    _write_input(s, r, C_IN, value, "year" if spec.kind == "whole" else "text")
    s.define(name, (r, C_IN), None, "input")
    ws.data_validation(r, C_IN, r, C_IN, _validation(ctx, spec, help_text, first_year_min(est)
                                                           if name == "kj_first_year" else None, cell(r, C_IN)))
    _help(s, r, help_text)
    b_, f_ = cell(r, C_IN), cell(r, C_STATUS)
    noted = {name: (C_IN, value)}
    if spec.kind == "text":
        if spec.field == "municipality_number":
            digits = excel_text(tr(STATUS["digits"]))
            _status(ctx, s, r, f'IF(TRIM({b_})="","",IF({excel_municipality_number_ok(b_)},"",{digits}))', "", noted)
        else:
            too_long = excel_text(tr(STATUS["length"], limit=TEXT_MAX))
            _status(ctx, s, r, f'IF(LEN({b_})>{TEXT_MAX},{too_long},"")', "", noted)
            s.define(f"{name}_status", (r, C_STATUS), None, "working")
    elif spec.kind == "choice":
        lst = LIST_NAMES[spec.choices]
        pick = excel_text(tr(STATUS["choice"]))
        _status(ctx, s, r, f'IF({b_}="","",IF(ISNA(MATCH({b_},{lst},0)),{pick},""))', "", noted)
        chosen = f"INDEX({lst},MATCH({b_},{lst},0))"
        if name == "kj_vendor":
            s.text(r, C_DEF, tr("ingen"), "unit")
            s.formula(r, C_USED, f'IF(OR({b_}="",{f_}<>""),"",{chosen})', value or "", "calc")
            s.define("kj_vendor_used", (r, C_USED), None, "working")
        else:
            used_id = {"kj_eid": p.eid, "kj_pay_role": p.pay_role, "kj_employer_tax_zone": p.employer_tax_zone,
                       "kj_uncertainty": p.uncertainty}[name]
            default_id = {"kj_eid": est.eid_options[0].id, "kj_pay_role": est.pay.default_role,
                          "kj_employer_tax_zone": _default_zone(ctx), "kj_uncertainty": est.uncertainty.default_level}
            used_value = choice_label(est, spec.choices, used_id, ctx.malform)
            default_value = choice_label(est, spec.choices, default_id[name], ctx.malform)
            s.formula(r, C_DEF, CHOICE_DEFAULTS[name], default_value, "calc")
            s.formula(r, C_USED, f'IF(OR({b_}="",{f_}<>""),{cell(r, C_DEF)},{chosen})', used_value, "calc")
            s.define(f"{name}_used", (r, C_USED), None, "output" if name == "kj_eid" else "working")
    elif name == "kj_first_year":
        assert spec.maximum is not None, "kj_first_year has an upper bound (cells.INPUTS)"
        s.text(r, C_UNIT, tr("år"), "unit", indent=1)
        s.number(r, C_DEF, _default_year(ctx), "constant", "year")
        s.formula(r, C_MIN, "kj_est_base_year", first_year_min(est), "calc", "year")
        s.number(r, C_MAX, spec.maximum, "constant", "year")
        _status(ctx, s, r, _number_status(ctx, b_, cell(r, C_MIN), cell(r, C_MAX), True,
                                          _range_text(ctx, first_year_min(est), spec.maximum, grouped=False)), "",
                noted)
        s.formula(r, C_USED, f'IF(OR({b_}="",{f_}<>""),{cell(r, C_DEF)},{b_})', p.first_year, "calc", "year")
        s.define("kj_first_year_used", (r, C_USED), None, "working")
    _note(ctx, s, r, [name])
    return r + 1


def _parameter_row(ctx: Context, s: Sheet, r: int, pname: str) -> int:
    """A numeric parameter of the model: input, unit, default (from Estimater), used, status, bounds, help."""
    ws, est, inputs, p = s.ws, ctx.est, ctx.inputs, ctx.budget.params
    param = PARAMETER_BY_NAME[pname]
    spec = INPUT_BY_NAME[f"kj_{pname}"]
    num = NUM_FOR_UNIT.get(param.unit, "number")
    tr = ctx.tr
    help_text = tr(param.help)
    s.text(r, C_LABEL, tr(param.label), "label")
    _write_input(s, r, C_IN, getattr(inputs, pname), num)
    s.define(spec.name, (r, C_IN), None, "input")
    ws.data_validation(r, C_IN, r, C_IN, _validation(ctx, spec, help_text))
    s.text(r, C_UNIT, tr(param.unit), "unit", indent=1)
    default = p.defaults[pname]
    b_, d_, f_ = cell(r, C_IN), cell(r, C_DEF), cell(r, C_STATUS)
    default_formula = {
        "hourly_rate": "kj_calc_hourly_rate",
        "eid_kr_per_person": "ROUND(INDEX(kj_est_eid_price,kj_eid_index)*kj_calc_price_factor,0)",
        "reader_kr": "ROUND(kj_est_reader_kr*kj_calc_price_factor,0)",
        "renewal_years": "kj_est_renewal_years",
        "standin_share": "kj_est_standin_share",
        "standin_hourly_rate": "kj_hourly_rate_used",
        "minutes_saved": "kj_est_minutes_saved",
        "share_short_term": "kj_est_share_short_term",
        "share_home_care": "kj_est_share_home_care",
        "deflator_forecast": "kj_est_deflator_forecast",
        "wage_forecast": "kj_est_wage_forecast",
        **{k: f"kj_est_{k}" for k in est.hourly_rate},
    }.get(pname, f"kj_est_{pname}" if pname in {r_.id for r_ in est.running} else None)
    if pname == "vendor_module_kr":
        s.text(r, C_DEF, tr("ingen"), "unit")
        s.formula(r, C_USED, f'IF(OR({b_}="",{f_}<>""),"",{b_})', p.vendor_module_kr, "calc", num)
    else:
        assert default is not None, f"{pname}: only the vendor module has no default"
        if default_formula:
            s.formula(r, C_DEF, default_formula, default, "calc", num)
        else:
            s.number(r, C_DEF, default, "constant", num)
        s.formula(r, C_USED, f'IF(OR({b_}="",{f_}<>""),{d_},{b_})', getattr(p, pname), "calc", num)
    s.define(f"kj_{pname}_used", (r, C_USED), None, "output" if pname == "hourly_rate" else "working")
    s.number(r, C_MIN, param.minimum, "constant", "percent" if param.percent else "count")
    s.number(r, C_MAX, param.maximum, "constant", "percent" if param.percent else "count")
    _status(ctx, s, r, _number_status(ctx, b_, cell(r, C_MIN), cell(r, C_MAX), param.whole,
                                      _range_text(ctx, param.minimum, param.maximum, param.percent)),
            "", {spec.name: (C_IN, getattr(inputs, pname))})
    s.define(f"kj_{pname}_status", (r, C_STATUS), None, "working")
    _help(s, r, help_text)
    _note(ctx, s, r, [spec.name])
    return r + 1


def _default_zone(ctx: Context) -> str:
    from workbook_builder.core.model import zone_for_municipality

    return zone_for_municipality(ctx.est, ctx.inputs.municipality_number) or ctx.est.employer_tax.default_zone


def _default_year(ctx: Context) -> int:
    from workbook_builder.core.model import default_first_year

    return default_first_year(ctx.today)


def _number_status(ctx: Context, b: str, lo: str, hi: str, whole: bool, rng: str) -> str:
    cond = f"OR({b}<{lo},{b}>{hi}" + (f",{b}<>INT({b}))" if whole else ")")
    outside = excel_text(ctx.tr(STATUS["range"], range=rng))
    not_number = excel_text(ctx.tr(STATUS["whole" if whole else "number"]))
    return f'IF({b}="","",IF(ISNUMBER({b}),IF({cond},{outside},""),{not_number}))'


def _write_input(s: Sheet, row: int, col: int, value: Any, num: str) -> None:
    if value is None or value == "":
        s.blank(row, col, "input", "text" if num == "text" else num)
    elif isinstance(value, str):
        s.ws.write_string(row, col, value, s.fmt("input", "text"))
    else:
        s.ws.write_number(row, col, value, s.fmt("input", num))


def _header(ctx: Context, s: Sheet, row: int, title: str, heads: tuple[str, ...]) -> int:
    """A section title across the sheet and a row of column heads (message ids) under it; returns the next
    row."""
    s.band(row, title, C_HELP)
    s.text(row + 1, C_LABEL, "", "colhead")
    # the heads of the unit and help columns are indented as their cells are (a gap after a figure)
    indented = {C_HELP} | ({C_UNIT} if heads[C_UNIT - C_IN] == COLUMN_HEADS[C_UNIT - C_IN] else set())
    heads = tuple(ctx.tr(h) if h else "" for h in heads)
    for k, h in enumerate(heads):
        s.text(row + 1, C_IN + k, h, "colhead", indent=int(C_IN + k in indented))
    if any(len(h) > 14 for h in heads[:4]):
        s.ws.set_row(row + 1, 30)
    return row + 2


def _help(s: Sheet, row: int, text: str) -> None:
    """Help text in its column, with a row tall enough for it."""
    s.text(row, C_HELP, text, "muted", indent=1)
    lines = -(-len(text) // 100)
    if lines > 1:
        s.ws.set_row(row, 14 * lines + 2)


def _note(ctx: Context, s: Sheet, row: int, keys: list[str]) -> None:
    """Column J: the notes for the inputs of a row (a step row has four), e.g. a value a
    regeneration could not carry, kept as text so nothing the user typed is lost."""
    notes = [ctx.input_notes[k] for k in keys if ctx.input_notes.get(k)]
    if notes:
        s.text(row, C_NOTE, "\n".join(notes), "status")


def _status(ctx: Context, s: Sheet, row: int, formula: str | None, value: str,
            noted: dict[str, tuple[int, Any]]) -> None:
    """The status cell (column F). An input with a note that is still blank says "Ugyldig", so Kontroll
    fails until the user has typed a valid value in place of the one that could not be carried over;
    the model marks the same inputs in `Inputs.invalid`."""
    waiting = [(cell(row, col), v) for key, (col, v) in noted.items() if ctx.input_notes.get(key)]
    if waiting:
        blank = [f'{a}=""' for a, _ in waiting]
        cond = blank[0] if len(blank) == 1 else f"OR({','.join(blank)})"
        not_carried = ctx.tr(NOT_CARRIED)
        formula = f'IF({cond},{excel_text(not_carried)},{formula or excel_text("")})'
        if any(v is None or v == "" for _, v in waiting):
            value = not_carried
    if formula is not None:
        s.formula(row, C_STATUS, formula, value, "status")
