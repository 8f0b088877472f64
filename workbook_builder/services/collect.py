"""`kj-budget collect`: many filled workbooks → one regional overview (workbook and CSV).

Each workbook's inputs are read by defined name (`source.read_filled`) and the model computes its
budget, so the overview's numbers are the model's, whatever program last saved the file. The
workbook's own saved totals are compared with the model's and a difference is flagged. A file
that cannot be read is listed with the reason, in the overview and on the terminal.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import math
import os
import stat
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from workbook_builder import __version__
from workbook_builder.cells import OUTPUTS, list_label, output_values
from workbook_builder.core import i18n
from workbook_builder.core.estimates import Estimates
from workbook_builder.core.followup import ABOVE, BELOW, WITHIN, follow_up, in_price_year, line_label
from workbook_builder.core.i18n import DEFAULT_MALFORM, N_, Message, tr
from workbook_builder.core.model import Budget, Inputs, budget, master_message, parse_group
from workbook_builder.core.numbers import nb_number, same_value
from workbook_builder.core.textinput import csv_text
from workbook_builder.core.vocabulary import STATUSES
from workbook_builder.services.readcache import ReadCache, digest_of
from workbook_builder.services.source import Finding, UnreadableWorkbook, read_filled
from workbook_builder.services.workers import process_pool
from workbook_builder.sheets.base import FastWorksheet, new_chart
from workbook_builder.xlsx.files import atomic_write_many
from workbook_builder.xlsx.filled_reader import file_bytes

# The saved outputs collect compares with the model's: every headline output but the totals' mean, sd, P50 and
# P85, which `check` compares. Those are the only ones on the sheet Usikkerhet, as large as Inndata: leaving
# them out spares reading it in every workbook (a fifth of the reading, bench/bench_batch_collect.py). The
# overview's P50 and P85 are the model's either way; the per-year P50 and P85 on Budsjett are compared.
ON_USIKKERHET = ("kj_total_kr_mean", "kj_total_kr_sd", "kj_total_kr_p50", "kj_total_kr_p85", "kj_cash_total_kr_p50",
                 "kj_cash_total_kr_p85", "kj_internal_total_kr_p50", "kj_internal_total_kr_p85")
COMPARED_OUTPUTS = tuple(n for n in OUTPUTS if n not in ON_USIKKERHET)
KR = '#,##0" kr"'  # the space inside the literal: LibreOffice nb-NO keeps it through a save (README)
COUNT = "#,##0"
YEAR = "0"
# Units written after a count of the region's key figures (in the overview's målform): a figure is never bare
PERSONS, HOURS, MUNICIPALITIES = N_("personer"), N_("timer"), N_("kommuner")
NOT_READ = N_("Ikke lest")  # the sheet of files not read, and their status in the CSV
# The overview's sheets (message ids: the overview names them in its målform, `collect --malform`)
REGION, OVERVIEW, PER_YEAR, FOLLOW_UP = N_("Regionen"), N_("Oversikt"), N_("Per år"), N_("Oppfølging")


@dataclass
class Entry:
    """One workbook read and budgeted by the model."""

    path: Path
    inputs: Inputs
    budget: Budget  # without its cash lines and budget lines: the overview shows neither (see `read_one`)
    findings: list[Finding]
    mismatch: str  # "" when the workbook's saved totals agree with the model (bokmål; `notes` in either målform)
    seconds: float
    metadata: dict[str, str] = field(default_factory=dict)
    saved_at: float = 0.0  # the file's modification time: of two copies of a municipality, the newer counts
    notes: tuple[Message, ...] = ()  # the mismatch, note by note, to be read in the overview's målform
    digest: str = ""  # SHA-256 of the bytes it was read from, when asked for (the cache's key, `readcache`)
    today: dt.date | None = None  # the date the budget took as today (no build date in the workbook), else None

    @property
    def staff_by_group(self) -> dict[str, int]:
        """Personnel per rollout group id (groups without steps are absent)."""
        out: dict[str, int] = {}
        for s in self.inputs.steps:
            if s.group is not None and s.staff > 0:
                out[s.group] = out.get(s.group, 0) + s.staff
        return out


@dataclass
class Failure:
    """A file that could not be read, and why (one line)."""

    path: Path
    reason: str
    seconds: float = 0.0


# ----------------------------------------------------------------------------- finding and reading files


@dataclass
class Found:
    """What the command line named: the workbooks to read, the Excel lock files left out, and the entries
    of a folder that look like workbooks but cannot be read as files (each becomes a Failure)."""

    files: list[Path]
    locks: list[Path]
    unusable: list[Failure]
    in_folders: set[Path]  # files found by scanning a folder (not named one by one)


def _unusable(p: Path) -> str:
    """Why a folder entry named like a workbook is not a regular file, or "" when it is one."""
    try:
        st = p.stat()
    except FileNotFoundError:
        return f"{p.name}: is a symbolic link to a file that does not exist ({os.readlink(p)})" if p.is_symlink() \
            else f"{p.name}: disappeared while the folder was read"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"{p.name}: is a loop of symbolic links"
        return f"{p.name}: cannot be read ({exc.strerror or exc})"
    if stat.S_ISDIR(st.st_mode):
        return f"{p.name}: is a folder, not a workbook"
    if not stat.S_ISREG(st.st_mode):
        kind = "a named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode) else "a device or socket"
        return f"{p.name}: is {kind}, not a workbook file"
    return ""


def find_workbooks(targets: Sequence[Path]) -> Found:
    """The .xlsx files named, or inside the folders named (not recursive), sorted; Excel's lock files
    (~$…) are left out and listed; a folder entry named .xlsx that is not a regular file (a dangling or
    looping symbolic link, a FIFO, a folder) is never ignored silently: it is listed as not read.
    Raises FileNotFoundError for a target that does not exist."""
    found = Found([], [], [], set())
    seen: set[Path] = set()
    for t in targets:
        if t.is_dir():
            candidates = sorted(p for p in t.iterdir() if p.suffix.lower() in (".xlsx", ".xlsm"))
            from_folder = True
        elif t.exists() or t.is_symlink():
            candidates, from_folder = [t], False
        else:
            raise FileNotFoundError(str(t))
        for p in candidates:
            if p.name.startswith("~$"):
                found.locks.append(p)
                continue
            if p.name.startswith(".") and p.name.endswith(".tmp"):
                continue  # an atomic write in progress (files.atomic_write_many)
            reason = _unusable(p)
            if reason:
                found.unusable.append(Failure(p, reason))
                continue
            key = p.resolve()
            if key in seen:
                continue
            seen.add(key)
            found.files.append(p)
            if from_folder:
                found.in_folders.add(p)
    return found


def compare_saved(est: Estimates, b: Budget, saved: dict[str, Any], metadata: dict[str, str]) -> str:
    """'' when the workbook's saved headline outputs equal the model's; else a short Norwegian note."""
    return "; ".join(m.text() for m in saved_notes(est, b, saved, metadata))


def saved_notes(est: Estimates, b: Budget, saved: dict[str, Any], metadata: dict[str, str]) -> tuple[Message, ...]:
    """What `compare_saved` says, note by note, as messages the overview reads in its målform."""
    notes = []
    if metadata.get("estimates_sha256") and metadata["estimates_sha256"] != est.sha256:
        built_with = f"{metadata.get('estimates_id', '?')} {metadata.get('estimates_version', '?')}"
        notes.append(Message(N_("bygget med estimater {estimates}"), estimates=built_with))
    present = {k: v for k, v in saved.items() if k != "kj_hours_returned_years"}  # may be blank by right
    blank = lambda v: v in ("", None) or (isinstance(v, list) and all(x in ("", None) for x in v))  # noqa: E731
    if present and all(blank(v) for v in present.values()):
        notes.append(Message(N_("lagrede tall mangler (lagret av et program som ikke regner ut formler)")))
    else:
        model = output_values(est, b)
        off = [k for k, v in saved.items() if k in model and not same_value(v, model[k])]
        if off:
            first = off[0]
            more = Message(N_(" og {n} til"), n=len(off) - 3) if len(off) > 3 else ""
            notes.append(Message(N_("arbeidsbokens lagrede tall avviker fra modellen: {names}{more} ({first}: "
                                    "{saved} mot {model})"), names=", ".join(off[:3]), more=more, first=first,
                                 saved=_short(saved[first]), model=_short(model[first])))
    return tuple(notes)


def _short(v: Any) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(_short(x) for x in v) + "]"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return nb_number(v, 0 if float(v).is_integer() else 2)
    return repr(v)


def read_one(path: Path, est: Estimates, today: dt.date, digest: bool = False) -> Entry | Failure:
    """Read one workbook and budget it; never raises (a failure is a value with its reason). With `digest` the
    entry carries the SHA-256 of the very bytes it was read from (for the cache)."""
    t = time.perf_counter()
    try:
        data = file_bytes(path) if digest else None
        filled = read_filled(path, est, COMPARED_OUTPUTS, data)
        b = budget(est, filled.inputs, filled.built or today)
        # Group ids, so the overview can sum personnel per group.
        inputs = replace(filled.inputs, steps=tuple(replace(s, group=parse_group(est, s.group) if s.group else None)
                                                     for s in filled.inputs.steps))
        notes = saved_notes(est, b, filled.saved, filled.metadata)
        mismatch = "; ".join(m.text() for m in notes)
        # The cash lines and budget lines (a hundred small objects) are most of what a worker would send back,
        # and the main process would spend longer taking them in than the worker spends reading the workbook.
        b = replace(b, cash_lines=(), accounting_lines=())
        return Entry(path, inputs, b, filled.findings, mismatch, time.perf_counter() - t, filled.metadata,
                     _mtime(path), notes, digest_of(data) if data is not None else "",
                     None if filled.built else today)
    except UnreadableWorkbook as exc:
        return Failure(path, str(exc), time.perf_counter() - t)
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop a regional roll-up
        return Failure(path, f"{path.name}: cannot be read ({type(exc).__name__}: {exc})", time.perf_counter() - t)


_WORKER_EST: Estimates | None = None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _init_worker(est: Estimates) -> None:
    """The estimates the command parsed (a forked worker has them already; parsing them again would take
    as long as reading a few workbooks)."""
    global _WORKER_EST
    _WORKER_EST = est


def _read_in_worker(path: str, today: dt.date, digest: bool) -> Entry | Failure:
    assert _WORKER_EST is not None
    return read_one(Path(path), _WORKER_EST, today, digest)


def collect(paths: Sequence[Path], est: Estimates, *, workers: int = 2, today: dt.date | None = None,
            progress: Callable[[Entry | Failure], None] | None = None, cache: ReadCache | None = None
            ) -> list[Entry | Failure]:
    """Read every workbook (on `workers` processes when there are enough files to pay for them), in the order
    given. With a `cache`, a workbook whose bytes were read before (with these estimates and this code) is taken
    from it, and the others are read and kept in it."""
    today = today or dt.date.today()
    results: list[Entry | Failure | None] = [None] * len(paths)
    todo: list[int] = []
    for k, p in enumerate(paths):
        hit = cache.get(p, today)[1] if cache is not None else None
        if hit is None:
            todo.append(k)
            continue
        results[k] = replace(hit, saved_at=_mtime(p))
        if progress:
            progress(hit)
    digest = cache is not None
    if workers <= 1 or len(todo) < 8:
        read = []
        for k in todo:
            read.append(read_one(paths[k], est, today, digest))
            if progress:
                progress(read[-1])
    else:
        read = []
        with process_pool(workers, _init_worker, (est,)) as pool:
            for r in pool.map(_read_in_worker, [str(paths[k]) for k in todo], [today] * len(todo),
                              [digest] * len(todo), chunksize=8):
                read.append(r)
                if progress:
                    progress(r)
    for k, r in zip(todo, read):
        results[k] = r
    if cache is not None:
        cache.put(r for r in read if isinstance(r, Entry))
    return [r for r in results if r is not None]


# ----------------------------------------------------------------------------- the overview's table


@dataclass(frozen=True)
class Col:
    head: str  # the bokmål head: the column's key (totals, the CSV's first columns)
    fmt: str  # "" text | KR | COUNT | YEAR
    width: float
    total: str = ""  # "sum" | "sd" (root of the sum of squares) | "p85" | "checks" | ""
    msgid: str = ""  # the head's message id when it has placeholders (`values`); else the head is the id
    values: tuple[tuple[str, object], ...] = ()

    def label(self, malform: str) -> str:
        """The head as the overview shows it, in `malform`."""
        return tr(self.msgid or self.head, malform, **dict(self.values))


HEAD_COLUMNS = (Col(N_("Kommunenr"), "", 10), Col(N_("Kommune"), "", 18), Col(N_("EPJ-leverandør"), "", 19),
                Col(N_("e-ID"), "", 14))
STAFF_GROUP, CASH_YEAR = N_("Helsepersonell {group}"), N_("Nye midler {year}")


def overview_columns(est: Estimates, years: Sequence[int]) -> list[Col]:
    """The overview's columns: one personnel column per rollout group of the estimates in use."""
    return [
        *HEAD_COLUMNS,
        *(Col(STAFF_GROUP.format(group=g.id), COUNT, 11, "sum", STAFF_GROUP, (("group", g.id),)) for g in est.groups),
        Col(N_("Helsepersonell totalt"), COUNT, 12, "sum"),
        Col(N_("Første budsjettår (prisnivå)"), YEAR, 10),
        *(Col(CASH_YEAR.format(year=y), KR, 15, "sum", CASH_YEAR, (("year", y),)) for y in years),
        Col(N_("Nye midler totalt"), KR, 15, "sum"), Col(N_("Nye midler P50, 4 år"), KR, 15, "sum"),
        Col(N_("Nye midler, standardavvik"), KR, 14, "sd"), Col(N_("Nye midler P85, 4 år"), KR, 15, "p85"),
        Col(N_("Interne timer, 4 år"), COUNT, 12, "sum"),
        Col(N_("Interne ressurser i kr, 4 år"), KR, 15, "sum"),
        Col(N_("Engangskostnad totalt"), KR, 15, "sum"), Col(N_("Drift per år"), KR, 13, "sum"),
        Col(N_("Frigjort tid, timer per år"), COUNT, 11, "sum"), Col(N_("Frigjort tid per år"), KR, 13, "sum"),
        Col(N_("Kontroll"), "", 10, "checks"),
        Col(N_("Kontrollmelding"), "", 44), Col(N_("Merknad"), "", 44), Col(N_("Fil"), "", 28),
    ]


@dataclass(frozen=True)
class Duplicate:
    """A workbook with the same municipality number as one that is counted: listed, not summed."""

    entry: Entry
    counted: Entry


def split_duplicates(entries: Sequence[Entry]) -> tuple[list[Entry], list[Duplicate]]:
    """Each municipality number counted once in every sum: of several workbooks with one number, the
    most recently saved file counts (the first by file name when saved at the same time); the others
    are duplicates, listed with the file that counts. Workbooks without a number all count."""
    best: dict[str, Entry] = {}
    for e in sorted(entries, key=lambda e: (-e.saved_at, e.path.name)):
        best.setdefault(e.inputs.municipality_number, e)
    counted, dups = [], []
    for e in entries:
        n = e.inputs.municipality_number
        if not n or best[n] is e:
            counted.append(e)
        else:
            dups.append(Duplicate(e, best[n]))
    return counted, dups


def _order(e: Entry) -> tuple[str, str, str]:
    return e.inputs.municipality_number or "9999", e.inputs.municipality, e.path.name


def overview_rows(entries: Sequence[Entry], est: Estimates, duplicates: Sequence[Duplicate] = (),
                  years: Sequence[int] | None = None, malform: str = DEFAULT_MALFORM
                  ) -> tuple[list[int], list[list[Any]]]:
    """(calendar years, one row per municipality in the columns of `overview_columns`). `entries` are
    the counted ones; a counted entry's note names its duplicates."""
    if years is None:
        years = sorted({y.year for e in entries for y in e.budget.years})
    dup_of: dict[int, list[str]] = {}
    for d in duplicates:
        dup_of.setdefault(id(d.counted), []).append(d.entry.path.name)
    return list(years), [_row(e, est, years, [
        Message(N_("samme kommunenummer som {files}, som ikke er med i summene"), files=", ".join(dup_of[id(e)]))]
        if id(e) in dup_of else [], malform) for e in sorted(entries, key=_order)]


def duplicate_rows(duplicates: Sequence[Duplicate], est: Estimates, years: Sequence[int],
                   malform: str = DEFAULT_MALFORM) -> list[list[Any]]:
    return [_row(d.entry, est, years, [Message(N_("duplikat: samme kommunenummer som {file}, som er med i summene; "
                                                  "denne er ikke med"), file=d.counted.path.name)], malform)
            for d in sorted(duplicates, key=lambda d: _order(d.entry))]


def _row(e: Entry, est: Estimates, years: Sequence[int], extra_notes: list[Message],
         malform: str = DEFAULT_MALFORM) -> list[Any]:
    b = e.budget
    g = e.staff_by_group
    by_year = {y.year: y.cash_kr for y in b.years}
    notes = []
    if e.findings:
        notes.append(tr(N_("{n} ugyldige verdier er ikke brukt: {values}"), malform, n=len(e.findings),
                        values="; ".join(f"{f.label_in(malform)} «{f.raw}»" for f in e.findings[:3])))
    notes += [m.text(malform) for m in e.notes] if e.notes else ([e.mismatch] if e.mismatch else [])
    notes += [m.text(malform) for m in extra_notes]
    return [
        e.inputs.municipality_number, e.inputs.municipality, list_label(est, "vendor", e.inputs.vendor, malform) or "",
        est.text_in(est.eid_option(b.params.eid).label, malform), *(g.get(group.id, 0) for group in est.groups),
        b.total_staff, b.params.first_year,
        *(by_year.get(y) for y in years),
        b.cash_total_kr, b.ranges.cash_total.p50, b.ranges.cash_total.sd, b.ranges.cash_total.p85,
        sum(y.internal_hours for y in b.years), sum(y.internal_kr for y in b.years),
        b.one_off.total_kr, b.running.total_kr, b.benefit.hours, b.benefit.kr,
        tr(b.master_check, malform), master_message(b.checks, malform), "; ".join(notes), e.path.name,
    ]


def per_year_rows(entries: Sequence[Entry]) -> list[list[Any]]:
    rows = []
    for e in sorted(entries, key=_order):
        for y in e.budget.years:
            rows.append([e.inputs.municipality_number, e.inputs.municipality, y.year, y.staff_new, y.cash_kr,
                         y.internal_kr, y.benefit_kr, y.internal_hours, y.benefit_hours])
    return rows


# The follow-up table (issue 14): for each municipality that has reported an actual, one row per line and budget
# year that has a budget or an actual. Budget, P50, P85 and the actual in fixed prices are each workbook's model
# figures (core/followup); deviation, share and status are formulas on the overview's sheet (the model's values
# in the CSV). The personnel and the actual in the estimates' price year are what `estimates --calibrate
# OVERVIEW.xlsx` fits the estimates to. The municipalities that have reported nothing yet are named above the
# table, not given rows of budgets beside blank actuals (a region before its first tertial report would
# otherwise be thousands of rows that say nothing: 4 670 for 356 municipalities).
IN_PRICE_YEAR = N_("Faktisk i estimatenes prisår ({year})")


def followup_columns(est: Estimates) -> tuple[Col, ...]:
    return (
        Col(N_("Kommunenr"), "", 10), Col(N_("Kommune"), "", 18), Col(N_("Linje"), "", 60),
        Col(N_("Linje-id"), "", 24), Col(N_("Budsjettår"), YEAR, 10), Col(N_("Enhet"), "", 7),
        Col(N_("Budsjett (sannsynlig)"), COUNT, 14), Col(N_("P50"), COUNT, 13), Col(N_("P85"), COUNT, 13),
        Col(N_("Faktisk, slik det er lagt inn"), COUNT, 14),
        Col(N_("Faktisk i faste priser (første budsjettår)"), COUNT, 15),
        Col(N_("Avvik (faktisk − budsjett)"), COUNT, 14), Col(N_("Avvik i %"), "0.0%", 9), Col(N_("Status"), "", 16),
        Col(N_("Helsepersonell i alle trinn"), COUNT, 12),
        Col(IN_PRICE_YEAR.format(year=est.price_year), COUNT, 14, "", IN_PRICE_YEAR, (("year", est.price_year),)),
        Col(N_("Fil"), "", 28),
    )


(F_NUMBER, F_NAME, F_LABEL, F_LINE, F_YEAR, F_UNIT, F_BUDGET, F_P50, F_P85, F_ENTERED, F_FIXED, F_DEV, F_SHARE,
 F_STATUS, F_STAFF, F_PRICE_YEAR, F_FILE) = range(17)
# The follow-up table's columns by defined name (kj_fu_<key>) in the overview workbook.
FU_NAMES = {"municipality": F_NUMBER, "name": F_NAME, "line": F_LINE, "year": F_YEAR, "unit": F_UNIT,
            "budget": F_BUDGET, "p50": F_P50, "p85": F_P85, "entered": F_ENTERED, "actual": F_FIXED,
            "deviation": F_DEV, "share": F_SHARE, "status": F_STATUS, "staff": F_STAFF, "price_year": F_PRICE_YEAR,
            "file": F_FILE}


def reported(entries: Sequence[Entry]) -> tuple[list[Entry], list[Entry]]:
    """(the entries with at least one actual, the entries with none yet), each in the overview's order."""
    ordered = sorted(entries, key=_order)
    return [e for e in ordered if e.inputs.actuals], [e for e in ordered if not e.inputs.actuals]


def followup_rows(entries: Sequence[Entry], est: Estimates, malform: str = DEFAULT_MALFORM) -> list[list[Any]]:
    """The lines and budget years with a budget or an actual of each counted municipality that has reported an
    actual, in the columns of `followup_columns` (None where the actual is not known yet)."""
    rows = []
    for e in reported(entries)[0]:
        p = e.budget.params
        for d in follow_up(est, e.budget, e.inputs.actuals):
            if d.actual is None and d.budget == 0:
                continue
            rows.append([e.inputs.municipality_number, e.inputs.municipality, line_label(est, d.line, malform),
                         d.line.id, d.year, tr(d.line.unit, malform), d.budget, d.p50, d.p85, d.actual_nominal,
                         d.actual, d.deviation, d.deviation_share, tr(d.status, malform) if d.status else None,
                         e.budget.total_staff, in_price_year(est, p, d), e.path.name])
    return rows


def status_counts(entries: Sequence[Entry]) -> dict[str, int]:
    """How many workbooks have each master check, in the order of the one severity table (best first)."""
    return {st.word: sum(e.budget.master_check == st.word for e in entries) for st in STATUSES}


def status_summary(counts: dict[str, int], malform: str = DEFAULT_MALFORM) -> str:
    """«5 OK, 1 Merknad, 0 Ikke utfylt, 0 Feil»: the overview's Kontroll total (its formula says the same)."""
    return ", ".join(f"{n} {tr(word, malform)}" for word, n in counts.items())


# ----------------------------------------------------------------------------- writing

DUPLICATE = N_("Duplikat")
OVERVIEW_KIND = "oversikt"  # the document property kj_kind: how the output rule recognises our overview
FOLLOW_UP_CSV_SUFFIX = "-oppfolging.csv"  # the follow-up table's CSV, beside the overview's


def csv_columns() -> list[str]:
    """The first columns of the overview CSV: how the output rule recognises our own earlier CSV (the same words
    in bokmål and nynorsk)."""
    assert all(tr(c.head, "nn") == c.head for c in HEAD_COLUMNS)
    return [c.head for c in HEAD_COLUMNS]


def followup_csv_columns() -> list[str]:
    """The first columns of the follow-up CSV (the same words in bokmål and nynorsk)."""
    return [N_("Kommunenr"), N_("Kommune"), N_("Linje"), N_("Linje-id")]


def followup_csv_path(out: Path) -> Path:
    return out.with_name(out.stem + FOLLOW_UP_CSV_SUFFIX)


def _csv_value(v: Any) -> str:
    """Numbers with a decimal comma and no grouping, as Norwegian Excel reads them from a ';' file; text
    quoted and neutralised against formula injection (textinput.csv_text)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return csv_text(str(v))
    if isinstance(v, (int, float)):
        return (f"{int(v)}" if float(v).is_integer() else repr(float(v))).replace(".", ",")
    return csv_text(str(v))


def _csv(heads: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = [";".join(_csv_value(h) for h in heads), *(";".join(_csv_value(v) for v in r) for r in rows)]
    return "\ufeff" + "\r\n".join(lines) + "\r\n"  # the BOM tells Excel it is UTF-8


def overview_csv(est: Estimates, years: Sequence[int], rows: Sequence[Sequence[Any]], failures: Sequence[Failure],
                 duplicates: Sequence[Sequence[Any]] = (), malform: str = DEFAULT_MALFORM) -> str:
    """';'-separated, decimal comma: what Norwegian Excel writes and opens. Duplicates (listed without
    their figures, so a sum over a column counts each municipality once) and unread files are rows too."""
    cols = overview_columns(est, years)
    keys = [c.head for c in cols]

    def listed(number: str, name: str, status: str, note: str, file: str) -> list[Any]:
        blank: list[Any] = [None] * len(cols)
        blank[0], blank[1] = number or None, name or None
        blank[keys.index("Kontroll")], blank[-2], blank[-1] = tr(status, malform), note, file
        return blank

    return _csv([c.label(malform) for c in cols],
                [*rows, *(listed(r[0], r[1], DUPLICATE, r[-2], r[-1]) for r in duplicates),
                 *(listed("", "", NOT_READ, f.reason, f.path.name) for f in failures)])


def followup_csv(est: Estimates, rows: Sequence[Sequence[Any]], malform: str = DEFAULT_MALFORM) -> str:
    """The follow-up table as CSV: one row per municipality, line and budget year with a budget or an actual."""
    return _csv([c.label(malform) for c in followup_columns(est)], rows)


@dataclass
class Overview:
    """What was made, and the cells the totals are in (for tests and the summary)."""

    xlsx: Path
    csv: Path
    years: list[int]
    rows: list[list[Any]]
    totals: dict[str, Any]
    failures: list[Failure]
    duplicates: list[Duplicate] = field(default_factory=list)
    xlsx_bytes: bytes = b""
    csv_bytes: bytes = b""
    followup: list[list[Any]] = field(default_factory=list)
    followup_csv: Path | None = None
    followup_csv_bytes: bytes = b""


def write_overview(out: Path, entries: Sequence[Entry], failures: Sequence[Failure], est: Estimates, *,
                   today: dt.date | None = None, malform: str = DEFAULT_MALFORM) -> Overview:
    """Make the overview and write the workbook and the two CSVs beside it, atomically, all or none (the
    command line checks the targets first: workbook_builder.output)."""
    ov = make_overview(out, entries, failures, est, today=today, malform=malform)
    assert ov.followup_csv is not None
    atomic_write_many([(ov.xlsx, ov.xlsx_bytes), (ov.csv, ov.csv_bytes), (ov.followup_csv, ov.followup_csv_bytes)])
    return ov


OVERVIEW_PAGES_WIDE, FOLLOW_UP_PAGES_WIDE = 3, 2  # their columns on so many A4 pages across, at a readable size
REGION_LABEL_CHARS = 50  # the characters of a key figure's label on one line of Regionen's column A


def plural(n: int, one: str, many: str) -> str:
    """The message for one thing or for n of them (never «arbeidsbok(er)»)."""
    return one if n == 1 else many


# (one, many): the overview's counted sentences
NOT_READ_WARNING = (N_("1 arbeidsbok kunne ikke leses og er ikke med i summene: se arket «{sheet}»."),
                    N_("{n} arbeidsbøker kunne ikke leses og er ikke med i summene: se arket «{sheet}»."))
DUPLICATES_LISTED = (N_("Ikke med i summene: 1 arbeidsbok med samme kommunenummer som en annen (den sist lagrede er "
                        "med)"),
                     N_("Ikke med i summene: {n} arbeidsbøker med samme kommunenummer som en annen (den sist lagrede "
                        "er med)"))
DUPLICATES_WARNING = (N_("1 arbeidsbok har samme kommunenummer som en annen og er ikke med i summene: se under «Sum "
                         "regionen» på arket {sheet}."),
                      N_("{n} arbeidsbøker har samme kommunenummer som en annen og er ikke med i summene: se under "
                         "«Sum regionen» på arket {sheet}."))
NO_ACTUALS_YET = (N_("Ingen faktiske tall ennå fra 1 kommune, som ikke har rader her: {names}."),
                  N_("Ingen faktiske tall ennå fra {n} kommuner, som ikke har rader her: {names}{more}."))


def make_overview(out: Path, entries: Sequence[Entry], failures: Sequence[Failure], est: Estimates, *,
                  today: dt.date | None = None, malform: str = DEFAULT_MALFORM) -> Overview:
    """The overview workbook (Regionen, Oversikt, Per år, Oppfølging, Ikke lest) and its CSVs, in memory, with
    every text in `malform`. Each municipality number is counted once in every sum (`split_duplicates`); the
    duplicates are listed below «Sum regionen» and in the CSV."""
    today = today or dt.date.today()

    def tr(text: str, /, **values: object) -> str:  # the overview's målform (extracted by the name tr)
        return i18n.tr(text, malform, **values)

    counted, duplicates = split_duplicates(entries)
    years, rows = overview_rows(counted, est, duplicates, malform=malform)
    drows = duplicate_rows(duplicates, est, years, malform)
    entries = counted
    cols = overview_columns(est, years)
    yrows = per_year_rows(entries)
    frows = followup_rows(entries, est, malform)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}  # a row's figures level with its first line
    kr = KR.replace("kr", tr("kr"))
    fmt = {
        "title": wb.add_format({**base, "bold": True, "font_size": 15, "font_color": "#1F3864"}),
        "sub": wb.add_format({**base, "font_color": "#555555"}),
        "warn": wb.add_format({**base, "bold": True, "font_color": "#9C0006", "bg_color": "#FFC7CE"}),
        "head": wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "bottom": 2, "text_wrap": True,
                               "valign": "top"}),
        "": wb.add_format(base),
        "wrap": wb.add_format({**base, "text_wrap": True, "valign": "top"}),
        KR: wb.add_format({**base, "num_format": kr, "valign": "top"}),
        COUNT: wb.add_format({**base, "num_format": COUNT}),
        YEAR: wb.add_format({**base, "num_format": YEAR, "align": "center"}),  # a name, not an amount: apart from both
        "0.0%": wb.add_format({**base, "num_format": '0.0" "%'}),
        "total": wb.add_format({**base, "bold": True, "top": 2}),
        "total" + KR: wb.add_format({**base, "bold": True, "top": 2, "num_format": kr}),
        "total" + COUNT: wb.add_format({**base, "bold": True, "top": 2, "num_format": COUNT}),
        "label": wb.add_format({**base, "bold": True, "text_wrap": True, "valign": "top"}),
        "note": wb.add_format({**base, "font_color": "#555555", "text_wrap": True, "valign": "top"}),
        "factor": wb.add_format({**base, "num_format": "0.0000"}),
        "year_left": wb.add_format({**base, "num_format": YEAR, "align": "left"}),
        **{unit: wb.add_format({**base, "num_format": f'#,##0" {tr(unit)}"'})
           for unit in (PERSONS, HOURS, MUNICIPALITIES)},
    }
    n_status = status_counts(entries)
    subtitle = tr("{n} kommuner · laget {date} med kj-budget {version} · estimater {estimates}", n=len(entries),
                 date=today.strftime("%d.%m.%Y"), version=__version__, estimates=f"{est.id} {est.version}")
    names = {sheet: tr(sheet) for sheet in (REGION, OVERVIEW, PER_YEAR, FOLLOW_UP, NOT_READ)}
    ov_name, py_name, reg_name = names[OVERVIEW], names[PER_YEAR], names[REGION]

    # FastWorksheet: XlsxWriter's sheet without its future-function rewriting, which no formula here needs
    # (it was two thirds of writing the follow-up table's 14 000 formulas for 356 municipalities)
    reg, ov, py, fu, nr = (wb.add_worksheet(names[sheet], worksheet_class=FastWorksheet)
                           for sheet in (REGION, OVERVIEW, PER_YEAR, FOLLOW_UP, NOT_READ))
    not_read_warning = tr(plural(len(failures), *NOT_READ_WARNING), n=len(failures), sheet=names[NOT_READ])

    def write_row(ws: Any, r: int, columns: Sequence[Col], row: Sequence[Any]) -> None:
        for c, (col, v) in enumerate(zip(columns, row)):
            if v is None or v == "":
                ws.write_blank(r, c, None, fmt[col.fmt] if col.fmt else fmt[""])
            elif isinstance(v, str):
                ws.write_string(r, c, v, fmt["wrap"] if col.width > 40 else fmt[""])
            else:
                ws.write_number(r, c, v, fmt[col.fmt or ""])

    # ---------------------------------------------------------------- Oversikt: one row per municipality
    head_row, first = 4, 5
    ov.write_string(0, 0, tr("Kjernejournal – regional oversikt per kommune"), fmt["title"])
    ov.write_string(1, 0, subtitle, fmt["sub"])
    if failures:
        ov.write_string(2, 0, not_read_warning, fmt["warn"])
    for c, col in enumerate(cols):
        ov.set_column(c, c, col.width)
        ov.write_string(head_row, c, col.label(malform), fmt["head"])
    ov.set_row(head_row, 40)  # three lines: «Første budsjettår (prisnivå)»
    for r, row in enumerate(rows, start=first):
        write_row(ov, r, cols, row)
    last = first + len(rows) - 1
    total_row = last + 1
    totals: dict[str, Any] = {}
    ov.write_string(total_row, 1, tr("Sum regionen"), fmt["total"])
    keys = [x.head for x in cols]
    for c, col in enumerate(cols):
        if c == 1:
            continue
        cell_fmt = fmt["total" + col.fmt] if "total" + col.fmt in fmt else fmt["total"]
        letter = xl_col_to_name(c)
        rng = f"{letter}{first + 1}:{letter}{last + 1}"
        if col.total == "sum":
            value: float | str = sum(float(r[c] or 0) for r in rows)
            if rows:
                ov.write_formula(total_row, c, f"=SUM({rng})", cell_fmt, value)
            else:
                ov.write_number(total_row, c, 0, cell_fmt)
            totals[col.head] = value
        elif col.total == "sd":  # the municipalities are independent: their variances add up
            value = math.sqrt(sum(float(r[c] or 0) ** 2 for r in rows))
            ov.write_formula(total_row, c, f"=SQRT(SUMSQ({rng}))" if rows else "=0", cell_fmt, value)
            totals[col.head] = value
        elif col.total == "p85":
            mean = xl_rowcol_to_cell(total_row, keys.index("Nye midler P50, 4 år"))
            sd = xl_rowcol_to_cell(total_row, keys.index("Nye midler, standardavvik"))
            value = totals["Nye midler P50, 4 år"] + est.uncertainty.p85_z.value * totals["Nye midler, standardavvik"]
            ov.write_formula(total_row, c, f"={mean}+kj_p85_z*{sd}", cell_fmt, value)
            totals[col.head] = value
        elif col.total == "checks" and rows:
            value = status_summary(n_status, malform)
            words = [tr(w) for w in n_status]
            ov.write_formula(total_row, c, "=" + '&", "&'.join(f'COUNTIF({rng},"{w}")&" {w}"' for w in words),
                             cell_fmt, value)
            totals[col.head] = value
        else:
            ov.write_blank(total_row, c, None, cell_fmt)
    last_printed = total_row
    if drows:  # listed with their figures, below the sums they are not part of
        r0 = total_row + 2
        ov.write_string(r0, 0, tr(plural(len(drows), *DUPLICATES_LISTED), n=len(drows)), fmt["warn"])
        for r, row in enumerate(drows, start=r0 + 1):
            write_row(ov, r, cols, row)
        last_printed = r0 + len(drows)
    ov.freeze_panes(first, 2)
    ov.autofilter(head_row, 0, max(last, head_row), len(cols) - 1)
    _print_setup(ov, ov_name, head_row, len(cols) - 1, last_printed, malform, pages_wide=OVERVIEW_PAGES_WIDE)
    wb.define_name("kj_overview_total_row", f"='{ov_name}'!${total_row + 1}:${total_row + 1}")

    # ---------------------------------------------------------------- Per år: municipality × budget year
    heads = [N_("Kommunenr"), N_("Kommune"), N_("Budsjettår"), N_("Nytt helsepersonell"), N_("Nye midler"),
             N_("Interne ressurser (kr)"), N_("Frigjort tid (kr)"), N_("Interne timer"), N_("Frigjort tid (timer)")]
    fmts = ["", "", YEAR, COUNT, KR, KR, KR, COUNT, COUNT]
    py.write_string(0, 0, tr("Per kommune og budsjettår"), fmt["title"])
    py.write_string(1, 0, subtitle, fmt["sub"])
    for c, (h, w) in enumerate(zip(heads, (10, 18, 11, 13, 15, 15, 15, 12, 12))):
        py.set_column(c, c, w)
        py.write_string(3, c, tr(h), fmt["head"])
    py.set_row(3, 30)
    for r, row in enumerate(yrows, start=4):
        for c, (v, f) in enumerate(zip(row, fmts)):
            if isinstance(v, str):
                py.write_string(r, c, v, fmt[""])
            else:
                py.write_number(r, c, v, fmt[f])
    py.freeze_panes(4, 2)
    py.autofilter(3, 0, 3 + max(len(yrows), 1), len(heads) - 1)
    _print_setup(py, py_name, 3, len(heads) - 1, 3 + len(yrows), malform)

    _followup_sheet(wb, fu, names[FOLLOW_UP], followup_columns(est), frows, years, fmt, subtitle, malform,
                    reported(entries)[1])

    # ---------------------------------------------------------------- Regionen: key figures, years, chart
    reg.set_column(0, 0, REGION_LABEL_CHARS)
    reg.set_column(1, 3, 17)
    reg.write_string(0, 0, tr("Kjernejournal – regional oversikt"), fmt["title"])
    reg.write_string(1, 0, subtitle, fmt["sub"])
    price_years = sorted({e.budget.params.price_year for e in entries})
    level = (tr("faste {year}-kroner", year=price_years[0]) if len(price_years) == 1 else
             tr("hver kommunes faste kroner for sitt første budsjettår ({years})",
                years=", ".join(map(str, price_years))))
    reg.merge_range(2, 0, 2, 3, tr("Tallene er kostnadsmodellens, regnet fra inndataene i hver kommunes arbeidsbok, i "
                                  "{level}, uten mva. Nye midler, interne ressurser og frigjort tid trekkes aldri fra "
                                  "hverandre.", level=level), fmt["note"])
    reg.set_row(2, 27)  # two lines within the printed width (the text wraps, it does not run past the page)
    r = 5
    warnings = [not_read_warning] if failures else []
    if duplicates:
        warnings.append(tr(plural(len(duplicates), *DUPLICATES_WARNING), n=len(duplicates), sheet=ov_name))
    if warnings:
        reg.merge_range(3, 0, 3, 3, " ".join(warnings), wb.add_format({**base, "bold": True, "font_color": "#9C0006",
                                                                    "bg_color": "#FFC7CE", "text_wrap": True,
                                                                    "valign": "top"}))
        reg.set_row(3, 27 if len(warnings) == 1 else 54)

    def ov_total(head: str) -> str:
        return f"'{ov_name}'!{xl_rowcol_to_cell(total_row, keys.index(head), row_abs=True, col_abs=True)}"

    key = [(N_("Kommuner i oversikten"), f"=COUNTA('{ov_name}'!$B${first + 1}:$B${last + 1})" if rows else None,
            len(rows), MUNICIPALITIES),
           (N_("Helsepersonell"), "=" + ov_total("Helsepersonell totalt"), totals["Helsepersonell totalt"], PERSONS),
           (N_("Nye midler i økonomiplanperioden"), "=" + ov_total("Nye midler totalt"), totals["Nye midler totalt"],
            KR),
           (N_("Nye midler, P50 (forventet; summen av kommunenes)"), "=" + ov_total("Nye midler P50, 4 år"),
            totals["Nye midler P50, 4 år"], KR),
           (N_("Nye midler, P85 (kommunene uavhengige: standardavvikene kombinert)"),
            "=" + ov_total("Nye midler P85, 4 år"), totals["Nye midler P85, 4 år"], KR),
           (N_("Interne timer i økonomiplanperioden"), "=" + ov_total("Interne timer, 4 år"),
            totals["Interne timer, 4 år"], HOURS),
           (N_("Engangskostnad totalt (nye midler og interne timer i kr)"), "=" + ov_total("Engangskostnad totalt"),
            totals["Engangskostnad totalt"], KR),
           (N_("Drift per år når alle trinn er i gang"), "=" + ov_total("Drift per år"), totals["Drift per år"], KR),
           (N_("Frigjort tid per år"), "=" + ov_total("Frigjort tid, timer per år"),
            totals["Frigjort tid, timer per år"], HOURS),
           (N_("Kontroll"), "=" + ov_total("Kontroll") if rows else None, totals.get("Kontroll", ""), "")]
    z_row = r + len(key)
    def label_row(row: int, label: str) -> None:
        reg.write_string(row, 0, label, fmt["label"])
        if len(label) > REGION_LABEL_CHARS:  # wrapped: the row as tall as its lines (Excel keeps a set height)
            reg.set_row(row, 13.5 * math.ceil(len(label) / REGION_LABEL_CHARS))

    for label, formula, value, f in key:
        label_row(r, tr(label))
        if formula is None:
            reg.write(r, 1, value if value != "" else None, fmt[f] if f else fmt[""])
        else:
            reg.write_formula(r, 1, formula, fmt[f] if f else fmt[""], value)
        r += 1
    label_row(z_row, tr("P85 ligger så mange standardavvik over P50 (fra estimatene)"))
    reg.write_number(z_row, 1, est.uncertainty.p85_z.value, fmt["factor"])
    wb.define_name("kj_p85_z", f"='{reg_name}'!$B${z_row + 1}")
    r = z_row + 2
    reg.write_string(r, 0, tr("Regionen per budsjettår"), fmt["label"])
    r += 1
    year_head = r
    series_names = [tr(N_("Nye midler")), tr(N_("Interne ressurser (kr)")), tr(N_("Frigjort tid (kr)"))]
    for c, h in enumerate([tr(N_("Budsjettår")), *series_names]):
        reg.write_string(r, c, h, fmt["head"])
    r += 1
    py_last = 4 + max(len(yrows), 1)
    sums = {y: [0.0, 0.0, 0.0] for y in years}
    for row in yrows:
        sums[row[2]][0] += row[4]
        sums[row[2]][1] += row[5]
        sums[row[2]][2] += row[6]
    for y in years:
        reg.write_number(r, 0, y, fmt["year_left"])  # the table's first column: under its head
        for k, letter in enumerate(("E", "F", "G")):
            reg.write_formula(r, 1 + k, f"=SUMIFS('{py_name}'!${letter}$5:${letter}${py_last},"
                                        f"'{py_name}'!$C$5:$C${py_last},$A{r + 1})", fmt[KR], sums[y][k])
        r += 1
    if years:
        chart = new_chart(wb, {"type": "column"})
        for k, (name, color) in enumerate(zip(series_names, ("#2F5597", "#8FAADC", "#70AD47"))):
            chart.add_series({"name": name, "categories": [reg_name, year_head + 1, 0, r - 1, 0],
                              "values": [reg_name, year_head + 1, 1 + k, r - 1, 1 + k],
                              "fill": {"color": color}, "gap": 80})
        chart.set_title({"name": tr("Regionen: nye midler, interne ressurser og frigjort tid per budsjettår"),
                         "name_font": {"size": 11, "bold": True, "name": "Calibri"}})
        chart.set_y_axis({"num_format": kr, "num_font": {"name": "Calibri", "size": 9},
                          "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
        chart.set_x_axis({"num_font": {"name": "Calibri", "size": 9}})
        chart.set_legend({"position": "bottom", "font": {"name": "Calibri", "size": 9}})
        chart.set_size({"width": 620, "height": 300})
        reg.insert_chart(r + 1, 0, chart)
    _print_setup(reg, reg_name, None, 4, r + 18, malform, landscape=False)
    reg.activate()

    # ---------------------------------------------------------------- Ikke lest
    nr.set_column(0, 0, 34)
    nr.set_column(1, 1, 110)
    nr.write_string(0, 0, tr("Arbeidsbøker som ikke kunne leses"), fmt["title"])
    nr.write_string(1, 0, tr("Disse filene er ikke med i oversikten. Årsaken står på engelsk, som på kommandolinjen."),
                    fmt["sub"])
    nr.write_string(3, 0, tr("Fil"), fmt["head"])
    nr.write_string(3, 1, tr("Årsak"), fmt["head"])
    for k, failure in enumerate(failures, start=4):
        nr.write_string(k, 0, failure.path.name, fmt[""])
        nr.write_string(k, 1, failure.reason, fmt["wrap"])
    if not failures:
        nr.write_string(4, 0, tr("Ingen: alle arbeidsbøkene ble lest."), fmt[""])
    _print_setup(nr, names[NOT_READ], 3, 1, 4 + len(failures), malform)

    wb.set_properties({"title": tr("Kjernejournal – regional oversikt"), "author": "kj-budget",
                       "comments": f"kj-budget collect {__version__}, estimater {est.id} {est.version}",
                       "created": dt.datetime.combine(today, dt.time(12, 0))})
    for prop, text in (("kj_tool", "kj-budget"), ("kj_kind", OVERVIEW_KIND), ("kj_tool_version", __version__),
                       ("kj_estimates_id", est.id), ("kj_estimates_version", est.version), ("kj_malform", malform)):
        wb.set_custom_property(prop, text)
    wb.close()
    csv_bytes = overview_csv(est, years, rows, failures, drows, malform).encode("utf-8")
    return Overview(out, out.with_suffix(".csv"), years, rows, totals, list(failures), list(duplicates),
                    buf.getvalue(), csv_bytes, frows, followup_csv_path(out),
                    followup_csv(est, frows, malform).encode("utf-8"))


WAITING_NAMED = 12  # municipalities without actuals named above the follow-up table; the rest are counted
FOLLOW_UP_NOTE_CHARS = 120  # the characters of a line across the follow-up sheet's first four columns


def _followup_sheet(wb: Any, ws: Any, name: str, columns: Sequence[Col], rows: Sequence[Sequence[Any]],
                    years: Sequence[int], fmt: dict[str, Any], subtitle: str, malform: str,
                    waiting: Sequence[Entry] = ()) -> None:
    """Oppfølging: each reporting municipality's actuals against its budget per line and budget year (fixed prices
    of its first budget year); deviation, share and status as native formulas over the figures, and per year the
    sums for the lines with an actual (kroner and hours apart, never added together); above them, the
    municipalities that have reported nothing yet (`waiting`). Each column has a defined name kj_fu_<key>
    (FU_NAMES), which `estimates --calibrate OVERVIEW.xlsx` and the tests read."""
    def tr(text: str, /, **values: object) -> str:  # the overview's målform (extracted by the name tr)
        return i18n.tr(text, malform, **values)

    ws.write_string(0, 0, tr("Oppfølging – faktisk mot budsjett per kommune, linje og år"), fmt["title"])
    ws.write_string(1, 0, subtitle, fmt["sub"])
    def note(row: int, text: str) -> None:  # across the first four columns, wrapped: within the first page
        ws.merge_range(row, 0, row, 3, text, fmt["note"])
        ws.set_row(row, 13.5 * math.ceil(len(text) / FOLLOW_UP_NOTE_CHARS))

    note(2, tr("Budsjett, P50, P85 og faktisk er i hver kommunes faste priser for sitt første budsjettår: timer for "
               "interne timer, kroner uten mva for nye midler. Linjer og år uten budsjett og uten faktisk tall er ikke "
               "med; faktisk står tomt til det er kjent."))
    if waiting:
        named = [f"{e.inputs.municipality or e.path.name} ({e.inputs.municipality_number})"
                 if e.inputs.municipality_number else (e.inputs.municipality or e.path.name)
                 for e in waiting[:WAITING_NAMED]]
        more = tr(" og {n} til", n=len(waiting) - WAITING_NAMED) if len(waiting) > WAITING_NAMED else ""
        note(3, tr(plural(len(waiting), *NO_ACTUALS_YET), n=len(waiting), names=", ".join(named), more=more))
    # per year and unit: the budget of the lines with an actual, and the actuals
    summary = 4
    units = (tr("kr"), tr("timer"))
    heads = [N_("Budsjettår"), N_("Nye midler: budsjett for linjene med faktisk tall"), N_("Nye midler: faktisk"),
             N_("Interne timer: budsjett for linjene med faktisk tall"), N_("Interne timer: faktisk")]
    summary_cols = (F_YEAR, F_BUDGET, F_P50, F_P85, F_ENTERED)  # under the table's columns of like width
    for c in range(summary_cols[0], summary_cols[-1] + 1):
        ws.write_blank(summary, c, None, fmt["head"])
    for c, h in zip(summary_cols, heads):
        ws.write_string(summary, c, tr(h), fmt["head"])
    ws.set_row(summary, 58)
    table_head = summary + 2 + max(len(years), 1)
    first, last = table_head + 1, table_head + max(len(rows), 1)

    def rng(col: int) -> str:
        return f"${xl_col_to_name(col)}${first + 1}:${xl_col_to_name(col)}${last + 1}"

    for k, y in enumerate(years):
        r = summary + 1 + k
        year_cell = xl_rowcol_to_cell(r, F_YEAR, col_abs=True)
        ws.write_number(r, F_YEAR, y, fmt[YEAR])
        for c, (unit, src) in zip(summary_cols[1:], ((units[0], F_BUDGET), (units[0], F_FIXED), (units[1], F_BUDGET),
                                                      (units[1], F_FIXED))):
            value = sum(float(row[src]) for row in rows
                        if row[F_YEAR] == y and row[F_UNIT] == unit and row[F_FIXED] is not None)
            ws.write_formula(r, c, f'=SUMPRODUCT(({rng(F_YEAR)}={year_cell})*({rng(F_UNIT)}="{unit}")'
                                   f"*ISNUMBER({rng(F_FIXED)})*{rng(src)})" if src == F_BUDGET else
                             f'=SUMIFS({rng(src)},{rng(F_YEAR)},{year_cell},{rng(F_UNIT)},"{unit}")',
                             fmt[KR] if unit == units[0] else fmt[COUNT], value)
    for c, col in enumerate(columns):
        ws.set_column(c, c, col.width)
        ws.write_string(table_head, c, col.label(malform), fmt["head"])
    ws.set_row(table_head, 44)
    words = {w: tr(w) for w in (BELOW, WITHIN, ABOVE)}
    # each column's format, for hours and for kroner (a row's unit decides), found once, not per cell
    in_kr = (F_BUDGET, F_P50, F_P85, F_ENTERED, F_FIXED, F_DEV, F_PRICE_YEAR)
    col_fmt = {unit: [fmt[KR] if c in in_kr and unit == units[0] else fmt[col.fmt or ""]
                      for c, col in enumerate(columns)] for unit in units}
    letters = {c: xl_col_to_name(c) for c in (F_BUDGET, F_P50, F_P85, F_FIXED)}
    for r, row in enumerate(rows, start=first):
        nums = col_fmt.get(row[F_UNIT]) or col_fmt[units[1]]
        known = row[F_FIXED] is not None
        if known:  # the formulas' cells (A1 references of this row)
            fixed, budget_, p50, p85 = (f"{letters[c]}{r + 1}" for c in (F_FIXED, F_BUDGET, F_P50, F_P85))
        for c, v in enumerate(row[:len(columns)]):
            num = nums[c]
            if c in (F_DEV, F_SHARE, F_STATUS) and not known:
                ws.write_blank(r, c, None, num)  # no actual yet: nothing to compare (no formula to write)
            elif c == F_DEV:
                ws.write_formula(r, c, f"={fixed}-{budget_}", num, v)
            elif c == F_SHARE:
                ws.write_formula(r, c, f'=IF({budget_}=0,"",({fixed}-{budget_})/{budget_})', num,
                                 "" if v is None else v)
            elif c == F_STATUS:
                ws.write_formula(r, c, f'=IF({fixed}>{p85},"{words[ABOVE]}",'
                                       f'IF({fixed}<{p50},"{words[BELOW]}","{words[WITHIN]}"))', num, v)
            elif v is None or v == "":
                ws.write_blank(r, c, None, num)
            elif isinstance(v, str):
                ws.write_string(r, c, v, fmt[""])
            else:
                ws.write_number(r, c, v, num)
    if not rows:
        ws.write_string(first, 0, tr("Ingen faktiske tall ennå: de fylles inn på arket Oppfølging i hver kommunes "
                                    "arbeidsbok."), fmt[""])
    for key, c in FU_NAMES.items():
        wb.define_name(f"kj_fu_{key}", f"='{name}'!{rng(c)}")
    ws.freeze_panes(first, 2)
    ws.autofilter(table_head, 0, last, len(columns) - 1)
    _print_setup(ws, name, table_head, len(columns) - 1, last, malform, pages_wide=FOLLOW_UP_PAGES_WIDE)


def _print_setup(ws: Any, name: str, header_row: int | None, last_col: int, last_row: int,
                 malform: str = DEFAULT_MALFORM, landscape: bool = True, pages_wide: int = 1) -> None:
    """A4; as wide as `pages_wide` pages. A table wider than a page keeps its first two columns (number and
    municipality) on every page and is printed across, then down: a municipality's figures follow each other."""
    ws.set_paper(9)
    ws.set_landscape() if landscape else ws.set_portrait()
    ws.fit_to_pages(pages_wide, 0)
    ws.print_area(0, 0, max(last_row, 1), last_col)
    if pages_wide > 1:
        ws.repeat_columns(0, 1)
        ws.print_across()
    if header_row is not None:
        ws.repeat_rows(header_row)
    ws.set_header(f"&L&8{tr('Kjernejournal – regional oversikt', malform)}&R&8{name}")
    ws.set_footer(f"&R&8{tr('Side {page} av {pages}', malform, page='&P', pages='&N')}")
