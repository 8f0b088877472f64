"""The one way the reports read a filled workbook: `read_filled(path, est)`.

Memo, notice and collect all go through this function and nothing else, so the reader behind it
can be swapped in one place. It returns the model's `Inputs` (only valid values; an invalid one is
a `Finding` and is named in `Inputs.invalid`, as the workbook's Kontroll does), the build metadata,
the date the workbook was built (it decides the default first budget year), and the saved values of
the headline outputs, so a caller can compare the model with what the workbook last calculated.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from python_calamine import CalamineWorkbook

from ..cells import INPUTS, OUTPUTS, InputSpec, list_label
from ..estimates import Estimates
from ..model import InputError, Inputs, Step, number, parse_eid, parse_group, parse_vendor, whole_number
from .memo import Finding

MAX_FILE_BYTES = 20 * 2**20
MAX_PART_BYTES = 25 * 2**20
TEXT_LIMITS = {"kj_municipality": (0, 100), "kj_municipality_number": (4, 4)}
_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")


class UnreadableWorkbook(Exception):
    """A file that is not a readable kj-budget workbook; the message is one line in English."""


@dataclass
class Filled:
    path: Path
    inputs: Inputs
    findings: list[Finding]
    metadata: dict[str, str]
    built: dt.date | None
    saved: dict[str, Any] = field(default_factory=dict)  # headline output name → saved value (None: missing)


def read_filled(path: str | Path, est: Estimates) -> Filled:
    """Read a filled workbook's inputs by defined name; raises UnreadableWorkbook with the reason."""
    return _CalamineReader(Path(path)).read(est)


# ----------------------------------------------------------------------------- the reader behind it
# A minimal reader (python-calamine for values, defusedxml for the defined names and properties),
# used until the project's reader of filled workbooks (workbook_builder/reading.py) is on main.


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


class _CalamineReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.label = path.name

    def _fail(self, why: str) -> UnreadableWorkbook:
        return UnreadableWorkbook(f"{self.label}: {why}")

    def _xml(self, z: zipfile.ZipFile, name: str) -> Any:
        try:
            info = z.getinfo(name)
        except KeyError:
            return None
        if info.file_size > MAX_PART_BYTES:
            raise self._fail(f"part {name} unpacks to {info.file_size / 2**20:.0f} MB: not read (a zip bomb?)")
        try:
            return SafeET.fromstring(z.read(name), forbid_dtd=True, forbid_entities=True, forbid_external=True)
        except DefusedXmlException:
            raise self._fail(f"part {name} contains a DTD or entities, which Excel never writes: refused") from None
        except SafeET.ParseError as exc:
            raise self._fail(f"part {name} is not well-formed XML ({exc})") from None

    def read(self, est: Estimates) -> Filled:
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            raise self._fail("no such file") from None
        except OSError as exc:
            raise self._fail(f"cannot be read ({exc.strerror or exc})") from None
        if self.path.is_dir():
            raise self._fail("is a folder, not a workbook")
        if size > MAX_FILE_BYTES:
            raise self._fail(f"is {size / 2**20:.0f} MB; a budget workbook is far smaller: not read")
        try:
            with zipfile.ZipFile(self.path) as z:
                if any(n.lower().endswith("vbaproject.bin") for n in z.namelist()):
                    raise self._fail("contains macros (vbaProject.bin): not read")
                book = self._xml(z, "xl/workbook.xml")
                props = self._xml(z, "docProps/custom.xml")
        except zipfile.BadZipFile:
            raise self._fail("is not an Excel workbook (.xlsx): not a zip package, or damaged") from None
        if book is None:
            raise self._fail("is not an Excel workbook: xl/workbook.xml is missing")
        names: dict[str, tuple[str, int, int, int, int]] = {}
        for dn in book.iter():
            if not dn.tag.endswith("}definedName") or dn.get("localSheetId") is not None:
                continue
            m = _REF.match((dn.text or "").strip())
            if m and (dn.get("name") or "").startswith("kj_"):
                sheet = m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)
                r1, c1 = int(m.group(4)) - 1, _col(m.group(3))
                r2, c2 = (int(m.group(6)) - 1, _col(m.group(5))) if m.group(5) else (r1, c1)
                names[dn.get("name")] = (sheet, r1, c1, r2, c2)
        if not any(spec.name in names for spec in INPUTS):
            raise self._fail("is not a kj-budget workbook: it has none of the named cells kj-budget writes "
                             "(such as kj_municipality or kj_step_staff)")
        try:
            wb = CalamineWorkbook.from_path(str(self.path))
        except Exception as exc:  # noqa: BLE001 - calamine raises its own error types
            raise self._fail(f"cannot be read: {exc}") from None
        sheets: dict[str, list[list[Any]]] = {}

        def values(name: str) -> list[Any] | None:
            ref = names.get(name)
            if ref is None:
                return None
            sheet, r1, c1, r2, c2 = ref
            if sheet not in sheets:
                if sheet not in wb.sheet_names:
                    return None
                sh = wb.get_sheet_by_name(sheet)
                r0, c0 = getattr(sh, "start", None) or (0, 0)
                sheets[sheet] = [[None] * c0 + list(row) for row in [[]] * r0 + sh.to_python(skip_empty_area=False)]
            rows = sheets[sheet]
            cell = lambda r, c: rows[r][c] if r < len(rows) and c < len(rows[r]) else None  # noqa: E731
            return [cell(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]

        findings: list[Finding] = []
        invalid: set[str] = set()
        scalars: dict[str, Any] = {}
        columns: dict[str, list[Any]] = {}
        for spec in INPUTS:
            cells = values(spec.name)
            if cells is None:
                continue
            checked = []
            for k, raw in enumerate(cells[: spec.rows]):
                label = f"Trinn {k + 1}: {spec.label}" if spec.rows > 1 else spec.label
                try:
                    checked.append(_check(est, spec, raw))
                except InputError as exc:
                    findings.append(Finding(label, _raw_text(raw), exc.en, exc.nb))
                    invalid.add(spec.name)
                    checked.append(None)
            if spec.rows == 1:
                scalars[spec.field] = checked[0] if checked else None
            else:
                columns[spec.field.split(".")[1]] = checked
        n = max((len(c) for c in columns.values()), default=0)
        get = lambda f, k: columns.get(f, [])[k] if k < len(columns.get(f, [])) else None  # noqa: E731
        steps = [Step(int(get("staff", k) or 0), get("group", k), get("unit", k) or "", get("year", k))
                 for k in range(n)]
        while steps and steps[-1] == Step(0):
            steps.pop()
        for key in ("municipality", "municipality_number"):
            scalars[key] = scalars.get(key) or ""
        inputs = Inputs(steps=tuple(steps), invalid=tuple(sorted(invalid)), **scalars)
        metadata = {}
        if props is not None:
            for prop in props:
                name = prop.get("name") or ""
                if name.startswith("kj_"):
                    metadata[name.removeprefix("kj_")] = "".join(prop.itertext()).strip()
        for name in names:
            if name.startswith("kj_meta_"):
                v = values(name)
                if v and v[0] not in (None, ""):
                    metadata[name.removeprefix("kj_meta_")] = _raw_text(v[0])
        saved = {}
        for name in OUTPUTS:
            v = values(name)
            saved[name] = None if v is None else (v[0] if len(v) == 1 else v)
        try:
            built = dt.date.fromisoformat(metadata.get("built", ""))
        except ValueError:
            built = None
        return Filled(self.path, inputs, findings, metadata, built, saved)


def _raw_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _check(est: Estimates, spec: InputSpec, value: Any) -> Any:
    """A cell value for `Inputs`, checked with the model's rules; None for blank; InputError if invalid."""
    if value is None or value == "":
        return None
    if spec.kind == "text":
        text = _raw_text(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
        if not isinstance(text, str):
            raise InputError(spec.name, f"{spec.label}: not text", "ikke tekst")
        lo, hi = TEXT_LIMITS.get(spec.name, (0, 100))
        if not lo <= len(text) <= hi:
            raise InputError(spec.name, f"{spec.label}: must have {lo}–{hi} characters, has {len(text)}",
                             f"må ha {lo}–{hi} tegn, har {len(text)}")
        return text
    if spec.kind == "choice":
        parse = {"eid": parse_eid, "vendor": parse_vendor, "group": parse_group}[spec.choices]
        ident = parse(est, value if isinstance(value, str) else _raw_text(value))
        if not isinstance(value, str) or list_label(est, spec.choices, ident).casefold() != value.casefold():
            # The workbook's own formulas take only the list's labels; anything else is ignored there.
            raise InputError(spec.name, f"{value!r} is not one of the list values", "velg fra listen")
        return ident
    if isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta, str)):
        raise InputError(spec.name, f"{spec.label}: not a number: {value!r}", "ikke et tall")
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(spec.name, f"{spec.label}: not a number", "ikke et tall")
    if spec.kind == "whole":
        return whole_number(value, spec.name, spec.label, int(spec.minimum or 0), int(spec.maximum))
    return number(value, spec.name, spec.label, spec.minimum or 0.0, spec.maximum)
