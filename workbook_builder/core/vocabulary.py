"""The words the model reports in, one table each: the check statuses and their severities, the checks and
their messages, and the headline outputs. Each text a person reads is a message id in bokmål (i18n.tr gives it
in the målform asked for); {placeholders} are filled by the model with values and by the workbook with
formulas, so both say the same. The English the command line prints is beside it. Standard library only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from workbook_builder.core.i18n import DEFAULT_MALFORM, N_, tr  # kj:embed-skip

# Status ids (the bokmål words): the model compares and counts these; what a person reads is
# i18n.tr(status, målform), e.g. «Ikkje utfylt» in a nynorsk workbook.
OK, NOTE, EMPTY, ERROR = N_("OK"), N_("Merknad"), N_("Ikke utfylt"), N_("Feil")


class Status(NamedTuple):
    """A check status: its id (the bokmål word on Kontroll), its rank (the worst wins the master check), its
    English word on the terminal and its class in the memo's HTML."""

    word: str
    rank: int
    en: str
    css: str


# The one table of check statuses and their severities, best first. «Ikke utfylt» (nothing entered yet)
# ranks above a note and below an error: an untouched template is not an error, and not OK either.
# Kontroll's master formula, the model's master check and message, `check`, the memo and the regional
# overview all derive from it.
STATUSES: tuple[Status, ...] = (
    Status(OK, 0, "ok", "ok"),
    Status(NOTE, 1, "note", "note"),
    Status(EMPTY, 2, "empty", "empty"),
    Status(ERROR, 3, "ERROR", "error"),
)
SEVERITY = {s.word: s.rank for s in STATUSES}
STATUS_EN = {s.word: s.en for s in STATUSES}
STATUS_CLASS = {s.word: s.css for s in STATUSES}
WORST_FIRST = tuple(s.word for s in sorted(STATUSES, key=lambda s: s.rank, reverse=True))


def worst(statuses: Iterable[str]) -> str:
    """The worst of the statuses by SEVERITY (the master check); OK when there are none."""
    return max(statuses, key=SEVERITY.__getitem__, default=OK)


def at_most(status: str, limit: str) -> bool:
    """Whether `status` is no worse than `limit` (e.g. `check --allow-notes`: at most a note)."""
    return SEVERITY[status] <= SEVERITY[limit]


class CheckSpec(NamedTuple):
    """A check: the status it has when it fails, its title on Kontroll (a message id in bokmål) and its title
    on the terminal (English)."""

    severity: str
    title: str
    title_en: str


# The one table of checks: id → what it is. Kontroll, the model, the memo, `check` and the regional
# overview all read it.
CHECKS: dict[str, CheckSpec] = {
    "staff": CheckSpec(EMPTY, N_("Helsepersonell lagt inn"), "health personnel entered"),
    "steps": CheckSpec(ERROR, N_("Innføringstrinn komplette"), "rollout steps complete (group and personnel)"),
    "inputs": CheckSpec(ERROR, N_("Gyldige verdier på Inndata"), "valid values on Inndata"),
    "years": CheckSpec(ERROR, N_("Budsjettårene summerer til totalen"), "budget years add up to the total"),
    "lines": CheckSpec(ERROR, N_("Budsjettlinjene summerer til nye midler"), "budget lines add up to the new money"),
    "basis": CheckSpec(NOTE, N_("Innenfor notatets estimatgrunnlag"), "within the estimates' reference sizes"),
    "vendor": CheckSpec(NOTE, N_("EPJ-leverandør valgt"), "EPJ vendor chosen"),
    "vendor_price": CheckSpec(NOTE, N_("Pris for modul fra EPJ-leverandør"), "price of the EPJ vendor's module"),
    "eid_price": CheckSpec(NOTE, N_("Pris for valgt e-ID"), "price of the chosen e-ID"),
    "eid_current": CheckSpec(NOTE, N_("Valgt e-ID tilbys fortsatt"), "the chosen e-ID is still offered"),
    "price_level": CheckSpec(NOTE, N_("Prisnivå fra publiserte tall"), "price level from published figures"),
    "investment": CheckSpec(NOTE, N_("Drift eller investering (KRS 4)"), "operating cost or investment (KRS 4)"),
    "running": CheckSpec(NOTE, N_("Driftskostnader fylt inn"), "running costs filled in"),
    "benefits": CheckSpec(NOTE, N_("Pasientmottak for gevinst"), "patient admissions for the benefit"),
    "benefit_groups": CheckSpec(NOTE, N_("Gevinst og grupper henger sammen"), "benefits and groups fit together"),
}
CHECK_TITLES = {k: spec.title for k, spec in CHECKS.items()}
CHECK_OK_MESSAGE = N_("I orden.")
# The message of a failing check. Placeholders: staff, low, high (the reference sizes), groups (the
# group ids as «a, b eller c»), first, last (the plan's years), last_published (the deflator's last
# published year), eid (the e-ID's label), threshold (kr), life (years), short, home (group ids).
CHECK_MESSAGES: dict[str, str] = {
    "staff": N_("Ingen helsepersonell er lagt inn ennå: fyll inn innføringstrinnene på Inndata."),
    "steps": N_("Et innføringstrinn mangler gruppe ({groups}) eller antall helsepersonell."),
    "inputs": N_("En eller flere verdier på Inndata er ugyldige og er ikke brukt: rett de merkede feltene."),
    "years": N_("Budsjettårene summerer ikke til totalen: et trinn starter utenfor økonomiplanperioden "
                "{first}–{last}."),
    "lines": N_("Budsjettlinjene summerer ikke til behovet for nye midler på arket Budsjett."),
    "basis": N_("{staff} helsepersonell er utenfor notatets estimatgrunnlag ({low}–{high}): tallene er forlenget "
                "lineært og er mer usikre."),
    "vendor": N_("EPJ-leverandør er ikke valgt (eller navnet på annen leverandør mangler)."),
    "vendor_price": N_("Pris for modul fra EPJ-leverandøren mangler: be leverandøren om pris (modulen er ikke med "
                       "i totalen)."),
    "eid_price": N_("Valgt e-ID koster 0 kr per person: en antakelse, notatet har ingen pris. Sjekk kommunens "
                    "kostnad."),
    "eid_current": N_("{eid} er avviklet og kan ikke bestilles lenger: velg en annen e-ID (se Estimater)."),
    "price_level": N_("Prisene for {first} bygger på en prognose (publiserte tall til og med {last_published}): "
                      "bruk deflatoren fra statsbudsjettet når den er kjent."),
    "investment": N_("Et kjøp koster minst {threshold} inkl. mva og varer minst {life} år: vurder om det er en "
                     "investering (KRS 4) som hører hjemme i investeringsbudsjettet."),
    "running": N_("Driftskostnadene er ikke fylt inn (notatet har ingen tall): legg inn det kommunen venter."),
    "benefits": N_("Ingen pasientmottak er lagt inn: gevinsten blir 0."),
    "benefit_groups": N_("Pasientmottak er lagt inn for en tjeneste uten innføringstrinn i tilhørende gruppe "
                         "({short}: korttidsavdelinger, {home}: hjemmetjenesten): den gevinsten blir 0."),
}
# The master check as a sentence. Placeholders: errors, notes (counts), noun (NOTE_ONE or NOTE_MANY).
MASTER_MESSAGES: dict[str, str] = {
    ERROR: N_("Feil: {errors} feil og {notes} {noun}. Se arket Kontroll."),
    EMPTY: N_("Ikke utfylt: legg inn innføringstrinnene (gruppe, antall helsepersonell, startår) på Inndata."),
    NOTE: N_("Merknad: {notes} {noun}. Se arket Kontroll."),
    OK: N_("OK: alle kontroller er i orden."),
}
NOTE_ONE, NOTE_MANY = N_("merknad"), N_("merknader")


class Output(NamedTuple):
    """A headline output of the workbook: its defined name, its label in bokmål (Budsjett's key figures,
    Regenerering, the memo) and in English (the terminal), the unit shown beside it, its number format
    (a key of the workbook's formats: kr, count, year, years, factor, flag, text), what it means (English,
    for the README and the register) and whether it is a key figure shown before and after a regeneration.

    A label may hold {price_year}, {pay_year} and {sizes}: the estimates' price year, the pay statistic's
    year and the range of reference sizes (`output_label`)."""

    name: str
    label: str
    label_en: str
    unit: str
    num: str
    meaning: str
    key: bool = False


_KR, _HOURS = N_("kr"), N_("timer")
# The one list of headline outputs. The register of names (cells.OUTPUTS), the check of saved values
# (cells.output_values), Budsjett's key figures, the Regenerering sheet and its terminal report, and the
# memo's key figures all derive from it.
OUTPUTS: tuple[Output, ...] = (
    Output("kj_total_staff", N_("Helsepersonell i alle trinn"), "health personnel", N_("personer"), "count",
           "health personnel in all rollout steps", key=True),
    Output("kj_total_hours", N_("Engangskostnad: interne timer"), "one-off internal hours", _HOURS, "count",
           "one-off internal hours (JSON key total_hours)", key=True),
    Output("kj_total_purchase_kr", N_("Engangskostnad: kjøp av varer og tjenester"), "one-off purchases, kr", _KR, "kr",
           "one-off purchases in kr; the vendor module only when priced (total_purchase_kr)", key=True),
    Output("kj_total_kr", N_("Engangskostnad i alt (nye midler og interne timer i kr)"), "one-off total, kr", _KR, "kr",
           "one-off total: hours × hourly cost + purchases + stand-ins (total_kr)", key=True),
    Output("kj_outside_basis", N_("Utenfor notatets estimatgrunnlag ({sizes} helsepersonell)"), "outside the reference "
           "sizes", "", "flag", "1 when the personnel count is outside the note's reference sizes"),
    Output("kj_vendor_module_missing", N_("Pris for leverandørmodul mangler"),
           "vendor module price missing", "", "flag",
           "1 while the vendor module has no price"),
    Output("kj_running_kr_per_year", N_("Driftskostnad per år i snitt, alle trinn i drift"),
           "running costs per year, kr",
           N_("kr per år"), "kr", "running costs per year once every step is live (e-ID renewal as its yearly average)",
           key=True),
    Output("kj_benefit_hours_per_year", N_("Frigjort tid per år, alle trinn i drift"), "time freed, hours per year",
           N_("timer per år"), "count", "hours freed per year once every step is live", key=True),
    Output("kj_benefit_kr_per_year", N_("Frigjort tid i kr per år (ikke innsparte kroner)"), "time freed, kr per year",
           N_("kr per år"), "kr", "those hours in kr per year (freed time, not cash)", key=True),
    Output("kj_hours_returned_years", N_("År før frigjort tid veier opp de interne engangstimene"),
           "years until the hours are returned", N_("år"), "years",
           "years until the freed hours equal the one-off internal hours (hours, not money); empty when they never do",
           key=True),
    Output("kj_price_year", N_("Prisnivå: faste kroner for året"),
           "price level (fixed kroner of the year)", N_("år"), "year",
           "the budget's price level: fixed prices of the first budget year", key=True),
    Output("kj_price_factor", N_("Prisjustering av notatets priser ({price_year} → budsjettår)"), "price factor",
           N_("faktor"), "factor",
           "what a krone of the estimates' price year is in the budget's prices (municipal deflator)"),
    Output("kj_wage_factor", N_("Lønnsvekst fra lønnsstatistikken ({pay_year} → budsjettår)"),
           "wage factor", N_("faktor"),
           "factor", "pay growth from the pay statistic's year to the first budget year"),
    Output("kj_cash_total_kr", N_("Behov for nye midler i økonomiplanperioden"),
           "new money over the four budget years, "
           "kr", _KR, "kr", "new money over the four budget years", key=True),
    Output("kj_year", N_("Budsjettår"), "budget years", N_("år"), "year", "the four budget years"),
    Output("kj_year_cash_kr", N_("Nye midler per budsjettår"), "new money per budget year, kr", _KR, "kr",
           "new money per budget year: purchases, stand-ins, renewals, running purchases"),
    Output("kj_year_internal_hours", N_("Interne timer per budsjettår"), "internal hours per budget year", _HOURS,
           "count", "internal hours per budget year (staff already paid for)"),
    Output("kj_year_internal_kr", N_("Interne ressurser i kr per budsjettår"), "internal resources per budget year, kr",
           _KR, "kr", "those hours in kr per budget year"),
    Output("kj_year_renewal_kr", N_("Fornyelse av e-ID per budsjettår"), "e-ID renewals per budget year, kr", _KR, "kr",
           "e-ID renewals per budget year (in the years they fall due)"),
    Output("kj_year_one_off_kr", N_("Engangskostnad per budsjettår"), "one-off cost per budget year, kr", _KR, "kr",
           "one-off cost per budget year (new money and internal hours in kr)"),
    Output("kj_year_running_kr", N_("Driftskostnad per budsjettår"), "running costs per budget year, kr", _KR, "kr",
           "running costs per budget year (new money and internal hours in kr)"),
    Output("kj_year_benefit_hours", N_("Frigjort tid i timer per budsjettår"), "time freed per budget year, hours",
           _HOURS, "count", "hours freed per budget year"),
    Output("kj_year_benefit_kr", N_("Frigjort tid i kr per budsjettår"), "time freed per budget year, kr", _KR, "kr",
           "those hours in kr per budget year (freed time, not cash)"),
    Output("kj_total_kr_mean", N_("Engangskostnad, forventning (suksessivprinsippet)"), "one-off total, mean", _KR,
           "kr", "the one-off total's mean by the successive principle (in the budget's prices)"),
    Output("kj_total_kr_sd", N_("Engangskostnad, standardavvik"), "one-off total, standard deviation", _KR, "kr",
           "its standard deviation (independent items: the square root of the sum of variances)"),
    Output("kj_total_kr_p50", N_("Engangskostnad, P50 (styringsramme)"), "one-off total, P50", _KR, "kr",
           "P50 of the one-off total: the mean (the steering frame)"),
    Output("kj_total_kr_p85", N_("Engangskostnad, P85 (kostnadsramme)"), "one-off total, P85",
           _KR, "kr", "P85 of the one-off total: mean + 1,0364 × sd (the cost frame)"),
    Output("kj_cash_total_kr_p50", N_("Behov for nye midler i perioden, P50 (forventet)"), "new money, P50", _KR, "kr",
           "P50 of the new money over the four budget years"),
    Output("kj_cash_total_kr_p85", N_("Behov for nye midler i perioden, P85 (kostnadsramme)"), "new money, P85", _KR,
           "kr", "P85 of the new money over the four budget years"),
    Output("kj_internal_total_kr_p50", N_("Interne ressurser i perioden, P50"), "internal resources, P50", _KR, "kr",
           "P50 of the internal resources (kr) over the four budget years"),
    Output("kj_internal_total_kr_p85", N_("Interne ressurser i perioden, P85"), "internal resources, P85", _KR, "kr",
           "P85 of the internal resources (kr) over the four budget years"),
    Output("kj_year_cash_kr_p50", N_("Nye midler per budsjettår, P50"), "new money per budget year, P50", _KR, "kr",
           "P50 of the new money per budget year"),
    Output("kj_year_cash_kr_p85", N_("Nye midler per budsjettår, P85"), "new money per budget year, P85", _KR, "kr",
           "P85 of the new money per budget year"),
    Output("kj_year_internal_kr_p50", N_("Interne ressurser per budsjettår, P50"),
           "internal resources per budget year, "
           "P50", _KR, "kr", "P50 of the internal resources (kr) per budget year"),
    Output("kj_year_internal_kr_p85", N_("Interne ressurser per budsjettår, P85"),
           "internal resources per budget year, "
           "P85", _KR, "kr", "P85 of the internal resources (kr) per budget year"),
    Output("kj_hourly_rate_used", N_("Timekostnad for interne ressurser (full kostnad)"), "hourly cost used, kr",
           N_("kr per time"), "kr", "kr per internal hour used (input, or the derived default)", key=True),
    Output("kj_eid_used", N_("e-ID"), "e-ID used", "", "text", "the e-ID used (the list's label)"),
    Output("kj_master_check", N_("Samlet kontroll"), "master check", "", "text",
           "OK, Merknad, Ikke utfylt or Feil: the worst status on Kontroll", key=True),
    Output("kj_master_message", N_("Samlet kontroll i ord"), "master check, as a sentence", "", "text",
           "the master check as a sentence"),
)
OUTPUT_BY_NAME = {o.name: o for o in OUTPUTS}
KEY_OUTPUTS = tuple(o for o in OUTPUTS if o.key)


def output_label(name: str, est: Any, malform: str = DEFAULT_MALFORM) -> str:
    """An output's label in `malform` (its bokmål label is the message id), with the estimates' price year,
    pay year and reference sizes filled in."""
    return tr(OUTPUT_BY_NAME[name].label, malform, price_year=est.price_year, pay_year=est.pay.price_year,
              sizes=est.size_range_text)
