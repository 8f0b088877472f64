"""Read a filled workbook safely: its inputs by the register's defined names, never by cell address.

A workbook comes back from a person's machine: it may be damaged, from another tool, macro-enabled,
encrypted or hostile. Every check that can refuse it runs before a byte of a cell is read:

- the file is a regular file (not a pipe), at most 20 MB, a zip, its parts' sizes and compression
  ratios bounded, no macros, no encryption;
- every XML part is refused if it declares a DTD or entities (checked on its bytes; a part that is not
  plain UTF-8 is parsed by defusedxml), so no entity is ever expanded;
- every named range read is bounded by the register's shapes (a scalar input is one cell, a step column
  at most ``MAX_STEP_ROWS`` cells in one column, any other name at most ``MAX_NAME_CELLS``), so a name
  widened to a whole sheet is a clear error, not a hang;
- a sheet holds at most ``MAX_SHEET_CELLS`` cells, every cell reference inside Excel's grid, every
  row number, reference and style index well-formed: anything else is a one-line error.

Then the values are read with **python-calamine** (fast, in Rust) from a package rebuilt from the checked
parts only (a workbook part of our own listing the sheets, the shared strings without their size hint,
the styles and the checked sheets), so calamine never sees a byte that was not checked. Formulas, error
values and cell styles are taken from the checked sheet XML. A sheet calamine should not be given (a used
cell outside ``FAST_AREA``, references it would read differently, namespace prefixes) is read by the
bounded standard-library parser instead; both give the same cells.

Each input is then checked with the model's own rules (`numbers.whole_number`, `numbers.number`,
`model.parse_*`, the register's bounds), with the text-input rule (`textinput`) for names and units and
with dates refused where a number is meant. An invalid value is not thrown away: it becomes a
:class:`Problem` (name, the raw text, why), which a regeneration keeps as a note beside the input.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
import posixpath
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple
from xml.etree import ElementTree as StdET
from xml.etree.ElementTree import Element, ParseError

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from workbook_builder.cells import INPUT_BY_NAME, INPUTS, OUTPUTS, STEP_ROWS, TEXT_MAX, InputSpec, list_label
from workbook_builder.core.errors import InputError
from workbook_builder.core.estimates import MAX_FIGURE, Estimates
from workbook_builder.core.followup import lines
from workbook_builder.core.i18n import DEFAULT_MALFORM, MALFORMS, N_, English, Message, parse_malform, tr
from workbook_builder.core.model import (
    ACTUAL_NB,
    PLAN_YEARS,
    Actual,
    Inputs,
    Step,
    default_first_year,
    first_year_min,
    parse_choice,
)
from workbook_builder.core.municipality import parse_municipality_number
from workbook_builder.core.numbers import nb_number, number, number_from_text, whole_number
from workbook_builder.core.textinput import clean_text

# Bounds checked before anything is decompressed. A budget workbook is about 50 KB on disk and
# 200 KB unpacked (LibreOffice's copy about twice that): these leave room for a hundred times more.
MAX_FILE_BYTES = 20 * 2**20
MAX_MEMBERS = 2_000
MAX_MEMBER_BYTES = 25 * 2**20
MAX_TOTAL_BYTES = 60 * 2**20
MAX_RATIO = 100  # uncompressed ÷ compressed, for members large enough to matter
RATIO_FROM_BYTES = 2**20
# Bounds on what is read from the sheets (a budget sheet has under 1 000 cells, its largest name 46).
MAX_SHEET_CELLS = 200_000
MAX_STEP_ROWS = 100  # a step column may run past the template's 12 rows (those rows are listed), up to this
MAX_NAME_CELLS = 1_000
FAST_AREA = "A1:ZZ999"  # calamine reads a sheet whose every cell lies here (702 × 999 cells at most)
EXCEL_MAX_ROW, EXCEL_MAX_COL = 1_048_576, 16_384
CORE_INPUTS = ("kj_municipality", "kj_step_staff")  # every kj-budget template has them, on its input sheet

# The note a regeneration leaves beside an input whose value it could not carry (a message, written in the new
# workbook's målform); a later regeneration finds it again by the input's label followed by the mark, in either
# målform (an older kj-budget wrote it in bokmål only).
NOTE_MARK = N_("ikke overført fra forrige arbeidsbok:")
NOTE = N_("{label}: {mark} «{raw}» – {why}. Skriv inn en gyldig verdi.")
STEP_LABEL = N_("Trinn {n}: {label}")  # a step row's input, as Regenerering names it
ACTUAL = "kj_actual_"  # the actuals on Oppfølging: kj_actual_<follow-up line>, one cell per budget year
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
REL_OFFICE_DOCUMENT = "/officeDocument"
MACRO_PARTS = re.compile(r"(^|/)(vbaProject\.bin|vbaProjectSignature\.bin)$|^xl/macrosheets/", re.IGNORECASE)
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")
_CELL_REF = re.compile(r"\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6})")
# The sheet XML as every writer we know writes it: <c r="B5" ...> with the reference first. A cell written
# otherwise, or outside A1:ZZ999, or with a namespace prefix, sends the sheet to the careful parser.
_ODD_CELL = re.compile(rb'<c(?! r="[A-Z]{1,2}[1-9][0-9]{0,2}"[ />])[ />]')
_ODD_ROW = re.compile(rb'<row(?! r="[1-9][0-9]{0,2}"[ />])[ />]')
_ODD_STYLE = re.compile(rb' s="(?![0-9]{1,5}")')
_PREFIXED_CELL = re.compile(rb":c[ >/]")
# A cell whose tag (up to its first ">", not "/>") is followed by <f: possessive, so a sheet is scanned once.
_FORMULA_REFS = re.compile(rb'<c r="([A-Z]{1,3}[1-9][0-9]{0,6})"[^>/]*+(?:/+[^>/]++)*+>\s*<f\b')
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3}[1-9][0-9]{0,6})"([^>]*?)(?<!/)>\s*<f\b[^>]*?(?:/>|>([^<]*)</f>)')
_ERROR_CELL = re.compile(rb'<c r="([A-Z]{1,3}[1-9][0-9]{0,6})"[^>]*?\bt="e"[^>]*?(?<!/)>'
                         rb'(?:\s*<f\b[^>]*?(?:/>|>[^<]*</f>))?\s*<v>([^<]*)</v>')
# A cell written as an element with content (<c r="B5" …>…</c>, not the empty <c r="B5" …/>): possessive, one scan.
_CONTENT_REFS = re.compile(rb'<c r="([A-Z]{1,3}[1-9][0-9]{0,6})"[^>/]*+(?:/+[^>/]++)*+(?<!/)>')
_TEXT_RESULT_REFS = re.compile(rb'<c r="([A-Z]{1,3}[1-9][0-9]{0,6})"[^>]*?\st="str"')
_STYLE_CELL = re.compile(rb'<c r="([A-Z]{1,3}[1-9][0-9]{0,6})"[^>]*?\ss="([^"]*)"')
_PROPERTY = re.compile(rb'<property\s[^>]*?\bname="([^"]*)"[^>]*>(.*?)</property>', re.DOTALL)
_PREFIXED_PROPERTY = re.compile(rb"<[A-Za-z_][-.\w]*:property[\s>]")
_MACRO_TYPE = re.compile(rb'ContentType="([^"]*(?:[mM]acro[eE]nabled|vba[pP]roject)[^"]*)"')
_UNLOCKED = re.compile(rb'\slocked="(?:0|false)"')
_SST_COUNTS = re.compile(rb'\s(?:unique)?[cC]ount="[^"]*"')
_CHAR_REF = re.compile(r"&#(x[0-9A-Fa-f]+|[0-9]+);")
# Excel's built-in date and time formats (ECMA-376 18.8.30), and the letters of a date or time code.
BUILTIN_DATE_FORMATS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}


class UnreadableWorkbook(Exception):
    """A file kj-budget refuses to read, with one line in English that says why."""


@dataclass(frozen=True)
class ErrorValue:
    """An error value in a cell (#DIV/0!, #NAME? …)."""

    code: str

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class DateValue:
    """A number shown as a date or a time (its cell's format): a date typed where a count is meant
    is refused, not read as 46 388 persons."""

    text: str  # as a Norwegian reader sees it: 01.01.2027, 12:30, 01.01.2027 12:30

    def __str__(self) -> str:
        return self.text


class Cell(NamedTuple):
    value: str | float | bool | ErrorValue | DateValue | None
    formula: str | None = None  # the formula text; "" for a cell that shares another cell's formula
    style: int = 0


BLANK = Cell(None)


class Ref(NamedTuple):
    sheet: str
    first: tuple[int, int]
    last: tuple[int, int]
    text: str = ""

    @property
    def rows(self) -> int:
        return self.last[0] - self.first[0] + 1

    @property
    def cols(self) -> int:
        return self.last[1] - self.first[1] + 1

    @property
    def size(self) -> int:
        return self.rows * self.cols

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
    m = _CELL_REF.fullmatch(ref)
    if not m:
        raise ValueError(ref)
    return int(m.group(2)) - 1, _col(m.group(1))


@functools.lru_cache(maxsize=4096)  # the workbooks of one template share their names' texts
def parse_ref(text: str) -> Ref | None:
    """`'Inndata'!$B$5` or `Inndata!$D$20:$D$31` → a Ref; anything else (#REF!, several areas, a cell
    outside Excel's grid) → None."""
    text = text.strip()
    m = _REF.match(text)
    if not m:
        return None
    sheet = m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)
    first = (int(m.group(4)) - 1, _col(m.group(3)))
    if m.group(5):
        last = (int(m.group(6)) - 1, _col(m.group(5)))
        if last[0] < first[0] or last[1] < first[1]:
            first, last = (min(first[0], last[0]), min(first[1], last[1])), (max(first[0], last[0]),
                                                                                max(first[1], last[1]))
    else:
        last = first
    if first[0] < 0 or last[0] >= EXCEL_MAX_ROW or last[1] >= EXCEL_MAX_COL:
        return None
    return Ref(sheet, first, last, text)


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


def _xml_unescape(text: str) -> str:
    """The five predefined entities resolved, «&amp;» last (as xml.sax.saxutils.unescape with &quot; and
    &apos;, whose module would import urllib, http and email with it)."""
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))


def _xml_attribute(text: str) -> str:
    """Text made safe inside a double-quoted XML attribute (as xml.sax.saxutils.escape with &quot;)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace('"', "&quot;")


def _xml_text(raw: bytes) -> str:
    """Text between tags in XML bytes: entities and character references resolved."""
    if b"&" not in raw:
        return raw.decode("utf-8", errors="replace")
    text = _xml_unescape(raw.decode("utf-8", errors="replace"))
    return _CHAR_REF.sub(lambda m: chr(int(m.group(1)[1:], 16) if m.group(1)[0] == "x" else int(m.group(1))), text)


def is_date_format(code: str) -> bool:
    """Whether a number format shows a date or a time: a day, month, year, hour or second code outside
    quoted text, escaped characters and [colour] or [$-locale] sections (an [h] elapsed time counts)."""
    if re.search(r"\[(?:h+|m+|s+)\]", code, re.IGNORECASE):
        return True
    code = re.sub(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]', "", code)
    return code.lower() != "general" and bool(re.search(r"[dmyhsDMYHS]", code))


def _date_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y %H:%M") if (value.hour, value.minute, value.second) != (0, 0, 0) \
            else value.strftime("%d.%m.%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.timedelta):
        minutes = int(value.total_seconds() // 60)
        return f"{minutes // 60}:{minutes % 60:02d}"
    return str(value)


def _serial_text(serial: float) -> str:
    """A spreadsheet date serial (1900 system) as a Norwegian reader sees it."""
    if not math.isfinite(serial) or not -1 < serial < 2_958_466:
        return f"{serial:g}"
    when = dt.datetime(1899, 12, 30) + dt.timedelta(days=serial)
    return _date_text(when.time() if serial < 1 else when)


class _Names(Mapping[str, "Ref | None"]):
    """Workbook-level defined names → their range, parsed when first asked for (a workbook has a hundred)."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts
        self._parsed: dict[str, Ref | None] = {}
        self._starting: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._on_sheet: dict[str, tuple[str, ...]] = {}

    def __getitem__(self, name: str) -> Ref | None:
        try:
            return self._parsed[name]
        except KeyError:
            ref = self._parsed[name] = parse_ref(self.texts[name])
            return ref

    def __iter__(self) -> Iterator[str]:
        return iter(self.texts)

    def __len__(self) -> int:
        return len(self.texts)

    def __contains__(self, name: object) -> bool:
        return name in self.texts

    def on_sheet(self, sheet: str) -> tuple[str, ...]:
        """The names whose reference starts with `sheet` (cheap: no parsing of the others); found once."""
        if sheet not in self._on_sheet:
            quoted, plain = "'" + sheet.replace("'", "''") + "'!", sheet + "!"
            self._on_sheet[sheet] = tuple(n for n, t in self.texts.items() if t.lstrip().startswith((quoted, plain)))
        return self._on_sheet[sheet]

    def starting(self, *prefixes: str) -> tuple[str, ...]:
        """The names that start with one of `prefixes`, in the workbook's order; found once."""
        if prefixes not in self._starting:
            self._starting[prefixes] = tuple(n for n in self.texts if n.startswith(prefixes))
        return self._starting[prefixes]


# ----------------------------------------------------------------------------- the package


def _plain_utf8(data: bytes) -> bool:
    """XML bytes whose every markup character is visible as ASCII (so a DTD cannot hide)."""
    return data[:1] == b"<" or data[:4] == b"\xef\xbb\xbf<" or data.lstrip()[:1] == b"<"


def file_bytes(path: Path, label: str | None = None) -> bytes:
    """A workbook file's bytes, as every reader takes them: only a regular file (a named pipe would block), at
    most MAX_FILE_BYTES (an OLE file is read further: its stream names say whether it is encrypted)."""
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise UnreadableWorkbook(f"{path}: is a folder, not a workbook")
        if not stat.S_ISREG(st.st_mode):
            raise UnreadableWorkbook(f"{path}: is not a regular file (a named pipe or a device), not a workbook")
        with path.open("rb") as fh:
            head = fh.read(8)
            if head == OLE_MAGIC:
                return head + fh.read(4 * 2**20)
            if st.st_size > MAX_FILE_BYTES:
                raise UnreadableWorkbook(f"{label or path.name}: is {st.st_size / 2**20:.0f} MB; a budget workbook is "
                                         f"far smaller (limit {MAX_FILE_BYTES // 2**20} MB), so it is not read")
            return head + fh.read(MAX_FILE_BYTES)
    except FileNotFoundError:
        raise UnreadableWorkbook(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UnreadableWorkbook(f"{path}: is a folder, not a workbook") from None
    except OSError as exc:
        raise UnreadableWorkbook(f"{path}: cannot be read ({exc.strerror or exc})") from None


class Package:
    """The zip of an .xlsx, opened only after its size, members and ratios were checked."""

    def __init__(self, source: Path | bytes, label: str | None = None) -> None:
        path = Path(label or "workbook.xlsx") if isinstance(source, bytes) else source
        self.label = label or path.name
        data = source if isinstance(source, bytes) else self._read_file(path)
        if data[:8] == OLE_MAGIC:
            raise UnreadableWorkbook(self._ole_message(self.label, data[: 4 * 2**20]))
        if not data.startswith(b"PK"):
            raise UnreadableWorkbook(f"{self.label}: is not an Excel workbook (.xlsx): it is not a zip package")
        if len(data) > MAX_FILE_BYTES:
            raise UnreadableWorkbook(f"{self.label}: is {len(data) / 2**20:.0f} MB; a budget workbook is far smaller "
                                     f"(limit {MAX_FILE_BYTES // 2**20} MB), so it is not read")
        self.data = data
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise UnreadableWorkbook(f"{self.label}: is damaged or truncated: its zip directory is missing "
                                     "(was the copy or download cut short?)") from None
        except (OSError, ValueError, EOFError) as exc:
            raise UnreadableWorkbook(f"{self.label}: is damaged: {exc}") from None
        self._check_members()

    def _read_file(self, path: Path) -> bytes:
        return file_bytes(path, self.label)

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
        self._cache: dict[str, bytes] = {}
        self._checked: set[str] = set()
        self.crc: dict[str, int] = {}

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        """A part's bytes, unpacked straight from the package's bytes and bounded whatever its header claims
        (at most MAX_MEMBER_BYTES, MAX_TOTAL_BYTES in all), its CRC checked; read once, kept for re-use."""
        if name in self._cache:
            return self._cache[name]
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise UnreadableWorkbook(f"{self.label}: part {name} is missing") from None
        damaged = f"{self.label}: is damaged: part {name} cannot be unpacked"
        off = info.header_offset
        head = self.data[off:off + 30]
        if len(head) < 30 or head[:4] != ZIP_MAGIC:
            raise UnreadableWorkbook(f"{damaged} (no local header)")
        name_len, extra_len = struct.unpack("<HH", head[26:30])
        start = off + 30 + name_len + extra_len
        raw = self.data[start:start + info.compress_size]
        if len(raw) < info.compress_size:
            raise UnreadableWorkbook(f"{damaged} (truncated)")
        if info.compress_type == zipfile.ZIP_STORED:
            data = raw[:MAX_MEMBER_BYTES + 1]
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            try:
                data = zlib.decompressobj(-15).decompress(raw, MAX_MEMBER_BYTES + 1)
            except zlib.error as exc:
                raise UnreadableWorkbook(f"{damaged} ({exc})") from None
        else:
            raise UnreadableWorkbook(f"{damaged} (compression method {info.compress_type})")
        self._read_total += len(data)
        if len(data) > MAX_MEMBER_BYTES or self._read_total > MAX_TOTAL_BYTES:
            raise UnreadableWorkbook(f"{self.label}: part {name} unpacks to more than its limit: not read "
                                     "(a zip bomb?)")
        if len(data) != info.file_size:
            raise UnreadableWorkbook(f"{damaged} (it unpacks to {len(data)} bytes, its directory says "
                                     f"{info.file_size})")
        crc = zlib.crc32(data)
        if crc != info.CRC:
            raise UnreadableWorkbook(f"{damaged} (its checksum does not match)")
        self._cache[name] = data
        self.crc[name] = crc
        return data

    def checked(self, name: str) -> bytes:
        """A part's bytes after the DTD check: no <!DOCTYPE or <!ENTITY, plain UTF-8 markup."""
        data = self.read(name)
        if name in self._checked:
            return data
        self._checked.add(name)
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise UnreadableWorkbook(f"{self.label}: part {name} contains an XML document type declaration or "
                                     "entities, which Excel never writes: refused")
        return data

    def xml(self, name: str) -> Element:
        """A part parsed without a DTD or entities: plain UTF-8 XML whose bytes show none is parsed by expat
        directly; anything else by defusedxml, which refuses a DTD, an entity or an external reference."""
        data = self.read(name)
        try:
            if _plain_utf8(data):
                return StdET.fromstring(self.checked(name))
            return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        except DefusedXmlException as exc:
            raise UnreadableWorkbook(f"{self.label}: part {name} contains an XML document type declaration or "
                                     f"entities ({type(exc).__name__}), which Excel never writes: refused") from None
        except ParseError as exc:
            raise UnreadableWorkbook(f"{self.label}: part {name} is not well-formed XML ({exc})") from None

    def close(self) -> None:
        self.zip.close()


# ----------------------------------------------------------------------------- the sheets


@functools.lru_cache(maxsize=32)
def _unlocked_pattern(ids: tuple[int, ...]) -> re.Pattern[bytes]:
    """Cells written with one of these (unlocked) styles."""
    return re.compile(rb'<c r="([A-Z]{1,3}[1-9][0-9]{0,6})"[^>]*? s="(?:' + "|".join(map(str, ids)).encode()
                      + rb')"[ />]')


class _Sheet:
    """The cells of one sheet, by (row, column), 0-based."""

    def get(self, r: int, c: int, formulas: bool = True) -> Cell:
        raise NotImplementedError

    def all_cells(self) -> dict[tuple[int, int], Cell]:
        raise NotImplementedError


class _SlowSheet(_Sheet):
    """A sheet parsed by the standard library (bounded by the part size and MAX_SHEET_CELLS)."""

    def __init__(self, cells: dict[tuple[int, int], Cell]) -> None:
        self.cells = cells

    def get(self, r: int, c: int, formulas: bool = True) -> Cell:
        return self.cells.get((r, c), BLANK)

    def all_cells(self) -> dict[tuple[int, int], Cell]:
        return self.cells


def _letters(c: int) -> str:
    letters = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_COLUMN_LETTERS = [_letters(c) for c in range(702)]


def _ref_bytes(r: int, c: int) -> bytes:
    return f"{_COLUMN_LETTERS[c] if c < 702 else _letters(c)}{r + 1}".encode()


class _FastSheet(_Sheet):
    """A sheet whose values calamine read; formulas, error values and styles come from its checked XML,
    looked up only for the cells asked for."""

    def __init__(self, grid: list[list[Any]], data: bytes) -> None:
        self.grid, self.data = grid, data
        self._formula_refs: set[bytes] | None = None
        self._errors: dict[bytes, bytes] | None = None
        self._styles: dict[bytes, bytes] | None = None
        self._text_refs: set[bytes] | None = None

    def _formula(self, ref: bytes) -> tuple[str, bool] | None:
        """(formula text, whether its result is text) of a cell, or None when it has no formula."""
        if self._formula_refs is None:
            self._formula_refs = set(_FORMULA_REFS.findall(self.data))
        if ref not in self._formula_refs:
            return None
        at = self.data.find(b'<c r="' + ref + b'"')
        m = _FORMULA_CELL.match(self.data, at) if at >= 0 else None
        if m is None:
            return "", False
        return _xml_text(m.group(3) or b""), b't="str"' in m.group(2)

    def style(self, r: int, c: int) -> int:
        if self._styles is None:
            self._styles = dict(_STYLE_CELL.findall(self.data))
        s = self._styles.get(_ref_bytes(r, c), b"0")
        return int(s) if s.isdigit() else 0

    def get(self, r: int, c: int, formulas: bool = True) -> Cell:
        """The cell; with `formulas` False its formula is not looked up (left None), for values only."""
        ref = _ref_bytes(r, c)
        if self._errors is None:
            self._errors = dict(_ERROR_CELL.findall(self.data)) if b't="e"' in self.data else {}
        found = self._formula(ref) if formulas else None
        formula, text_result = found if found is not None else (None, False)
        if ref in self._errors:
            return Cell(ErrorValue(_xml_text(self._errors[ref])), formula)
        raw = self.grid[r][c] if r < len(self.grid) and c < len(self.grid[r]) else ""
        if raw == "" or raw is None:
            if not formulas:  # still tell a formula's empty text result ("") from a blank cell
                if self._text_refs is None:
                    self._text_refs = set(_TEXT_RESULT_REFS.findall(self.data)) if b't="str"' in self.data else set()
                return Cell("", "") if ref in self._text_refs else BLANK
            if formula is None:
                return BLANK
            return Cell("" if text_result else None, formula)  # a formula whose text result is "" (t="str")
        if isinstance(raw, bool):
            value: Any = raw
        elif isinstance(raw, (int, float)):
            value = float(raw)
        elif isinstance(raw, str):
            value = raw
        else:
            value = DateValue(_date_text(raw))
        return Cell(value, formula)

    def all_cells(self) -> dict[tuple[int, int], Cell]:
        out = {}
        for r, row in enumerate(self.grid):
            for c in range(len(row)):
                cell = self.get(r, c)
                if cell is not BLANK:
                    out[(r, c)] = cell
        return out


# ----------------------------------------------------------------------------- the workbook


# A workbook part → its listing: the sheets and the defined names (shared by every workbook whose part is the same,
# byte for byte: a name's range is parsed once, not once per workbook). A part's relationships likewise.
_LISTINGS: dict[bytes, tuple[list[tuple[str, str]], _Names]] = {}
_RELATIONSHIPS: dict[bytes, list[tuple[str, str, str]]] = {}


class WorkbookFile:
    """A safely opened .xlsx: its sheets, its workbook-level defined names and its cells' saved values."""

    def __init__(self, source: str | Path | bytes, label: str | None = None, *, fast: bool = True) -> None:
        self.path = Path(label or "workbook.xlsx") if isinstance(source, bytes) else Path(source)
        self.pkg = Package(source if isinstance(source, bytes) else self.path, label)
        self.fast = fast
        label = self.pkg.label
        if not self.pkg.has("[Content_Types].xml"):
            raise UnreadableWorkbook(f"{label}: is a zip file but not an Excel workbook (no [Content_Types].xml)")
        types = self.pkg.checked("[Content_Types].xml")
        if not _plain_utf8(types):
            self.pkg.xml("[Content_Types].xml")  # defusedxml's verdict on a part that is not plain UTF-8
        macro_types = [t.decode("utf-8", "replace") for t in _MACRO_TYPE.findall(types)]
        macro_parts = sorted(n for n in self.pkg.names if MACRO_PARTS.search(n))
        if macro_types or macro_parts:
            raise UnreadableWorkbook(f"{label}: is a macro-enabled workbook (.xlsm: "
                                     f"{(macro_parts or macro_types)[0]}); kj-budget does not read files with "
                                     "macros: save it as an Excel workbook (.xlsx) first")
        self._rel_cache: dict[str, list[tuple[str, str, str]]] = {}
        self.workbook_part = self._workbook_part()
        rels = self._rels(self.workbook_part)
        self.sheets: dict[str, str] = {}
        self._duplicate_sheet_names = False
        sheet_ids, self.names = self._workbook_listing_by_tree(self.workbook_part)
        for name, rid in sheet_ids:
            target = rels.get(rid)
            if target and name:
                self._duplicate_sheet_names |= name in self.sheets
                self.sheets[name] = target
        self._views: dict[str, _Sheet] = {}
        self._strings: list[str] | None = None
        self._locked: list[bool] | None = None
        self._date_styles: set[int] | None = None
        self._calamine: Any = None
        self._fast_checked: dict[str, bool] = {}
        self._planned: list[str] = []
        self._bounded: dict[str, Ref | None] = {}
        self._unlocked: dict[str, set[tuple[int, int]]] = {}
        self._in_calamine: set[str] = set()
        self._content_refs: dict[str, set[bytes]] = {}
        self._mentioned: dict[tuple[str, bytes], bool] = {}

    def _workbook_listing_by_tree(self, part: str) -> tuple[list[tuple[str, str]], _Names]:
        """(sheet name, relationship id) of each sheet, and the workbook-level defined names. The workbooks of
        one template have the same workbook part, byte for byte: a listing is parsed once per distinct part (its
        bytes are the key, so a part that differs in any byte is parsed on its own); its names are shared, and
        nothing changes them once parsed (a name's range depends on its text alone)."""
        data = self.pkg.read(part)
        listing = _LISTINGS.get(data)
        if listing is None:
            sheets, texts = self._parse_workbook_listing(part)
            if len(_LISTINGS) >= 8:
                _LISTINGS.clear()
            listing = _LISTINGS[data] = (sheets, _Names(texts))
        return list(listing[0]), listing[1]

    def _parse_workbook_listing(self, part: str) -> tuple[list[tuple[str, str]], dict[str, str]]:
        root = self.pkg.xml(part)
        sheets_el = _child(root, "sheets")
        sheets = [(s.get("name") or "", _attr(s, "id") or "") for s in (sheets_el if sheets_el is not None else [])]
        texts: dict[str, str] = {}
        names_el = _child(root, "definedNames")
        for dn in (names_el if names_el is not None else []):
            name = dn.get("name") or ""
            if dn.get("localSheetId") is not None or name.startswith("_xlnm"):
                continue
            texts[name] = dn.text or ""
        return sheets, texts

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
        return {rid: target for rid, _, target in self._rel_list(part)}

    def _rel_list(self, part: str) -> list[tuple[str, str, str]]:
        """(id, type, part name) of a part's internal relationships."""
        if part in self._rel_cache:
            return self._rel_cache[part]
        folder, base = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", base + ".rels")
        if not self.pkg.has(rels_part):
            return []
        data = self.pkg.read(rels_part)
        known = _RELATIONSHIPS.get(folder.encode() + b"\0" + data)
        if known is not None:
            self._rel_cache[part] = known
            return known
        out = []
        for rel in self.pkg.xml(rels_part):
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External":
                continue
            out.append((rel.get("Id") or "", rel.get("Type") or "",
                        target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder,
                                                                                                         target))))
        self._rel_cache[part] = out
        if len(_RELATIONSHIPS) >= 32:
            _RELATIONSHIPS.clear()
        _RELATIONSHIPS[folder.encode() + b"\0" + data] = out
        return out

    def _rel_types(self, part: str) -> list[tuple[str, str]]:
        return [(rel_type, target) for _, rel_type, target in self._rel_list(part)]

    def _part_of_type(self, suffix: str) -> str | None:
        return next((t for rel_type, t in self._rel_types(self.workbook_part)
                     if rel_type.endswith(suffix) and self.pkg.has(t)), None)

    # ------------------------------------------------------------------ values

    @property
    def strings(self) -> list[str]:
        if self._strings is None:
            part = self._part_of_type("/sharedStrings")
            self._strings = [_text_of(si) for si in self.pkg.xml(part) if _local(si.tag) == "si"] if part else []
        return self._strings

    def plan(self, names: Any) -> None:
        """Say which names will be read, so calamine is given their sheets (and only those) at once."""
        for name in names:
            ref = self.names.get(name)
            if ref is not None and ref.sheet in self.sheets and ref.sheet not in self._planned:
                self._planned.append(ref.sheet)

    def _view(self, sheet: str) -> _Sheet | None:
        if sheet not in self._views:
            part = self.sheets.get(sheet)
            if not part or not self.pkg.has(part):
                return None
            view = self._fast_view(sheet, part) if self.fast else None
            self._views[sheet] = view if view is not None else _SlowSheet(self._parse_sheet(part))
        return self._views[sheet]

    def sheet_cells(self, sheet: str) -> dict[tuple[int, int], Cell]:
        view = self._view(sheet)
        return view.all_cells() if view is not None else {}

    def _fast_view(self, sheet: str, part: str) -> _FastSheet | None:
        """The sheet read by calamine, or None when it should be read by the standard-library parser."""
        if self._duplicate_sheet_names or not self._fast_ok(part):
            return None
        data = self.pkg.checked(part)
        if sheet not in self._planned:
            if self._calamine is not None:
                return None  # calamine was given other sheets: this one is read by the careful parser
            self._planned.append(sheet)
        book = self._calamine_book()
        if book is None or sheet not in self._in_calamine:
            return None
        try:
            grid = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except Exception as exc:  # noqa: BLE001 - calamine's errors are its own types
            raise UnreadableWorkbook(f"{self.pkg.label}: is damaged: sheet {sheet} cannot be read "
                                     f"({type(exc).__name__}: {exc})") from None
        return _FastSheet(grid, data)

    def _calamine_book(self) -> Any:
        """calamine over a package rebuilt from checked parts only: our own workbook part listing the
        sheets calamine may read, the shared strings without their size hint (calamine reserves memory
        for it), the styles (for date formats) and the sheets, each checked before it is handed over."""
        if self._calamine is None:
            try:
                from python_calamine import CalamineWorkbook
            except ImportError:
                self._calamine = False
                return None
            sheets = [(name, self.sheets[name]) for name in self._planned
                      if name in self.sheets and self._fast_ok(self.sheets[name])]
            self._in_calamine = {name for name, _ in sheets}
            entries: list[tuple[str, bytes, int | None]] = [
                ("[Content_Types].xml", _CONTENT_TYPES.encode(), None), ("_rels/.rels", _PACKAGE_RELS.encode(), None),
                ("xl/workbook.xml", _WORKBOOK_XML.format("".join(
                    f'<sheet name="{_xml_attribute(name)}" sheetId="{k + 1}" r:id="rId{k + 1}"/>'
                    for k, (name, _) in enumerate(sheets))).encode(), None)]
            rels = [f'<Relationship Id="rId{k + 1}" Type="{_REL}/worksheet" Target="worksheets/s{k + 1}.xml"/>'
                    for k in range(len(sheets))]
            strings = self._part_of_type("/sharedStrings")
            if strings:
                sst = self.pkg.checked(strings)
                start = sst.find(b"<sst")
                end = sst.find(b">", start)
                head = sst[start:end] if start >= 0 and end > 0 else b""
                if _SST_COUNTS.search(head):  # calamine reserves memory for the count it claims: drop it
                    entries.append(("xl/sharedStrings.xml", sst[:start] + _SST_COUNTS.sub(b"", head) + sst[end:], None))
                else:
                    entries.append(("xl/sharedStrings.xml", sst, self.pkg.crc.get(strings)))
                rels.append(f'<Relationship Id="rIdS" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>')
            styles = self._part_of_type("/styles")
            if styles:
                entries.append(("xl/styles.xml", self.pkg.checked(styles), self.pkg.crc.get(styles)))
                rels.append(f'<Relationship Id="rIdT" Type="{_REL}/styles" Target="styles.xml"/>')
            entries.append(("xl/_rels/workbook.xml.rels", _RELS_XML.format("".join(rels)).encode(), None))
            for k, (_, part) in enumerate(sheets):
                entries.append((f"xl/worksheets/s{k + 1}.xml", self.pkg.checked(part), self.pkg.crc.get(part)))
            out = io.BytesIO(_stored_zip(entries))
            try:
                self._calamine = CalamineWorkbook.from_filelike(out)
            except Exception as exc:  # noqa: BLE001
                raise UnreadableWorkbook(f"{self.pkg.label}: is damaged: its shared strings or styles cannot be "
                                         f"read ({type(exc).__name__}: {exc})") from None
        return self._calamine or None

    def _fast_ok(self, part: str) -> bool:
        """Whether a sheet part is safe to hand to calamine: every cell written <c r="B5" …> (reference
        first, capital letters) inside A1:ZZ999, so the area calamine reserves memory for is bounded
        (it reserves the area up to the farthest cell, and reads a lower-case or over-long reference its
        own way); no namespace prefix on a cell, no CDATA. A sheet with more than MAX_SHEET_CELLS cells is
        refused whichever way it would be read."""
        if part in self._fast_checked:
            return self._fast_checked[part]
        if not self.pkg.has(part):
            return False
        data = self.pkg.checked(part)
        n = data.count(b"<c ")
        if n > MAX_SHEET_CELLS:
            raise self._too_many_cells(part, n)
        ok = not (b"<![CDATA[" in data or _ODD_CELL.search(data) or _ODD_ROW.search(data)
                  or _ODD_STYLE.search(data) or _PREFIXED_CELL.search(data))
        self._fast_checked[part] = ok
        return ok

    def _too_many_cells(self, part: str, n: int) -> UnreadableWorkbook:
        return UnreadableWorkbook(f"{self.pkg.label}: part {part} has {n} cells (limit {MAX_SHEET_CELLS}; a budget "
                                  "sheet has under 1 000): not read")

    def _parse_sheet(self, part: str) -> dict[tuple[int, int], Cell]:
        """The careful parser: every row number, reference and style index checked, at most
        MAX_SHEET_CELLS cells, every reference inside Excel's grid."""
        root = self.pkg.xml(part)
        data = _child(root, "sheetData")
        cells: dict[tuple[int, int], Cell] = {}
        row_no = -1
        where = f"{self.pkg.label}: is damaged: {part}"
        for row in (data if data is not None else []):
            if _local(row.tag) != "row":
                continue
            r_attr = row.get("r")
            if r_attr is not None:
                if not r_attr.isascii() or not r_attr.isdigit() or not 1 <= int(r_attr) <= EXCEL_MAX_ROW:
                    raise UnreadableWorkbook(f"{where} has a row numbered {r_attr[:20]!r} (rows are 1 to "
                                             f"{EXCEL_MAX_ROW})")
                row_no = int(r_attr) - 1
            else:
                row_no += 1
            col_no = -1
            for c in row:
                if _local(c.tag) != "c":
                    continue
                ref = c.get("r")
                if ref is not None:
                    try:
                        r, col_no = _cell_rc(ref)
                    except ValueError:
                        raise UnreadableWorkbook(f"{where} has a cell reference {ref[:20]!r} (references are "
                                                 "like B5: capital letters, then the row)") from None
                else:
                    col_no += 1
                    r = row_no
                if r >= EXCEL_MAX_ROW or col_no >= EXCEL_MAX_COL:
                    raise UnreadableWorkbook(f"{where} has a cell beyond Excel's last cell XFD{EXCEL_MAX_ROW}")
                if len(cells) >= MAX_SHEET_CELLS:
                    raise self._too_many_cells(part, len(cells) + 1)
                cells[(r, col_no)] = self._cell(c, where)
        return cells

    def _cell(self, c: Element, where: str) -> Cell:
        t = c.get("t", "n")
        v = _child(c, "v")
        f = _child(c, "f")
        text = v.text if v is not None else None
        formula = (f.text or "") if f is not None else None
        s = c.get("s") or "0"
        if not s.isascii() or not s.isdigit():
            raise UnreadableWorkbook(f"{where} has a cell style {s[:20]!r} (styles are numbered)")
        style = int(s)
        value: str | float | bool | ErrorValue | DateValue | None
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
                                         f"{text[:20]!r} of {len(self.strings)}") from None
        elif t == "b":
            value = text.strip() in ("1", "true")
        elif t == "e":
            value = ErrorValue(text)
        elif t == "d":
            value = DateValue(_iso_text(text))
        else:
            try:
                value = float(text)
            except ValueError:
                raise UnreadableWorkbook(f"{self.pkg.label}: is damaged: a number cell holds {text[:20]!r}") from None
            if not math.isfinite(value):
                raise UnreadableWorkbook(f"{self.pkg.label}: is damaged: a number cell holds {text[:20]!r}")
            if style in self.date_styles:
                value = DateValue(_serial_text(value))
        return Cell(value, formula, style)

    @property
    def date_styles(self) -> set[int]:
        """The cell styles (cellXfs indices) whose number format shows a date or a time."""
        if self._date_styles is None:
            self._date_styles = set()
            part = self._part_of_type("/styles")
            if part:
                root = self.pkg.xml(part)
                fmts = _child(root, "numFmts")
                codes = {int(n.get("numFmtId") or -1): n.get("formatCode") or ""
                         for n in (fmts if fmts is not None else []) if (n.get("numFmtId") or "").isdigit()}
                xfs = _child(root, "cellXfs")
                for k, xf in enumerate(xfs if xfs is not None else []):
                    fid = xf.get("numFmtId") or "0"
                    fid_n = int(fid) if fid.isdigit() else 0
                    if fid_n in codes and is_date_format(codes[fid_n]) or (
                            fid_n not in codes and fid_n in BUILTIN_DATE_FORMATS):
                        self._date_styles.add(k)
        return self._date_styles

    def cell(self, sheet: str, r: int, c: int, formulas: bool = True) -> Cell:
        view = self._view(sheet)
        return view.get(r, c, formulas) if view is not None else BLANK

    def bounded(self, name: str) -> Ref | None:
        """A name's range, or None when it is missing or points nowhere; raises UnreadableWorkbook when it
        is larger than the register's shape allows (a name widened to a whole sheet is never read)."""
        if name in self._bounded:
            return self._bounded[name]
        self._bounded[name] = ref = self._bound(name)
        return ref

    def _bound(self, name: str) -> Ref | None:
        ref = self.names.get(name)
        if ref is None or ref.sheet not in self.sheets:
            return None
        spec = INPUT_BY_NAME.get(name)
        if spec is not None and spec.rows == 1:
            ok, shape = ref.size == 1, "one cell"
        elif spec is not None:
            ok, shape = ref.cols == 1 and ref.rows <= MAX_STEP_ROWS, \
                f"{spec.rows} cells in one column (read up to {MAX_STEP_ROWS})"
        else:
            ok, shape = ref.size <= MAX_NAME_CELLS, f"at most {MAX_NAME_CELLS} cells"
        if not ok:
            raise UnreadableWorkbook(f"{self.pkg.label}: the name {name} covers {ref.text} ({ref.size} cells); "
                                     f"in a kj-budget workbook it is {shape}: the workbook was changed outside the "
                                     "template, so it is not read")
        return ref

    def cells(self, name: str, formulas: bool = True) -> list[Cell] | None:
        """The cells of a defined name, row by row; None when the name is missing or points nowhere.
        With `formulas` False only the values are wanted (a cell's formula may be left None)."""
        ref = self.bounded(name)
        if ref is None:
            return None
        view = self._view(ref.sheet)
        if view is None:
            return [BLANK] * ref.size
        return [view.get(r, c, formulas) for r, c in ref.cells]

    def value(self, name: str) -> Any:
        """A name's saved values: a scalar for one cell, else a list; None when missing."""
        cells = self.cells(name, formulas=False)
        if cells is None:
            return None
        values = [c.value for c in cells]
        return values[0] if len(values) == 1 else values

    def surely_blank(self, names: Iterable[str]) -> bool:
        """Whether every cell of these names is certainly blank — no value, no formula — without reading their
        sheets' values: a cheap test before a read (the actuals on Oppfølging, blank until the first report).
        Certain only on a sheet whose every cell carries its reference (`_fast_ok`): a cell is blank when it is
        not written or written as an empty element <c r="B5" …/>. Any doubt (another layout, a cell with
        content, even empty content) is False, and the cells are read as usual."""
        if self._duplicate_sheet_names:
            return False
        for name in names:
            ref = self.bounded(name)
            if ref is None:
                continue
            part = self.sheets.get(ref.sheet)
            if not part or not self.pkg.has(part) or not self._fast_ok(part):
                return False
            if part not in self._content_refs:
                self._content_refs[part] = set(_CONTENT_REFS.findall(self.pkg.checked(part)))
            if any(_ref_bytes(r, c) in self._content_refs[part] for r, c in ref.cells):
                return False
        return True

    def mentions(self, texts: Iterable[str], sheet: str) -> bool:
        """Whether one of `texts` (XML-safe) may occur in the shared strings or in a sheet: a cheap test before
        a search. A writer may spell characters as references (openpyxl with lxml writes ø as &#248;), so a
        part that uses character references may hold a text in that spelling: then it says yes. What a part
        holds is looked for once per part and text (the shared strings are asked about for two sheets)."""
        for part in (self._part_of_type("/sharedStrings"), self.sheets.get(sheet)):
            if not part or not self.pkg.has(part):
                continue
            for needle in (b"&#", *(t.encode("utf-8") for t in texts)):
                key = (part, needle)
                if key not in self._mentioned:
                    self._mentioned[key] = needle in self.pkg.read(part)
                if self._mentioned[key]:
                    return True
        return False

    def unlocked(self, sheet: str) -> set[tuple[int, int]]:
        """The cells of a sheet that are unlocked (the ones a user types in): found once per sheet."""
        if sheet in self._unlocked:
            return self._unlocked[sheet]
        ids = [k for k, locked in enumerate(self._locked_styles()) if not locked]
        view = self._view(sheet)
        found: set[tuple[int, int]] = set()
        if ids and isinstance(view, _FastSheet):
            pattern = _unlocked_pattern(tuple(ids))
            found = {_cell_rc(ref.decode()) for ref in pattern.findall(view.data)}
        elif ids and view is not None:
            wanted = set(ids)
            found = {rc for rc, cell in view.all_cells().items() if cell.style in wanted}
        self._unlocked[sheet] = found
        return found

    def _locked_styles(self) -> list[bool]:
        """Per cell style (cellXfs index): whether it locks the cell (Excel's default)."""
        if self._locked is None:
            self._locked = []
            part = self._part_of_type("/styles")
            if part:
                data = self.pkg.checked(part)
                start, end = data.find(b"<cellXfs"), data.find(b"</cellXfs>")
                if start >= 0 and end > start and _plain_utf8(data):  # each <xf …> up to the next one
                    for xf in data[start:end].split(b"<xf")[1:]:
                        self._locked.append(not _UNLOCKED.search(xf))
        return self._locked

    def is_locked(self, sheet: str, r: int, c: int) -> bool:
        """Whether a cell is locked (Excel's default); unlocked cells are the ones a user types in."""
        locked = self._locked_styles()
        view = self._view(sheet)
        style = view.style(r, c) if isinstance(view, _FastSheet) else self.cell(sheet, r, c).style
        return locked[style] if style < len(locked) else True

    def custom_properties(self) -> dict[str, str]:
        """docProps/custom.xml: name → value as text."""
        if not self.pkg.has("docProps/custom.xml"):
            return {}
        data = self.pkg.checked("docProps/custom.xml")
        if not _plain_utf8(data) or _PREFIXED_PROPERTY.search(data):
            return {name: "".join(p.itertext()).strip() for p in self.pkg.xml("docProps/custom.xml")
                    if (name := p.get("name"))}
        if b"<![CDATA[" in data:
            self.pkg.xml("docProps/custom.xml")  # well-formed, or a one-line error
        return {_xml_text(name): _xml_text(re.sub(rb"<[^>]*>", b"", inner)).strip()
                for name, inner in _PROPERTY.findall(data)}

    def sheet_password(self, sheet: str) -> bool:
        """Whether a sheet is protected with a password (its hash is stored, never the password)."""
        part = self.sheets.get(sheet)
        if not part or not self.pkg.has(part):
            return False
        data = self.pkg.checked(part)
        at = data.find(b"sheetProtection")
        while at >= 0:
            tag = data[at:data.find(b">", at) + 1]
            if data[at - 1:at] in (b"<", b":") and re.search(rb'\s(?:password|hashValue)="[^"]+"', tag):
                return True
            at = data.find(b"sheetProtection", at + 1)
        return False

    def close(self) -> None:
        self.pkg.close()

    def __enter__(self) -> WorkbookFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _stored_zip(entries: list[tuple[str, bytes, int | None]]) -> bytes:
    """A zip of uncompressed entries (name, bytes, CRC-32 when already known from reading the part)."""
    local: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, data, crc in entries:
        crc = zlib.crc32(data) if crc is None else crc
        encoded = name.encode("utf-8")
        header = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0x800, 0, 0, 0x21, crc, len(data), len(data),
                             len(encoded), 0) + encoded
        central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0x800, 0, 0, 0x21, crc, len(data),
                                   len(data), len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
        local += (header, data)
        offset += len(header) + len(data)
    directory = b"".join(central)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), offset, 0)
    return b"".join(local) + directory + end


def _iso_text(text: str) -> str:
    try:
        return _date_text(dt.datetime.fromisoformat(text.strip().rstrip("Z")))
    except ValueError:
        return text.strip()[:30]


_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    f'relationships"><Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK_XML = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    f'main" xmlns:r="{_REL}"><sheets>{{}}</sheets></workbook>')
_RELS_XML = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
             '2006/relationships">{}</Relationships>')
_EMPTY_SHEET = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main"><sheetData/></worksheet>')


# ----------------------------------------------------------------------------- inputs


class Explained:
    """A value's label (`title`) and why it was not used or was changed (`reason`, None when it was carried as
    it stood), both messages read in the målform of the text that shows them; bokmål by `label` and `nb`.

    Why in English too (`english`, the command line): a sentence whose labels and list values are messages as
    well (`English`), read by `en_in(malform)` in the målform of the report that shows it (a regeneration's: the
    new workbook's); `en` reads them in bokmål ("" when there is nothing to say)."""

    title: Message
    reason: Message | None
    english: str | Message

    @property
    def en(self) -> str:
        """Why in English, its labels in bokmål."""
        return self.en_in(DEFAULT_MALFORM)

    def en_in(self, malform: str = DEFAULT_MALFORM) -> str:
        """Why in English, the labels and list values it quotes in `malform`."""
        return self.english.text(malform) if isinstance(self.english, Message) else self.english

    @property
    def label(self) -> str:
        """The input's label in bokmål."""
        return self.title.text(DEFAULT_MALFORM)

    @property
    def nb(self) -> str:
        """Why, in bokmål ("" when there is nothing to say)."""
        return self.why(DEFAULT_MALFORM)

    def label_in(self, malform: str = DEFAULT_MALFORM) -> str:
        return self.title.text(malform)

    def why(self, malform: str = DEFAULT_MALFORM) -> str:
        return self.reason.text(malform) if self.reason is not None else ""


@dataclass(frozen=True)
class Problem(Explained):
    """An input value that could not be carried: where it was, what it was, and why: in English (`english`, the
    command line, read by `en_in(malform)`) and in Norwegian as a message (`reason`), read in the målform of the
    text that shows it (`why(malform)`); the input's label is a message too (`title`, read by `label_in(malform)`).

    kind: "invalid" (kept as a note beside the input, which is left blank), "not_in_template" (the
    new template has no such input) or "no_room" (a step row beyond the new template's rows)."""

    key: str
    title: Message
    raw: str
    english: str | Message
    reason: Message
    kind: str = "invalid"
    text: str = ""  # the note as an earlier regeneration wrote it, carried unchanged

    @property
    def name(self) -> str:
        return self.key.split("#")[0]

    @property
    def note(self) -> str:
        """The note in bokmål (`note_in`)."""
        return self.note_in(DEFAULT_MALFORM)

    def note_in(self, malform: str) -> str:
        """The Norwegian note shown beside the input (Inndata, column J; Oppfølging's note column) in
        `malform`; it names the input, so a later regeneration finds it again (a step row's note can hold
        several). A note an earlier regeneration wrote is given as it stands."""
        if self.text:
            return self.text
        raw = " ".join(self.raw.split())  # one line: a step row's note holds one line per input
        return tr(NOTE, malform, label=_note_label(self.name, self.title), mark=Message(NOTE_MARK), raw=raw,
                  why=self.reason)


def _note_label(name: str, title: Message) -> Message:
    """The label a note beside an input starts with: the input's own (a step row's note stands on its row)."""
    return Message(INPUT_BY_NAME[name].label) if name in INPUT_BY_NAME else title


def _is_note(text: str, label: Message) -> bool:
    """Whether `text` is a note a regeneration left for the input `label`, in either målform."""
    return any(text.startswith(f"{label.text(m)}: {tr(NOTE_MARK, m)}") for m in MALFORMS)


def _note_marks() -> tuple[str, ...]:
    """The mark of a note in each målform (the same text once)."""
    return tuple(dict.fromkeys(tr(NOTE_MARK, m) for m in MALFORMS))


@dataclass(frozen=True)
class Carried(Explained):
    """An input value carried across: as found, and as it is written again (text for the report); why it
    changed, if it did, in English and as a message (both read in the målform of the text that shows them)."""

    key: str
    title: Message
    raw: str
    value: str
    english: str | Message = ""  # why it changed, if it did
    reason: Message | None = None
    data: Any = None  # the value itself: a number, or text (a list value as its label)

    @property
    def name(self) -> str:
        return self.key.split("#")[0]

    @property
    def changed(self) -> bool:
        return bool(self.english)


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
    formulas: dict[str, bool] = field(default_factory=dict)  # kj_ name → whether any of its cells is a formula
    labels: dict[str, str] = field(default_factory=dict)  # kj_est_* → its label on the sheet
    password: bool = False
    lite: bool = False  # the xlwings Lite functions were embedded (xl/webextensions/)
    udf_config: bool = False  # it had an xlwings.conf sheet

    @property
    def input_notes(self) -> dict[str, str]:
        """The notes beside the inputs, in the workbook's own målform (`notes_in`)."""
        return self.notes_in(self.inputs.malform)

    def notes_in(self, malform: str) -> dict[str, str]:
        """The notes a workbook in `malform` shows beside the inputs whose values could not be used."""
        return {p.key: p.note_in(malform) for p in self.problems if p.kind == "invalid"}

    def __iter__(self) -> Iterator[Any]:
        """Unpacks as (inputs, problems, metadata)."""
        return iter((self.inputs, self.problems, self.metadata))


def raw_text(value: Any) -> str:
    """A cell value as a person would read it back."""
    if value is None:
        return ""
    if isinstance(value, (DateValue, ErrorValue)):
        return str(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return f"{int(value)}" if value.is_integer() and abs(value) < 1e15 else f"{value:.15g}"
    return str(value)


def _title(spec: InputSpec, row: int | None) -> Message:
    """An input's label as a message (the register's label is a message id); a step row's with its row."""
    label = Message(spec.label)
    return Message(STEP_LABEL, n=row, label=label) if row is not None else label


class _Invalid(Exception):
    """A refused value: why in English (a sentence whose labels are messages, or plain text) and in Norwegian."""

    def __init__(self, english: str | Message, reason: Message) -> None:
        super().__init__(english)
        self.english, self.reason = english, reason


# Why a value was changed or refused (messages, read in the målform of the text that shows them).
WHOLE_NUMBER, NUMBER = N_("et helt tall"), N_("et tall")
MSG_BOTH = N_("{first}; {then}")  # two reasons, one after the other
MSG_FORMULA_NO_VALUE = N_("en formel uten lagret verdi")
MSG_FORMULA_CARRIED = N_("formelen ={formula} er ført over som verdien")
MSG_ERROR_VALUE = N_("en feilverdi ({value})")
MSG_DATE_AS_TEXT = N_("datoen {value} er ført over som tekst")
MSG_NOT_TEXT = N_("ikke tekst: {value}")
MSG_NUMBER_AS_TEXT = N_("tallet {text} er ført over som tekst")
MSG_MUNICIPALITY_NUMBER = N_("«{value}» er kommunenummer {number}")
MSG_CLEANED = N_("linjeskift og kontrolltegn er fjernet")
MSG_TOO_LONG = N_("må ha høyst {limit} tegn, har {length}")
MSG_NOT_IN_LIST = N_("velg fra listen")
MSG_LIST_VALUE = N_("«{value}» er «{label}»")
MSG_DATE_NOT_NUMBER = N_("en dato, ikke {what}: {value}")
MSG_TEXT_AMBIGUOUS = N_("tekst, ikke {what}: «{value}» er tvetydig")
MSG_TEXT_NUMBER = N_("tekst, ikke {what}: «{value}» er {number} skrevet som tekst; skriv det inn som et tall")
MSG_TEXT_NOT_NUMBER = N_("tekst, ikke {what}")
MSG_NO_ROOM = N_("den nye malen har plass til {n} innføringstrinn")
MSG_NOT_IN_TEMPLATE = N_("den nye malen har ikke dette feltet")
MSG_STILL_BLANK = N_("fortsatt tomt etter en tidligere regenerering")
SIZES_LABEL = N_("Referansestørrelser (antall helsepersonell)")  # kj_est_sizes, a row with no label of its own


def _both(first: Message | None, then: Message | None) -> Message | None:
    """Two reasons read one after the other («…; …»), or the one there is."""
    if first is None or then is None:
        return first or then
    return Message(MSG_BOTH, first=first, then=then)


def _both_en(first: str | Message, then: str | Message) -> str | Message:
    """Two reasons in English one after the other («…; …»), or the one there is ("" for none)."""
    if not first or not then:
        return first or then
    return English("{first}; {then}", first=first, then=then)


_CHOICES: dict[tuple[str, str, str], tuple[str, str] | tuple[str, str | Message, Message]] = {}


def _choice(est: Estimates, kind: str, text: str) -> tuple[str, str]:
    """(id, list label) of a list value by the model's parsers, remembered per estimates file (by its
    SHA-256): a collect reads the same few values hundreds of times. Raises the parser's InputError."""
    key = (est.sha256, kind, text)
    found = _CHOICES.get(key)
    if found is None:
        try:
            ident = parse_choice(est, kind, text)
            found = (ident, list_label(est, kind, ident) or "")
        except InputError as exc:
            found = (exc.field, exc.english, exc.message)  # a refusal, remembered as its messages
        if len(_CHOICES) < 10_000:
            _CHOICES[key] = found
    if len(found) == 3:
        raise InputError(*found)
    return found


def check_value(est: Estimates, spec: InputSpec, value: Any, strict: bool = False,
                malform: str = DEFAULT_MALFORM) -> tuple[Any, str | Message, Message | None]:
    """(the value for `Inputs`, why it changed in English ("" when it did not; a sentence whose labels are
    messages, see `Explained.en_in`), and as a message: None when it did not), or raises _Invalid.

    The model's rules: whole numbers and numbers within the register's bounds, list values that the
    model's parsers know (an id, a label in any case, a vendor's product name; `strict`: only a list
    label in the workbook's `malform`, as the workbook's own MATCH takes it); the template's length rules
    for text."""
    if isinstance(value, ErrorValue):
        raise _Invalid(f"an error value ({value})", Message(MSG_ERROR_VALUE, value=str(value)))
    if spec.kind == "text":
        changed: tuple[str | Message, Message | None] = ("", None)
        if isinstance(value, DateValue):
            changed = (f"the date {value} is carried as the text {value.text!r}",
                       Message(MSG_DATE_AS_TEXT, value=str(value)))
            value = value.text
        if isinstance(value, bool) or not isinstance(value, (str, float)):
            raise _Invalid(f"not text: {raw_text(value)}", Message(MSG_NOT_TEXT, value=raw_text(value)))
        if isinstance(value, float):
            text = raw_text(value)
            changed = (f"the number {text} is carried as the text {text!r}", Message(MSG_NUMBER_AS_TEXT, text=text))
            value = text
        if spec.field == "municipality_number":  # the one municipality-number rule, on the text as the cell has it
            try:
                muni = parse_municipality_number(value, English("{label}:", label=Message(spec.label)), spec.label)
            except InputError as exc:
                raise _Invalid(exc.english, exc.reason) from None
            if muni != value and not changed[0]:
                changed = (f"{value!r} is the municipality number {muni}",
                           Message(MSG_MUNICIPALITY_NUMBER, value=value, number=muni))
            return muni, *changed
        value, cleaned = clean_text(value)  # the text-input rule: no control character or line break
        if cleaned:
            changed = ("line breaks and control characters were removed", Message(MSG_CLEANED))
        if len(value) > TEXT_MAX:
            raise _Invalid(English("{label}: must be at most {limit} characters, has {length}",
                                   label=Message(spec.label), limit=TEXT_MAX, length=len(value)),
                           Message(MSG_TOO_LONG, limit=TEXT_MAX, length=len(value)))
        return value, *changed
    if spec.kind == "choice":
        try:
            ident, label = _choice(est, spec.choices, value if isinstance(value, str) else raw_text(value))
        except InputError as exc:
            raise _Invalid(exc.english, exc.message) from None
        shown = est.text_in(label, malform)  # the list as the workbook shows it
        if strict and (not isinstance(value, str) or shown.casefold() != value.casefold()):
            raise _Invalid(f"{raw_text(value)!r} is not one of the list values (the workbook ignores it)",
                           Message(MSG_NOT_IN_LIST))
        if label != value and shown != value:
            listed = Message.known(label, est.text_in(label, "nn"))  # the list value, read where it is shown
            return ident, English("{value!r} is the list value {label!r}", value=raw_text(value), label=listed), \
                Message(MSG_LIST_VALUE, value=raw_text(value), label=listed)
        return ident, "", None
    what = Message(WHOLE_NUMBER if spec.kind == "whole" else NUMBER)
    if isinstance(value, DateValue):  # a date typed where a count or an amount is meant
        raise _Invalid(f"a date or time, not a number: {value}", Message(MSG_DATE_NOT_NUMBER, what=what,
                                                                          value=str(value)))
    if isinstance(value, str):
        # Text in a number cell is never used: the workbook's own formulas take numbers only (its status
        # column says «Ugyldig»), and the model must give the workbook's numbers. The one number rule
        # (numbers.number_from_text, as on the command line, in a CSV and in the Excel functions) says
        # what the text would be, so the message tells the user what to type.
        try:
            x = number_from_text(value, spec.name, spec.label)
        except InputError as exc:
            raise _Invalid(English("text, not a number: {why}", why=exc.english),
                           Message(MSG_TEXT_AMBIGUOUS, what=what, value=value)) from None
        if x is not None:
            raise _Invalid(f"text, not a number: {value!r} is {raw_text(x)} written as text; type it as a number",
                           Message(MSG_TEXT_NUMBER, what=what, value=value,
                                   number=nb_number(x, 6).rstrip("0").rstrip(",")))
        raise _Invalid(f"text, not a number: {value!r}", Message(MSG_TEXT_NOT_NUMBER, what=what))
    try:
        if spec.kind == "whole":
            lowest = first_year_min(est) if spec.field == "first_year" else int(spec.minimum or 0)
            highest = int(spec.maximum) if spec.maximum is not None else None
            return whole_number(value, spec.name, spec.label, lowest, highest), "", None
        return number(value, spec.name, spec.label, spec.minimum or 0.0, spec.maximum), "", None
    except InputError as exc:
        raise _Invalid(exc.english, exc.reason) from None


def read_workbook(path: str | Path | bytes, est: Estimates, label: str | None = None,
                  strict: bool = False, full: bool = True, outputs: Iterable[str] = OUTPUTS) -> FilledWorkbook:
    """Read a filled workbook's inputs against `est` (the estimates the new workbook is built from).

    `strict` reads list values as the workbook does (exact labels), for comparing with its totals.
    `full` also reads every other named value, its label and whether it is a formula (a regeneration
    reports changed estimates); without it only the headline outputs (those of `outputs`: all of them
    unless a command compares fewer) and Byggeinfo are read (check, memo, notice, collect), and only the
    sheets that hold them are read at all.
    Raises :class:`UnreadableWorkbook` for a file that is not a kj-budget workbook or is unsafe."""
    with WorkbookFile(path, label) as wb:
        return _read(wb, est, strict, full, tuple(outputs))


def read_inputs(path: str | Path, est: Estimates) -> tuple[Inputs, list[Problem], dict[str, str]]:
    """(Inputs, problems, metadata) of a filled workbook."""
    inputs, problems, metadata = read_workbook(path, est)
    return inputs, problems, metadata


TEXT_FIELDS = {spec.field for spec in INPUTS if spec.kind == "text" and spec.rows == 1}  # blank → ""


def _read(wb: WorkbookFile, est: Estimates, strict: bool = False, full: bool = True,
          outputs: tuple[str, ...] = tuple(OUTPUTS)) -> FilledWorkbook:
    if not wb.names.starting("kj_meta_") and not any(n in wb.names for n in INPUT_BY_NAME):
        raise UnreadableWorkbook(f"{wb.pkg.label}: is not a kj-budget workbook: it has none of the named cells "
                                 "kj-budget writes (such as kj_municipality or kj_step_staff)")
    _require_input_sheet(wb)
    wb.plan([*INPUT_BY_NAME, "kj_input_note", *outputs, *wb.names.starting("kj_meta_", ACTUAL)]
            if not full else wb.names.starting("kj_"))
    malform = _malform(wb)
    problems: list[Problem] = []
    carried: list[Carried] = []
    missing: list[str] = []
    unknown: set[str] = set()
    values: dict[str, Any] = {}
    formulas: dict[str, bool] = {}

    def take(spec: InputSpec, key: str, cell: Cell, row: int | None, title: Message | None = None) -> Any:
        """The valid value of one input cell, or None (blank or invalid, reported). `title`: the input's
        label, when it is not the register's (an actual on Oppfølging)."""
        title = title or _title(spec, row)
        value = cell.value
        how_en, how = "", None
        if cell.formula is not None:
            if value is None or value == "":
                if not cell.formula:
                    return None
                raw = "=" + cell.formula
                problems.append(Problem(key, title, raw, "a formula with no saved value (the file was saved by a "
                                        "program that does not calculate)", Message(MSG_FORMULA_NO_VALUE)))
                return None
            how_en = f"the formula ={cell.formula} is carried as its value"
            how = Message(MSG_FORMULA_CARRIED, formula=cell.formula)
        if value is None or value == "":
            return None
        try:
            ok, en, why = check_value(est, spec, value, strict, malform)
        except _Invalid as exc:
            problems.append(Problem(key, title, raw_text(value), exc.english, exc.reason))
            return None
        en = _both_en(how_en, en)
        shown = _choice(est, spec.choices, ok)[1] if spec.kind == "choice" else raw_text(ok)
        data = shown if spec.kind in ("choice", "text") else ok
        carried.append(Carried(key, title, raw_text(value), shown, en, _both(how, why), data))
        return ok

    scalars: dict[str, Any] = {}
    step_cols: dict[str, list[Any]] = {}
    read_cells: dict[str, list[Cell]] = {}
    for spec in INPUTS:
        cells = wb.cells(spec.name)
        if cells is not None:
            read_cells[spec.name] = cells
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
                    problems.append(Problem(key, _title(spec, k + 1), raw_text(cell.value),
                                            f"the new template has room for {spec.rows} rollout steps",
                                            Message(MSG_NO_ROOM, n=spec.rows), "no_room"))
                continue
            col.append(take(spec, key, cell, k + 1))
        step_cols[spec.field.split(".")[1]] = col

    problems += _pending(wb, problems, read_cells)
    steps = _steps(step_cols)
    # an invalid actual (Oppfølging) is named beside its cell and left out; the budget's inputs stay valid
    invalid = tuple(sorted({p.name for p in problems if p.kind == "invalid" and not p.name.startswith(ACTUAL)}))
    fields: dict[str, Any] = {k: (v if v is not None else ("" if k in TEXT_FIELDS else None))
                              for k, v in scalars.items()}
    inputs = Inputs(steps=steps, invalid=invalid, **fields)

    # Inputs of the old template that the new one lacks: unlocked named cells we do not know, on the input
    # sheet (the one that holds kj_municipality).
    input_sheet = core_ref.sheet if (core_ref := wb.names.get(CORE_INPUTS[0])) else ""
    unlocked = wb.unlocked(input_sheet) if input_sheet else set()
    for name in wb.names.on_sheet(input_sheet) if unlocked else ():
        if not name.startswith("kj_") or name in INPUT_BY_NAME:
            continue
        ref = wb.names[name]
        if ref is None or ref.sheet != input_sheet or ref.first not in unlocked:
            continue
        if wb.bounded(name) is not None and all(rc in unlocked for rc in ref.cells):
            unknown.add(name)
            for k, c in enumerate(wb.cells(name, formulas=False) or []):
                if c.value not in (None, ""):
                    key = name if ref.size == 1 else f"{name}#{k + 1}"
                    problems.append(Problem(key, Message.known(name, name), raw_text(c.value),
                                            "the new template has no such input", Message(MSG_NOT_IN_TEMPLATE),
                                            "not_in_template"))
    for name in (wb.names if full else [*outputs, *wb.names.starting("kj_meta_")]):
        if not name.startswith("kj_") or name in INPUT_BY_NAME or name in unknown or name not in wb.names \
                or name.startswith(ACTUAL):
            continue
        if wb.bounded(name) is None:
            continue
        values[name] = wb.value(name)
        if full:
            cells = wb.cells(name) or []
            formulas[name] = any(c.formula is not None for c in cells)

    labels = {name: estimate_label(wb, name) for name in values} if full else {}

    metadata = {k.removeprefix("kj_"): v for k, v in wb.custom_properties().items() if k.startswith("kj_")}
    for name, v in values.items():
        if name.startswith("kj_meta_") and v not in (None, ""):
            metadata[name.removeprefix("kj_meta_")] = raw_text(v)
    inputs = replace(inputs, malform=malform)
    actuals = _actuals(wb, est, _first_year(inputs, metadata), take, problems)
    if actuals:
        inputs = replace(inputs, actuals=actuals)
    return FilledWorkbook(wb.path, inputs, problems, metadata, carried, missing, values, formulas, labels,
                          password=wb.sheet_password("Inndata"),
                          lite=any(n.startswith("xl/webextensions/") for n in wb.pkg.names),
                          udf_config="xlwings.conf" in wb.sheets)


def _first_year(inputs: Inputs, metadata: dict[str, str]) -> int:
    """The first budget year the workbook used: the one typed, else the default it recorded (Byggeinfo), else
    the one its build date gives."""
    if inputs.first_year is not None:
        return int(inputs.first_year)
    recorded = metadata.get("default_first_year", "")
    if recorded.isdigit():
        return int(recorded)
    return default_first_year(built_date(metadata))


def _actuals(wb: WorkbookFile, est: Estimates, first_year: int, take: Any, pending: list[Problem]
             ) -> tuple[Actual, ...]:
    """The actuals on Oppfølging, by their defined names (kj_actual_<line>, one cell per budget year): a valid
    number is an `Actual` (and carried), an invalid one a problem named beside its cell, a blank is not known
    yet (or, with a note an earlier regeneration left beside it, a pending problem added to `pending`). A line the
    estimates do not follow up is left alone."""
    out = []
    notes = _followup_notes(wb)
    if not notes and wb.surely_blank(ACTUAL + line.id for line in lines(est)):
        return ()  # nothing reported yet, and no value waiting from a regeneration: nothing to read
    for line in lines(est):
        name = ACTUAL + line.id
        cells = wb.cells(name)
        ref = wb.bounded(name)
        if not cells or ref is None:
            continue
        for k, c in enumerate(cells[:PLAN_YEARS]):
            year = first_year + k
            title = actual_title(est, line.label, year)
            spec = InputSpec(name, "actuals", "number", title.text(DEFAULT_MALFORM), line.unit, 0, MAX_FIGURE)
            key = f"{name}#{k + 1}"
            value = take(spec, key, c, None, title)
            if value is not None:
                out.append(Actual(line.id, year, float(value)))
            elif c.value in (None, "") and _is_note(note := notes.get(ref.first[0] + k, ""), title):
                # a value an earlier regeneration could not carry, still waiting beside its blank cell
                m = re.search(r"«(.*?)»", note)
                pending.append(Problem(key, title, m.group(1) if m else "", "still blank: an earlier regeneration "
                                       "could not carry this value", Message(MSG_STILL_BLANK), "invalid", note))
    return tuple(out)


def actual_title(est: Estimates, line_label: str, year: int) -> Message:
    """The label of an actual on Oppfølging («Faktisk tall: Opplæring 2027»), in both målformer."""
    nb, nn = (f"{tr(ACTUAL_NB, m)}: {est.text_in(line_label, m)} {year}" for m in ("nb", "nn"))
    return Message.known(nb, nn)


def _followup_notes(wb: WorkbookFile) -> dict[int, str]:
    """Oppfølging's notes (kj_followup_note) by row: what a regeneration could not carry (in either målform)."""
    ref = wb.bounded("kj_followup_note")
    marks = _note_marks()
    if ref is None or not wb.mentions(marks, ref.sheet):
        return {}
    cells = wb.cells("kj_followup_note", formulas=False) or []
    return {ref.first[0] + k: c.value for k, c in enumerate(cells)
            if isinstance(c.value, str) and any(mark in c.value for mark in marks)}


def _malform(wb: WorkbookFile) -> str:
    """The målform the workbook was built in (recorded on Byggeinfo, kj_meta_malform, and in the document
    properties); an older workbook, or one whose record is not a målform we know, is bokmål."""
    recorded = wb.value("kj_meta_malform") if "kj_meta_malform" in wb.names else None
    if recorded in (None, ""):
        recorded = wb.custom_properties().get("kj_malform")
    try:
        return parse_malform(raw_text(recorded) if recorded not in (None, "") else DEFAULT_MALFORM)
    except ValueError:
        return DEFAULT_MALFORM


def _require_input_sheet(wb: WorkbookFile) -> None:
    """A kj-budget workbook whose input sheet was deleted or renamed away is a clear error, not an empty
    budget: the core input names must point at cells of a sheet the workbook has."""
    for name in CORE_INPUTS:
        ref = wb.names.get(name)
        if name not in wb.names:
            raise UnreadableWorkbook(f"{wb.pkg.label}: has no named cell {name}: its input sheet (Inndata) was "
                                     "deleted or the name was removed, so its inputs cannot be read")
        if ref is None:
            raise UnreadableWorkbook(f"{wb.pkg.label}: the name {name} points nowhere (#REF!): its input sheet "
                                     "(Inndata) was deleted, so its inputs cannot be read")
        if ref.sheet not in wb.sheets:
            raise UnreadableWorkbook(f"{wb.pkg.label}: the name {name} points to the sheet {ref.sheet!r}, which the "
                                     f"workbook does not have (its sheets: {', '.join(wb.sheets)}): the input sheet "
                                     "was renamed or deleted, so its inputs cannot be read")


def _pending(wb: WorkbookFile, found: list[Problem], read_cells: dict[str, list[Cell]]) -> list[Problem]:
    """Notes an earlier regeneration left beside inputs that are still blank: the values it could not
    carry are still waiting, so they come along again (and Kontroll still fails for them)."""
    ref = wb.bounded("kj_input_note")
    marks = _note_marks()
    if ref is None or not wb.mentions(marks, ref.sheet):
        return []
    notes = wb.cells("kj_input_note", formulas=False) or []
    if not any(isinstance(c.value, str) and any(mark in c.value for mark in marks) for c in notes):
        return []
    seen = {p.key for p in found}
    out = []
    for spec in INPUTS:
        cells = read_cells.get(spec.name, [])
        ref_ = wb.bounded(spec.name)
        first = ref_.first if ref_ is not None else None
        for k, cell in enumerate(cells[: spec.rows]):
            key = spec.name if spec.rows == 1 else f"{spec.name}#{k + 1}"
            if first is None or cell.value not in (None, "") or key in seen:
                continue
            r = first[0] + k
            if not ref.first[0] <= r <= ref.last[0]:
                continue
            note = notes[r - ref.first[0]].value
            for line in (note.split("\n") if isinstance(note, str) else []):
                if _is_note(line, Message(spec.label)):
                    m = re.search(r"«(.*?)»", line)
                    out.append(Problem(key, _title(spec, k + 1 if spec.rows > 1 else None), m.group(1) if m else "",
                                       "still blank: an earlier regeneration could not carry this value",
                                       Message(MSG_STILL_BLANK), "invalid", line))
    return out


def estimate_label(wb: WorkbookFile, name: str) -> str:
    """What a named figure is called on its sheet: column A of its row; for a column of figures
    (one per e-ID or group) the column's head and the rows' labels."""
    ref = wb.names.get(name)
    if ref is None:
        return name
    if name == "kj_est_sizes":
        return tr(SIZES_LABEL, _malform(wb))
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
        for name in wb.names:
            if name.startswith(ACTUAL) and wb.bounded(name) is not None:
                for k, c in enumerate(wb.cells(name) or []):
                    if c.value not in (None, ""):
                        out[f"{name}#{k + 1}"] = c.value
    return out


def built_date(metadata: dict[str, str]) -> dt.date | None:
    """The date the workbook was built (it decides the default first budget year)."""
    try:
        return dt.date.fromisoformat(metadata.get("built", ""))
    except ValueError:
        return None


__all__ = ["BLANK", "Carried", "Cell", "DateValue", "ErrorValue", "FilledWorkbook", "Problem", "UnreadableWorkbook",
           "WorkbookFile", "actual_title", "built_date", "check_value", "file_bytes", "filled_values", "raw_text",
           "read_inputs",
           "read_workbook"]
