"""The register of named cells: every input and headline output has a workbook-level name.

The builder writes them, the reader of filled workbooks carries inputs across a regeneration by
these names (never by address), `check` compares them, and the tests read them. The inputs are
listed here statically (they are the model's `Inputs`); their addresses are recorded by the
sheets as they are written, in a :class:`Register`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xlsxwriter.utility import xl_rowcol_to_cell

from workbook_builder.core.estimates import Estimates
from workbook_builder.core.i18n import DEFAULT_MALFORM, N_, tr
from workbook_builder.core.model import (
    PARAMETERS,
    STAFF_MAX,
    YEAR_MAX,
    YEAR_MIN,
    Budget,
    choice_label,
    parse_choice,
)
from workbook_builder.core.vocabulary import OUTPUTS as VOCABULARY_OUTPUTS

STEP_ROWS = 12  # rows in the rollout-step table on Inndata
LIST_NAMES = {"eid": "kj_list_eid", "vendor": "kj_list_vendors", "group": "kj_list_groups",
              "role": "kj_list_roles", "zone": "kj_list_zones", "level": "kj_list_levels"}
TEXT_MAX = 100  # characters in a text input (names, units, codes)


def list_label(est: Estimates, kind: str, value: str | None, malform: str = DEFAULT_MALFORM) -> str | None:
    """The workbook's list label (what a user picks on Inndata) for an id or label (in either målform) of an
    e-ID, vendor, group, pay role or employer's tax zone, in `malform`; None stays None."""
    if value is None:
        return None
    return choice_label(est, kind, parse_choice(est, kind, value), malform)


@dataclass(frozen=True)
class InputSpec:
    """One input the user types: its defined name, the `Inputs` field it fills and its rules."""

    name: str
    field: str
    kind: str  # text | choice | number | whole
    label: str  # a message id (bokmål): the workbook shows tr(label, målform)
    unit: str = ""  # a message id too
    minimum: float | None = None
    maximum: float | None = None
    rows: int = 1
    choices: str = ""  # eid | vendor | group | role | zone, for kind == "choice"
    percent: bool = False


INPUTS: tuple[InputSpec, ...] = (
    InputSpec("kj_municipality", "municipality", "text", N_("Kommune")),
    InputSpec("kj_municipality_number", "municipality_number", "text", N_("Kommunenummer")),
    InputSpec("kj_vendor", "vendor", "choice", N_("EPJ-leverandør"), choices="vendor"),
    InputSpec("kj_vendor_other", "vendor_other", "text", N_("Navn på annen leverandør")),
    InputSpec("kj_eid", "eid", "choice", N_("e-ID for helsepersonell"), choices="eid"),
    InputSpec("kj_first_year", "first_year", "whole", N_("Første budsjettår"), N_("år"), YEAR_MIN, YEAR_MAX),
    InputSpec("kj_ansvar", "ansvar", "text", N_("Ansvar (kode i kommunens kontoplan)")),
    InputSpec("kj_prosjekt", "prosjekt", "text", N_("Prosjekt (kode i kommunens kontoplan)")),
    InputSpec("kj_step_group", "steps.group", "choice", N_("Gruppe"), rows=STEP_ROWS, choices="group"),
    InputSpec("kj_step_unit", "steps.unit", "text", N_("Avdeling eller sone"), rows=STEP_ROWS),
    InputSpec("kj_step_staff", "steps.staff", "whole", N_("Antall helsepersonell"), N_("personer"), 0, STAFF_MAX,
              rows=STEP_ROWS),
    InputSpec("kj_step_year", "steps.year", "whole", N_("Startår"), N_("år"), YEAR_MIN, YEAR_MAX, rows=STEP_ROWS),
    InputSpec("kj_pay_role", "pay_role", "choice", N_("Stilling timekostnaden bygger på"), choices="role"),
    InputSpec("kj_employer_tax_zone", "employer_tax_zone", "choice", N_("Sone for arbeidsgiveravgift"),
              choices="zone"),
    InputSpec("kj_uncertainty", "uncertainty", "choice", N_("Usikkerhet i anslaget"), choices="level"),
    *(
        InputSpec(f"kj_{p.name}", p.name, "whole" if p.whole else "number", p.label, p.unit, p.minimum, p.maximum,
                  percent=p.percent)
        for p in PARAMETERS
    ),
)
INPUT_BY_NAME = {spec.name: spec for spec in INPUTS}

# Headline outputs: name → what it means (the README lists these), from the one list of outputs
# (vocabulary.OUTPUTS: name, labels in bokmål and English, unit, number format, meaning).
OUTPUTS: dict[str, str] = {o.name: o.meaning for o in VOCABULARY_OUTPUTS}


@dataclass(frozen=True)
class NamedRange:
    name: str
    sheet: str
    first: tuple[int, int]
    last: tuple[int, int]
    role: str  # input | output | estimate | list | working

    @property
    def ref(self) -> str:
        a = xl_rowcol_to_cell(*self.first, row_abs=True, col_abs=True)
        if self.first == self.last:
            return f"'{self.sheet}'!{a}"
        return f"'{self.sheet}'!{a}:{xl_rowcol_to_cell(*self.last, row_abs=True, col_abs=True)}"

    @property
    def cells(self) -> int:
        return (self.last[0] - self.first[0] + 1) * (self.last[1] - self.first[1] + 1)


@dataclass
class Register:
    """Names defined while the sheets are written, in the order they were defined."""

    names: dict[str, NamedRange] = field(default_factory=dict)

    def add(self, name: str, sheet: str, first: tuple[int, int], last: tuple[int, int] | None, role: str) -> None:
        if name in self.names:
            raise ValueError(f"defined name {name} is defined twice")
        self.names[name] = NamedRange(name, sheet, first, last or first, role)

    def of_role(self, role: str) -> list[NamedRange]:
        return [n for n in self.names.values() if n.role == role]


def output_values(est: Estimates, budget: Budget) -> dict[str, object]:
    """What each headline output name must hold for a budget: the model's side of every comparison
    (LibreOffice parity tests, `kj-budget check`, the regional roll-up)."""
    b = budget
    p = b.params
    r = b.ranges
    return {
        "kj_total_staff": b.total_staff,
        "kj_total_hours": b.one_off.total_hours,
        "kj_total_purchase_kr": b.one_off.total_purchase_kr,
        "kj_total_kr": b.one_off.total_kr,
        "kj_outside_basis": int(b.one_off.outside_basis),
        "kj_vendor_module_missing": int(b.one_off.vendor_module_missing),
        "kj_running_kr_per_year": b.running.total_kr,
        "kj_benefit_hours_per_year": b.benefit.hours,
        "kj_benefit_kr_per_year": b.benefit.kr,
        "kj_hours_returned_years": "" if b.hours_returned_years is None else b.hours_returned_years,
        "kj_price_year": p.price_year,
        "kj_price_factor": p.price_factor,
        "kj_wage_factor": p.wage_factor,
        "kj_cash_total_kr": b.cash_total_kr,
        "kj_year": [float(y.year) for y in b.years],
        "kj_year_cash_kr": [y.cash_kr for y in b.years],
        "kj_year_internal_hours": [y.internal_hours for y in b.years],
        "kj_year_internal_kr": [y.internal_kr for y in b.years],
        "kj_year_renewal_kr": [y.renewal_kr for y in b.years],
        "kj_year_one_off_kr": [y.one_off_kr for y in b.years],
        "kj_year_running_kr": [y.running_kr for y in b.years],
        "kj_year_benefit_hours": [y.benefit_hours for y in b.years],
        "kj_year_benefit_kr": [y.benefit_kr for y in b.years],
        "kj_total_kr_mean": r.one_off.mean,
        "kj_total_kr_sd": r.one_off.sd,
        "kj_total_kr_p50": r.one_off.p50,
        "kj_total_kr_p85": r.one_off.p85,
        "kj_cash_total_kr_p50": r.cash_total.p50,
        "kj_cash_total_kr_p85": r.cash_total.p85,
        "kj_internal_total_kr_p50": r.internal_total.p50,
        "kj_internal_total_kr_p85": r.internal_total.p85,
        "kj_year_cash_kr_p50": [x.p50 for x in r.cash_years],
        "kj_year_cash_kr_p85": [x.p85 for x in r.cash_years],
        "kj_year_internal_kr_p50": [x.p50 for x in r.internal_years],
        "kj_year_internal_kr_p85": [x.p85 for x in r.internal_years],
        "kj_hourly_rate_used": p.hourly_rate,
        "kj_eid_used": choice_label(est, "eid", p.eid, p.malform),
        "kj_master_check": tr(b.master_check, b.params.malform),
        "kj_master_message": b.master_message,
    }
