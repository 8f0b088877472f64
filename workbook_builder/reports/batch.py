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
import time
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ..estimates import Estimates, parse_estimates
from ..files import atomic_write_bytes
from ..model import (
    PARAMETER_BY_NAME,
    PLAN_YEARS,
    STAFF_MAX,
    YEAR_MAX,
    YEAR_MIN,
    InputError,
    Inputs,
    Step,
    default_first_year,
    number_from_text,
    parse_eid,
    parse_vendor,
    resolve,
)

MAX_CSV_BYTES = 20 * 2**20
GROUPS = ("a", "b", "c")


@dataclass(frozen=True)
class Column:
    """One CSV column: its name, the `Inputs` field it fills, and what it takes."""

    name: str
    field: str
    kind: str  # text | number4 | vendor | eid | year | staff | param | note
    required: bool
    help: str


COLUMNS: tuple[Column, ...] = (
    Column("kommune", "municipality", "text", True, "municipality name, at most 100 characters"),
    Column("kommunenummer", "municipality_number", "number4", True,
           "municipality number, exactly four digits as text (0301, 3405); unique in the file"),
    Column("epj_leverandor", "vendor", "vendor", False,
           "EPJ vendor: Gerica, Profil, CosDoc or the full name (TietoEVRY (Gerica) …); blank: not chosen"),
    Column("eid", "eid", "eid", False, "e-ID: PKI-kort, BankID, BankID på mobil (or pki, bankid, bankid-mobil); "
           "blank: PKI-kort"),
    Column("forste_budsjettar", "first_year", "year", False,
           f"first budget year, {YEAR_MIN}–{YEAR_MAX}; blank: the year after the build"),
    *(c for g in GROUPS for c in (
        Column(f"{g}_helsepersonell", f"steps.{g}.staff", "staff", False,
               f"health personnel in group {g}, whole number 0–{STAFF_MAX:,}".replace(",", " ")),
        Column(f"{g}_startar", f"steps.{g}.year", "year", False,
               f"the year group {g} starts, within the four budget years; blank: the first budget year"),
    )),
    Column("mottak_korttid", "admissions_short_term", "param", False,
           "patient admissions per year at KAD/ØHD/intermediate and short-term wards"),
    Column("mottak_hjemmetjeneste", "admissions_home_care", "param", False, "patient admissions per year in home care"),
    Column("timekostnad", "hourly_rate", "param", False, "kr per internal hour; blank: the derived default"),
    Column("modulpris", "vendor_module_kr", "param", False,
           "the EPJ vendor's price for the HelseID and kjernejournal module, kr; blank: missing"),
    Column("merknad", "", "note", False, "free text, not used (e.g. to mark invented example figures)"),
)
COLUMN_BY_NAME = {c.name: c for c in COLUMNS}


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
class Built:
    """What became of one row: the file written (or why not), its master check, how long it took."""

    line: int
    path: Path
    master_check: str = ""
    seconds: float = 0.0
    error: str = ""


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


def decode(data: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes), else Windows-1252, which Norwegian Excel's
    'CSV (semicolon separated)' uses."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _records(text: str) -> Iterable[tuple[int, list[str]]]:
    """(first line number, fields) of each record, comment lines (#…) and empty records left out."""
    first_line = next((ln for ln in text.splitlines() if ln.strip() and not ln.lstrip(' "').startswith("#")), "")
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for fields in reader:
            line, start = start, reader.line_num + 1
            if not any(f.strip() for f in fields) or fields[0].lstrip().startswith("#"):
                continue
            yield line, fields
    except csv.Error as exc:
        raise CsvError(f"line {start}: {exc}") from None


def parse_number(text: str, column: str) -> float:
    """A number as Norwegians type it: '1 234', '612,5'; '612.5' too, but not '1.234' (a thousand, or one?)."""
    try:
        x = number_from_text(text, column, column, decimal_point=True)
    except InputError as exc:
        raise ValueError(f"{column}: {exc.en}") from None
    if x is None:
        raise ValueError(f"{column}: {text!r} is not a number")
    return x


def _whole(text: str, column: str, lo: int, hi: int) -> int:
    x = parse_number(text, column)
    if not x.is_integer():
        raise ValueError(f"{column}: must be a whole number, got {text.strip()!r}")
    if not lo <= x <= hi:
        raise ValueError(f"{column}: must be {lo}–{hi}, got {int(x)}")
    return int(x)


def _row_inputs(est: Estimates, values: dict[str, str], today: dt.date) -> Inputs:
    """The inputs of one row; raises ValueError with a one-line reason naming the column."""
    get = lambda name: values.get(name, "").strip()  # noqa: E731
    name = get("kommune")
    if not name:
        raise ValueError("kommune: is missing")
    if len(name) > 100:
        raise ValueError(f"kommune: at most 100 characters, has {len(name)}")
    number = get("kommunenummer")
    if not number:
        raise ValueError("kommunenummer: is missing")
    if not (len(number) == 4 and number.isascii() and number.isdigit()):
        hint = (f" (Excel drops a leading zero: write {number.zfill(4)})"
                if number.isdigit() and len(number) < 4 else "")
        raise ValueError(f"kommunenummer: must be four digits, got {number!r}{hint}")
    fields: dict[str, object] = {"municipality": name, "municipality_number": number}
    try:
        if get("epj_leverandor"):
            fields["vendor"] = parse_vendor(est, get("epj_leverandor"))
        if get("eid"):
            fields["eid"] = parse_eid(est, get("eid"))
    except InputError as exc:
        raise ValueError(f"{'eid' if exc.field == 'eid' else 'epj_leverandor'}: {exc.en}") from None
    first_year = _whole(get("forste_budsjettar"), "forste_budsjettar", YEAR_MIN, YEAR_MAX) \
        if get("forste_budsjettar") else None
    fields["first_year"] = first_year
    plan_first = first_year if first_year is not None else default_first_year(today)
    plan_last = plan_first + PLAN_YEARS - 1
    steps = []
    for g in GROUPS:
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
    for col in COLUMNS:
        if col.kind != "param" or not get(col.name):
            continue
        p = PARAMETER_BY_NAME[col.field]
        if p.whole:
            fields[col.field] = float(_whole(get(col.name), col.name, int(p.minimum), int(p.maximum)))
        else:
            x = parse_number(get(col.name), col.name)
            if not p.minimum <= x <= p.maximum:
                lo, hi = (f"{x:,.0f}".replace(",", " ") for x in (p.minimum, p.maximum))
                raise ValueError(f"{col.name}: must be {lo}–{hi} {p.unit}, got {get(col.name)}")
            fields[col.field] = x
    inputs = Inputs(**fields)  # type: ignore[arg-type]
    try:
        resolve(est, inputs, today)  # the model's own validation, the last word
    except InputError as exc:
        raise ValueError(exc.en) from None
    return inputs


def read_rows(path: str | Path, est: Estimates, today: dt.date | None = None) -> tuple[list[Row], list[BadRow]]:
    """Every data row of the CSV: the valid ones, and the bad ones with line number and reason.

    Raises CsvError when the file itself cannot be used (missing, no header, unknown columns)."""
    today = today or dt.date.today()
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_CSV_BYTES:
            raise CsvError(f"{p}: is {size / 2**20:.0f} MB; a municipality list is far smaller (limit 20 MB)")
        text = decode(p.read_bytes())
    except FileNotFoundError:
        raise CsvError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise CsvError(f"{p}: is a folder, not a CSV file") from None
    except OSError as exc:
        raise CsvError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    records = iter(_records(text))
    header_line, header = next(records, (0, []))
    if not header:
        raise CsvError(f"{p}: is empty: it needs a header line with the columns {', '.join(COLUMN_BY_NAME)}")
    names = [normalise_header(h) for h in header]
    unknown = [h for h, n in zip(header, names) if n and n not in COLUMN_BY_NAME]
    if unknown:
        raise CsvError(f"{p}: line {header_line}: unknown column(s) {', '.join(map(repr, unknown))}; "
                       f"the columns are {', '.join(COLUMN_BY_NAME)}")
    dupes = sorted({n for n in names if n and names.count(n) > 1})
    if dupes:
        raise CsvError(f"{p}: line {header_line}: column(s) {', '.join(dupes)} appear more than once")
    missing = [c.name for c in COLUMNS if c.required and c.name not in names]
    if missing:
        raise CsvError(f"{p}: line {header_line}: required column(s) {', '.join(missing)} missing")
    rows: list[Row] = []
    bad: list[BadRow] = []
    seen: dict[str, int] = {}
    for line, fields in records:
        extra = fields[len(names):]
        if any(f.strip() for f in extra):
            bad.append(BadRow(line, f"has {len(fields)} fields, the header has {len(names)} "
                                    "(a value with the delimiter in it needs quotes)"))
            continue
        values = {n: f for n, f in zip(names, fields) if n}
        try:
            inputs = _row_inputs(est, values, today)
        except ValueError as exc:
            bad.append(BadRow(line, str(exc)))
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


def _build_one(line: int, inputs: Inputs, path: str, today: dt.date) -> Built:
    """Build and write one workbook (in a worker process); errors come back as text, never raise."""
    from ..workbook import build_bytes  # imported in the worker

    t = time.perf_counter()
    try:
        assert _WORKER_EST is not None
        built = build_bytes(_WORKER_EST, inputs, today=today)
        atomic_write_bytes(path, built.data)
    except OSError as exc:
        return Built(line, Path(path), error=f"cannot write {path}: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - reported per row, the batch goes on
        return Built(line, Path(path), error=f"{type(exc).__name__}: {exc}")
    return Built(line, Path(path), built.budget.master_check, time.perf_counter() - t)


def existing_targets(rows: list[Row], out_dir: Path) -> list[Path]:
    return [out_dir / r.filename for r in rows if (out_dir / r.filename).exists()]


def build_all(rows: list[Row], out_dir: Path, est: Estimates, today: dt.date | None = None, workers: int = 2,
              progress: Callable[[Built], None] | None = None) -> list[Built]:
    """Build every row's workbook on `workers` processes; results in the order of the rows."""
    today = today or dt.date.today()
    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict[int, Built] = {}
    workers = max(1, min(workers, len(rows), os.cpu_count() or 1))
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(est.text, est.file)) as pool:
        futures = [pool.submit(_build_one, r.line, r.inputs, str(out_dir / r.filename), today) for r in rows]
        for f in as_completed(futures):
            b = f.result()
            results[b.line] = b
            if progress:
                progress(b)
    return [results[r.line] for r in rows]


def columns_table() -> list[tuple[str, str, str]]:
    """(column, required, meaning) for --help and the README."""
    return [(c.name, "yes" if c.required else "", c.help) for c in COLUMNS]
