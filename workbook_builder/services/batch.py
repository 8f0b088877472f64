"""`kj-budget batch`: one pre-filled workbook per municipality, from a CSV file.

The CSV is what a regional coordinator keeps in Excel: one row per municipality. Every row is
checked with the model's own rules (bounds from `model.PARAMETERS`, the model's parsers for
vendor, e-ID and group, and finally `model.resolve`); a bad row is reported with its line number
and the reason, and skipped; the good rows are built on every core, each written atomically.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import stat
import time
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbook_builder.core.errors import InputError
from workbook_builder.core.estimates import Estimates, parse_estimates
from workbook_builder.core.i18n import DEFAULT_MALFORM, parse_malform
from workbook_builder.core.model import (
    PARAMETER_BY_NAME,
    PLAN_YEARS,
    STAFF_MAX,
    YEAR_MAX,
    YEAR_MIN,
    Inputs,
    Step,
    default_first_year,
    parse_eid,
    parse_vendor,
    resolve,
)
from workbook_builder.core.municipality import parse_municipality_number
from workbook_builder.core.numbers import number_text
from workbook_builder.core.textinput import check_text
from workbook_builder.services.workers import process_pool
from workbook_builder.xlsx.files import commit, discard, temp_files, write_temp

MAX_CSV_BYTES = 20 * 2**20
MAX_ROWS = 2_000  # municipality rows in one batch (Norway has 356); --max-rows raises it


@dataclass(frozen=True)
class Column:
    """One CSV column: its name, the `Inputs` field it fills, and what it takes."""

    name: str
    field: str
    kind: str  # text | number4 | vendor | eid | year | staff | param | malform | note
    required: bool
    help: str


_HEAD: tuple[Column, ...] = (
    Column("kommune", "municipality", "text", True, "municipality name, at most 100 characters"),
    Column("kommunenummer", "municipality_number", "number4", True,
           "municipality number, exactly four digits as text (0301, 3405); unique in the file"),
    Column("epj_leverandor", "vendor", "vendor", False,
           "EPJ vendor: Gerica, Profil, CosDoc or the full name (TietoEVRY (Gerica) …); blank: not chosen"),
    Column("eid", "eid", "eid", False, "e-ID: PKI-kort, BankID, BankID på mobil (or pki, bankid, bankid-mobil); "
           "blank: PKI-kort"),
    Column("forste_budsjettar", "first_year", "year", False,
           f"first budget year, {YEAR_MIN}–{YEAR_MAX}; blank: the year after the build"),
)
_TAIL: tuple[Column, ...] = (
    Column("mottak_korttid", "admissions_short_term", "param", False,
           "patient admissions per year at KAD/ØHD/intermediate and short-term wards"),
    Column("mottak_hjemmetjeneste", "admissions_home_care", "param", False, "patient admissions per year in home care"),
    Column("timekostnad", "hourly_rate", "param", False, "kr per internal hour; blank: the derived default"),
    Column("modulpris", "vendor_module_kr", "param", False,
           "the EPJ vendor's price for the HelseID and kjernejournal module, kr; blank: missing"),
    Column("malform", "malform", "malform", False,
           "the workbook's written standard: nb (bokmål) or nn (nynorsk), also bokmål, nynorsk; blank: nb"),
    Column("merknad", "", "note", False, "free text, not used (e.g. to mark invented example figures)"),
)
STAFF_SUFFIX, YEAR_SUFFIX = "_helsepersonell", "_startar"


def group_columns(est: Estimates) -> tuple[Column, ...]:
    """Two columns per rollout group of the estimates in use: `<group>_helsepersonell`, `<group>_startar`."""
    return tuple(c for g in est.groups for c in (
        Column(f"{g.id}{STAFF_SUFFIX}", f"steps.{g.id}.staff", "staff", False,
               f"health personnel in group {g.id} ({g.label}), whole number 0–{STAFF_MAX:,}".replace(",", " ")),
        Column(f"{g.id}{YEAR_SUFFIX}", f"steps.{g.id}.year", "year", False,
               f"the year group {g.id} starts, within the four budget years; blank: the first budget year"),
    ))


def columns(est: Estimates) -> tuple[Column, ...]:
    """The CSV's columns for the estimates in use (the groups come from the file)."""
    return (*_HEAD, *group_columns(est), *_TAIL)


class CsvError(ValueError):
    """The file as a whole cannot be used (no header, unknown columns …); nothing is built."""


@dataclass(frozen=True)
class Row:
    """A valid row: its line in the file and the inputs its workbook is pre-filled with."""

    line: int
    inputs: Inputs

    @property
    def filename(self) -> str:
        return filename_for(self.inputs.municipality_number, self.inputs.municipality)


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True)
class RowOutcome:
    """What became of one row: the file (or why not), its master check, how long it took, and the
    temporary file it waits in until every row is built (then all are renamed at once)."""

    line: int
    path: Path
    master_check: str = ""
    seconds: float = 0.0
    error: str = ""
    refused: bool = False  # the output rule refused to replace an existing file (exit 3, nothing written)
    temp: Path | None = None


# ----------------------------------------------------------------------------- names


def normalise_header(text: str) -> str:
    """'Første budsjettår' → 'forste_budsjettar': case, Norwegian letters and spacing do not matter."""
    t = text.strip().lstrip("\ufeff").casefold()
    t = t.replace("æ", "ae").replace("ø", "o").replace("å", "a")
    t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", t).strip("_")


def slug(name: str) -> str:
    """A file-name-safe form of a municipality name: 'Øyer' → 'oyer', 'Deatnu – Tana' → 'deatnu-tana'."""
    t = name.casefold().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")[:60] or "kommune"


def filename_for(number: str, name: str) -> str:
    return f"{number}-{slug(name)}.xlsx"


# ----------------------------------------------------------------------------- reading the CSV


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"), (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
         (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"), (b"\xff\xfe", "utf-16", "UTF-16 (Excel's «Unicode text»)"),
         (b"\xfe\xff", "utf-16", "UTF-16"))


def decode(data: bytes, name: str = "the file") -> str:
    """The text of a CSV file: UTF-8 (with or without the BOM Excel writes), UTF-16 or UTF-32 (with a
    BOM, as Excel's «Unicode text» writes them, or UTF-16 without one), else Windows-1252, which
    Norwegian Excel's «CSV (semicolon separated)» uses. A workbook or another binary file is refused
    with what to do instead (CsvError)."""
    if data.startswith(b"PK\x03\x04"):
        raise CsvError(f"{name}: is an Excel workbook (.xlsx), not a CSV file: in Excel, choose File > Save As > "
                       "«CSV UTF-8 (comma delimited)»")
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise CsvError(f"{name}: is an old Excel file (.xls), not a CSV file: in Excel, choose File > Save As > "
                       "«CSV UTF-8 (comma delimited)»")
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise CsvError(f"{name}: starts as {label} but byte {exc.start} is not valid {label}: save it "
                               "again as «CSV UTF-8»") from None
    head = data[:4096]
    if len(head) >= 4 and head.count(b"\x00") * 3 >= len(head):  # UTF-16 without a BOM: every other byte 0
        codec = "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            raise CsvError(f"{name}: looks like UTF-16 text without a byte order mark and cannot be read as "
                           "such: save it as «CSV UTF-8»") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if text.count("\ufffd") > 0:
        raise CsvError(f"{name}: is neither UTF-8 nor Windows-1252 text (it has bytes that are not characters in "
                       "either): save it as «CSV UTF-8»")
    return text


def _records(text: str) -> Iterable[tuple[int, int, list[str]]]:
    """(first line, last line, fields) of each record, comment lines (#…) and empty records left out.
    A quote that is opened and never closed is an error naming its line (CsvError)."""
    first_line = next((ln for ln in text.splitlines() if ln.strip() and not ln.lstrip(' "').startswith("#")), "")
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        for fields in reader:
            line, start = start, reader.line_num + 1
            if not any(f.strip() for f in fields) or fields[0].lstrip().startswith("#"):
                continue
            yield line, reader.line_num, fields
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise CsvError(f"line {start}: a quote (\") opened on this line is never closed, so every line after it "
                           "would be one value: close the quote or remove it") from None
        raise CsvError(f"line {start}: {exc} (a value with quotes in it must be quoted whole, with each \" "
                       "doubled)") from None


def _number(text: str, column: str, minimum: float = 0.0, maximum: float | None = None, whole: bool = False) -> float:
    """A number typed into a CSV cell: the one number rule and the model's bounds (`core.numbers.number_text`),
    so a text means the same number here as on the command line, in a workbook or an Excel function."""
    try:
        return number_text(text, f"{column}:", column, minimum, maximum, whole)
    except InputError as exc:
        raise ValueError(exc.en) from None


def _whole(text: str, column: str, lo: int, hi: int) -> int:
    return int(_number(text, column, lo, hi, whole=True))


def _row_inputs(est: Estimates, values: dict[str, str], today: dt.date) -> Inputs:
    """The inputs of one row; raises ValueError with a one-line reason naming the column."""
    get = lambda name: values.get(name, "").strip()  # noqa: E731
    name = check_text(values.get("kommune", ""), "kommune", 100)  # the text-input rule (textinput)
    if not name:
        raise ValueError("kommune: is missing")
    try:  # the one municipality-number rule (core/municipality.py)
        number = parse_municipality_number(values.get("kommunenummer", ""), "kommunenummer:")
    except InputError as exc:
        raise ValueError(exc.en) from None
    if not number:
        raise ValueError("kommunenummer: is missing")
    fields: dict[str, Any] = {"municipality": name, "municipality_number": number}
    if get("malform"):  # first: a refused list value is named in the row's målform, as its workbook would name it
        try:  # the one målform parser
            fields["malform"] = parse_malform(get("malform"))
        except ValueError:
            raise ValueError(f"malform: must be nb (bokmål) or nn (nynorsk), got {get('malform')!r}") from None
    malform = fields.get("malform", DEFAULT_MALFORM)
    try:
        if get("epj_leverandor"):
            fields["vendor"] = parse_vendor(est, get("epj_leverandor"))
        if get("eid"):
            fields["eid"] = parse_eid(est, get("eid"))
    except InputError as exc:
        raise ValueError(f"{'eid' if exc.field == 'eid' else 'epj_leverandor'}: {exc.en_in(malform)}") from None
    first_year = _whole(get("forste_budsjettar"), "forste_budsjettar", YEAR_MIN, YEAR_MAX) \
        if get("forste_budsjettar") else None
    fields["first_year"] = first_year
    plan_first = first_year if first_year is not None else default_first_year(today)
    plan_last = plan_first + PLAN_YEARS - 1
    steps = []
    for g in (group.id for group in est.groups):
        staff_text, year_text = get(f"{g}_helsepersonell"), get(f"{g}_startar")
        staff = _whole(staff_text, f"{g}_helsepersonell", 0, STAFF_MAX) if staff_text else 0
        year = _whole(year_text, f"{g}_startar", YEAR_MIN, YEAR_MAX) if year_text else None
        if year is not None and staff == 0:
            raise ValueError(f"{g}_startar: is {year} but {g}_helsepersonell is empty or 0")
        if year is not None and not plan_first <= year <= plan_last:
            raise ValueError(f"{g}_startar: {year} is outside the four budget years {plan_first}–{plan_last} "
                             "(the years would not add up to the total)")
        if staff:
            steps.append(Step(staff, g, "", year))
    fields["steps"] = tuple(steps)
    for col in _TAIL:
        if col.kind != "param" or not get(col.name):
            continue
        p = PARAMETER_BY_NAME[col.field]
        fields[col.field] = _number(get(col.name), col.name, p.minimum, p.maximum, p.whole)
    inputs = Inputs(**fields)
    try:
        resolve(est, inputs, today)  # the model's own validation, the last word
    except InputError as exc:
        raise ValueError(exc.en_in(malform)) from None
    return inputs


def read_rows(path: str | Path, est: Estimates, today: dt.date | None = None,
              max_rows: int = MAX_ROWS) -> tuple[list[Row], list[BadRow]]:
    """Every data row of the CSV: the valid ones, and the bad ones with line number and reason.

    Raises CsvError when the file itself cannot be used (missing, not text, no header, unknown columns,
    a quote never closed, more than `max_rows` rows)."""
    today = today or dt.date.today()
    p = Path(path)
    try:
        st = p.stat()
        if not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
            raise CsvError(f"{p}: is not a regular file (a pipe or a device): save the list as a CSV file")
        if st.st_size > MAX_CSV_BYTES:
            raise CsvError(f"{p}: is {st.st_size / 2**20:.0f} MB; a municipality list is far smaller (limit 20 MB)")
        text = decode(p.read_bytes(), str(p))
    except FileNotFoundError:
        raise CsvError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise CsvError(f"{p}: is a folder, not a CSV file") from None
    except OSError as exc:
        raise CsvError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    try:
        return _read_records(p, _records(text), est, today, max_rows)
    except CsvError as exc:
        if str(exc).startswith(str(p)):
            raise
        raise CsvError(f"{p}: {exc}") from None


def _read_records(p: Path, records_: Iterable[tuple[int, int, list[str]]], est: Estimates, today: dt.date,
                  max_rows: int) -> tuple[list[Row], list[BadRow]]:
    records = iter(records_)
    header_line, _, header = next(records, (0, 0, []))
    cols = columns(est)
    by_name = {c.name: c for c in cols}
    if not header:
        raise CsvError(f"{p}: is empty: it needs a header line with the columns {', '.join(by_name)}")
    names = [normalise_header(h) for h in header]
    unknown = [h for h, n in zip(header, names) if n and n not in by_name]
    groups = [n.removesuffix(STAFF_SUFFIX).removesuffix(YEAR_SUFFIX) for n in names
              if n and n not in by_name and (n.endswith(STAFF_SUFFIX) or n.endswith(YEAR_SUFFIX))]
    if groups:
        known = ", ".join(g.id for g in est.groups)
        raise CsvError(f"{p}: line {header_line}: unknown rollout group(s) {', '.join(sorted(set(groups)))} in "
                       f"{', '.join(map(repr, unknown))}; the estimates {est.id} have the groups {known}")
    if unknown:
        raise CsvError(f"{p}: line {header_line}: unknown column(s) {', '.join(map(repr, unknown))}; "
                       f"the columns are {', '.join(by_name)}")
    dupes = sorted({n for n in names if n and names.count(n) > 1})
    if dupes:
        raise CsvError(f"{p}: line {header_line}: column(s) {', '.join(dupes)} appear more than once")
    missing = [c.name for c in cols if c.required and c.name not in names]
    if missing:
        raise CsvError(f"{p}: line {header_line}: required column(s) {', '.join(missing)} missing")
    rows: list[Row] = []
    bad: list[BadRow] = []
    seen: dict[str, int] = {}
    for n, (line, last_line, fields) in enumerate(records, start=1):
        if n > max_rows:
            limit = f"{max_rows:,}".replace(",", " ")
            raise CsvError(f"{p}: has more than {limit} municipality rows (line {line}); Norway has 356. Split "
                           "the file, or pass --max-rows N to raise the limit")
        spans = (f" (this row runs from line {line} to line {last_line}: is a quote left open?)"
                 if last_line > line else "")
        extra = fields[len(names):]
        if any(f.strip() for f in extra):
            bad.append(BadRow(line, f"has {len(fields)} fields, the header has {len(names)} "
                                    f"(a value with the delimiter in it needs quotes){spans}"))
            continue
        values = {n: f for n, f in zip(names, fields) if n}
        try:
            inputs = _row_inputs(est, values, today)
        except ValueError as exc:
            bad.append(BadRow(line, f"{exc}{spans}"))
            continue
        number = inputs.municipality_number
        if number in seen:
            bad.append(BadRow(line, f"kommunenummer: {number} is already on line {seen[number]}"))
            continue
        seen[number] = line
        rows.append(Row(line, inputs))
    if not rows and not bad:
        raise CsvError(f"{p}: has a header but no municipality rows")
    return rows, bad


# ----------------------------------------------------------------------------- building


_WORKER_EST: Estimates | None = None


def _init_worker(est_text: str, est_file: str) -> None:
    global _WORKER_EST
    _WORKER_EST = parse_estimates(est_text, est_file)


def _build_one(line: int, inputs: Inputs, path: str, today: dt.date, force: bool = False) -> RowOutcome:
    """Build one workbook (in a worker process) into a temporary file beside its target; errors come
    back as text, never raise. An existing target that holds what a user typed is left alone (refused)
    unless `force`: the output rule (workbook_builder.xlsx.output)."""
    from workbook_builder.workbook import build_bytes
    from workbook_builder.xlsx.output import workbook_keeps

    t = time.perf_counter()
    target = Path(path)
    try:
        assert _WORKER_EST is not None
        built = build_bytes(_WORKER_EST, inputs, today=today)
        if not force and (target.exists() or target.is_symlink()):
            reason = workbook_keeps(built.data)(target)
            if reason:
                return RowOutcome(line, target, error=f"{target}: {reason}", refused=True)
        temp = write_temp(target, built.data)
    except OSError as exc:
        return RowOutcome(line, target, error=f"cannot write {target}: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - reported per row
        return RowOutcome(line, target, error=f"{type(exc).__name__}: {exc}")
    return RowOutcome(line, target, built.budget.master_check, time.perf_counter() - t, temp=temp)


def targets_for(rows: list[Row], out_dir: Path) -> list[Path]:
    return [out_dir / r.filename for r in rows]


def build_all(rows: list[Row], out_dir: Path, est: Estimates, today: dt.date | None = None, workers: int = 2,
              progress: Callable[[RowOutcome], None] | None = None, force: bool = False) -> list[RowOutcome]:
    """Build every row's workbook on `workers` processes; results in the order of the rows.

    All or nothing: each workbook is first written to a temporary file beside its target; only when every
    row was built (and no existing workbook holds something a user typed, unless `force`) are they all
    renamed over their targets. Otherwise the temporary files are removed and nothing is written."""
    today = today or dt.date.today()
    results: dict[int, RowOutcome] = {}
    workers = max(1, min(workers, len(rows), os.cpu_count() or 1))
    targets = [out_dir / r.filename for r in rows]
    before = temp_files(targets)  # another writer's temporary files are not ours to remove
    try:
        with process_pool(workers, _init_worker, (est.text, est.file)) as pool:
            futures = [pool.submit(_build_one, r.line, r.inputs, str(out_dir / r.filename), today, force)
                       for r in rows]
            for f in as_completed(futures):
                b = f.result()
                results[b.line] = b
                if progress:
                    progress(b)
        ordered = [results[r.line] for r in rows]
        temps = [(b.temp, b.path) for b in ordered if b.temp is not None]
        if any(b.error for b in ordered):
            discard(temps)
            return [b if b.error else RowOutcome(b.line, b.path, b.master_check, b.seconds) for b in ordered]
        try:
            commit(temps)
        except OSError as exc:
            return [RowOutcome(b.line, b.path, error=f"cannot write {exc.filename}: {exc.strerror or exc}")
                    if str(b.path) == str(exc.filename) else b for b in ordered]
        return ordered
    except BaseException:
        discard([(b.temp, b.path) for b in results.values() if b.temp is not None])
        # The pool is gone (its workers terminated and joined): a result still on its way, or a workbook a
        # worker was writing when it was stopped, left a temporary file no result names.
        for stray in temp_files(targets) - before:
            stray.unlink(missing_ok=True)
        raise


def columns_table(est: Estimates) -> list[tuple[str, str, str]]:
    """(column, required, meaning) for --help and the docs, for the estimates in use."""
    return [(c.name, "yes" if c.required else "", c.help) for c in columns(est)]
