"""The words the model reports in, one table each: the check statuses and their severities, the checks,
and the headline outputs. Bokmål as the workbook shows it, with the English the command line prints.
Standard library only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

OK, NOTE, EMPTY, ERROR = "OK", "Merknad", "Ikke utfylt", "Feil"


class Status(NamedTuple):
    """A check status: its word on Kontroll, its rank (the worst wins the master check), its English word
    on the terminal and its class in the memo's HTML."""

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
    """A check: the status it has when it fails, its title on Kontroll (bokmål) and on the terminal."""

    severity: str
    title: str
    title_en: str


# The one table of checks: id → what it is. Kontroll, the model, the memo, `check` and the regional
# overview all read it.
CHECKS: dict[str, CheckSpec] = {
    "staff": CheckSpec(EMPTY, "Helsepersonell lagt inn", "health personnel entered"),
    "steps": CheckSpec(ERROR, "Innføringstrinn komplette", "rollout steps complete (group and personnel)"),
    "inputs": CheckSpec(ERROR, "Gyldige verdier på Inndata", "valid values on Inndata"),
    "years": CheckSpec(ERROR, "Budsjettårene summerer til totalen", "budget years add up to the total"),
    "lines": CheckSpec(ERROR, "Budsjettlinjene summerer til nye midler", "budget lines add up to the new money"),
    "basis": CheckSpec(NOTE, "Innenfor notatets estimatgrunnlag", "within the estimates' reference sizes"),
    "vendor": CheckSpec(NOTE, "EPJ-leverandør valgt", "EPJ vendor chosen"),
    "vendor_price": CheckSpec(NOTE, "Pris for modul fra EPJ-leverandør", "price of the EPJ vendor's module"),
    "eid_price": CheckSpec(NOTE, "Pris for valgt e-ID", "price of the chosen e-ID"),
    "eid_current": CheckSpec(NOTE, "Valgt e-ID tilbys fortsatt", "the chosen e-ID is still offered"),
    "price_level": CheckSpec(NOTE, "Prisnivå fra publiserte tall", "price level from published figures"),
    "investment": CheckSpec(NOTE, "Drift eller investering (KRS 4)", "operating cost or investment (KRS 4)"),
    "running": CheckSpec(NOTE, "Driftskostnader fylt inn", "running costs filled in"),
    "benefits": CheckSpec(NOTE, "Pasientmottak for gevinst", "patient admissions for the benefit"),
    "benefit_groups": CheckSpec(NOTE, "Gevinst og grupper henger sammen", "benefits and groups fit together"),
}
CHECK_TITLES = {k: spec.title for k, spec in CHECKS.items()}
CHECK_OK_MESSAGE = "I orden."
