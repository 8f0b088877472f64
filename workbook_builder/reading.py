"""Read a filled workbook safely: its inputs by the register's defined names, never by cell address.

A workbook comes back from a person's machine: it may be damaged, from another tool, macro-enabled,
encrypted or hostile. Every check that can refuse it runs before a byte of XML is parsed: the file is
a zip, its sizes and compression ratios are bounded, it has no macros, and every XML part is parsed
with defusedxml (no DTD, no entities). Values are read from the sheet XML itself (shared and inline
strings, numbers, booleans, error values), so workbooks saved by XlsxWriter, openpyxl, Excel and
LibreOffice all read the same.

Each input is then checked with the model's own rules (`model.whole_number`, `model.number`,
`model.parse_*`, the register's bounds). An invalid value is not thrown away: it becomes a
:class:`Problem` (name, the raw text, why), which a regeneration keeps as a note beside the input.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from .cells import INPUT_BY_NAME, INPUTS, STEP_ROWS, InputSpec, list_label
from .estimates import Estimates
from .model import InputError, Inputs, Step, first_year_min, number, parse_choice, whole_number

# Bounds checked before anything is decompressed. A budget workbook is about 50 KB on disk and
# 200 KB unpacked (LibreOffice's copy about twice that): these leave room for a hundred times more.
MAX_FILE_BYTES = 20 * 2**20
MAX_MEMBERS = 2_000
MAX_MEMBER_BYTES = 25 * 2**20
MAX_TOTAL_BYTES = 60 * 2**20
MAX_RATIO = 100  # uncompressed ÷ compressed, for members large enough to matter
RATIO_FROM_BYTES = 2**20
TEXT_LIMITS = {"kj_municipality": (0, 100), "kj_municipality_number": (4, 4)}  # the template's validation

NOTE_MARK = "ikke overført fra forrige arbeidsbok:"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
REL_OFFICE_DOCUMENT = "/officeDocument"
MACRO_PARTS = re.compile(r"(^|/)(vbaProject\.bin|vbaProjectSignature\.bin)$|^xl/macrosheets/", re.IGNORECASE)
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")


class UnreadableWorkbook(Exception):
    """A file kj-budget refuses to read, with one line in English that says why."""


@dataclass(frozen=True)
class ErrorValue:
    """An error value in a cell (#DIV/0!, #NAME? …)."""

    code: str

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class Cell:
    value: str | float | bool | ErrorValue | None
    formula: str | None = None  # the formula text; "" for a cell that shares another cell's formula
    style: int = 0


BLANK = Cell(None)


@dataclass(frozen=True)
class Ref:
    sheet: str
    first: tuple[int, int]
    last: tuple[int, int]

    @property
    def cells(self) -> Iterator[tuple[int, int]]:
        for r in range(self.first[0], self.last[0] + 1):
            for c in range(self.first[1], self.last[1] + 1):
                yield r, c


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _cell_rc(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", ref)
    if not m:
        raise ValueError(ref)
    return int(m.group(2)) - 1, _col(m.group(1))


def parse_ref(text: str) -> Ref | None:
    """`'Inndata'!$B$5` or `Inndata!$D$20:$D$31` → a Ref; anything else (#REF!, several areas) → None."""
    m = _REF.match(text.strip())
    if not m:
        return None
    sheet = m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)
    first = (int(m.group(4)) - 1, _col(m.group(3)))
    last = (int(m.group(6)) - 1, _col(m.group(5))) if m.group(5) else first
    return Ref(sheet, first, last)


def _local(tag: str) -> str:
    """The tag without its namespace: strict OOXML and transitional use different namespaces."""
    return tag.rsplit("}", 1)[-1]


def _children(el: Element, name: str) -> Iterator[Element]:
    return (c for c in el if _local(c.tag) == name)


def _child(el: Element, name: str) -> Element | None:
    return next(_children(el, name), None)


def _attr(el: Element, name: str) -> str | None:
    """An attribute by local name (r:id is namespaced)."""
    for k, v in el.attrib.items():
        if _local(k) == name:
            return v
    return None


def unescape(text: str) -> str:
    """Excel writes control characters in strings as _xHHHH_ (and a literal _x as _x005F_x)."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _text_of(el: Element) -> str:
    """The text of a shared or inline string: its <t>, or its runs' <t> (phonetic runs left out)."""
    t = _child(el, "t")
    if t is not None:
        return unescape(t.text or "")
    return "".join(unescape(t.text or "") for r in _children(el, "r") for t in _children(r, "t"))


# ----------------------------------------------------------------------------- the package


class Package:
    """The zip of an .xlsx, opened only after its size, members and ratios were checked."""

    def __init__(self, source: Path | bytes, label: str | None = None) -> None:
        path = Path(label or "workbook.xlsx") if isinstance(source, bytes) else source
        self.label = label or path.name
        try:
            if isinstance(source, bytes):
                size, head = len(source), source[:8]
            else:
                size = path.stat().st_size
                with path.open("rb") as fh:
                    head = fh.read(8)
        except FileNotFoundError:
            raise UnreadableWorkbook(f"{path}: no such file") from None
        except IsADirectoryError:
            raise UnreadableWorkbook(f"{path}: is a folder, not a workbook") from None
        except OSError as exc:
            raise UnreadableWorkbook(f"{path}: cannot be read ({exc.strerror or exc})") from None
        if head == OLE_MAGIC:
            raise UnreadableWorkbook(self._ole_message(self.label, source if isinstance(source, bytes)
                                                       else path.read_bytes()[: 4 * 2**20]))
        if size > MAX_FILE_BYTES:
            raise UnreadableWorkbook(f"{self.label}: is {size / 2**20:.0f} MB; a budget workbook is far smaller "
                                     f"(limit {MAX_FILE_BYTES // 2**20} MB), so it is not read")
        if not head.startswith(b"PK"):
            raise UnreadableWorkbook(f"{self.label}: is not an Excel workbook (.xlsx): it is not a zip package")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else path)
        except zipfile.BadZipFile:
            raise UnreadableWorkbook(f"{self.label}: is damaged or truncated: its zip directory is missing "
                                     "(was the copy or download cut short?)") from None
        except (OSError, ValueError, EOFError) as exc:
            raise UnreadableWorkbook(f"{self.label}: is damaged: {exc}") from None
        self._check_members()

    @staticmethod
    def _ole_message(label: str, data: bytes) -> str:
        """Office writes a password-protected .xlsx as an OLE compound file with these two streams."""
        if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
            return (f"{label}: is password-protected (encrypted); kj-budget cannot read it: open it in "
                    "Excel, remove the password to open (File > Info > Protect Workbook) and save it as .xlsx")
        return (f"{label}: is an old-format Excel file (.xls) or another OLE document, not an .xlsx "
                "workbook: open it and save it as .xlsx")

    def _check_members(self) -> None:
        infos = self.zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise UnreadableWorkbook(f"{self.label}: has {len(infos)} parts (limit {MAX_MEMBERS}): not read")
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise UnreadableWorkbook(f"{self.label}: has encrypted zip entries: not read")
            if info.file_size > MAX_MEMBER_BYTES:
                raise UnreadableWorkbook(f"{self.label}: part {info.filename} unpacks to "
                                         f"{info.file_size / 2**20:.0f} MB (limit {MAX_MEMBER_BYTES // 2**20} MB): "
                                         "not read (a zip bomb?)")
            if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise UnreadableWorkbook(f"{self.label}: part {info.filename} is compressed "
                                         f"{info.file_size // max(info.compress_size, 1)}:1 (limit {MAX_RATIO}:1): "
                                         "not read (a zip bomb?)")
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise UnreadableWorkbook(f"{self.label}: unpacks to {total / 2**20:.0f} MB "
                                     f"(limit {MAX_TOTAL_BYTES // 2**20} MB): not read (a zip bomb?)")
        self.names = {i.filename for i in infos}
        self._read_total = 0

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        """A part's bytes, read in bounded chunks whatever its header claims."""
        try:
            with self.zip.open(name) as fh:
                data = fh.read(MAX_MEMBER_BYTES + 1)
        except KeyError:
            raise UnreadableWorkbook(f"{self.label}: part {name} is missing") from None
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise UnreadableWorkbook(f"{self.label}: is damaged: part {name} cannot be unpacked ({exc})") from None
        except RuntimeError as exc:  # an encrypted member
            raise UnreadableWorkbook(f"{self.label}: part {name} cannot be read ({exc})") from None
        self._read_total += len(data)
        if len(data) > MAX_MEMBER_BYTES or self._read_total > MAX_TOTAL_BYTES:
            raise UnreadableWorkbook(f"{self.label}: part {name} unpacks to more than its limit: not read "
                                     "(a zip bomb?)")
        return data

    def xml(self, name: str) -> Element:
        """A part parsed by defusedxml: a DTD, an entity or an external reference is refused."""
        data = self.read(name)
        try:
            return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        except DefusedXmlException as exc:
            raise UnreadableWorkbook(f"{self.label}: part {name} contains an XML document type declaration or "
                                     f"entities ({type(exc).__name__}), which Excel never writes: refused") from None
        except ParseError as exc:
            raise UnreadableWorkbook(f"{self.label}: part {name} is not well-formed XML ({exc})") from None

    def close(self) -> None:
        self.zip.close()


# ----------------------------------------------------------------------------- the workbook


class WorkbookFile:
    """A safely opened .xlsx: its sheets, its workbook-level defined names and its cells' saved values."""

    def __init__(self, source: str | Path | bytes, label: str | None = None) -> None:
        self.path = Path(label or "workbook.xlsx") if isinstance(source, bytes) else Path(source)
        self.pkg = Package(source if isinstance(source, bytes) else self.path, label)
        label = self.pkg.label
        if not self.pkg.has("[Content_Types].xml"):
            raise UnreadableWorkbook(f"{label}: is a zip file but not an Excel workbook (no [Content_Types].xml)")
        types = self.pkg.xml("[Content_Types].xml")
        content_types = [_attr(o, "ContentType") or "" for o in types]
        macro_types = [t for t in content_types if "macroenabled" in t.lower() or "vbaproject" in t.lower()]
        macro_parts = sorted(n for n in self.pkg.names if MACRO_PARTS.search(n))
        if macro_types or macro_parts:
            raise UnreadableWorkbook(f"{label}: is a macro-enabled workbook (.xlsm: "
                                     f"{(macro_parts or macro_types)[0]}); kj-budget does not read files with "
                                     "macros: save it as an Excel workbook (.xlsx) first")
        self.workbook_part = self._workbook_part()
        root = self.pkg.xml(self.workbook_part)
        rels = self._rels(self.workbook_part)
        self.sheets: dict[str, str] = {}
        sheets_el = _child(root, "sheets")
        for s in (sheets_el if sheets_el is not None else []):
            target = rels.get(_attr(s, "id") or "")
            if target and s.get("name"):
                self.sheets[s.get("name")] = target
        self.names: dict[str, Ref | None] = {}
        names_el = _child(root, "definedNames")
        for dn in (names_el if names_el is not None else []):
            name = dn.get("name") or ""
            if dn.get("localSheetId") is not None or name.startswith("_xlnm"):
                continue
            self.names[name] = parse_ref(dn.text or "")
        self._cells: dict[str, dict[tuple[int, int], Cell]] = {}
        self._strings: list[str] | None = None
        self._locked: list[bool] | None = None

    def _workbook_part(self) -> str:
        if self.pkg.has("_rels/.rels"):
            for rel in self.pkg.xml("_rels/.rels"):
                if (rel.get("Type") or "").endswith(REL_OFFICE_DOCUMENT):
                    target = (rel.get("Target") or "").lstrip("/")
                    if self.pkg.has(target):
                        return target
        if self.pkg.has("xl/workbook.xml"):
            return "xl/workbook.xml"
        raise UnreadableWorkbook(f"{self.pkg.label}: is a zip file but not an Excel workbook (no workbook part; "
                                 "a Word or PowerPoint file?)")

    def _rels(self, part: str) -> dict[str, str]:
        """Relationship id → part name, for a part's .rels file."""
        folder, base = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", base + ".rels")
        if not self.pkg.has(rels_part):
            return {}
        out = {}
        for rel in self.pkg.xml(rels_part):
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External":
                continue
            out[rel.get("Id") or ""] = (target.lstrip("/") if target.startswith("/")
                                        else posixpath.normpath(posixpath.join(folder, target)))
        return out

    # ------------------------------------------------------------------ values

    @property
    def strings(self) -> list[str]:
        if self._strings is None:
            self._strings = []
            for rel_type, target in self._rel_types(self.workbook_part):
                if rel_type.endswith("/sharedStrings") and self.pkg.has(target):
                    self._strings = [_text_of(si) for si in self.pkg.xml(target) if _local(si.tag) == "si"]
        return self._strings

    def _rel_types(self, part: str) -> list[tuple[str, str]]:
        folder, base = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", base + ".rels")
        if not self.pkg.has(rels_part):
            return []
        return [(rel.get("Type") or "", posixpath.normpath(posixpath.join(folder, rel.get("Target") or ""))
                 if not (rel.get("Target") or "").startswith("/") else (rel.get("Target") or "").lstrip("/"))
                for rel in self.pkg.xml(rels_part)]

    def sheet_cells(self, sheet: str) -> dict[tuple[int, int], Cell]:
        if sheet not in self._cells:
            part = self.sheets.get(sheet)
            self._cells[sheet] = self._parse_sheet(part) if part and self.pkg.has(part) else {}
        return self._cells[sheet]

    def _parse_sheet(self, part: str) -> dict[tuple[int, int], Cell]:
        root = self.pkg.xml(part)
        data = _child(root, "sheetData")
        cells: dict[tuple[int, int], Cell] = {}
        row_no = -1
        for row in (data if data is not None else []):
            if _local(row.tag) != "row":
                continue
            row_no = int(row.get("r")) - 1 if row.get("r") else row_no + 1
            col_no = -1
            for c in row:
                if _local(c.tag) != "c":
                    continue
                if c.get("r"):
                    row_c, col_no = _cell_rc(c.get("r"))
                    r = row_c
                else:
                    col_no += 1
                    r = row_no
                cells[(r, col_no)] = self._cell(c)
        return cells

    def _cell(self, c: Element) -> Cell:
        t = c.get("t", "n")
        v = _child(c, "v")
        f = _child(c, "f")
        text = v.text if v is not None else None
        formula = (f.text or "") if f is not None else None
        style = int(c.get("s") or 0)
        value: str | float | bool | ErrorValue | None
        if t == "inlineStr":
            is_ = _child(c, "is")
            value = _text_of(is_) if is_ is not None else ""
        elif t == "str" and v is not None:  # a formula's text result, "" included
            value = unescape(text or "")
        elif text is None or text == "":
            value = None
        elif t == "s":
            try:
                value = self.strings[int(text)]
            except (ValueError, IndexError):
                raise UnreadableWorkbook(f"{self.pkg.label}: is damaged: a cell refers to shared string "
                                         f"{text} of {len(self.strings)}") from None
        elif t == "b":
            value = text.strip() in ("1", "true")
        elif t == "e":
            value = ErrorValue(text)
        elif t == "d":
            value = text
        else:
            try:
                value = float(text)
            except ValueError:
                raise UnreadableWorkbook(f"{self.pkg.label}: is damaged: a number cell holds {text[:20]!r}") from None
        return Cell(value, formula, style)

    def cell(self, sheet: str, r: int, c: int) -> Cell:
        return self.sheet_cells(sheet).get((r, c), BLANK)

    def cells(self, name: str) -> list[Cell] | None:
        """The cells of a defined name, row by row; None when the name is missing or points nowhere."""
        ref = self.names.get(name)
        if ref is None or ref.sheet not in self.sheets:
            return None
        return [self.cell(ref.sheet, r, c) for r, c in ref.cells]

    def value(self, name: str) -> Any:
        """A name's saved values: a scalar for one cell, else a list; None when missing."""
        cells = self.cells(name)
        if cells is None:
            return None
        values = [c.value for c in cells]
        return values[0] if len(values) == 1 else values

    def locked(self, cell: Cell) -> bool:
        """Whether a cell is locked (Excel's default); unlocked cells are the ones a user types in."""
        if self._locked is None:
            self._locked = []
            for rel_type, target in self._rel_types(self.workbook_part):
                if rel_type.endswith("/styles") and self.pkg.has(target):
                    xfs = _child(self.pkg.xml(target), "cellXfs")
                    for xf in (xfs if xfs is not None else []):
                        prot = _child(xf, "protection")
                        self._locked.append(prot is None or prot.get("locked") not in ("0", "false"))
        return self._locked[cell.style] if cell.style < len(self._locked) else True

    def custom_properties(self) -> dict[str, str]:
        """docProps/custom.xml: name → value as text."""
        if not self.pkg.has("docProps/custom.xml"):
            return {}
        out = {}
        for prop in self.pkg.xml("docProps/custom.xml"):
            if prop.get("name"):
                out[prop.get("name")] = "".join(prop.itertext()).strip()
        return out

    def sheet_password(self, sheet: str) -> bool:
        """Whether a sheet is protected with a password (its hash is stored, never the password)."""
        part = self.sheets.get(sheet)
        if not part or not self.pkg.has(part):
            return False
        prot = _child(self.pkg.xml(part), "sheetProtection")
        return prot is not None and bool(prot.get("password") or prot.get("hashValue"))

    def close(self) -> None:
        self.pkg.close()

    def __enter__(self) -> WorkbookFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ----------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Problem:
    """An input value that could not be carried: where it was, what it was, and why, in both languages.

    kind: "invalid" (kept as a note beside the input, which is left blank), "not_in_template" (the
    new template has no such input) or "no_room" (a step row beyond the new template's rows)."""

    key: str
    label: str
    raw: str
    en: str
    nb: str
    kind: str = "invalid"
    text: str = ""  # the note as an earlier regeneration wrote it, carried unchanged

    @property
    def name(self) -> str:
        return self.key.split("#")[0]

    @property
    def note(self) -> str:
        """The Norwegian note shown beside the input (Inndata, column J); it names the input, so a
        later regeneration finds it again (a step row's note can hold several)."""
        if self.text:
            return self.text
        label = INPUT_BY_NAME[self.name].label if self.name in INPUT_BY_NAME else self.label
        raw = " ".join(self.raw.split())  # one line: a step row's note holds one line per input
        return f"{label}: {NOTE_MARK} «{raw}» – {self.nb}. Skriv inn en gyldig verdi."


@dataclass(frozen=True)
class Carried:
    """An input value carried across: as found, and as it is written again (text for the report)."""

    key: str
    label: str
    raw: str
    value: str
    en: str = ""  # why it changed, if it did
    nb: str = ""
    data: Any = None  # the value itself: a number, or text (a list value as its label)

    @property
    def changed(self) -> bool:
        return bool(self.en)


@dataclass
class FilledWorkbook:
    """What a filled workbook holds: its inputs (valid ones), the problems, what it was built from."""

    path: Path
    inputs: Inputs
    problems: list[Problem]
    metadata: dict[str, str]
    carried: list[Carried]
    missing: list[str]  # the register's inputs the workbook does not have (left blank)
    saved: dict[str, Any] = field(default_factory=dict)  # saved values of every other kj_ name
    formulas: dict[str, bool] = field(default_factory=dict)  # kj_ name → whether its first cell is a formula
    labels: dict[str, str] = field(default_factory=dict)  # kj_est_* → its label on the sheet
    password: bool = False
    lite: bool = False  # the xlwings Lite functions were embedded (xl/webextensions/)
    udf_config: bool = False  # it had an xlwings.conf sheet

    @property
    def input_notes(self) -> dict[str, str]:
        return {p.key: p.note for p in self.problems if p.kind == "invalid"}

    def __iter__(self) -> Iterator[Any]:
        """Unpacks as (inputs, problems, metadata)."""
        return iter((self.inputs, self.problems, self.metadata))


def raw_text(value: Any) -> str:
    """A cell value as a person would read it back."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return f"{int(value)}" if value.is_integer() and abs(value) < 1e15 else f"{value:.15g}"
    return str(value)


def _label(spec: InputSpec, row: int | None) -> str:
    return f"Trinn {row}: {spec.label}" if row is not None else spec.label


class _Invalid(Exception):
    def __init__(self, en: str, nb: str) -> None:
        super().__init__(en)
        self.en, self.nb = en, nb


def check_value(est: Estimates, spec: InputSpec, value: Any, strict: bool = False) -> tuple[Any, str, str]:
    """(the value for `Inputs`, why it changed in English, in Norwegian), or raises _Invalid.

    The model's rules: whole numbers and numbers within the register's bounds, list values that the
    model's parsers know (an id, a label in any case, a vendor's product name; `strict`: only a list
    label, as the workbook's own MATCH takes it); the template's length rules for text."""
    if isinstance(value, ErrorValue):
        raise _Invalid(f"an error value ({value})", f"en feilverdi ({value})")
    if spec.kind == "text":
        changed = ("", "")
        if isinstance(value, bool) or not isinstance(value, (str, float)):
            raise _Invalid(f"not text: {raw_text(value)}", f"ikke tekst: {raw_text(value)}")
        if isinstance(value, float):
            text = raw_text(value)
            changed = (f"the number {text} is carried as the text {text!r}", f"tallet {text} er ført over som tekst")
            value = text
        lo, hi = TEXT_LIMITS.get(spec.name, (0, 100))
        if not lo <= len(value) <= hi:
            rule_en = f"exactly {lo} characters" if lo == hi else f"at most {hi} characters"
            rule_nb = f"nøyaktig {lo} tegn" if lo == hi else f"høyst {hi} tegn"
            raise _Invalid(f"{spec.label}: must be {rule_en}, has {len(value)}",
                           f"må ha {rule_nb}, har {len(value)}")
        return value, *changed
    if spec.kind == "choice":
        try:
            ident = parse_choice(est, spec.choices, value if isinstance(value, str) else raw_text(value))
        except InputError as exc:
            raise _Invalid(exc.en, exc.nb) from None
        label = list_label(est, spec.choices, ident)
        if strict and (not isinstance(value, str) or label.casefold() != value.casefold()):
            raise _Invalid(f"{raw_text(value)!r} is not one of the list values (the workbook ignores it)",
                           "velg fra listen")
        if label != value:
            return ident, f"{raw_text(value)!r} is the list value {label!r}", f"«{raw_text(value)}» er «{label}»"
        return ident, "", ""
    if isinstance(value, str):
        what = "et helt tall" if spec.kind == "whole" else "et tall"
        raise _Invalid(f"text, not a number: {value!r}", f"tekst, ikke {what}")
    try:
        if spec.kind == "whole":
            lowest = first_year_min(est) if spec.field == "first_year" else int(spec.minimum or 0)
            return whole_number(value, spec.name, spec.label, lowest, int(spec.maximum)), "", ""
        return number(value, spec.name, spec.label, spec.minimum or 0.0, spec.maximum), "", ""
    except InputError as exc:
        return_nb = exc.nb[len(spec.label):].lstrip() if exc.nb.startswith(spec.label) else exc.nb
        raise _Invalid(exc.en, return_nb) from None


def read_workbook(path: str | Path | bytes, est: Estimates, label: str | None = None,
                  strict: bool = False) -> FilledWorkbook:
    """Read a filled workbook's inputs against `est` (the estimates the new workbook is built from).

    `strict` reads list values as the workbook does (exact labels), for comparing with its totals.
    Raises :class:`UnreadableWorkbook` for a file that is not a kj-budget workbook or is unsafe."""
    with WorkbookFile(path, label) as wb:
        return _read(wb, est, strict)


def read_inputs(path: str | Path, est: Estimates) -> tuple[Inputs, list[Problem], dict[str, str]]:
    """(Inputs, problems, metadata) of a filled workbook."""
    inputs, problems, metadata = read_workbook(path, est)
    return inputs, problems, metadata


TEXT_FIELDS = {spec.field for spec in INPUTS if spec.kind == "text" and spec.rows == 1}  # blank → ""


def _read(wb: WorkbookFile, est: Estimates, strict: bool = False) -> FilledWorkbook:
    ours = [n for n in wb.names if n in INPUT_BY_NAME or n.startswith("kj_meta_")]
    if not ours:
        raise UnreadableWorkbook(f"{wb.pkg.label}: is not a kj-budget workbook: it has none of the named cells "
                                 "kj-budget writes (such as kj_municipality or kj_step_staff)")
    problems: list[Problem] = []
    carried: list[Carried] = []
    missing: list[str] = []
    values: dict[str, Any] = {}
    formulas: dict[str, bool] = {}

    def take(spec: InputSpec, key: str, cell: Cell, row: int | None) -> Any:
        """The valid value of one input cell, or None (blank or invalid, reported)."""
        label = _label(spec, row)
        value = cell.value
        how_en, how_nb = "", ""
        if cell.formula is not None:
            if value is None or value == "":
                if not cell.formula:
                    return None
                raw = "=" + cell.formula
                problems.append(Problem(key, label, raw, "a formula with no saved value (the file was saved by a "
                                        "program that does not calculate)", "en formel uten lagret verdi"))
                return None
            how_en = f"the formula ={cell.formula} is carried as its value"
            how_nb = f"formelen ={cell.formula} er ført over som verdien"
        if value is None or value == "":
            return None
        try:
            ok, en, nb = check_value(est, spec, value, strict)
        except _Invalid as exc:
            problems.append(Problem(key, label, raw_text(value), exc.en, exc.nb))
            return None
        en = "; ".join(x for x in (how_en, en) if x)
        nb = "; ".join(x for x in (how_nb, nb) if x)
        shown = list_label(est, spec.choices, ok) if spec.kind == "choice" else raw_text(ok)
        data = shown if spec.kind in ("choice", "text") else ok
        carried.append(Carried(key, label, raw_text(value), shown, en, nb, data))
        return ok

    scalars: dict[str, Any] = {}
    step_cols: dict[str, list[Any]] = {}
    for spec in INPUTS:
        cells = wb.cells(spec.name)
        if cells is None:
            missing.append(spec.name)
            continue
        if spec.rows == 1:
            scalars[spec.field] = take(spec, spec.name, cells[0], None)
            continue
        col: list[Any] = []
        for k, cell in enumerate(cells):
            key = f"{spec.name}#{k + 1}"
            if k >= spec.rows:
                if cell.value not in (None, ""):
                    problems.append(Problem(key, _label(spec, k + 1), raw_text(cell.value),
                                            f"the new template has room for {spec.rows} rollout steps",
                                            f"den nye malen har plass til {spec.rows} innføringstrinn", "no_room"))
                continue
            col.append(take(spec, key, cell, k + 1))
        step_cols[spec.field.split(".")[1]] = col

    problems += _pending(wb, problems)
    steps = _steps(step_cols)
    invalid = tuple(sorted({p.name for p in problems if p.kind == "invalid"}))
    inputs = Inputs(steps=steps, invalid=invalid,
                    **{k: (v if v is not None else ("" if k in TEXT_FIELDS else None))
                       for k, v in scalars.items()})

    # Inputs of the old template that the new one lacks: unlocked named cells we do not know.
    for name, ref in wb.names.items():
        if not name.startswith("kj_") or name in INPUT_BY_NAME or ref is None:
            continue
        cells = wb.cells(name) or []
        if cells and all(not wb.locked(c) for c in cells):
            for k, c in enumerate(cells):
                if c.value not in (None, ""):
                    key = name if len(cells) == 1 else f"{name}#{k + 1}"
                    problems.append(Problem(key, name, raw_text(c.value), "the new template has no such input",
                                            "den nye malen har ikke dette feltet", "not_in_template"))
            continue
        values[name] = wb.value(name)
        formulas[name] = bool(cells) and cells[0].formula is not None

    labels = {name: estimate_label(wb, name) for name in values}

    metadata = {k.removeprefix("kj_"): v for k, v in wb.custom_properties().items() if k.startswith("kj_")}
    for name, v in values.items():
        if name.startswith("kj_meta_") and v not in (None, ""):
            metadata[name.removeprefix("kj_meta_")] = raw_text(v)
    return FilledWorkbook(wb.path, inputs, problems, metadata, carried, missing, values, formulas, labels,
                          password=wb.sheet_password("Inndata"),
                          lite=any(n.startswith("xl/webextensions/") for n in wb.pkg.names),
                          udf_config="xlwings.conf" in wb.sheets)


def _pending(wb: WorkbookFile, found: list[Problem]) -> list[Problem]:
    """Notes an earlier regeneration left beside inputs that are still blank: the values it could not
    carry are still waiting, so they come along again (and Kontroll still fails for them)."""
    ref = wb.names.get("kj_input_note")
    if ref is None:
        return []
    seen = {p.key for p in found}
    out = []
    for spec in INPUTS:
        cells = wb.cells(spec.name) or []
        first = wb.names[spec.name].first if spec.name in wb.names and wb.names[spec.name] else None
        for k, cell in enumerate(cells[: spec.rows]):
            key = spec.name if spec.rows == 1 else f"{spec.name}#{k + 1}"
            if first is None or cell.value not in (None, "") or key in seen:
                continue
            r = first[0] + k
            if not ref.first[0] <= r <= ref.last[0]:
                continue
            note = wb.cell(ref.sheet, r, ref.first[1]).value
            for line in (note.split("\n") if isinstance(note, str) else []):
                if line.startswith(f"{spec.label}: {NOTE_MARK}"):
                    m = re.search(r"«(.*?)»", line)
                    out.append(Problem(key, _label(spec, k + 1 if spec.rows > 1 else None), m.group(1) if m else "",
                                       "still blank: an earlier regeneration could not carry this value",
                                       "fortsatt tomt etter en tidligere regenerering", "invalid", line))
    return out


def estimate_label(wb: WorkbookFile, name: str) -> str:
    """What a named figure is called on its sheet: column A of its row; for a column of figures
    (one per e-ID or group) the column's head and the rows' labels."""
    ref = wb.names.get(name)
    if ref is None:
        return name
    if name == "kj_est_sizes":
        return "Referansestørrelser (antall helsepersonell)"
    text = lambda r, c: v if isinstance(v := wb.cell(ref.sheet, r, c).value, str) else ""  # noqa: E731
    if ref.first[0] != ref.last[0] and ref.first[1] != 0:
        rows = " / ".join(text(r, 0) for r in range(ref.first[0], ref.last[0] + 1))
        head = text(ref.first[0] - 1, ref.first[1])
        return f"{head}: {rows}" if head else rows
    if ref.first[0] != ref.last[0]:
        return text(ref.first[0] - 1, 0) or name
    return text(ref.first[0], 0).strip() or name


def _steps(cols: dict[str, list[Any]]) -> tuple[Step, ...]:
    """Step rows in their places (a blank row between two steps stays blank); trailing blanks dropped."""
    n = max((len(c) for c in cols.values()), default=0)
    n = min(n, STEP_ROWS)
    get = lambda f, k: cols.get(f, [])[k] if k < len(cols.get(f, [])) else None  # noqa: E731
    steps = [Step(staff=int(get("staff", k) or 0), group=get("group", k), unit=get("unit", k) or "",
                  year=get("year", k)) for k in range(n)]
    while steps and steps[-1] == Step(0):
        steps.pop()
    return tuple(steps)


def filled_values(path: str | Path | bytes) -> dict[str, Any]:
    """Every non-blank input cell of a kj-budget workbook (key → saved value); raises UnreadableWorkbook.

    Used before replacing a workbook: what a user typed must not be overwritten without --force."""
    out: dict[str, Any] = {}
    with WorkbookFile(path) as wb:
        if not any(n in INPUT_BY_NAME or n.startswith("kj_meta_") for n in wb.names):
            raise UnreadableWorkbook(f"{wb.pkg.label}: is not a kj-budget workbook")
        for spec in INPUTS:
            for k, c in enumerate(wb.cells(spec.name) or []):
                if c.value not in (None, ""):
                    out[spec.name if spec.rows == 1 else f"{spec.name}#{k + 1}"] = c.value
    return out


def built_date(metadata: dict[str, str]) -> dt.date | None:
    """The date the workbook was built (it decides the default first budget year)."""
    try:
        return dt.date.fromisoformat(metadata.get("built", ""))
    except ValueError:
        return None


def same_number(a: Any, b: Any) -> bool:
    """Numbers equal to the cent's fraction a spreadsheet keeps (15 digits); anything else exactly."""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.005)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(same_number, a, b))
    return a == b


__all__ = ["BLANK", "Carried", "Cell", "ErrorValue", "FilledWorkbook", "Problem", "UnreadableWorkbook",
           "WorkbookFile", "built_date", "check_value", "filled_values", "raw_text", "read_inputs", "read_workbook",
           "same_number"]
