"""Assemble the budget workbook: every sheet, the defined names, protection, document properties.

XlsxWriter writes each formula together with a cached value: the model's result for that cell,
so a preview, a phone or pandas shows the real numbers, and a spreadsheet that recalculates (Excel,
LibreOffice) must arrive at the same ones. The file is written atomically.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from workbook_builder import __version__
from workbook_builder.cells import Register
from workbook_builder.core.estimates import Estimates
from workbook_builder.core.i18n import tr
from workbook_builder.core.model import Budget, Inputs, budget
from workbook_builder.sheets import (
    beregning,
    budsjett,
    budsjettlinjer,
    byggeinfo,
    estimater,
    inndata,
    kontroll,
    oppfolging,
    regenerering,
    scenarier,
    soner,
    usikkerhet,
    veiledning,
)
from workbook_builder.sheets.base import Context, FastWorksheet, Sheet
from workbook_builder.sheets.styles import Formats
from workbook_builder.xlsx.files import atomic_write_bytes

TEMPLATE_VERSION = "1"
# The sheets by id (their bokmål names, each module's SHEET); a workbook names them in its målform
# (`sheet_names`), and every formula that names a sheet uses that name. Defined names never change.
SHEET_ORDER = (veiledning.SHEET, inndata.SHEET, budsjett.SHEET, budsjettlinjer.SHEET, oppfolging.SHEET,
               kontroll.SHEET, estimater.SHEET, beregning.SHEET, usikkerhet.SHEET, scenarier.SHEET, soner.SHEET,
               byggeinfo.SHEET)
# A regenerated workbook has its report after Kontroll: both say what to look at before using the numbers.
_AFTER_KONTROLL = SHEET_ORDER.index(kontroll.SHEET) + 1
REGENERATED_ORDER = (*SHEET_ORDER[:_AFTER_KONTROLL], regenerering.SHEET, *SHEET_ORDER[_AFTER_KONTROLL:])
DEFAULT_OUT = Path("build") / "kjernejournal-budsjett.xlsx"


def sheet_names(malform: str, regenerated: bool = False) -> dict[str, str]:
    """Sheet id → the sheet's name in a workbook of `malform`, in the workbook's order."""
    return {sheet: tr(sheet, malform) for sheet in (REGENERATED_ORDER if regenerated else SHEET_ORDER)}


@dataclass
class BuiltWorkbook:
    """A built workbook: its bytes, the names it defines and the model's budget it carries."""

    data: bytes
    register: Register
    budget: Budget
    metadata: dict[str, str]


def build_bytes(est: Estimates, inputs: Inputs, *, today: dt.date | None = None, password: str | None = None,
                input_notes: dict[str, str] | None = None,
                extra_sheets: dict[str, list[tuple[str, str]]] | None = None,
                regeneration: regenerering.Report | None = None) -> BuiltWorkbook:
    """Build the workbook in memory. Raises `InputError` for inputs the model refuses.

    `input_notes` are shown beside the inputs (Inndata, column J); `regeneration` adds the locked
    Regenerering sheet that reports what a rebuild from an older workbook carried over."""
    today = today or dt.date.today()
    result = budget(est, inputs, today)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    malform = result.params.malform
    ctx = Context(wb=wb, est=est, inputs=inputs, budget=result, fmt=Formats(wb, malform), register=Register(),
                  today=today, version=__version__, password=password, municipality_header=inputs.municipality,
                  input_notes=dict(input_notes or {}))
    names = sheet_names(malform, regeneration is not None)
    sheets = {sheet: Sheet(ctx, wb.add_worksheet(name, worksheet_class=FastWorksheet)) for sheet, name in names.items()}
    # The write order is the data flow: each sheet's formulas refer to names and rows the ones before it
    # define, and what a sheet hands on is returned and passed explicitly (no sheet reads another's state).
    #   Estimater, Soner  → the published figures and zones (names kj_est_*, kj_list_*)
    #   Inndata           → the inputs, validated against those lists (kj_* inputs)
    #   Beregning         → the workings from inputs and estimates; returns its rows
    #   Kontroll          → the checks over Beregning's names
    #   Usikkerhet        → the range per line item from Beregning's rows; returns its rows
    #   Budsjett, Budsjettlinjer, Scenarier → the outputs, from Beregning's (and Usikkerhet's) rows
    #   Oppfølging        → the actuals (inputs) beside the budget and its range per line and year, from
    #                       Beregning's rows and Usikkerhet's shares
    #   Veiledning, Byggeinfo (and Regenerering) → text and metadata, from the context alone
    estimater.write(ctx, sheets[estimater.SHEET])
    soner.write(ctx, sheets[soner.SHEET])
    inndata.write(ctx, sheets[inndata.SHEET])
    rows = beregning.write(ctx, sheets[beregning.SHEET])
    kontroll.write(ctx, sheets[kontroll.SHEET])
    range_rows = usikkerhet.write(ctx, sheets[usikkerhet.SHEET], rows)
    budsjett.write(ctx, sheets[budsjett.SHEET], rows, range_rows)
    budsjettlinjer.write(ctx, sheets[budsjettlinjer.SHEET], rows)
    scenarier.write(ctx, sheets[scenarier.SHEET], rows)
    oppfolging.write(ctx, sheets[oppfolging.SHEET], rows)
    veiledning.write(ctx, sheets[veiledning.SHEET], TEMPLATE_VERSION)
    meta = byggeinfo.write(ctx, sheets[byggeinfo.SHEET], TEMPLATE_VERSION)
    if regeneration is not None:
        regenerering.write(ctx, sheets[regenerering.SHEET], regeneration)
    for sheet_name, pairs in (extra_sheets or {}).items():  # e.g. xlwings.conf: key/value in columns A/B
        extra = Sheet(ctx, wb.add_worksheet(sheet_name))
        extra.ws.set_column(0, 1, 24)
        for r, (key, value) in enumerate(pairs):
            extra.text(r, 0, key)
            extra.text(r, 1, value)
        extra.protect()
    sheets[veiledning.SHEET].ws.activate()
    title = (ctx.tr("Budsjett for innføring av kjernejournal – {municipality}", municipality=inputs.municipality)
             if inputs.municipality else ctx.tr("Budsjett for innføring av kjernejournal"))
    wb.set_properties({
        "title": title,
        "subject": ctx.tr("Kjernejournal i pleie- og omsorgstjenesten: budsjett og økonomiplan"),
        "author": "kj-budget",
        "company": inputs.municipality,
        "keywords": ctx.tr("kjernejournal, budsjett, NHN"),
        "comments": ctx.tr("Bygget fra {name} ({id} {version}). Lag på nytt med kj-budget build --from.",
                           name=ctx.text(est.name), id=est.id, version=est.version),
        "created": dt.datetime.combine(today, dt.time(12, 0)),
    })
    for key, value in meta.items():
        wb.set_custom_property(f"kj_{key}", value)
    wb.set_size(1500, 950)
    wb.close()
    return BuiltWorkbook(buf.getvalue(), ctx.register, result, meta)


def build_workbook(out: str | Path, est: Estimates, inputs: Inputs, **kwargs: Any) -> BuiltWorkbook:
    """Build and write atomically: a crash never leaves a half-written workbook at `out`."""
    built = build_bytes(est, inputs, **kwargs)
    atomic_write_bytes(out, built.data)
    return built
