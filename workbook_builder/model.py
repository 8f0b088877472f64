"""The kj-budget cost model: one implementation that the workbook, the Excel functions and
the reports all call.

Standard library only (it is embedded whole in the ``main.py`` that xlwings Lite runs).
Every rule here has a twin formula in the workbook; the order of arithmetic is kept the
same as in those formulas, and rounding follows Excel's ROUND / ROUNDUP (half away from
zero, on the 15 significant digits a spreadsheet shows), so both give the same krone.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .estimates import Estimates  # kj:embed-skip

PLAN_YEARS = 4  # an økonomiplan covers four budget years
MINUTES_PER_HOUR = 60
OK, NOTE, ERROR = "OK", "Merknad", "Feil"
_SEVERITY = {OK: 0, NOTE: 1, ERROR: 2}


class InputError(ValueError):
    """A bad input, with the message in English (command line) and bokmål (workbook, UDFs)."""

    def __init__(self, field: str, en: str, nb: str) -> None:
        self.field, self.en, self.nb = field, en, nb
        super().__init__(en)


# ----------------------------------------------------------------------------- arithmetic


def _decimal15(x: float) -> Decimal:
    return Decimal(f"{x:.15g}")


def excel_round(x: float, digits: int = 0) -> float:
    """ROUND(x; digits) as Excel and LibreOffice compute it (half away from zero)."""
    if digits == 0:  # the common case, without Decimal: the 15-digit value, then half away from zero
        y = float(f"{x:.15g}")
        return float(math.copysign(math.floor(abs(y) + 0.5), y)) if abs(y) < 2**52 else y
    q = Decimal(1).scaleb(-digits)
    return float(_decimal15(x).quantize(q, rounding=ROUND_HALF_UP))


def excel_roundup(x: float) -> int:
    """ROUNDUP(x; 0) for x >= 0: a count that is whole in 15 digits is not rounded up."""
    return math.ceil(float(f"{x:.15g}"))


def segment(sizes: tuple[float, ...], staff: float) -> int:
    """Index of the reference segment used for `staff`: the one it lies in, or the nearest one.

    Workbook twin: MIN(n-1; IFERROR(MATCH(staff; sizes; 1); 1)) (1-based).
    """
    i = 0
    for j, s in enumerate(sizes):
        if s <= staff:
            i = j
    return min(i, len(sizes) - 2)


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


def _norm(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _choose(options: Any, text: Any, field: str, what_en: str, what_nb: str, by_parts: bool = False) -> str:
    """The id of the option whose id or label (any case, spacing or punctuation) is `text`; with
    `by_parts`, also a part of the label, e.g. `Gerica` or `Visma` for `Visma (Profil)`."""
    choices = {}
    for o in options:
        names = [o.id, o.label]
        if by_parts:
            names += [part for part in o.label.replace(")", "").split("(") if part.strip()]
        choices.update({_norm(name): o.id for name in names})
    labels = "; ".join(o.label for o in options)
    hint_en = f"(use one of: {', '.join(o.id.replace('_', '-') for o in options)}, or {labels})"
    if not isinstance(text, str) or not text.strip():
        raise InputError(field, f"{what_en} is missing {hint_en}", f"{what_nb} mangler: bruk {labels}")
    found = choices.get(_norm(text))
    if found is None:
        raise InputError(field, f"unknown {what_en} {text!r} {hint_en}", f"ukjent {what_nb} «{text}»: bruk {labels}")
    return found


def parse_eid(est: Estimates, text: Any) -> str:
    """An e-ID option id from its id (`pki`, `bankid-mobil`) or the workbook's label, any case."""
    return _choose(est.eid_options, text, "eid", "e-ID", "e-ID")


def parse_vendor(est: Estimates, text: Any) -> str:
    """An EPJ vendor id from its id, its label or the product or company name in it."""
    return _choose(est.vendors, text, "vendor", "EPJ vendor", "EPJ-leverandør", by_parts=True)


def parse_group(est: Estimates, text: Any) -> str:
    """A rollout group id from its letter or its label."""
    return _choose(est.groups, text, "group", "rollout group", "gruppe")


_GROUP = "[ \u00a0\u202f\u2009]"  # space, no-break space, narrow no-break space, thin space
# Norwegian number text: 1234 | 1 234 | 1 234,5 | -12,75 | −5 | 400,- ; digit groups of exactly three.
_NB_NUMBER = re.compile(rf"([+\-\u2212]?)(\d{{1,3}}(?:{_GROUP}\d{{3}})+|\d+)(,\d+)?")
# One to three digits (not a lone 0), then groups of three after a point or a comma: 1.000, 1,000, 12,500,
# 1,000,000. A thousand in English or German, or a decimal number in Norwegian: refused as ambiguous.
_POINT_GROUPS = re.compile(r"[+\-\u2212]?\d{1,3}(?:\.\d{3})+")
_COMMA_GROUPS = re.compile(r"[+\-\u2212]?(?!0,)\d{1,3}(?:,\d{3})+")
_POINT_DECIMAL = re.compile(r"[+\-\u2212]?\d+\.\d+")


def number_from_text(text: str, field: str, what_nb: str, decimal_point: bool = False) -> float | None:
    """A number typed as text the Norwegian way ('1 234', '612,5', '400,-', '−5'), or None when the
    text is no number at all. The one number rule (the command line, CSV files, filled workbooks and the
    Excel functions all call it): a point or a comma between groups of three digits ('1.000', '1,000': a
    thousand, or one?) is refused as ambiguous; any other decimal point ('612.5') is accepted only with
    `decimal_point`."""
    t = text.strip()
    t = t[:-2].rstrip() if t.endswith(",-") else t
    for pattern, sep in ((_POINT_GROUPS, "."), (_COMMA_GROUPS, ",")):
        if pattern.fullmatch(t):
            whole = t.replace(sep, "")
            name = "point" if sep == "." else "comma"
            nb = (f"{what_nb}: skriv tallet med desimalkomma, ikke punktum (fikk «{text}»)" if sep == "." else
                  f"{what_nb}: «{text}» er tvetydig (tusen, eller et desimaltall?): skriv {whole} for tusen, eller "
                  "bruk færre eller flere enn tre desimaler")
            raise InputError(field, f"{text!r} is ambiguous (a {name} before a group of three digits: a thousand, or "
                                    f"a decimal?): write {whole} for {_nb_grouped(whole)}, or a decimal comma with "
                                    "fewer or more than three decimals", nb)
    m = _NB_NUMBER.fullmatch(t)
    if m:
        sign, digits, decimals = m.groups()
        x = float(re.sub(_GROUP, "", digits) + ("." + decimals[1:] if decimals else ""))
        return -x if sign in ("-", "\u2212") else x
    if _POINT_DECIMAL.fullmatch(t):
        if decimal_point:
            return float(t.replace("\u2212", "-"))
        raise InputError(field, f"{text!r}: write the number with a decimal comma, not a point",
                         f"{what_nb}: skriv tallet med desimalkomma, ikke punktum (fikk «{text}»)")
    return None


def _nb_grouped(digits: str) -> str:
    d = digits.lstrip("+-\u2212")
    return f"{int(d):,}".replace(",", " ") if d.isdigit() else digits


def whole_number(value: Any, field: str, what_nb: str, minimum: int = 0, maximum: int | None = None) -> int:
    """A whole number from an int or a whole float; text, booleans and fractions are refused."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
        isinstance(value, float) and not math.isfinite(value)
    ):
        raise InputError(field, f"{field} must be a whole number, got {value!r}",
                         f"{what_nb} må være et heltall, fikk «{value}»")
    if isinstance(value, float) and not value.is_integer():
        raise InputError(field, f"{field} must be a whole number, got {value:g}",
                         f"{what_nb} må være et heltall, fikk {_nb_number(value)}")
    n = int(value)
    if n < minimum or (maximum is not None and n > maximum):
        rng = f"{minimum} to {maximum}" if maximum is not None else f"{minimum} or more"
        rng_nb = f"fra {minimum} til {maximum}" if maximum is not None else f"{minimum} eller mer"
        raise InputError(field, f"{field} must be {rng}, got {n}", f"{what_nb} må være {rng_nb}, fikk {n}")
    return n


def number(value: Any, field: str, what_nb: str, minimum: float = 0.0, maximum: float | None = None) -> float:
    """A finite number within bounds; text and booleans are refused."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(field, f"{field} must be a number, got {value!r}",
                         f"{what_nb} må være et tall, fikk «{value}»")
    x = float(value)
    if x < minimum or (maximum is not None and x > maximum):
        rng = f"{minimum:g} to {maximum:g}" if maximum is not None else f"{minimum:g} or more"
        rng_nb = (f"fra {_nb_number(minimum)} til {_nb_number(maximum)}" if maximum is not None
                  else f"{_nb_number(minimum)} eller mer")
        raise InputError(field, f"{field} must be {rng}, got {x:g}",
                         f"{what_nb} må være {rng_nb}, fikk {_nb_number(x)}")
    return x


def _nb_number(x: float) -> str:
    return f"{x:g}".replace(".", ",")


# ----------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class Parameter:
    """A numeric input: blank means the estimates' default. The workbook, the reader of filled
    workbooks and the Excel functions all validate against these bounds."""

    name: str
    label: str
    unit: str
    minimum: float
    maximum: float
    whole: bool
    help: str
    default: Callable[[Estimates, str], float | None]
    percent: bool = False


def hourly_rate_derivation(est: Estimates) -> dict[str, float]:
    """The default kr per internal hour, derived in the open from public figures.

    Each step is one row (and one formula) on the Estimater sheet.
    """
    f = {k: v.value for k, v in est.hourly_rate.items()}
    weeks_worked = f["weeks_per_year"] - f["vacation_weeks"]
    pay = f["annual_earnings_kr"] * (weeks_worked / f["weeks_per_year"] + f["holiday_pay_share"])
    cost = pay * (1 + f["pension_share"]) * (1 + f["employer_tax_share"])
    hours = f["hours_per_week"] * weeks_worked
    raw = cost / hours
    return {"weeks_worked": weeks_worked, "pay_kr": pay, "cost_kr": cost, "hours": hours,
            "raw_kr_per_hour": raw, "kr_per_hour": excel_round(raw)}


def default_hourly_rate(est: Estimates) -> float:
    return hourly_rate_derivation(est)["kr_per_hour"]


def _running_default(name: str) -> Callable[[Estimates, str], float]:
    return lambda est, eid: est.running_item(name).value


def _benefit_default(name: str) -> Callable[[Estimates, str], float]:
    return lambda est, eid: est.benefits[name].value


PARAMETERS: tuple[Parameter, ...] = (
    Parameter("hourly_rate", "Timekostnad for interne ressurser", "kr per time", 0, 10_000, False,
              "Kostnad per time for kommunens egne ansatte. Tom: standardverdien avledet på Estimater "
              "(KS-lønn for sykepleier + feriepenger + arbeidsgiveravgift).",
              lambda est, eid: default_hourly_rate(est)),
    Parameter("vendor_module_kr", "Pris for modul fra EPJ-leverandøren (HelseID og kjernejournal)", "kr", 0,
              100_000_000, False,
              "Engangspris fra valgt EPJ-leverandør. Notatet har ingen sum: spør leverandøren. "
              "Tom: mangler (ikke med i totalen, vises på Kontroll).",
              lambda est, eid: None),
    Parameter("eid_kr_per_person", "Pris for e-ID per person (PKI-kort: per kort)", "kr per person", 0, 100_000,
              False, "Tom: prisen for valgt e-ID på arket Estimater (kolonne D).",
              lambda est, eid: est.eid_option(eid).kr_per_person),
    Parameter("reader_kr", "Pris per kortleser (kun PKI-kort)", "kr per kortleser", 0, 100_000, False,
              "Tom: notatets pris (kolonne D).", lambda est, eid: est.reader_kr.value),
    Parameter("renewal_years", "Fornyelse av e-ID (PKI-kort) hvert", "år", 1, 20, True,
              "Hvor ofte e-ID må fornyes; gir en årlig driftskostnad. Tom: verdien på Estimater (kolonne D).",
              lambda est, eid: est.renewal_years.value),
    Parameter("maintenance_kr_per_year", "Teknisk vedlikehold og moduler", "kr per år", 0, 100_000_000, False,
              "Årlig beløp til leverandør. Notatet har ingen tall. Tom: verdien i kolonne D.",
              _running_default("maintenance_kr_per_year")),
    Parameter("national_share_kr_per_year", "Andel av nasjonale driftskostnader (NHNs prismodell)", "kr per år", 0,
              100_000_000, False, "Kommunens andel etter NHNs prismodell. Tom: verdien i kolonne D.",
              _running_default("national_share_kr_per_year")),
    Parameter("followup_hours_per_year", "Interne ressurser til oppfølging av endringer og gevinster",
              "timer per år", 0, 100_000, False, "Notatet har ingen tall. Tom: verdien i kolonne D.",
              _running_default("followup_hours_per_year")),
    Parameter("helseid_key_hours_per_year", "Fornyelse av HelseID-nøkkel", "timer per år", 0, 100_000, False,
              "Notatet har ingen tall. Tom: verdien i kolonne D.", _running_default("helseid_key_hours_per_year")),
    Parameter("admissions_short_term", "Pasientmottak per år på KAD/ØHD/intermediær- og korttidsavdelinger",
              "mottak per år", 0, 1_000_000, True, "Antall pasientmottak per år. Tom: 0 (ingen gevinst).",
              lambda est, eid: 0.0),
    Parameter("admissions_home_care", "Pasientmottak per år i hjemmetjenesten", "mottak per år", 0, 1_000_000,
              True, "Antall nye pasienter per år i hjemmetjenesten. Tom: 0 (ingen gevinst).",
              lambda est, eid: 0.0),
    Parameter("minutes_saved", "Minutter spart per pasientmottak", "minutter", 0, 600, False,
              "Tom: utprøvingskommunenes anslag i NHN-notatet (kolonne D).", _benefit_default("minutes_saved")),
    Parameter("share_short_term", "Andel av mottak med gevinst, korttidsavdelinger", "andel", 0, 1, False,
              "Tom: NHN-notatets andel for korttidsavdelinger (kolonne D).", _benefit_default("share_short_term"),
              percent=True),
    Parameter("share_home_care", "Andel av mottak med gevinst, hjemmetjenesten", "andel", 0, 1, False,
              "Tom: NHN-notatets andel for hjemmetjenesten (kolonne D).", _benefit_default("share_home_care"),
              percent=True),
)
PARAMETER_BY_NAME = {p.name: p for p in PARAMETERS}
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
class Inputs:
    """What a user enters. None means blank: the estimates' default is used."""

    steps: tuple[Step, ...] = ()
    eid: str | None = None
    municipality: str = ""
    municipality_number: str = ""
    vendor: str | None = None
    first_year: int | None = None
    hourly_rate: float | None = None
    vendor_module_kr: float | None = None
    eid_kr_per_person: float | None = None
    reader_kr: float | None = None
    renewal_years: float | None = None
    maintenance_kr_per_year: float | None = None
    national_share_kr_per_year: float | None = None
    followup_hours_per_year: float | None = None
    helseid_key_hours_per_year: float | None = None
    admissions_short_term: float | None = None
    admissions_home_care: float | None = None
    minutes_saved: float | None = None
    share_short_term: float | None = None
    share_home_care: float | None = None
    invalid: tuple[str, ...] = ()  # inputs a reader found invalid and left out (shown on Kontroll)

    @property
    def total_staff(self) -> int:
        return sum(s.staff for s in self.steps)


@dataclass(frozen=True)
class Params:
    """The values the model uses: each input, or its default where the input is blank."""

    eid: str
    first_year: int
    hourly_rate: float
    vendor_module_kr: float | None
    eid_kr_per_person: float
    reader_kr: float
    renewal_years: float
    maintenance_kr_per_year: float
    national_share_kr_per_year: float
    followup_hours_per_year: float
    helseid_key_hours_per_year: float
    admissions_short_term: float
    admissions_home_care: float
    minutes_saved: float
    share_short_term: float
    share_home_care: float

    @property
    def last_year(self) -> int:
        return self.first_year + PLAN_YEARS - 1

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first_year, self.first_year + PLAN_YEARS))


def default_first_year(today: _dt.date | None = None) -> int:
    """The first budget year when none is entered: next calendar year."""
    return (today or _dt.date.today()).year + 1


def resolve(est: Estimates, inputs: Inputs, today: _dt.date | None = None) -> Params:
    """Validate the inputs and fill each blank one with its default."""
    eid = parse_eid(est, inputs.eid) if inputs.eid is not None else est.eid_options[0].id
    values: dict[str, Any] = {}
    for p in PARAMETERS:
        raw = getattr(inputs, p.name)
        if raw is None:
            values[p.name] = p.default(est, eid)
        elif p.whole:
            values[p.name] = float(whole_number(raw, p.name, p.label, int(p.minimum), int(p.maximum)))
        else:
            values[p.name] = number(raw, p.name, p.label, p.minimum, p.maximum)
    first_year = (whole_number(inputs.first_year, "first_year", "Første budsjettår", YEAR_MIN, YEAR_MAX)
                  if inputs.first_year is not None else default_first_year(today))
    if inputs.vendor is not None:
        parse_vendor(est, inputs.vendor)
    for s in inputs.steps:
        whole_number(s.staff, "staff", "Antall helsepersonell", 0, STAFF_MAX)
        if s.group is not None:
            parse_group(est, s.group)
        if s.year is not None:
            whole_number(s.year, "year", "Startår", YEAR_MIN, YEAR_MAX)
    return Params(eid=eid, first_year=first_year, **values)


# ----------------------------------------------------------------------------- one-off cost


@dataclass(frozen=True)
class LineItem:
    id: str
    label: str
    track: str
    kind: str
    unit: str
    hours: float  # internal hours (0 for purchases)
    purchase_kr: float  # purchases in kr (0 for internal hours)
    kr: float  # hours × hourly cost, or the purchase


@dataclass(frozen=True)
class OneOff:
    """The one-off cost of a rollout to `staff` health personnel."""

    staff: int
    eid: str
    hourly_rate: float
    items: tuple[LineItem, ...]
    eid_cards: int
    eid_readers: int
    total_hours: float
    total_purchase_kr: float
    total_kr: float
    vendor_module_missing: bool
    outside_basis: bool
    estimates_version: str

    def item(self, item_id: str) -> LineItem:
        return next(i for i in self.items if i.id == item_id)


def eid_readers(est: Estimates, staff: int, eid: str) -> int:
    """Card readers: interpolated from 8 / 20 / 40, rounded up, never more than people."""
    if not est.eid_option(eid).readers or staff == 0:
        return 0
    return min(staff, excel_roundup(interpolate(est.sizes.values, est.readers.values, staff)))


def eid_cost(est: Estimates, staff: int, eid: str, kr_per_person: float | None = None,
             reader_kr: float | None = None) -> tuple[int, int, float]:
    """(cards or persons, readers, kr) for e-ID: one per person plus card readers."""
    per_person = est.eid_option(eid).kr_per_person if kr_per_person is None else kr_per_person
    per_reader = est.reader_kr.value if reader_kr is None else reader_kr
    readers = eid_readers(est, staff, eid)
    return staff, readers, staff * per_person + readers * per_reader


def item_quantity(est: Estimates, item_id: str, staff: int) -> float:
    """Hours or kr of an interpolated line item, rounded to whole hours / kroner."""
    item = est.item(item_id)
    assert item.values is not None
    return excel_round(interpolate(est.sizes.values, item.values, staff))


def _one_off(est: Estimates, staff: int, p: Params, with_vendor: bool) -> OneOff:
    items: list[LineItem] = []
    cards, readers = 0, 0
    for item in est.items:
        if item.id == "eid":
            cards, readers, qty = eid_cost(est, staff, p.eid, p.eid_kr_per_person, p.reader_kr)
        elif item.id == "vendor_module":
            qty = p.vendor_module_kr if (with_vendor and staff > 0 and p.vendor_module_kr is not None) else 0.0
        else:
            qty = item_quantity(est, item.id, staff)
        if item.kind == "hours":
            items.append(LineItem(item.id, item.label, item.track, item.kind, item.unit, qty, 0.0,
                                  qty * p.hourly_rate))
        else:
            items.append(LineItem(item.id, item.label, item.track, item.kind, item.unit, 0.0, qty, qty))
    total_hours = sum(i.hours for i in items)
    total_purchase = sum(i.purchase_kr for i in items)
    return OneOff(
        staff=staff, eid=p.eid, hourly_rate=p.hourly_rate, items=tuple(items), eid_cards=cards,
        eid_readers=readers, total_hours=total_hours, total_purchase_kr=total_purchase,
        total_kr=total_hours * p.hourly_rate + total_purchase,
        vendor_module_missing=p.vendor_module_kr is None, outside_basis=outside_basis(est, staff),
        estimates_version=est.version,
    )


def one_off_with(est: Estimates, staff: Any, params: Params, with_vendor: bool = True) -> OneOff:
    """The one-off breakdown with parameters already resolved: for many counts at the same prices
    (an Excel function over a range, the workbook's columns) the inputs are validated once. Without
    `with_vendor` the vendor module is left out (a cumulative column of the budget years)."""
    return _one_off(est, whole_number(staff, "staff", "Antall helsepersonell", 0, STAFF_MAX), params, with_vendor)


def one_off(est: Estimates, staff: Any, eid: Any = None, hourly_rate: float | None = None,
            vendor_module_kr: float | None = None, eid_kr_per_person: float | None = None,
            reader_kr: float | None = None) -> OneOff:
    """The one-off breakdown for a number of health personnel (what `kj-budget cost` prints)."""
    n = whole_number(staff, "staff", "Antall helsepersonell", 0, STAFF_MAX)
    p = resolve(est, Inputs(eid=eid, hourly_rate=hourly_rate, vendor_module_kr=vendor_module_kr,
                            eid_kr_per_person=eid_kr_per_person, reader_kr=reader_kr, first_year=YEAR_MIN))
    return _one_off(est, n, p, with_vendor=True)


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
    """Yearly running costs (drift) once `staff` health personnel use kjernejournal."""

    lines: tuple[RunningLine, ...]
    total_hours: float
    total_purchase_kr: float
    total_kr: float


def running_cost(est: Estimates, staff: int, p: Params) -> Running:
    """e-ID renewal spread over its interval, plus the note's unpriced running items as entered."""
    active = staff > 0
    renewal_kr = staff * p.eid_kr_per_person / p.renewal_years if active else 0.0
    lines = [RunningLine("eid_renewal", f"Fornyelse av e-ID ({est.eid_option(p.eid).label})", "purchase",
                         "kr per år", 0.0, renewal_kr, renewal_kr)]
    for r in est.running:
        value = getattr(p, r.id) if active else 0.0
        if r.kind == "hours":
            lines.append(RunningLine(r.id, r.label, r.kind, r.unit, value, 0.0, value * p.hourly_rate))
        else:
            lines.append(RunningLine(r.id, r.label, r.kind, r.unit, 0.0, value, value))
    hours = sum(x.hours for x in lines)
    purchase = sum(x.purchase_kr for x in lines)
    return Running(tuple(lines), hours, purchase, hours * p.hourly_rate + purchase)


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


# ----------------------------------------------------------------------------- the budget


@dataclass(frozen=True)
class YearResult:
    """One budget year: the one-off cost of the personnel added that year, running costs and
    benefits of everyone live by then."""

    year: int
    staff_new: int
    staff_total: int
    item_hours: dict[str, float]
    item_kr: dict[str, float]
    one_off_hours: float
    one_off_purchase_kr: float
    one_off_kr: float
    running_kr: float
    benefit_hours: float
    benefit_kr: float

    @property
    def net_kr(self) -> float:
        """Benefit minus all costs of the year."""
        return self.benefit_kr - self.one_off_kr - self.running_kr


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
    payback_years: float | None
    checks: tuple[Check, ...] = field(default=())

    @property
    def total_staff(self) -> int:
        return self.one_off.staff

    @property
    def master_check(self) -> str:
        return max((c.status for c in self.checks), key=_SEVERITY.__getitem__, default=OK)

    @property
    def master_message(self) -> str:
        return master_message(self.checks)

    def check(self, check_id: str) -> Check:
        return next(c for c in self.checks if c.id == check_id)


def master_message(checks: tuple[Check, ...]) -> str:
    errors = sum(c.status == ERROR for c in checks)
    notes = sum(c.status == NOTE for c in checks)
    noun = "merknad" if notes == 1 else "merknader"
    if errors:
        return f"Feil: {errors} feil og {notes} {noun}. Se arket Kontroll."
    if notes:
        return f"Merknad: {notes} {noun}. Se arket Kontroll."
    return "OK: alle kontroller er i orden."


def _step_year(step: Step, p: Params) -> int:
    return step.year if step.year is not None else p.first_year


def _cumulative(steps: tuple[Step, ...], p: Params, year: int, groups: set[str] | None = None) -> int:
    return sum(s.staff for s in steps if _step_year(s, p) <= year and (groups is None or s.group in groups))


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
    vendor_year = min((_step_year(s, p) for s in steps), default=None)

    years = []
    for y in p.years:
        before, now = _cumulative(steps, p, y - 1), _cumulative(steps, p, y)
        prev = _one_off(est, before, p, with_vendor=False)
        cur = _one_off(est, now, p, with_vendor=False)
        item_hours = {a.id: b.hours - a.hours for a, b in zip(prev.items, cur.items)}
        item_kr = {a.id: b.kr - a.kr for a, b in zip(prev.items, cur.items)}
        if y == vendor_year and p.vendor_module_kr is not None:
            item_kr["vendor_module"] = p.vendor_module_kr
        hours = sum(item_hours.values())
        purchase = sum(kr for item_id, kr in item_kr.items() if est.item(item_id).kind == "purchase")
        one_off_kr = sum(item_kr.values())
        short = _cumulative(steps, p, y, short_groups) / total_short if total_short else 0.0
        home = _cumulative(steps, p, y, home_groups) / total_home if total_home else 0.0
        ben = benefit(est, p, short, home)
        years.append(YearResult(
            year=y, staff_new=now - before, staff_total=now, item_hours=item_hours, item_kr=item_kr,
            one_off_hours=hours, one_off_purchase_kr=purchase, one_off_kr=one_off_kr,
            running_kr=running_cost(est, now, p).total_kr, benefit_hours=ben.hours, benefit_kr=ben.kr,
        ))
    net = full_benefit.kr - run.total_kr
    payback = total_one_off.total_kr / net if net > 0 and total > 0 else None
    result = Budget(est.version, inputs, p, total_one_off, run, full_benefit, tuple(years), payback)
    return replace(result, checks=checks(est, inputs, result))


# ----------------------------------------------------------------------------- checks (Kontroll)

CHECK_TITLES = {
    "staff": "Helsepersonell lagt inn",
    "steps": "Innføringstrinn komplette",
    "inputs": "Gyldige verdier på Inndata",
    "years": "Budsjettårene summerer til totalen",
    "basis": "Innenfor notatets estimatgrunnlag",
    "vendor": "EPJ-leverandør valgt",
    "vendor_price": "Pris for modul fra EPJ-leverandør",
    "eid_price": "Pris for valgt e-ID",
    "running": "Driftskostnader fylt inn",
    "benefits": "Pasientmottak for gevinst",
    "benefit_groups": "Gevinst og grupper henger sammen",
}
CHECK_OK_MESSAGE = "I orden."


def _or(items: list[str]) -> str:
    """'a, b eller c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} eller {items[-1]}"


def check_message(check_id: str, est: Estimates, p: Params, total_staff: int) -> str:
    """The Norwegian message a failing check shows (the workbook builds the same text)."""
    lo, hi = est.size_range
    ids = [g.id for g in est.groups]
    short = "/".join(g.id for g in est.groups if g.benefit == "short_term")
    home = "/".join(g.id for g in est.groups if g.benefit == "home_care")
    return {
        "staff": "Ingen helsepersonell er lagt inn: fyll inn antall i innføringstrinnene på Inndata.",
        "steps": f"Et innføringstrinn mangler gruppe ({_or(ids)}) eller antall helsepersonell.",
        "inputs": "En eller flere verdier på Inndata er ugyldige og er ikke brukt: rett de merkede feltene.",
        "years": (f"Budsjettårene summerer ikke til totalen: et trinn starter utenfor økonomiplanperioden "
                  f"{p.first_year}–{p.last_year}."),
        "basis": (f"{total_staff} helsepersonell er utenfor notatets estimatgrunnlag ({lo}–{hi}): "
                  f"tallene er forlenget lineært og er mer usikre."),
        "vendor": "EPJ-leverandør er ikke valgt.",
        "vendor_price": ("Pris for modul fra EPJ-leverandøren mangler: be leverandøren om pris "
                         "(modulen er ikke med i totalen)."),
        "eid_price": ("Valgt e-ID koster 0 kr per person: en antakelse, notatet har ingen pris. "
                      "Sjekk kommunens kostnad."),
        "running": "Driftskostnadene er ikke fylt inn (notatet har ingen tall): legg inn det kommunen venter.",
        "benefits": "Ingen pasientmottak er lagt inn: gevinsten blir 0.",
        "benefit_groups": ("Pasientmottak er lagt inn for en tjeneste uten innføringstrinn i tilhørende gruppe "
                           f"({short}: korttidsavdelinger, {home}: hjemmetjenesten): den gevinsten blir 0."),
    }[check_id]


def checks(est: Estimates, inputs: Inputs, b: Budget) -> tuple[Check, ...]:
    """Each check with its status; the workbook's Kontroll sheet computes the same."""
    p = b.params
    total = b.one_off.staff
    short_groups = {g.id for g in est.groups if g.benefit == "short_term"}
    home_groups = {g.id for g in est.groups if g.benefit == "home_care"}
    staff_by = lambda groups: sum(s.staff for s in inputs.steps if s.group in groups)  # noqa: E731
    incomplete = any((s.staff > 0) != (s.group is not None) for s in inputs.steps)
    years_sum = sum(y.one_off_kr for y in b.years)
    running_blank = all(getattr(inputs, r.id) is None for r in est.running)
    failing = {
        "staff": (ERROR, total == 0),
        "steps": (ERROR, incomplete),
        "inputs": (ERROR, bool(inputs.invalid)),
        "years": (ERROR, abs(years_sum - b.one_off.total_kr) > 0.005),
        "basis": (NOTE, b.one_off.outside_basis),
        "vendor": (NOTE, inputs.vendor is None),
        "vendor_price": (NOTE, p.vendor_module_kr is None),
        "eid_price": (NOTE, p.eid_kr_per_person == 0),
        "running": (NOTE, running_blank),
        "benefits": (NOTE, p.admissions_short_term + p.admissions_home_care == 0),
        "benefit_groups": (NOTE, (p.admissions_short_term > 0 and staff_by(short_groups) == 0)
                           or (p.admissions_home_care > 0 and staff_by(home_groups) == 0)),
    }
    out = []
    for cid, (severity, fails) in failing.items():
        out.append(Check(cid, CHECK_TITLES[cid], severity if fails else OK,
                         check_message(cid, est, p, total) if fails else CHECK_OK_MESSAGE))
    return tuple(out)
