"""Regenerering (locked, only in a regenerated workbook): what came along from the previous workbook,
what did not and why, which estimates changed, and the headline totals before and after.

The project leader who filled in the old workbook reads this sheet to see that nothing they typed
was lost, and the finance officer sees what the new estimates did to the totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbook_builder.cells import INPUT_BY_NAME
from workbook_builder.core.errors import InputError
from workbook_builder.core.estimates import Estimates
from workbook_builder.core.i18n import N_, Message
from workbook_builder.core.numbers import nb_number, number_from_text
from workbook_builder.core.vocabulary import output_label
from workbook_builder.sheets.base import Context, Sheet
from workbook_builder.xlsx.filled_reader import Carried, Problem

SHEET = N_("Regenerering")  # the id; the workbook names it in its målform (Context.sheet_name)
C_LABEL, C_NAME, C_OLD, C_NEW, C_DIFF, C_NOTE = range(6)
WIDTHS = {C_LABEL: 50, C_NAME: 28, C_OLD: 30, C_NEW: 30, C_DIFF: 14, C_NOTE: 70}

@dataclass(frozen=True)
class EstimateChange:
    """A named figure of the estimates whose value differs; None where one workbook lacks the name."""

    name: str
    label: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Headline:
    """A key figure before and after (its name, labels and number format from vocabulary.OUTPUTS)."""

    name: str
    label: str
    label_en: str
    num: str
    old: Any  # None when the old workbook has no saved value and the model could not recompute it
    new: Any

    @property
    def difference(self) -> float | None:
        numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (self.old, self.new))
        return float(self.new) - float(self.old) if numeric else None


@dataclass
class Report:
    """Everything the Regenerering sheet and the terminal report show."""

    source: str
    old_metadata: dict[str, str]
    new_metadata: dict[str, str]
    carried: list[Carried]
    problems: list[Problem]
    missing: list[str]
    estimate_changes: list[EstimateChange]
    headlines: list[Headline]
    old_totals: str  # "saved": the old workbook's saved values; "model": recomputed; "": unknown
    notes: list[tuple[str, Message]] = field(default_factory=list)  # remarks: (English, Norwegian message)

    @property
    def changed(self) -> list[Carried]:
        return [c for c in self.carried if c.changed]

    @property
    def not_carried(self) -> list[Problem]:
        return [p for p in self.problems if p.kind == "invalid"]

    @property
    def dropped(self) -> list[Problem]:
        return [p for p in self.problems if p.kind != "invalid"]


def show(value: Any) -> str:
    """A value as Norwegian text: 1 234,5; lists joined with ' / '; nothing as '–'; a truth value as the
    spreadsheet's word (SANN / USANN in both målformer, as Norwegian Excel and LibreOffice spell them)."""
    if value is None or value == "":
        return "–"
    if isinstance(value, list):
        return " / ".join(show(v) for v in value)
    if isinstance(value, bool):
        return "SANN" if value else "USANN"
    if isinstance(value, (int, float)):
        decimals = 0 if float(value).is_integer() else min(6, max(1, len(f"{value:.6g}".split(".")[-1])))
        return nb_number(value, decimals)
    return str(value)


def value_now(est: Estimates, malform: str, carried: Carried) -> str:
    """A carried value as the new workbook (in `malform`) holds it: a list value by the label its list shows
    (the reader gives a list value by its bokmål label), any other value as carried. The Regenerering sheet
    and the terminal report both show it so."""
    spec = INPUT_BY_NAME.get(carried.name)
    return est.text_in(carried.value, malform) if spec is not None and spec.kind == "choice" else carried.value


def _estimates_line(ctx: Context, meta: dict[str, str]) -> str:
    tr = ctx.tr
    if not meta.get("estimates_id"):
        return tr("ukjent (arbeidsboken sier ikke hva den ble bygget fra)")
    sha = meta.get("estimates_sha256", "")
    return (tr("{id} versjon {version}", id=meta.get("estimates_id"), version=meta.get("estimates_version", "?"))
            + (tr(", fil {file}", file=meta["estimates_file"]) if meta.get("estimates_file") else "")
            + (f" (SHA-256 {sha[:16]}…)" if sha else ""))


def write(ctx: Context, s: Sheet, report: Report) -> None:
    ws, tr = s.ws, ctx.tr
    for c, w in WIDTHS.items():
        ws.set_column(c, c, w)
    s.text(0, 0, tr("Regenerering – hva som ble med fra forrige arbeidsbok"), "title")
    ws.merge_range(1, 0, 1, C_NOTE, tr("Arbeidsboken er laget på nytt med nye estimater. Verdiene som var fylt inn, "
                                       "er ført over etter navn. En verdi som ikke lenger er gyldig, står som merknad "
                                       "ved feltet på Inndata (kolonne J), og feltet er tomt til du skriver inn en "
                                       "gyldig verdi."), s.fmt("muted"))
    ws.set_row(1, 30)
    old, new = report.old_metadata, report.new_metadata
    r = 3
    built_old = old.get("built") or tr("ukjent")
    for label, value in (
        (tr("Forrige arbeidsbok"), report.source),
        (tr("Forrige bygget"), tr("{built} med kj-budget {version}", built=built_old, version=old["tool_version"])
         if old.get("tool_version") else built_old),
        (tr("Estimater før"), _estimates_line(ctx, old)),
        (tr("Estimater nå"), _estimates_line(ctx, new)),
        (tr("Laget på nytt"), tr("{built} med kj-budget {version}", built=new.get("built", ""),
                                 version=new.get("tool_version", ""))),
    ):
        s.text(r, 0, label, "label")
        s.text(r, 1, value)
        r += 1
    for _, remark in report.notes:
        s.text(r, 0, remark.text(ctx.malform), "status")
        r += 1
    r += 1
    summary = tr("{carried} verdier ført over ({changed} i endret form), {not_carried} ikke ført over (står som "
                 "merknad på Inndata), {dropped} uten plass i den nye malen, {estimates} estimater endret.",
                 carried=len(report.carried), changed=len(report.changed), not_carried=len(report.not_carried),
                 dropped=len(report.dropped), estimates=len(report.estimate_changes))
    s.text(r, 0, summary, "bold")
    r += 2

    r = _section(ctx, s, r, N_("Inndata"), (N_("Felt"), N_("Navn"), N_("Verdi før"), N_("Verdi nå"), "",
                                            N_("Merknad")))
    for carried in report.carried:
        label = carried.label_in(ctx.malform)
        s.text(r, C_LABEL, label, "label")
        s.text(r, C_NAME, carried.key, "unit")
        s.text(r, C_OLD, _nb(carried.raw, carried.key), "wrap", "text")
        value = value_now(ctx.est, ctx.malform, carried)
        s.text(r, C_NEW, _nb(value, carried.key), "wrap", "text")
        note = tr("Endret: {why}", why=carried.why(ctx.malform)) if carried.changed else tr("Ført over")
        s.text(r, C_NOTE, note, "wrap" if not carried.changed else "status")
        _fit(s, r, label, carried.raw, value, note)
        r += 1
    for p in report.problems:
        label, why = p.label_in(ctx.malform), p.why(ctx.malform)
        s.text(r, C_LABEL, label, "label")
        s.text(r, C_NAME, p.key, "unit")
        s.text(r, C_OLD, _nb(p.raw, p.key), "wrap", "text")
        s.blank(r, C_NEW)
        if p.kind != "invalid":
            note = tr("Ikke ført over: {why}; verdien står bare her.", why=why)
        elif p.key.startswith("kj_actual_"):  # an actual: its note stands beside it on Oppfølging
            note = tr("Ikke ført over: {why}; står som merknad ved feltet på Oppfølging.", why=why)
        else:
            note = tr("Ikke ført over: {why}; står som merknad ved feltet på Inndata (kolonne J).", why=why)
        s.text(r, C_NOTE, note, "status")
        _fit(s, r, label, p.raw, "", note)
        r += 1
    for name in report.missing:
        s.text(r, C_LABEL, tr(INPUT_BY_NAME[name].label), "label")
        s.text(r, C_NAME, name, "unit")
        s.text(r, C_OLD, tr("(fantes ikke)"), "unit")
        s.blank(r, C_NEW)
        s.text(r, C_NOTE, tr("Nytt felt i malen: tomt, standardverdien brukes."), "wrap")
        r += 1
    if not (report.carried or report.problems or report.missing):
        s.text(r, C_LABEL, tr("Ingen felt var fylt inn i forrige arbeidsbok."), "muted")
        r += 1
    r += 1

    r = _section(ctx, s, r, N_("Estimater som er endret"), (N_("Estimat"), N_("Navn"), N_("Før"), N_("Nå"), "", ""))
    for e in report.estimate_changes:
        s.text(r, C_LABEL, e.label, "label")
        s.text(r, C_NAME, e.name, "unit")
        old_text = show(e.old) if e.old is not None else tr("(fantes ikke)")
        new_text = show(e.new) if e.new is not None else tr("(finnes ikke lenger)")
        s.text(r, C_OLD, old_text, "wrap", "text")
        s.text(r, C_NEW, new_text, "wrap", "text")
        _fit(s, r, e.label, old_text, new_text, "")
        r += 1
    if not report.estimate_changes:
        s.text(r, C_LABEL, tr("Ingen estimater er endret."), "muted")
        r += 1
    r += 1

    r = _section(ctx, s, r, N_("Nøkkeltall før og nå"), (N_("Nøkkeltall"), N_("Navn"), N_("Før"), N_("Nå"),
                                                          N_("Endring"), ""))
    for h in report.headlines:
        s.text(r, C_LABEL, output_label(h.name, ctx.est, ctx.malform), "label")
        s.text(r, C_NAME, h.name, "unit")
        for col, v in ((C_OLD, h.old), (C_NEW, h.new)):
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                s.number(r, col, v, "calc", h.num)
            else:
                s.text(r, col, (tr(v) if h.name == "kj_master_check" and isinstance(v, str) else show(v))
                       if v is not None else tr("ukjent"), "text", "text")
        if h.difference is not None:
            s.number(r, C_DIFF, h.difference, "calc", h.num)
        r += 1
    source = {"saved": tr("Før: verdiene som var lagret i forrige arbeidsbok."),
              "model": tr("Før: regnet ut på nytt med de gamle estimatene (forrige arbeidsbok hadde ingen lagrede "
                          "verdier)."),
              "": tr("Før: ukjent (forrige arbeidsbok hadde ingen lagrede verdier, og de gamle estimatene er ikke "
                     "tilgjengelige).")}[report.old_totals]
    ws.merge_range(r, 0, r, C_NOTE, tr("{before} Nå: verdiene i denne arbeidsboken da den ble laget.", before=source),
                   s.fmt("muted"))
    ws.freeze_panes(3, 0)
    s.print_setup(landscape=True, last_row=r, last_col=C_NOTE)
    s.protect()


def _nb(text: str, key: str = "") -> str:
    """A number in a numeric input, as Norwegian text (48,5); a year without grouping; text inputs (a
    municipality called «Infinity») and anything that is no number by the one number rule
    (numbers.number_from_text: «1_000», «1e3», «inf» are not) as typed."""
    spec = INPUT_BY_NAME.get(key.split("#")[0])
    if spec is None or spec.kind not in ("number", "whole") or spec.unit == "år":
        return text
    try:
        value = number_from_text(text, key, spec.label)
    except InputError:  # ambiguous: shown as typed
        return text
    return text if value is None or text.strip().startswith("+") else show(value)


def _fit(s: Sheet, row: int, label: str, old: str, new: str, note: str) -> None:
    s.fit_height(row, (label, WIDTHS[C_LABEL]), (old, WIDTHS[C_OLD]), (new, WIDTHS[C_NEW]), (note, WIDTHS[C_NOTE]))


def _section(ctx: Context, s: Sheet, row: int, title: str, heads: tuple[str, ...]) -> int:
    """A section's title and column heads (message ids); returns the next row."""
    s.text(row, 0, ctx.tr(title), "h2")
    for c in range(1, C_NOTE + 1):
        s.blank(row, c, "h2")
    for c, h in enumerate(heads):
        s.text(row + 1, c, ctx.tr(h) if h else "", "colhead")
    return row + 2
