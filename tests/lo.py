"""LibreOffice as the real spreadsheet in tests: recalculate many workbooks in one soffice call,
render them to PDF/PNG, and read values (by defined name or address) and error cells back.

LibreOffice does not recalculate .xlsx on load by default; each call gets a fresh throw-away
profile that sets OOXMLRecalcMode to "always" and the nb-NO locale. soffice exits 0 even when
it fails, so every expected output file is checked.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as ET
from python_calamine import CalamineWorkbook
from xlsxwriter.utility import xl_cell_to_rowcol

PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>nb-NO</value></prop></item>
</oor:items>
"""
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}

# Set by conftest.py before each test's fixtures run: is the test marked `libreoffice`? (None: not under pytest.)
MARKED: bool | None = None
RUNNING = ""


def soffice(args: list[str], timeout: int = 300) -> None:
    """Run soffice headless with a new profile of its own (two processes must not share one)."""
    if MARKED is False:
        raise RuntimeError(f"{RUNNING} starts LibreOffice but is not marked `libreoffice`: mark it, or add its "
                           "fixture to LIBREOFFICE_FIXTURES in tests/conftest.py")
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: run `python3 dev.py test`, which installs it")
    with tempfile.TemporaryDirectory(prefix="kj-lo-profile-") as prof:
        user = Path(prof) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
        subprocess.run([exe, f"-env:UserInstallation=file://{prof}", "--headless", "--norestore", *args],
                       check=True, capture_output=True, timeout=timeout)


def recalc(paths: list[Path], outdir: Path) -> list[Path]:
    """Open each workbook in LibreOffice, recalculate every formula and save it as .xlsx in `outdir`."""
    outdir.mkdir(parents=True, exist_ok=True)
    names = [p.name for p in paths]
    assert len(set(names)) == len(names), "recalc needs distinct file names"
    soffice(["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), *map(str, paths)])
    out = [outdir / p.name for p in paths]
    missing = [p for p in out if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {', '.join(map(str, missing))}")
    return out


def render_pdf(path: Path, outdir: Path, single_page_sheets: bool = True) -> Path:
    """Export a workbook to PDF; with single_page_sheets, one page per sheet sized to its used area."""
    outdir.mkdir(parents=True, exist_ok=True)
    fmt = ('pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}'
           if single_page_sheets else "pdf")
    soffice(["--convert-to", fmt, "--outdir", str(outdir), str(path)])
    pdf = outdir / (path.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice did not write {pdf}")
    return pdf


def pdf_to_png(pdf: Path, prefix: Path, dpi: int = 110, first: int | None = None, last: int | None = None
               ) -> list[Path]:
    prefix.parent.mkdir(parents=True, exist_ok=True)
    args = ["pdftoppm", "-r", str(dpi), "-png"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    subprocess.run([*args, str(pdf), str(prefix)], check=True, capture_output=True)
    return sorted(prefix.parent.glob(prefix.name + "*.png"))


@dataclass
class Book:
    """Values of a workbook as saved (the cached values), by sheet, with its defined names."""

    path: Path
    sheets: dict[str, list[list[Any]]] = field(default_factory=dict)
    names: dict[str, tuple[str, int, int, int, int]] = field(default_factory=dict)
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (sheet, cell, error text)
    formulas: dict[str, set[tuple[int, int]]] = field(default_factory=dict)

    def cell(self, sheet: str, row: int, col: int) -> Any:
        rows = self.sheets[sheet]
        if row < len(rows) and col < len(rows[row]):
            return rows[row][col]
        return ""

    def value(self, name: str) -> Any:
        """A defined name's value: a scalar for one cell, else a list (row-major)."""
        sheet, r1, c1, r2, c2 = self.names[name]
        values = [self.cell(sheet, r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
        return values[0] if len(values) == 1 else values


def read_book(path: Path) -> Book:
    book = Book(path)
    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        sh = wb.get_sheet_by_name(name)
        data = sh.to_python(skip_empty_area=False)
        r0, c0 = getattr(sh, "start", None) or (0, 0)
        book.sheets[name] = [[""] * c0 + list(row) for row in ([[]] * r0 + data)]
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        sheet_files = {}
        for s in root.find("m:sheets", NS):
            target = targets[s.get(f"{{{NS['r']}}}id")].lstrip("/")
            sheet_files[s.get("name")] = target if target.startswith("xl/") else "xl/" + target
        for dn in root.iter(f"{{{NS['m']}}}definedName"):
            if dn.get("localSheetId") is not None or dn.get("name", "").startswith("_xlnm"):
                continue
            m = re.fullmatch(r"'?(.+?)'?!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?", dn.text or "")
            if not m:
                continue
            r1, c1 = xl_cell_to_rowcol(m.group(2) + m.group(3))
            r2, c2 = xl_cell_to_rowcol(m.group(4) + m.group(5)) if m.group(4) else (r1, c1)
            book.names[dn.get("name")] = (m.group(1).replace("''", "'"), r1, c1, r2, c2)
        for sheet, target in sheet_files.items():
            xml = ET.fromstring(z.read(target))
            cells = set()
            for c in xml.iter(f"{{{NS['m']}}}c"):
                f = c.find("m:f", NS)
                if f is not None:
                    cells.add(xl_cell_to_rowcol(c.get("r")))
                if c.get("t") == "e":
                    v = c.find("m:v", NS)
                    book.errors.append((sheet, c.get("r"), v.text if v is not None else "?"))
            book.formulas[sheet] = cells
    return book
