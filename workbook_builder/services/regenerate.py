"""Rebuild a filled workbook from new estimates without losing what the user typed.

The old workbook's inputs are read by their defined names (`reading.read_workbook`) and checked
against the new estimates; valid values are written into a new workbook, invalid ones are kept as
notes beside their inputs. The new workbook gets a Regenerering sheet, and the terminal the same
report in English: what was carried, what changed or was dropped and why, which estimates changed,
and the headline totals before and after. The workbook's values the terminal shows are the new workbook's, in
its målform (a list value by its list's label there, as the Regenerering sheet shows it), and so are the labels and
list values its English reasons quote (`Explained.en_in`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from workbook_builder.cells import output_values
from workbook_builder.core.errors import InputError
from workbook_builder.core.estimates import Estimates, load_estimates
from workbook_builder.core.i18n import N_, Message, tr
from workbook_builder.core.model import Inputs, budget, resolve
from workbook_builder.core.numbers import same_figure, terminal_value
from workbook_builder.core.vocabulary import KEY_OUTPUTS, output_label
from workbook_builder.sheets.regenerering import EstimateChange, Headline, Report, value_now
from workbook_builder.workbook import BuiltWorkbook, build_bytes
from workbook_builder.xlsx.filled_reader import (
    ACTUAL,
    FilledWorkbook,
    Problem,
    UnreadableWorkbook,
    built_date,
    read_workbook,
)

SUFFIX = "-regenerert"


@dataclass
class Regeneration:
    source: Path
    old: FilledWorkbook
    est: Estimates
    built: BuiltWorkbook
    report: Report
    udf_config: bool = False  # the new workbook has an xlwings.conf sheet


def default_out(source: Path) -> Path:
    """Next to the old workbook, with a suffix: never the old file itself."""
    return source.with_name(f"{source.stem}{SUFFIX}.xlsx")


def regenerate(source: str | Path, est: Estimates, *, today: dt.date | None = None, password: str | None = None,
               old_estimates: list[Estimates] | None = None,
               extra_sheets: Callable[[FilledWorkbook], dict[str, list[tuple[str, str]]] | None] | None = None,
               malform: str | None = None) -> Regeneration:
    """Read `source` and build the new workbook in memory (nothing is written here).

    `old_estimates` are estimates the old workbook may have been built from (matched by SHA-256), used
    to recompute its totals when it has no saved values; the packaged set is always tried.
    `extra_sheets(old)` gives the extra sheets for the new workbook (the command line adds xlwings.conf
    when asked or when the old workbook had one); embedding the Lite functions works on the bytes and
    is left to the caller (`old.lite` says whether the old workbook had them). The new workbook is in
    `malform` (nb or nn), or when None in the målform recorded in the old one."""
    source = Path(source)
    today = today or dt.date.today()
    old = read_workbook(source, est)
    inputs = _actuals_in_plan(est, old, today)
    inputs = inputs if malform is None else replace(inputs, malform=malform)
    notes = old.notes_in(inputs.malform)  # the notes beside the inputs, in the new workbook's målform
    extra = extra_sheets(old) if extra_sheets else None
    first = build_bytes(est, inputs, today=today, password=password, input_notes=notes, extra_sheets=extra)
    new = read_workbook(first.data, est, "new.xlsx")
    estimate_names = [n.name for n in first.register.names.values() if n.role in ("estimate", "list")]
    changes = estimate_changes(old, new, estimate_names, est)
    old_heads, old_from = old_headlines(source, old, [est, *(old_estimates or [])])
    new_heads = output_values(est, first.budget)
    headlines = [Headline(o.name, output_label(o.name, est), o.label_en, o.num, old_heads.get(o.name),
                          new_heads[o.name]) for o in KEY_OUTPUTS]
    report = Report(source=source.name, old_metadata=old.metadata, new_metadata=first.metadata, carried=old.carried,
                    problems=old.problems, missing=old.missing, estimate_changes=changes, headlines=headlines,
                    old_totals=old_from, notes=_remarks(old, first, password))
    built = build_bytes(est, inputs, today=today, password=password, input_notes=notes, extra_sheets=extra,
                        regeneration=report)
    return Regeneration(source, old, est, built, report, "xlwings.conf" in (extra or {}))


def _actuals_in_plan(est: Estimates, old: FilledWorkbook, today: dt.date) -> Inputs:
    """The old workbook's inputs with the actuals that fall in the new workbook's budget years; one outside
    them (a blank first budget year moves with the build date) is reported, not carried."""
    if not old.inputs.actuals:
        return old.inputs
    try:
        years = resolve(est, replace(old.inputs, actuals=()), today).years
    except InputError:
        return old.inputs  # the build reports the inputs' own problem
    kept = tuple(a for a in old.inputs.actuals if a.year in years)
    for a in old.inputs.actuals:
        if a.year not in years:
            carried = next(c for c in old.carried if c.key.startswith(f"{ACTUAL}{a.line}#")
                           and c.label.endswith(f" {a.year}"))
            key = carried.key
            old.problems.append(Problem(key, carried.title, carried.raw,
                                        f"{a.year} is not one of the new workbook's budget years "
                                        f"{years[0]}–{years[-1]}",
                                        Message(N_("{year} er ikke blant budsjettårene {first}–{last}"), year=a.year,
                                                first=years[0], last=years[-1]), "no_room"))
            old.carried[:] = [c for c in old.carried if c.key != key]
    return replace(old.inputs, actuals=kept)


def estimate_changes(old: FilledWorkbook, new: FilledWorkbook, names: list[str],
                     est: Estimates | None = None) -> list[EstimateChange]:
    """Every named figure of the estimates (and list) whose value differs, was added or was removed;
    the default first budget year too when the year was left blank (it moves with the build date).
    When the new workbook is in the other målform (`--malform`), a text that is the same in the other målform
    (a list's labels, by the estimates `est` and the catalogs) has not changed."""
    out = []
    switched = est is not None and old.inputs.malform != new.inputs.malform
    for name in names:
        before, after = old.saved.get(name), new.saved.get(name)
        if old.formulas.get(name) and (before is None or isinstance(before, list) and None in before):
            continue  # a derived figure (or column) with no saved value (openpyxl drops them): its inputs are compared
        if switched and est is not None and same_figure(_in_nynorsk(est, before), _in_nynorsk(est, after)):
            continue
        if name not in old.saved or not same_figure(before, after):
            out.append(EstimateChange(name, new.labels.get(name, name), before if name in old.saved else None, after))
    for name in old.saved:
        if (name.startswith(("kj_est_", "kj_list_")) and name not in names and name not in new.saved
                and not old.formulas.get(name)):
            out.append(EstimateChange(name, old.labels.get(name, name), old.saved[name], None))
    a, b = old.metadata.get("default_first_year"), new.metadata.get("default_first_year")
    if old.inputs.first_year is None and a and b and a != b:
        out.append(EstimateChange("kj_meta_default_first_year",
                                  tr(N_("Første budsjettår når feltet er tomt"), new.inputs.malform), a, b))
    return out


def _in_nynorsk(est: Estimates, value: Any) -> Any:
    """A value with its texts in nynorsk (the estimates' *_nn text, else the catalog's; a nynorsk text as it
    is), to compare a bokmål workbook's lists with a nynorsk one's."""
    if isinstance(value, list):
        return [_in_nynorsk(est, v) for v in value]
    if not isinstance(value, str):
        return value
    text = est.text_in(value, "nn")
    return text if text != value else tr(value, "nn")


def old_headlines(source: Path, old: FilledWorkbook, candidates: list[Estimates]) -> tuple[dict[str, Any], str]:
    """The old workbook's headline totals: its saved values, or the model's for its inputs and the
    estimates it was built from (when known), or nothing."""
    saved = {o.name: old.saved.get(o.name) for o in KEY_OUTPUTS}
    if isinstance(saved.get("kj_total_kr"), (int, float)):
        return saved, "saved"
    sha = old.metadata.get("estimates_sha256")
    candidates = [*candidates, load_estimates()]
    for cand in candidates:
        if sha and cand.sha256 == sha:
            inputs = read_workbook(source, cand).inputs
            return output_values(cand, budget(cand, inputs, built_date(old.metadata))), "model"
    return {}, ""


def _remarks(old: FilledWorkbook, built: BuiltWorkbook, password: str | None) -> list[tuple[str, Message]]:
    """Remarks on the whole workbook: in English (the terminal) and as messages (the Regenerering sheet)."""
    out = []
    if old.password and not password:
        out.append(("The old workbook's sheets had a password; the new one is protected without one "
                    "(pass --password to set one).",
                    Message(N_("Arkene i forrige arbeidsbok hadde passord; denne er beskyttet uten passord."))))
    before, now = old.metadata.get("template_version"), built.metadata["template_version"]
    if before and before != now:
        out.append((f"Template version {before} → {now}.",
                    Message(N_("Malversjon {before} → {now}."), before=before, now=now)))
    return out


# ----------------------------------------------------------------------------- the terminal report


def report_lines(reg: Regeneration, out: Path | None = None) -> list[str]:
    """The report in English, one line per item."""
    r, old = reg.report, reg.old
    meta = old.metadata
    # the new workbook's målform: its values as its Regenerering sheet shows them, and the labels and list values
    # the English reasons quote
    malform = reg.built.budget.params.malform
    lines = [f"Read {reg.source} (built {meta.get('built', '?')} from estimates {meta.get('estimates_id', '?')} "
             f"{meta.get('estimates_version', '?')}); new estimates {reg.est.id} {reg.est.version}."]
    lines += [en for en, _ in r.notes]
    lines.append(f"Inputs: {len(r.carried)} carried ({len(r.changed)} changed), {len(r.not_carried)} not carried "
                 f"(kept as notes beside the inputs), {len(r.dropped)} dropped, {len(r.missing)} new in the template.")
    for c in r.carried:
        lines.append(f"  carried      {c.key} = {value_now(reg.est, malform, c)!r}"
                     + (f" (changed: {c.en_in(malform)})" if c.changed else ""))
    for p in r.not_carried:
        where = "Oppfølging, the note column" if p.key.startswith(ACTUAL) else "Inndata, column J"
        lines.append(f"  NOT CARRIED  {p.key} = {p.raw!r}: {p.en_in(malform)}; kept as a note beside the input "
                     f"({where}), the input is blank")
    for p in r.dropped:
        lines.append(f"  DROPPED      {p.key} = {p.raw!r}: {p.en_in(malform)}; the value is listed on the "
                     "Regenerering sheet")
    for name in r.missing:
        lines.append(f"  new          {name}: not in the old workbook; blank (the default is used)")
    lines.append(f"Estimates changed: {len(r.estimate_changes)}")
    for e in r.estimate_changes:
        lines.append(f"  {e.name}: {terminal_value(e.old) if e.old is not None else '(absent)'} -> "
                     f"{terminal_value(e.new) if e.new is not None else '(removed)'}")
    source = {"saved": "saved in the old workbook", "model": "recomputed with the old estimates",
              "": "unknown: the old workbook has no saved values"}[r.old_totals]
    lines.append(f"Headline totals, old ({source}) -> new:")
    width = max((len(h.label_en) for h in r.headlines), default=0)  # the figures in columns under each other
    for h in r.headlines:
        diff = h.difference
        year = h.num == "year"  # the price level: 2027, not 2 027
        old_text = terminal_value(h.old, year) if h.old is not None else "?"
        lines.append(f"  {h.label_en:<{width}} {old_text:>14} -> {terminal_value(h.new, year):>14}"
                     + (f"  ({'+' if diff > 0 else ''}{terminal_value(diff)})" if diff else ""))
    if out is not None:
        lines.append(f"Wrote {out}: the report is on its Regenerering sheet.")
    return lines


__all__ = ["Regeneration", "UnreadableWorkbook", "default_out", "estimate_changes", "regenerate", "report_lines"]
