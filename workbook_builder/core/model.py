"""The kj-budget cost model: one implementation that the workbook, the Excel functions and
the reports all call.

Standard library only (it is embedded whole in the ``main.py`` that xlwings Lite runs).
Every rule here has a twin formula in the workbook; the order of arithmetic is kept the
same as in those formulas, and rounding follows Excel's ROUND / ROUNDUP (half away from
zero, on the 15 significant digits a spreadsheet shows), so both give the same krone.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from workbook_builder.core.errors import InputError  # kj:embed-skip
from workbook_builder.core.estimates import MAX_FIGURE, Estimates, Item  # kj:embed-skip
from workbook_builder.core.i18n import DEFAULT_MALFORM, N_, English, Message, parse_malform, tr  # kj:embed-skip
from workbook_builder.core.municipality import (  # kj:embed-skip
    municipality_number_or_none,
    parse_municipality_number,
)
from workbook_builder.core.numbers import (  # kj:embed-skip
    OR,
    excel_round,
    excel_round_all,
    excel_roundup,
    nb_kr,
    nb_list,
    number,
    same_amount,
    whole_number,
)
from workbook_builder.core.vocabulary import (  # kj:embed-skip
    CHECK_MESSAGES,
    CHECK_OK_MESSAGE,
    CHECKS,
    ERROR,
    MASTER_MESSAGES,
    NOTE,
    NOTE_MANY,
    NOTE_ONE,
    OK,
    worst,
)

PLAN_YEARS = 4  # an økonomiplan covers four budget years
MINUTES_PER_HOUR = 60
def segment(sizes: tuple[float, ...], staff: float) -> int:
    """Index of the reference segment used for `staff`: the one it lies in, or the nearest one.

    Workbook twin: MIN(n-1; IFERROR(MATCH(staff; sizes; 1); 1)) (1-based); the sizes ascend (the
    estimates file is refused otherwise), so MATCH(…; 1) is a binary search.
    """
    return min(max(bisect_right(sizes, staff) - 1, 0), len(sizes) - 2)


def interpolate(sizes: tuple[float, ...], values: tuple[float, ...], staff: float) -> float:
    """Linear interpolation between reference sizes, the nearest segment extended beyond them.

    0 personnel gives 0, and an extension below the first size never goes under 0.
    """
    if staff == 0:
        return 0.0
    i = segment(sizes, staff)
    x0, x1, a, b = sizes[i], sizes[i + 1], values[i], values[i + 1]
    return max(0.0, a + (b - a) * (staff - x0) / (x1 - x0))


def outside_basis(est: Estimates, staff: int) -> bool:
    lo, hi = est.size_range
    return staff > 0 and not lo <= staff <= hi


# ----------------------------------------------------------------------------- argument parsing


@functools.lru_cache(maxsize=1024)  # the same few labels are looked up many times a budget
def _norm(text: str) -> str:
    return "".join(filter(str.isalnum, text.casefold()))


class _Option(Protocol):
    """A list value of the estimates file: an id and the label the workbook shows."""

    @property
    def id(self) -> str: ...

    @property
    def label(self) -> str: ...


# The refusals of a list value (InputError templates): {what} names the list, {labels} its labels.
MSG_CHOICE_MISSING = N_("{what} mangler: bruk {labels}")
MSG_CHOICE_UNKNOWN = N_("ukjent {what} «{text}»: bruk {labels}")
# The same in English (the command line), {labels} the same message: read in the målform of what shows it.
EN_CHOICE_MISSING = "{what} is missing (use one of: {ids}, or {labels})"
EN_CHOICE_UNKNOWN = "unknown {what} {text!r} (use one of: {ids}, or {labels})"


@functools.lru_cache(maxsize=64)
def _choices(options: tuple[_Option, ...], by_parts: bool, nn_labels: tuple[str | None, ...]) -> dict[str, str]:
    """Each option's names (and its nynorsk label, when it has one), normalised, → its id (a later option's
    name wins a tie, as it always has); built once per list of options (the model parses a step's group
    many times a budget)."""
    choices: dict[str, str] = {}
    for o, nn_label in zip(options, nn_labels):
        names = [o.id, o.label, *([nn_label] if nn_label is not None else [])]
        if by_parts:
            names += [part for part in o.label.replace(")", "").split("(") if part.strip()]
        choices.update({_norm(name): o.id for name in names})
    return choices


def _choose(options: Sequence[_Option], text: Any, field: str, what_en: str, what_nb: str,
            by_parts: bool = False, nn: dict[str, str] | None = None) -> str:
    """The id of the option whose id or label (any case, spacing or punctuation) is `text`, the label in
    either målform (`nn`: the estimates' nynorsk texts); with `by_parts`, also a part of the label,
    e.g. `Gerica` or `Visma` for `Visma (Profil)`. `what_nb` is a bokmål message id (the list's name)."""
    nn = nn or {}
    if isinstance(text, str) and text.strip():
        opts = tuple(options)
        nn_labels = tuple(nn.get(o.label) for o in opts) if nn else (None,) * len(opts)
        found = _choices(opts, by_parts, nn_labels).get(_norm(text))
        if found is not None:
            return found
    labels = Message.known("; ".join(o.label for o in options), "; ".join(nn.get(o.label, o.label) for o in options))
    ids = ", ".join(o.id.replace("_", "-") for o in options)
    values = {"what": Message(what_nb), "labels": labels}
    if not isinstance(text, str) or not text.strip():
        raise InputError(field, English(EN_CHOICE_MISSING, what=what_en, ids=ids, labels=labels), MSG_CHOICE_MISSING,
                         **values)
    raise InputError(field, English(EN_CHOICE_UNKNOWN, what=what_en, text=text, ids=ids, labels=labels),
                     MSG_CHOICE_UNKNOWN, text=text, **values)


def parse_eid(est: Estimates, text: Any) -> str:
    """An e-ID option id from its id (`pki`, `bankid-mobil`) or the workbook's label, any case."""
    return _choose(est.eid_options, text, "eid", "e-ID", N_("e-ID"), nn=est.nn)


def parse_vendor(est: Estimates, text: Any) -> str:
    """An EPJ vendor id from its id, its label or the product or company name in it."""
    return _choose(est.vendors, text, "vendor", "EPJ vendor", N_("EPJ-leverandør"), by_parts=True, nn=est.nn)


def parse_group(est: Estimates, text: Any) -> str:
    """A rollout group id from its letter or its label."""
    return _choose(est.groups, text, "group", "rollout group", N_("gruppe"), nn=est.nn)


# ----------------------------------------------------------------------------- more choices


def parse_role(est: Estimates, text: Any) -> str:
    """A pay role id (the hourly cost's basis) from its id or its label, any case."""
    return _choose(est.pay.roles, text, "pay_role", "pay role", N_("stilling"), nn=est.nn)


def parse_zone(est: Estimates, text: Any) -> str:
    """An employer's tax zone id from its id (`1a`) or its label (`Sone Ia`), any case."""
    return _choose(est.employer_tax.zones, text, "employer_tax_zone", "employer's tax zone",
                   N_("sone for arbeidsgiveravgift"), nn=est.nn)


def parse_level(est: Estimates, text: Any) -> str:
    """An uncertainty level id from its id or label (`lav`, `Middels`, `Høy`), any case."""
    return _choose(est.uncertainty.levels, text, "uncertainty", "uncertainty level", N_("usikkerhet"), nn=est.nn)


CHOICE_PARSERS: dict[str, Callable[[Estimates, Any], str]] = {
    "eid": parse_eid, "vendor": parse_vendor, "group": parse_group, "role": parse_role, "zone": parse_zone,
    "level": parse_level,
}


def parse_choice(est: Estimates, kind: str, text: Any) -> str:
    """The id of a list value (e-ID, vendor, group, role, zone) from its id or label."""
    return CHOICE_PARSERS[kind](est, text)


def choice_label(est: Estimates, kind: str, ident: str, malform: str = DEFAULT_MALFORM) -> str:
    """The list label of an id, as the workbook's drop-down shows it in `malform`."""
    lookup: dict[str, Callable[[str], _Option]] = {
        "eid": est.eid_option, "vendor": est.vendor, "group": est.group, "role": est.role,
        "zone": est.zone, "level": est.level}
    return est.text_in(lookup[kind](ident).label, malform)


def zone_for_municipality(est: Estimates, number: str) -> str | None:
    """The employer's tax zone of a municipality number, when the estimates carry the table; None for a
    blank or invalid number (the one rule, `municipality.py`: «301» is not 0301) or one not in the table.

    Workbook twin: Inndata's default zone, INDEX(kj_est_zone_of_municipality; MATCH(the number when the
    rule's formula says it is one; kj_est_zone_municipalities; 0))."""
    n = municipality_number_or_none(number)
    return est.employer_tax.municipalities.get(n) if n else None


# ----------------------------------------------------------------------------- price level


def price_index(est: Estimates, year: int, wage: bool, forecast: float) -> float:
    """The municipal deflator (or its wage component) as an index, base year = 1.

    Workbook twin: the index column on Estimater (each year = the year before × (1 + rate)), and
    beyond the last published year the last index × (1 + forecast) ^ years."""
    d = est.deflator
    idx = 1.0
    for y in d.years:
        if y.year > year:
            break
        idx = idx * (1 + (y.wage if wage else y.deflator))
    if year > d.last_year:
        idx = idx * (1 + forecast) ** (year - d.last_year)
    return idx


def price_factor(est: Estimates, from_year: int, to_year: int, wage: bool, forecast: float) -> float:
    """What a krone of `from_year` is in `to_year`'s prices (or pay level, with `wage`)."""
    return price_index(est, to_year, wage, forecast) / price_index(est, from_year, wage, forecast)


# ----------------------------------------------------------------------------- the full cost of an hour

DAYS_PER_WEEK = 5


@dataclass(frozen=True)
class HourlyCost:
    """The full cost of an hour of an employee's time, step by step (one row each on Estimater)."""

    role: str
    role_pay_kr: float  # the statistic, at its date
    wage_factor: float  # pay growth from the statistic's year to the budget year
    pay_kr: float  # annual pay in the budget year's pay level
    weeks_worked: float
    salary_kr: float  # pay for the weeks worked + holiday pay
    pension_kr: float
    employer_tax_kr: float
    cost_kr: float
    hours: float  # hours worked a year: weeks worked × hours a week − public holidays
    raw_kr_per_hour: float
    kr_per_hour: float

    @property
    def shares(self) -> dict[str, float]:
        """How a krone of this cost splits into pay, pension and employer's tax (accounting arts)."""
        if self.cost_kr == 0:
            return {"pay": 1.0, "pension": 0.0, "employer_tax": 0.0}
        return {"pay": self.salary_kr / self.cost_kr, "pension": self.pension_kr / self.cost_kr,
                "employer_tax": self.employer_tax_kr / self.cost_kr}


def hourly_cost(est: Estimates, role: str, wage_factor: float, holiday_pay_share: float, pension_share: float,
                employer_tax_share: float, hours_per_week: float, public_holiday_days: float) -> HourlyCost:
    """Annual pay lifted to the budget year, holiday pay, pension, employer's tax, over the hours worked."""
    f = {k: v.value for k, v in est.hourly_rate.items()}
    role_pay = est.role(role).annual_kr
    pay = role_pay * wage_factor
    weeks_worked = f["weeks_per_year"] - f["vacation_weeks"]
    salary = pay * (weeks_worked / f["weeks_per_year"] + holiday_pay_share)
    pension = pay * pension_share
    tax = (salary + pension) * employer_tax_share
    cost = salary + pension + tax
    hours = hours_per_week * weeks_worked - public_holiday_days * hours_per_week / DAYS_PER_WEEK
    raw = cost / hours if hours > 0 else 0.0
    return HourlyCost(role, role_pay, wage_factor, pay, weeks_worked, salary, pension, tax, cost, hours, raw,
                      excel_round(raw))


# ----------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class Parameter:
    """A numeric input: blank means its default. The workbook, the reader of filled workbooks and
    the Excel functions all validate against these bounds.

    `default(est, ctx)` gets the values resolved so far (parameters are resolved in order), with
    `eid`, `price_factor` and `hourly` among them. `label`, `unit` and `help` are bokmål message ids:
    i18n.tr(p.label, målform) gives them in a målform."""

    name: str
    label: str
    unit: str
    minimum: float
    maximum: float
    whole: bool
    help: str
    default: Callable[[Estimates, dict[str, Any]], float | None]
    percent: bool = False
    section: str = ""


def _figure(table: str, key: str) -> Callable[[Estimates, dict[str, Any]], float]:
    return lambda est, ctx: getattr(est, table)[key].value


def _running_default(name: str) -> Callable[[Estimates, dict[str, Any]], float]:
    return lambda est, ctx: est.running_item(name).value


def _lifted(kr: float, ctx: dict[str, Any]) -> float:
    """A price of the estimates' price year in the budget year's prices, to the krone."""
    return excel_round(kr * ctx["price_factor"])


PARAMETERS: tuple[Parameter, ...] = (
    Parameter("deflator_forecast", N_("Prisvekst per år etter siste publiserte år (kommunal deflator)"),
              N_("andel per år"), 0, 0.2, False,
              N_("Brukes for år som ennå ikke har tall fra statsbudsjettet. Tomt: prognosen på Estimater."),
              lambda est, ctx: est.deflator.forecast_deflator.value, percent=True, section="price"),
    Parameter("wage_forecast", N_("Lønnsvekst per år etter siste publiserte år"), N_("andel per år"), 0, 0.2, False,
              N_("Brukes for år som ennå ikke har tall fra statsbudsjettet. Tomt: prognosen på Estimater."),
              lambda est, ctx: est.deflator.forecast_wage.value, percent=True, section="price"),
    Parameter("holiday_pay_share", N_("Feriepenger"), N_("andel av lønn"), 0, 0.2, False,
              N_("Tomt: 12 % (ferieloven og femte ferieuke i Hovedtariffavtalen); 14,3 % for ansatte over 60 år."),
              _figure("hourly_rate", "holiday_pay_share"), percent=True, section="hourly"),
    Parameter("pension_share", N_("Pensjon, arbeidsgivers andel"), N_("andel av lønn"), 0, 0.5, False,
              N_("Kommunens pensjonskostnad i prosent av lønn (KLP eller egen kasse). Tomt: tallet på Estimater."),
              _figure("hourly_rate", "pension_share"), percent=True, section="hourly"),
    Parameter("hours_per_week", N_("Arbeidstid per uke"), N_("timer per uke"), 1, 60, False,
              N_("Tomt: 37,5 timer (dagtid); 35,5 timer for helkontinuerlig turnus."),
              _figure("hourly_rate", "hours_per_week"), section="hourly"),
    Parameter("public_holiday_days", N_("Helligdager på hverdager"), N_("dager per år"), 0, 30, False,
              N_("Bevegelige og faste helligdager som faller på hverdager. Tomt: gjennomsnittet på Estimater."),
              _figure("hourly_rate", "public_holiday_days"), section="hourly"),
    Parameter("hourly_rate", N_("Timekostnad for interne ressurser"), N_("kr per time"), 0, 10_000,
              False, N_("Overstyrer utregningen: kommunens egen timekostnad i budsjettårets kroner. Tomt: avledet på "
                        "Estimater av lønn, feriepenger, pensjon og arbeidsgiveravgift."),
              lambda est, ctx: ctx["hourly"].kr_per_hour, section="hourly"),
    Parameter("vendor_module_kr", N_("Pris for modul fra EPJ-leverandøren (HelseID og kjernejournal)"), N_("kr"), 0,
              100_000_000, False,
              N_("Engangspris fra valgt EPJ-leverandør, uten mva, i budsjettårets kroner. Notatet har ingen sum: spør "
                 "leverandøren. Tomt: mangler (ikke med i totalen, vises på Kontroll)."),
              lambda est, ctx: None, section="prices"),
    Parameter("eid_kr_per_person", N_("Pris for e-ID per person (PKI-kort: per kort)"), N_("kr per person"), 0,
              100_000, False,
              N_("Uten mva, i budsjettårets kroner. Tomt: prisen for valgt e-ID på Estimater, prisjustert."),
              lambda est, ctx: _lifted(est.eid_option(ctx["eid"]).kr_per_person, ctx), section="prices"),
    Parameter("reader_kr", N_("Pris per kortleser (kun PKI-kort)"), N_("kr per kortleser"), 0, 100_000, False,
              N_("Uten mva, i budsjettårets kroner. Tomt: notatets pris, prisjustert."),
              lambda est, ctx: _lifted(est.reader_kr.value, ctx), section="prices"),
    Parameter("renewal_years", N_("Fornyelse av e-ID (PKI-kort) hvert"), N_("år"), 1, 20, True,
              N_("Kortene fornyes i startåret pluss dette antall år, og så videre. Tomt: verdien på Estimater."),
              lambda est, ctx: est.renewal_years.value, section="prices"),
    Parameter("standin_share", N_("Andel av opplæringstimene som krever vikar"), N_("andel"), 0, 1, False,
              N_("I døgnbemannede tjenester må den som er på opplæring erstattes. Tomt: andelen på Estimater."),
              lambda est, ctx: est.standin_share.value, percent=True, section="prices"),
    Parameter("standin_hourly_rate", N_("Timekostnad for vikar"), N_("kr per time"), 0, 10_000, False,
              N_("Full kostnad per vikartime. Tomt: samme som timekostnaden for interne ressurser."),
              lambda est, ctx: ctx["hourly_rate"], section="prices"),
    Parameter("maintenance_kr_per_year", N_("Teknisk vedlikehold og moduler"), N_("kr per år"), 0, 100_000_000,
              False, N_("Årlig beløp til leverandør, uten mva. Notatet har ingen tall. Tomt: verdien i kolonne D."),
              _running_default("maintenance_kr_per_year"), section="running"),
    Parameter("followup_hours_per_year", N_("Interne ressurser til oppfølging av endringer og gevinster"),
              N_("timer per år"), 0, 100_000, False, N_("Notatet har ingen tall. Tomt: verdien i kolonne D."),
              _running_default("followup_hours_per_year"), section="running"),
    Parameter("helseid_key_hours_per_year", N_("Fornyelse av HelseID-nøkkel"), N_("timer per år"), 0, 100_000, False,
              N_("Notatet har ingen tall. Tomt: verdien i kolonne D."), _running_default("helseid_key_hours_per_year"),
              section="running"),
    Parameter("admissions_short_term", N_("Pasientmottak per år på KAD/ØHD/intermediær- og korttidsavdelinger"),
              N_("mottak per år"), 0, 1_000_000, True, N_("Antall pasientmottak per år. Tomt: 0 (ingen gevinst)."),
              lambda est, ctx: 0.0, section="benefits"),
    Parameter("admissions_home_care", N_("Pasientmottak per år i hjemmetjenesten"), N_("mottak per år"), 0,
              1_000_000, True, N_("Antall nye pasienter per år i hjemmetjenesten. Tomt: 0 (ingen gevinst)."),
              lambda est, ctx: 0.0, section="benefits"),
    Parameter("minutes_saved", N_("Minutter spart per pasientmottak"), N_("minutter"), 0, 600, False,
              N_("Tomt: utprøvingskommunenes anslag i NHN-notatet (kolonne D)."), _figure("benefits", "minutes_saved"),
              section="benefits"),
    Parameter("share_short_term", N_("Andel av mottak med gevinst, korttidsavdelinger"), N_("andel"), 0, 1, False,
              N_("Tomt: NHN-notatets andel for korttidsavdelinger (kolonne D)."),
              _figure("benefits", "share_short_term"), percent=True, section="benefits"),
    Parameter("share_home_care", N_("Andel av mottak med gevinst, hjemmetjenesten"), N_("andel"), 0, 1, False,
              N_("Tomt: NHN-notatets andel for hjemmetjenesten (kolonne D)."), _figure("benefits", "share_home_care"),
              percent=True, section="benefits"),
)
PARAMETER_BY_NAME = {p.name: p for p in PARAMETERS}
# The names of the other inputs the model validates (bokmål message ids, for InputError messages).
STAFF_NB = N_("Antall helsepersonell")
FIRST_YEAR_NB = N_("Første budsjettår")
START_YEAR_NB = N_("Startår")
ACTUAL_YEAR_NB = N_("År for faktisk tall")
ACTUAL_NB = N_("Faktisk tall")
YEAR_MIN, YEAR_MAX = 2000, 2100
STAFF_MAX = 100_000


# ----------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Step:
    """One step of a stepwise rollout: group (a / b / c), ward or zone, personnel, start year."""

    staff: int
    group: str | None = None
    unit: str = ""
    year: int | None = None


@dataclass(frozen=True)
class Actual:
    """Follow-up: what a line of the budget really cost in a budget year — hours (time records) for a line
    of internal hours, kroner in that year's prices (the accounts) for new money. `line` is a follow-up
    line id (core.followup.lines: a line item, eid_renewal or a running item)."""

    line: str
    year: int
    value: float


@dataclass(frozen=True)
class Inputs:
    """What a user enters. None means blank: the default is used."""

    steps: tuple[Step, ...] = ()
    eid: str | None = None
    municipality: str = ""
    municipality_number: str = ""
    vendor: str | None = None
    vendor_other: str = ""
    first_year: int | None = None
    ansvar: str = ""
    prosjekt: str = ""
    pay_role: str | None = None
    employer_tax_zone: str | None = None
    uncertainty: str | None = None
    deflator_forecast: float | None = None
    wage_forecast: float | None = None
    holiday_pay_share: float | None = None
    pension_share: float | None = None
    hours_per_week: float | None = None
    public_holiday_days: float | None = None
    hourly_rate: float | None = None
    vendor_module_kr: float | None = None
    eid_kr_per_person: float | None = None
    reader_kr: float | None = None
    renewal_years: float | None = None
    standin_share: float | None = None
    standin_hourly_rate: float | None = None
    maintenance_kr_per_year: float | None = None
    followup_hours_per_year: float | None = None
    helseid_key_hours_per_year: float | None = None
    admissions_short_term: float | None = None
    admissions_home_care: float | None = None
    minutes_saved: float | None = None
    share_short_term: float | None = None
    share_home_care: float | None = None
    invalid: tuple[str, ...] = ()  # inputs a reader found invalid and left out (shown on Kontroll)
    malform: str = DEFAULT_MALFORM  # the written standard of every text: nb (bokmål) or nn (nynorsk)
    actuals: tuple[Actual, ...] = ()  # follow-up: actual hours and kroner per line and budget year

    @property
    def total_staff(self) -> int:
        return sum(s.staff for s in self.steps)


@dataclass(frozen=True)
class Params:
    """The values the model uses: each input, or its default where the input is blank. All kroner
    are in the prices of the first budget year (`price_year`)."""

    eid: str
    first_year: int
    pay_role: str
    employer_tax_zone: str
    employer_tax_share: float
    uncertainty: str  # the level of uncertainty chosen: every item's range × its factor
    uncertainty_factor: float
    price_factor: float  # purchases: the estimates' price year → the budget year (municipal deflator)
    wage_factor: float  # pay: the pay statistic's year → the budget year (wage growth)
    hourly: HourlyCost  # the derived hourly cost (the default of `hourly_rate`)
    deflator_forecast: float
    wage_forecast: float
    holiday_pay_share: float
    pension_share: float
    hours_per_week: float
    public_holiday_days: float
    hourly_rate: float
    vendor_module_kr: float | None
    eid_kr_per_person: float
    reader_kr: float
    renewal_years: float
    standin_share: float
    standin_hourly_rate: float
    maintenance_kr_per_year: float
    followup_hours_per_year: float
    helseid_key_hours_per_year: float
    admissions_short_term: float
    admissions_home_care: float
    minutes_saved: float
    share_short_term: float
    share_home_care: float
    defaults: dict[str, float | None] = field(default_factory=dict, compare=False)
    malform: str = DEFAULT_MALFORM

    @property
    def price_year(self) -> int:
        return self.first_year

    @property
    def last_year(self) -> int:
        return self.first_year + PLAN_YEARS - 1

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first_year, self.first_year + PLAN_YEARS))


def default_first_year(today: _dt.date | None = None) -> int:
    """The first budget year when none is entered: next calendar year."""
    return (today or _dt.date.today()).year + 1


def first_year_min(est: Estimates) -> int:
    """The earliest first budget year: the deflator's base year (no prices before it)."""
    return est.deflator.base_year


def resolve(est: Estimates, inputs: Inputs, today: _dt.date | None = None) -> Params:
    """Validate the inputs and fill each blank one with its default, in the budget year's prices."""
    eid = parse_eid(est, inputs.eid) if inputs.eid is not None else est.eid_options[0].id
    first_year = (whole_number(inputs.first_year, "first_year", FIRST_YEAR_NB, first_year_min(est), YEAR_MAX)
                  if inputs.first_year is not None else max(default_first_year(today), first_year_min(est)))
    role = parse_role(est, inputs.pay_role) if inputs.pay_role is not None else est.pay.default_role
    parse_municipality_number(inputs.municipality_number)
    if inputs.employer_tax_zone is not None:
        zone = parse_zone(est, inputs.employer_tax_zone)
    else:
        zone = zone_for_municipality(est, inputs.municipality_number) or est.employer_tax.default_zone
    ctx: dict[str, Any] = {"eid": eid}
    values: dict[str, Any] = {}
    defaults: dict[str, float | None] = {}
    for p in PARAMETERS:
        if p.name == "hourly_rate":  # its default is the hourly cost derived from the parts resolved so far
            wage_factor = price_factor(est, est.pay.price_year, first_year, True, ctx["wage_forecast"])
            ctx["wage_factor"] = wage_factor
            ctx["hourly"] = hourly_cost(est, role, wage_factor, ctx["holiday_pay_share"], ctx["pension_share"],
                                        est.zone(zone).rate, ctx["hours_per_week"], ctx["public_holiday_days"])
        if p.name == "vendor_module_kr":
            ctx["price_factor"] = price_factor(est, est.price_year, first_year, False, ctx["deflator_forecast"])
        raw = getattr(inputs, p.name)
        default = p.default(est, ctx)
        defaults[p.name] = default
        if raw is None:
            value = default
        elif p.whole:
            value = float(whole_number(raw, p.name, p.label, int(p.minimum), int(p.maximum)))
        else:
            value = number(raw, p.name, p.label, p.minimum, p.maximum)
        values[p.name] = ctx[p.name] = value
    if values["hours_per_week"] * ctx["hourly"].weeks_worked <= values["public_holiday_days"] * \
            values["hours_per_week"] / DAYS_PER_WEEK:
        raise InputError("public_holiday_days", "public_holiday_days leaves no hours worked",
                         N_("Helligdager på hverdager kan ikke være flere enn arbeidsdagene"))
    if inputs.vendor is not None:
        parse_vendor(est, inputs.vendor)
    for s in inputs.steps:
        whole_number(s.staff, "staff", STAFF_NB, 0, STAFF_MAX)
        if s.group is not None:
            parse_group(est, s.group)
        if s.year is not None:
            whole_number(s.year, "year", START_YEAR_NB, YEAR_MIN, YEAR_MAX)
    level = parse_level(est, inputs.uncertainty) if inputs.uncertainty is not None else est.uncertainty.default_level
    follow_up_ids = {*cash_range_ids(est), *internal_range_ids(est)}
    for a in inputs.actuals:
        if a.line not in follow_up_ids:
            raise InputError("actuals", f"unknown follow-up line {a.line!r}",
                             N_("Ukjent linje for oppfølging «{line}»"), line=a.line)
        last = first_year + PLAN_YEARS - 1
        if not first_year <= whole_number(a.year, "actuals", ACTUAL_YEAR_NB, YEAR_MIN, YEAR_MAX) <= last:
            raise InputError("actuals", f"the actual for {a.line} in {a.year} is outside the budget years "
                             f"{first_year}–{last}",
                             N_("Faktisk tall for {year} er utenfor budsjettårene {first}–{last}"),
                             year=a.year, first=first_year, last=last)
        number(a.value, "actuals", ACTUAL_NB, 0, MAX_FIGURE)
    try:
        malform = parse_malform(inputs.malform)
    except ValueError as exc:
        raise InputError("malform", str(exc), N_("Målform må være nb (bokmål) eller nn (nynorsk)")) from None
    return Params(eid=eid, first_year=first_year, pay_role=role, employer_tax_zone=zone,
                  employer_tax_share=est.zone(zone).rate, uncertainty=level,
                  uncertainty_factor=est.level(level).factor, price_factor=ctx["price_factor"],
                  wage_factor=ctx["wage_factor"], hourly=ctx["hourly"], defaults=defaults, malform=malform, **values)


# ----------------------------------------------------------------------------- one-off cost


@dataclass(frozen=True)
class LineItem:
    id: str
    label: str
    track: str
    kind: str  # hours | purchase | standin
    unit: str
    hours: float  # internal hours (0 for purchases and stand-ins)
    purchase_kr: float  # purchases in kr (0 for internal hours and stand-ins)
    kr: float  # hours × hourly cost, the purchase, or the stand-ins' pay
    cash_kr: float = 0.0  # new money: purchases and stand-ins


@dataclass(frozen=True)
class OneOff:
    """The one-off cost of a rollout to `staff` health personnel, in the budget year's prices."""

    staff: int
    eid: str
    hourly_rate: float
    items: tuple[LineItem, ...]
    eid_cards: int
    eid_readers: int
    eid_cards_kr: float
    eid_readers_kr: float
    standin_hours: float  # hours bought from stand-ins while staff are trained
    total_hours: float  # internal hours
    total_purchase_kr: float
    standin_kr: float
    total_kr: float  # internal hours × hourly cost + purchases + stand-ins
    vendor_module_missing: bool
    outside_basis: bool
    estimates_version: str
    price_year: int = 0
    price_factor: float = 1.0

    def item(self, item_id: str) -> LineItem:
        return next(i for i in self.items if i.id == item_id)

    @property
    def cash_kr(self) -> float:
        """New money: purchases and stand-ins."""
        return self.total_purchase_kr + self.standin_kr

    @property
    def internal_kr(self) -> float:
        """The value of the internal hours (staff already paid for)."""
        return self.total_hours * self.hourly_rate


def eid_readers(est: Estimates, staff: int, eid: str) -> int:
    """Card readers: interpolated from the reference counts, rounded up, never more than people."""
    if not est.eid_option(eid).readers or staff == 0:
        return 0
    return min(staff, excel_roundup(interpolate(est.sizes.values, est.readers.values, staff)))


def eid_cost(est: Estimates, staff: int, eid: str, kr_per_person: float | None = None,
             reader_kr: float | None = None) -> tuple[int, int, float]:
    """(cards or persons, readers, kr) for e-ID: one per person plus card readers (prices as given,
    or the estimates' own, unlifted)."""
    per_person = est.eid_option(eid).kr_per_person if kr_per_person is None else kr_per_person
    per_reader = est.reader_kr.value if reader_kr is None else reader_kr
    readers = eid_readers(est, staff, eid)
    return staff, readers, staff * per_person + readers * per_reader


def item_quantity(est: Estimates, item_id: str, staff: int, price_factor: float = 1.0) -> float:
    """Hours, or kr in the budget year's prices, of an interpolated line item, rounded to whole
    hours / kroner. Workbook twin: ROUND(IF(n=0;0;MAX(0;…))[*kj_price_factor];0)."""
    item = est.item(item_id)
    assert item.values is not None
    x = interpolate(est.sizes.values, item.values, staff)
    return excel_round(x if item.kind == "hours" else x * price_factor)


def standin_basis(est: Estimates) -> Item | None:
    """The hours item whose hours need stand-ins (the training), if the file names one."""
    return next((i for i in est.items if i.standin_basis), None)


def _one_off(est: Estimates, staff: int, p: Params, with_vendor: bool) -> OneOff:
    items: list[LineItem] = []
    cards, readers, cards_kr, readers_kr = 0, 0, 0.0, 0.0
    basis = standin_basis(est)
    standin_hours = 0.0
    if basis is not None:
        standin_hours = item_quantity(est, basis.id, staff) * p.standin_share
    for item in est.items:
        label, unit = est.text_in(item.label, p.malform), est.text_in(item.unit, p.malform)
        if item.id == "eid":
            cards, readers, _ = eid_cost(est, staff, p.eid, p.eid_kr_per_person, p.reader_kr)
            cards_kr, readers_kr = cards * p.eid_kr_per_person, readers * p.reader_kr
            qty = cards_kr + readers_kr
        elif item.id == "vendor_module":
            qty = p.vendor_module_kr if (with_vendor and staff > 0 and p.vendor_module_kr is not None) else 0.0
        elif item.id == "standin":
            kr = standin_hours * p.standin_hourly_rate
            items.append(LineItem(item.id, label, item.track, item.kind, unit, 0.0, 0.0, kr, kr))
            continue
        else:
            qty = item_quantity(est, item.id, staff, p.price_factor)
        if item.kind == "hours":
            items.append(LineItem(item.id, label, item.track, item.kind, unit, qty, 0.0, qty * p.hourly_rate))
        else:
            items.append(LineItem(item.id, label, item.track, item.kind, unit, 0.0, qty, qty, qty))
    total_hours = sum(i.hours for i in items)
    total_purchase = sum(i.purchase_kr for i in items)
    standin_kr = sum(i.cash_kr for i in items if i.kind == "standin")
    return OneOff(
        staff=staff, eid=p.eid, hourly_rate=p.hourly_rate, items=tuple(items), eid_cards=cards,
        eid_readers=readers, eid_cards_kr=cards_kr, eid_readers_kr=readers_kr, standin_hours=standin_hours,
        total_hours=total_hours, total_purchase_kr=total_purchase, standin_kr=standin_kr,
        total_kr=total_hours * p.hourly_rate + total_purchase + standin_kr,
        vendor_module_missing=p.vendor_module_kr is None, outside_basis=outside_basis(est, staff),
        estimates_version=est.version, price_year=p.price_year, price_factor=p.price_factor,
    )


def one_off_with(est: Estimates, staff: Any, params: Params, with_vendor: bool = True) -> OneOff:
    """The one-off breakdown with parameters already resolved: for many counts at the same prices
    (an Excel function over a range, the workbook's columns) the inputs are validated once. Without
    `with_vendor` the vendor module is left out (a cumulative column of the budget years)."""
    return _one_off(est, whole_number(staff, "staff", STAFF_NB, 0, STAFF_MAX), params, with_vendor)


def one_off(est: Estimates, staff: Any, eid: Any = None, hourly_rate: float | None = None,
            vendor_module_kr: float | None = None, eid_kr_per_person: float | None = None,
            reader_kr: float | None = None, price_year: int | None = None,
            today: _dt.date | None = None, uncertainty: Any = None) -> OneOff:
    """The one-off breakdown for a number of health personnel (what `kj-budget cost` prints), in the
    prices of `price_year` (blank: the default first budget year)."""
    n = whole_number(staff, "staff", STAFF_NB, 0, STAFF_MAX)
    p = resolve(est, Inputs(eid=eid, hourly_rate=hourly_rate, vendor_module_kr=vendor_module_kr,
                            eid_kr_per_person=eid_kr_per_person, reader_kr=reader_kr, first_year=price_year,
                            uncertainty=uncertainty), today)
    return _one_off(est, n, p, with_vendor=True)


class OneOffColumns:
    """The one-off cost for many personnel counts at one set of resolved parameters, a column per
    figure (an Excel function over a range): the same numbers as `one_off_with` for each count, by the
    same arithmetic in the same order, without building a LineItem per item and count. Each count's
    reference segment is found once and shared by every interpolated item; an item's column is
    computed when first asked for. `tests/test_model_columns.py` holds it equal to `one_off_with`."""

    def __init__(self, est: Estimates, counts: Any, p: Params, with_vendor: bool = True) -> None:
        self.est, self.p, self.with_vendor = est, p, with_vendor
        self.counts = [n if type(n) is int and 0 <= n <= STAFF_MAX
                       else whole_number(n, "staff", "Antall helsepersonell", 0, STAFF_MAX) for n in counts]
        self._segments = [segment(est.sizes.values, n) for n in self.counts]
        self._qty: dict[str, list[float]] = {}

    def _interpolated(self, values: tuple[float, ...]) -> list[float]:
        """`interpolate` for every count, each from its own segment (as `(x0, x1 - x0, a, b - a)`)."""
        sizes = self.est.sizes.values
        parts = [(sizes[i], sizes[i + 1] - sizes[i], values[i], values[i + 1] - values[i])
                 for i in range(len(sizes) - 1)]
        out = []
        for n, i in zip(self.counts, self._segments):
            x0, w, a, d = parts[i]
            x = a + d * (n - x0) / w
            out.append(x if n != 0 and x > 0.0 else 0.0)  # max(0.0, x), and 0 personnel cost nothing
        return out

    def _quantity(self, item_id: str) -> list[float]:
        """Hours, or kr in the budget year's prices, of a line item (as `_one_off` computes its `qty`;
        for the stand-ins their kr)."""
        if item_id in self._qty:
            return self._qty[item_id]
        est, p = self.est, self.p
        if item_id == "eid":
            readers = [0] * len(self.counts)
            if est.eid_option(p.eid).readers:
                readers = [0 if n == 0 else min(n, excel_roundup(x))
                           for n, x in zip(self.counts, self._interpolated(est.readers.values))]
            qty = [n * p.eid_kr_per_person + r * p.reader_kr for n, r in zip(self.counts, readers)]
        elif item_id == "vendor_module":
            priced = self.with_vendor and p.vendor_module_kr is not None
            qty = [p.vendor_module_kr if priced and n > 0 else 0.0 for n in self.counts]  # type: ignore[misc]
        elif item_id == "standin":
            basis = standin_basis(est)
            hours = self._quantity(basis.id) if basis is not None else [0.0] * len(self.counts)
            qty = [h * p.standin_share * p.standin_hourly_rate for h in hours]
        else:
            item = est.item(item_id)
            assert item.values is not None
            xs = self._interpolated(item.values)
            factor = p.price_factor
            qty = excel_round_all(xs if item.kind == "hours" else [x * factor for x in xs])
        self._qty[item_id] = qty
        return qty

    def _sum(self, columns: Any) -> list[float]:
        """Per count, the columns added in item order, as `sum` adds a count's line items (the items that
        are 0 for this figure are left out: adding 0.0 changes no sum)."""
        cols = list(columns)
        if len(cols) == 1:
            return list(cols[0])
        return [sum(t) for t in zip(*cols)] if cols else [0.0] * len(self.counts)

    def hours(self, item_id: str | None = None) -> list[float]:
        """Internal hours per count: in all (`OneOff.total_hours`) or of one line item (`LineItem.hours`)."""
        if item_id is not None:
            return self._quantity(item_id) if self.est.item(item_id).kind == "hours" else [0.0] * len(self.counts)
        return self._sum(self._quantity(i.id) for i in self.est.items if i.kind == "hours")

    def kr(self, item_id: str | None = None) -> list[float]:
        """Kroner per count: the one-off total (`OneOff.total_kr`) or one line item's (`LineItem.kr`)."""
        rate = self.p.hourly_rate
        if item_id is not None:
            kind = self.est.item(item_id).kind
            return [q * rate for q in self._quantity(item_id)] if kind == "hours" else self._quantity(item_id)
        items = self.est.items
        purchases = self._sum(self._quantity(i.id) for i in items if i.kind not in ("hours", "standin"))
        standins = self._sum(self._quantity(i.id) for i in items if i.kind == "standin")
        return [h * rate + pk + s for h, pk, s in zip(self.hours(), purchases, standins)]


# ----------------------------------------------------------------------------- running costs


@dataclass(frozen=True)
class RunningLine:
    id: str
    label: str
    kind: str
    unit: str
    hours: float
    purchase_kr: float
    kr: float


@dataclass(frozen=True)
class Running:
    """Running costs (drift) per year once `staff` health personnel use kjernejournal; e-ID renewal as
    its average per year (the budget years book each renewal in the year it falls due)."""

    lines: tuple[RunningLine, ...]
    total_hours: float
    total_purchase_kr: float
    total_kr: float


RENEWAL_AVERAGE = N_("Fornyelse av e-ID ({eid}), i snitt per år")
KR_PER_YEAR = N_("kr per år")


def running_cost(est: Estimates, staff: int, p: Params) -> Running:
    """e-ID renewal as a yearly average, plus the note's unpriced running items as entered."""
    active = staff > 0
    renewal_kr = staff * p.eid_kr_per_person / p.renewal_years if active else 0.0
    lines = [RunningLine("eid_renewal", tr(RENEWAL_AVERAGE, p.malform, eid=choice_label(est, "eid", p.eid, p.malform)),
                         "purchase", tr(KR_PER_YEAR, p.malform), 0.0, renewal_kr, renewal_kr)]
    for r in est.running:
        value = getattr(p, r.id) if active else 0.0
        label, unit = est.text_in(r.label, p.malform), est.text_in(r.unit, p.malform)
        if r.kind == "hours":
            lines.append(RunningLine(r.id, label, r.kind, unit, value, 0.0, value * p.hourly_rate))
        else:
            lines.append(RunningLine(r.id, label, r.kind, unit, 0.0, value, value))
    hours = sum(x.hours for x in lines)
    purchase = sum(x.purchase_kr for x in lines)
    return Running(tuple(lines), hours, purchase, hours * p.hourly_rate + purchase)


def renewal_due(step_year: int, year: int, interval: float) -> bool:
    """Cards bought in `step_year` are renewed in step_year + interval, + 2 × interval, …
    Workbook twin: (year > start) × (MOD(year − start; interval) = 0)."""
    return year > step_year and (year - step_year) % int(interval) == 0


# ----------------------------------------------------------------------------- benefits


@dataclass(frozen=True)
class Benefit:
    """Time saved per year, in hours and in kroner (freed time, not cash)."""

    short_term_hours: float
    home_care_hours: float
    hours: float
    kr: float


def benefit(est: Estimates, p: Params, short_term_factor: float = 1.0, home_care_factor: float = 1.0) -> Benefit:
    """Minutes saved on a share of the admissions; each part scaled by how much of its groups is live."""
    st = p.admissions_short_term * p.share_short_term * p.minutes_saved / MINUTES_PER_HOUR * short_term_factor
    hc = p.admissions_home_care * p.share_home_care * p.minutes_saved / MINUTES_PER_HOUR * home_care_factor
    hours = st + hc
    return Benefit(st, hc, hours, hours * p.hourly_rate)


# The note's gains in quality (bokmål message ids: quality_gains(målform) gives them in a målform).
QUALITY_GAINS = (
    N_("Kritisk informasjon (allergier, alvorlige sykdommer, implantater) er tilgjengelig når pasienten tas imot."),
    N_("Legemiddellisten fra reseptformidleren gir et bedre grunnlag for legemiddelsamstemming: færre feil i "
       "legemiddelbruken og bedre pasientsikkerhet."),
    N_("Mindre tid brukt på å hente opplysninger fra fastlege, sykehus og apotek ved mottak, også utenom "
       "kontortid."),
)


def quality_gains(malform: str = DEFAULT_MALFORM) -> tuple[str, ...]:
    """QUALITY_GAINS in `malform`."""
    return tuple(tr(text, malform) for text in QUALITY_GAINS)


# ----------------------------------------------------------------------------- the budget


@dataclass(frozen=True)
class YearResult:
    """One budget year: the one-off cost of the personnel added that year, renewals that fall due,
    running costs and benefits of everyone live by then. All kroner in the budget year's prices."""

    year: int
    staff_new: int
    staff_total: int
    item_hours: dict[str, float]
    item_kr: dict[str, float]
    one_off_hours: float
    one_off_purchase_kr: float
    one_off_standin_kr: float
    one_off_kr: float
    eid_cards_kr: float
    eid_readers_kr: float
    renewal_kr: float
    running_purchase_kr: float  # running purchases other than renewals (maintenance)
    running_hours: float
    running_kr: float  # renewals + running purchases + running hours × hourly cost
    benefit_hours: float
    benefit_kr: float
    hourly_rate: float = 0.0

    @property
    def cash_kr(self) -> float:
        """New money the year needs: purchases, stand-ins, renewals, running purchases."""
        return self.one_off_purchase_kr + self.one_off_standin_kr + self.renewal_kr + self.running_purchase_kr

    @property
    def internal_hours(self) -> float:
        return self.one_off_hours + self.running_hours

    @property
    def internal_kr(self) -> float:
        """The value of the internal hours: time of staff already paid for, not new money."""
        return self.internal_hours * self.hourly_rate


@dataclass(frozen=True)
class CashLine:
    """A line of new money per budget year, with its KOSTRA art and how it splits on functions."""

    id: str
    label: str
    art: str
    allocation: str  # added (personnel added that year) | all (all steps) | live (live by then) | steps
    years: tuple[float, ...]
    by_function: tuple[tuple[float, ...], ...]  # [year][function] in est.function_codes order


@dataclass(frozen=True)
class AccountingLine:
    """One row of Budsjettlinjer: year × KOSTRA function × art, in kr and 1 000 kr."""

    year: int
    function: str
    art: str
    kr: float
    text: str

    @property
    def thousand_kr(self) -> float:
        return excel_round(self.kr / 1000)


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    status: str
    message: str


@dataclass(frozen=True)
class Budget:
    estimates_version: str
    inputs: Inputs
    params: Params
    one_off: OneOff
    running: Running
    benefit: Benefit
    years: tuple[YearResult, ...]
    hours_returned_years: float | None
    cash_lines: tuple[CashLine, ...]
    accounting_lines: tuple[AccountingLine, ...]
    ranges: Ranges
    checks: tuple[Check, ...] = field(default=())

    @property
    def total_staff(self) -> int:
        return self.one_off.staff

    @property
    def master_check(self) -> str:
        return worst(c.status for c in self.checks)

    @property
    def master_message(self) -> str:
        return master_message(self.checks, self.params.malform)

    @property
    def cash_total_kr(self) -> float:
        """New money over the four budget years."""
        return sum(y.cash_kr for y in self.years)

    def check(self, check_id: str) -> Check:
        return next(c for c in self.checks if c.id == check_id)


def master_message(checks: tuple[Check, ...], malform: str = DEFAULT_MALFORM) -> str:
    """The master check as a sentence (MASTER_MESSAGES), in `malform`: the worst status (vocabulary.worst)
    decides which."""
    errors = sum(c.status == ERROR for c in checks)
    notes = sum(c.status == NOTE for c in checks)
    noun = tr(NOTE_ONE if notes == 1 else NOTE_MANY, malform)
    return tr(MASTER_MESSAGES[worst(c.status for c in checks)], malform, errors=errors, notes=notes, noun=noun)


def step_year(step: Step, p: Params) -> int:
    return step.year if step.year is not None else p.first_year


def step_function(est: Estimates, step: Step) -> str:
    """The KOSTRA function a step's costs are booked on: its group's, or the default without a group."""
    return est.group(parse_group(est, step.group)).function if step.group else est.accounting.default_function


def _cumulative(steps: tuple[Step, ...], p: Params, year: int, groups: set[str] | None = None) -> int:
    return sum(s.staff for s in steps if step_year(s, p) <= year and (groups is None or s.group in groups))


def _shares(est: Estimates, weights: dict[str, int]) -> tuple[float, ...]:
    """Each function's share of the personnel in `weights`; all to the default function when none."""
    total = sum(weights.values())
    if total == 0:
        return tuple(1.0 if f == est.accounting.default_function else 0.0 for f in est.function_codes)
    return tuple(weights.get(f, 0) / total for f in est.function_codes)


def _weights(est: Estimates, steps: Iterable[Step]) -> dict[str, int]:
    """The personnel of `steps` per KOSTRA function."""
    out: dict[str, int] = {}
    for s in steps:
        f = step_function(est, s)
        out[f] = out.get(f, 0) + s.staff
    return out


def budget(est: Estimates, inputs: Inputs, today: _dt.date | None = None) -> Budget:
    """The whole budget: one-off cost, running costs, benefits, per budget year and in total."""
    p = resolve(est, inputs, today)
    steps = tuple(s for s in inputs.steps if s.staff > 0)
    total = sum(s.staff for s in steps)
    total_one_off = _one_off(est, total, p, with_vendor=True)
    run = running_cost(est, total, p)
    short_groups = {g.id for g in est.groups if g.benefit == "short_term"}
    home_groups = {g.id for g in est.groups if g.benefit == "home_care"}
    total_short = _cumulative(steps, p, YEAR_MAX, short_groups)
    total_home = _cumulative(steps, p, YEAR_MAX, home_groups)
    full_benefit = benefit(est, p, 1.0 if total_short else 0.0, 1.0 if total_home else 0.0)
    vendor_year = min((step_year(s, p) for s in steps), default=None)
    kinds = {i.id: i.kind for i in est.items}

    years = []
    at: dict[int, OneOff] = {}  # the one-off cost for so many personnel (a year's "before" is the last one's "now")
    for y in p.years:
        before, now = _cumulative(steps, p, y - 1), _cumulative(steps, p, y)
        for n in (before, now):
            if n not in at:
                at[n] = _one_off(est, n, p, with_vendor=False)
        prev, cur = at[before], at[now]
        item_hours = {a.id: b.hours - a.hours for a, b in zip(prev.items, cur.items)}
        item_kr = {a.id: b.kr - a.kr for a, b in zip(prev.items, cur.items)}
        if y == vendor_year and p.vendor_module_kr is not None:
            item_kr["vendor_module"] = p.vendor_module_kr
        hours = sum(item_hours.values())
        purchase = sum(kr for item_id, kr in item_kr.items() if kinds[item_id] == "purchase")
        standin = sum(kr for item_id, kr in item_kr.items() if kinds[item_id] == "standin")
        short = _cumulative(steps, p, y, short_groups) / total_short if total_short else 0.0
        home = _cumulative(steps, p, y, home_groups) / total_home if total_home else 0.0
        ben = benefit(est, p, short, home)
        due = sum(s.staff for s in steps if renewal_due(step_year(s, p), y, p.renewal_years))
        renewal = due * p.eid_kr_per_person
        live = running_cost(est, now, p)
        run_purchase = sum(ln.purchase_kr for ln in live.lines if ln.id != "eid_renewal")
        run_hours = live.total_hours
        years.append(YearResult(
            year=y, staff_new=now - before, staff_total=now, item_hours=item_hours, item_kr=item_kr,
            one_off_hours=hours, one_off_purchase_kr=purchase, one_off_standin_kr=standin,
            one_off_kr=sum(item_kr.values()), eid_cards_kr=cur.eid_cards_kr - prev.eid_cards_kr,
            eid_readers_kr=cur.eid_readers_kr - prev.eid_readers_kr, renewal_kr=renewal,
            running_purchase_kr=run_purchase, running_hours=run_hours,
            running_kr=renewal + run_purchase + run_hours * p.hourly_rate,
            benefit_hours=ben.hours, benefit_kr=ben.kr, hourly_rate=p.hourly_rate,
        ))
    spare_hours = full_benefit.hours - run.total_hours
    returned = total_one_off.total_hours / spare_hours if spare_hours > 0 and total_one_off.total_hours > 0 else None
    cash = cash_lines(est, p, steps, tuple(years), vendor_year)
    result = Budget(est.version, inputs, p, total_one_off, run, full_benefit, tuple(years), returned, cash,
                    accounting_lines(est, p, cash), ranges(est, p, total_one_off, tuple(years)))
    return replace(result, checks=checks(est, inputs, result))


# ----------------------------------------------------------------------------- the range (successive principle)


SUCCESSIVE_WEIGHT, SUCCESSIVE_DIVISOR = 3, 5  # Lichtenberg: mean = (L + 3·M + H) / 5, sd = (H − L) / 5


@dataclass(frozen=True)
class Spread:
    """One item's triple estimate (low, likely, high) and what the successive principle makes of it."""

    id: str
    likely: float
    low_share: float
    high_share: float

    @property
    def low(self) -> float:
        return self.likely * (1 + self.low_share)

    @property
    def high(self) -> float:
        return self.likely * (1 + self.high_share)

    @property
    def mean(self) -> float:
        """(L + 3·likely + H) / 5 (Lichtenberg). Workbook twin: (L+3*M+H)/5."""
        return (self.low + SUCCESSIVE_WEIGHT * self.likely + self.high) / SUCCESSIVE_DIVISOR

    @property
    def sd(self) -> float:
        """(H − L) / 5."""
        return (self.high - self.low) / SUCCESSIVE_DIVISOR


@dataclass(frozen=True)
class Range:
    """A cost as a range: the likely figure, the mean and standard deviation of its items' sum (independent
    items), P50 = the mean (the steering frame) and P85 = mean + z × sd (the cost frame)."""

    likely: float
    mean: float
    sd: float
    p50: float
    p85: float
    spreads: tuple[Spread, ...] = ()

    @property
    def reserve(self) -> float:
        """The uncertainty reserve (usikkerhetsavsetning): P85 − P50."""
        return self.p85 - self.p50


def successive(spreads: tuple[Spread, ...], z: float) -> Range:
    """The total of independent items: means add up, variances add up. Workbook twin: SUM of the means,
    SQRT(SUMSQ of the standard deviations), mean + z × sd."""
    mean = sum(sp.mean for sp in spreads)
    sd = math.sqrt(sum(sp.sd ** 2 for sp in spreads))
    return Range(sum(sp.likely for sp in spreads), mean, sd, mean, mean + z * sd, spreads)


def item_shares(est: Estimates, p: Params, range_id: str) -> tuple[float, float]:
    """The (low, high) shares of an item, a running item or a renewal, × the chosen level's factor; a low
    share never below −1 (nothing costs less than 0). Workbook twin: MAX(-1; share × factor)."""
    if range_id == "eid_renewal":
        range_id = "eid"
    source = est.item(range_id) if est.has_item(range_id) else est.running_item(range_id)
    f = p.uncertainty_factor
    return max(-1.0, source.low_share * f), source.high_share * f


def one_off_range(est: Estimates, o: OneOff, p: Params) -> Range:
    """The range of a one-off total (what `cost --json` and KJ_RANGE give): each line item a triple."""
    return successive(tuple(Spread(i.id, i.kr, *item_shares(est, p, i.id)) for i in o.items),
                      est.uncertainty.p85_z.value)


def cash_range_ids(est: Estimates) -> tuple[str, ...]:
    """The items of new money, in the order the Usikkerhet sheet shows them."""
    return (*(i.id for i in est.items if i.kind != "hours"), "eid_renewal",
            *(r.id for r in est.running if r.kind == "purchase"))


def internal_range_ids(est: Estimates) -> tuple[str, ...]:
    """The items of internal hours (their value in kr), in order."""
    return (*(i.id for i in est.items if i.kind == "hours"), *(r.id for r in est.running if r.kind == "hours"))


def _year_likely(est: Estimates, y: YearResult, range_id: str, p: Params) -> float:
    if range_id == "eid_renewal":
        return y.renewal_kr
    if range_id in y.item_kr:
        return y.item_kr[range_id]
    r = est.running_item(range_id)
    active = y.staff_total > 0
    value = getattr(p, r.id) if active else 0.0
    return value * p.hourly_rate if r.kind == "hours" else value


@dataclass(frozen=True)
class Ranges:
    """The budget's ranges: the one-off total, and new money and internal resources per year and in all."""

    one_off: Range
    cash_years: tuple[Range, ...]
    cash_total: Range
    internal_years: tuple[Range, ...]
    internal_total: Range


def ranges(est: Estimates, p: Params, total: OneOff, years: tuple[YearResult, ...]) -> Ranges:
    z = est.uncertainty.p85_z.value

    def spread(range_id: str, likely: float) -> Spread:
        return Spread(range_id, likely, *item_shares(est, p, range_id))

    one_off = one_off_range(est, total, p)
    scopes = {}
    for scope, ids in (("cash", cash_range_ids(est)), ("internal", internal_range_ids(est))):
        per_year = tuple(successive(tuple(spread(rid, _year_likely(est, y, rid, p)) for rid in ids), z) for y in years)
        # in all: each item over the four years is one item (its years move together), items are independent
        in_all = successive(tuple(spread(rid, sum(r.spreads[k].likely for r in per_year))
                                  for k, rid in enumerate(ids)), z)
        scopes[scope] = (per_year, in_all)
    return Ranges(one_off, scopes["cash"][0], scopes["cash"][1], scopes["internal"][0], scopes["internal"][1])


# ----------------------------------------------------------------------------- accounting (Budsjettlinjer)


# The labels of the lines of new money that split an item (placeholder: item, the item's label) and of the
# renewals; and the text of a budget line (placeholder: lines, the labels of the lines booked on its art,
# joined with «; »).
CASH_LINE_LABELS = {
    "eid_cards": N_("{item}: kort"), "eid_readers": N_("{item}: kortlesere"), "standin_pay": N_("{item}: lønn"),
    "standin_pension": N_("{item}: pensjon"), "standin_employer_tax": N_("{item}: arbeidsgiveravgift"),
    "eid_renewal": N_("Fornyelse av e-ID"),
}
ACCOUNTING_TEXT = N_("Kjernejournal: {lines}")


def cash_line_specs(est: Estimates, malform: str = DEFAULT_MALFORM) -> tuple[tuple[str, str, str, str], ...]:
    """(id, label, KOSTRA art, allocation) of every line of new money, in the order shown; the labels in
    `malform`."""
    specs: list[tuple[str, str, str, str]] = []

    def split(line_id: str, item: Item) -> str:
        return tr(CASH_LINE_LABELS[line_id], malform, item=est.text_in(item.label, malform))

    for item in est.items:
        if item.id == "eid":
            specs.append(("eid_cards", split("eid_cards", item), item.art, "added"))
            specs.append(("eid_readers", split("eid_readers", item), item.art_readers, "added"))
        elif item.id == "standin":
            arts = est.accounting.standin_arts
            for part in ("pay", "pension", "employer_tax"):
                specs.append((f"standin_{part}", split(f"standin_{part}", item), arts[part], "added"))
        elif item.kind == "purchase":
            specs.append((item.id, est.text_in(item.label, malform), item.art,
                          "all" if item.id == "vendor_module" else "added"))
    specs.append(("eid_renewal", tr(CASH_LINE_LABELS["eid_renewal"], malform), est.item("eid").art, "steps"))
    for r in est.running:
        if r.kind == "purchase":
            specs.append((r.id, est.text_in(r.label, malform), r.art, "live"))
    return tuple(specs)


def cash_lines(est: Estimates, p: Params, steps: tuple[Step, ...], years: tuple[YearResult, ...],
               vendor_year: int | None) -> tuple[CashLine, ...]:
    """Every line of new money per budget year, split on KOSTRA functions by the steps' groups."""
    standin_share = p.hourly.shares
    out = []
    for line_id, label, art, allocation in cash_line_specs(est, p.malform):
        values: list[float] = []
        split: list[tuple[float, ...]] = []
        for y in years:
            if line_id == "eid_cards":
                v = y.eid_cards_kr
            elif line_id == "eid_readers":
                v = y.eid_readers_kr
            elif line_id.startswith("standin_"):
                v = y.item_kr["standin"] * standin_share[line_id.removeprefix("standin_")]
            elif line_id == "eid_renewal":
                v = y.renewal_kr
            elif line_id in y.item_kr:
                v = y.item_kr[line_id]
            else:
                v = p.maintenance_kr_per_year if y.staff_total > 0 and line_id == "maintenance_kr_per_year" else 0.0
            if allocation == "steps":
                by_f = _weights(est, (s for s in steps if renewal_due(step_year(s, p), y.year, p.renewal_years)))
                row = tuple(p.eid_kr_per_person * by_f.get(f, 0) for f in est.function_codes)
            else:
                if allocation == "added":
                    w = _weights(est, (s for s in steps if step_year(s, p) == y.year))
                elif allocation == "all":
                    w = _weights(est, steps)
                else:
                    w = _weights(est, (s for s in steps if step_year(s, p) <= y.year))
                row = tuple(v * share for share in _shares(est, w))
            values.append(v)
            split.append(row)
        out.append(CashLine(line_id, label, art, allocation, tuple(values), tuple(split)))
    return tuple(out)


def accounting_arts(est: Estimates) -> tuple[str, ...]:
    """The KOSTRA arts the budget lines use, in the order of the cash lines."""
    return tuple(accounting_texts(est))


def accounting_texts(est: Estimates, malform: str = DEFAULT_MALFORM) -> dict[str, str]:
    """The text of each art's budget line, in the order of the cash lines: what is booked on the art
    (ACCOUNTING_TEXT), in `malform`."""
    labels: dict[str, list[str]] = {}
    for _, label, art, _ in cash_line_specs(est, malform):
        labels.setdefault(art, []).append(label)
    return {art: tr(ACCOUNTING_TEXT, malform, lines="; ".join(texts)) for art, texts in labels.items()}


def accounting_text(est: Estimates, art: str, malform: str = DEFAULT_MALFORM) -> str:
    """The text of a budget line: what is booked on the art (ACCOUNTING_TEXT), in `malform`."""
    return accounting_texts(est, malform)[art]


def accounting_lines(est: Estimates, p: Params, cash: tuple[CashLine, ...]) -> tuple[AccountingLine, ...]:
    """One line per budget year × function × art (zeros included, in a fixed order)."""
    out = []
    texts = accounting_texts(est, p.malform)
    on_art = {art: [c for c in cash if c.art == art] for art in texts}
    for k, y in enumerate(p.years):
        for fi, f in enumerate(est.function_codes):
            for art, text in texts.items():
                kr = sum(c.by_function[k][fi] for c in on_art[art])
                out.append(AccountingLine(y, f, art, kr, text))
    return tuple(out)


# ----------------------------------------------------------------------------- checks (Kontroll)

def _or(items: list[str], malform: str = DEFAULT_MALFORM) -> str:
    """'a, b eller c'."""
    return nb_list(items, OR, malform)


def check_values(est: Estimates, p: Params, total_staff: int) -> dict[str, Any]:
    """The values the check messages' placeholders name (CHECK_MESSAGES)."""
    lo, hi = est.size_range
    acc = est.accounting
    return {
        "staff": total_staff, "low": lo, "high": hi, "groups": _or([g.id for g in est.groups], p.malform),
        "first": p.first_year, "last": p.last_year, "last_published": est.deflator.last_year,
        "eid": choice_label(est, "eid", p.eid, p.malform), "threshold": nb_kr(acc.investment_threshold_kr.value),
        "life": f"{acc.investment_min_life_years.value:g}",
        "short": "/".join(g.id for g in est.groups if g.benefit == "short_term"),
        "home": "/".join(g.id for g in est.groups if g.benefit == "home_care"),
    }


def check_message(check_id: str, est: Estimates, p: Params, total_staff: int) -> str:
    """The message a failing check shows, in the budget's målform (the workbook builds the same text)."""
    return tr(CHECK_MESSAGES[check_id], p.malform, **check_values(est, p, total_staff))


def investment_candidates(est: Estimates, b: Budget) -> list[tuple[str, int, float]]:
    """(line, year, kr incl. mva) of purchases that meet KRS 4's threshold: a single acquisition of at
    least the threshold including mva, with an economic life of at least the minimum. e-ID is judged by
    the unit (a card, a reader), the other purchases by the year's amount."""
    acc = est.accounting
    factor = 1 + acc.mva_share.value
    out = []
    for item in est.items:
        if item.kind != "purchase" or item.life_years < acc.investment_min_life_years.value:
            continue
        if item.id == "eid":
            for price in (b.params.eid_kr_per_person, b.params.reader_kr):
                if price * factor >= acc.investment_threshold_kr.value:
                    out.append((item.id, b.params.first_year, price * factor))
            continue
        for y in b.years:
            kr = y.item_kr.get(item.id, 0.0)
            if kr * factor >= acc.investment_threshold_kr.value:
                out.append((item.id, y.year, kr * factor))
    return out


def checks(est: Estimates, inputs: Inputs, b: Budget) -> tuple[Check, ...]:
    """Each check with its status; the workbook's Kontroll sheet computes the same."""
    from workbook_builder.core.followup import ABOVE, follow_up  # kj:embed-skip  (it builds on this module)

    p = b.params
    total = b.one_off.staff
    short_groups = {g.id for g in est.groups if g.benefit == "short_term"}
    home_groups = {g.id for g in est.groups if g.benefit == "home_care"}
    staff_by = lambda groups: sum(s.staff for s in inputs.steps if s.group in groups)  # noqa: E731
    incomplete = any((s.staff > 0) != (s.group is not None) for s in inputs.steps)
    years_sum = sum(y.one_off_kr for y in b.years)
    lines_sum = sum(a.kr for a in b.accounting_lines)
    running_blank = all(getattr(inputs, r.id) is None for r in est.running)
    vendor_other = inputs.vendor is not None and est.vendor(parse_vendor(est, inputs.vendor)).other
    failing = {
        "staff": total == 0,
        "steps": incomplete,
        "inputs": bool(inputs.invalid),
        "years": not same_amount(years_sum, b.one_off.total_kr),
        "lines": not same_amount(lines_sum, b.cash_total_kr),
        "basis": b.one_off.outside_basis,
        "vendor": inputs.vendor is None or (vendor_other and not inputs.vendor_other.strip()),
        "vendor_price": p.vendor_module_kr is None,
        "eid_price": p.eid_kr_per_person == 0,
        "eid_current": bool(est.eid_option(p.eid).phased_out),
        "price_level": p.first_year > est.deflator.last_year,
        "investment": bool(investment_candidates(est, b)),
        "running": running_blank,
        "benefits": p.admissions_short_term + p.admissions_home_care == 0,
        "benefit_groups": (p.admissions_short_term > 0 and staff_by(short_groups) == 0)
        or (p.admissions_home_care > 0 and staff_by(home_groups) == 0),
        "followup": any(d.status == ABOVE for d in follow_up(est, b, inputs.actuals)) if inputs.actuals else False,
    }
    out = []
    for cid, (severity, title, _) in CHECKS.items():
        fails = failing[cid]
        out.append(Check(cid, tr(title, p.malform), severity if fails else OK,
                         check_message(cid, est, p, total) if fails else tr(CHECK_OK_MESSAGE, p.malform)))
    return tuple(out)
