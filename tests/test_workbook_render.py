"""The workbook as a person sees it: LibreOffice renders it to PDF and PNG (one page per sheet).

`python3 dev.py test --update-golden` refreshes the pictures in docs/images/ (with the other golden files).
"""

from __future__ import annotations

import math
import struct
from dataclasses import replace
from pathlib import Path

import lo
import pytest
import scenarios
from conftest import TODAY

from workbook_builder.workbook import SHEET_ORDER, build_workbook, sheet_names

DOCS = Path(__file__).parent.parent / "docs" / "images"


def png_size(path: Path) -> tuple[int, int]:
    with path.open("rb") as fh:
        head = fh.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


@pytest.mark.libreoffice
def test_every_sheet_renders_to_a_page(est, tmp_path, update_golden):
    inputs = scenarios.scenarios()["phased-full"]
    path = tmp_path / "lillehammer.xlsx"
    build_workbook(path, est, inputs, today=TODAY)
    pdf = lo.render_pdf(path, tmp_path / "pdf")
    pages = lo.pdf_to_png(pdf, tmp_path / "png" / "page", dpi=70)
    assert len(pages) == len(SHEET_ORDER)
    wanted = {sheet: pages[SHEET_ORDER.index(sheet)] for sheet in ("Inndata", "Budsjett", "Budsjettlinjer",
                                                                     "Usikkerhet")}
    for sheet, page in wanted.items():
        width, height = png_size(page)
        assert width > 500 and height > 500, sheet
        assert page.stat().st_size > 40_000, f"{sheet} page looks empty"
    if update_golden:
        DOCS.mkdir(parents=True, exist_ok=True)
        from PIL import Image

        for sheet in wanted:
            hi = lo.pdf_to_png(pdf, tmp_path / "docs" / sheet, dpi=90, first=SHEET_ORDER.index(sheet) + 1,
                               last=SHEET_ORDER.index(sheet) + 1)
            with Image.open(hi[0]) as im:  # the long sheets: their first screenful
                height = {"Budsjettlinjer": 900, "Usikkerhet": 1150}.get(sheet, im.height)
                im.crop((0, 0, im.width, min(height, im.height))).save(DOCS / f"{sheet.lower()}.png", optimize=True)


def cut_labels(path: Path, sheets: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """Texts of the label column (A) that would not show whole: one that does not wrap is wider than the
    column while the next cell holds something; one that wraps needs more lines than its row is tall
    (a column-width unit is a digit's width in Calibri 11; prose averages about 1.25 characters to it, as
    LibreOffice's rendering of both målformer shows; merged notes are left out)."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    out = []
    for sheet in sheets:
        ws = wb[sheet]
        merged = {r.min_row for r in ws.merged_cells.ranges if r.min_col == 1}
        width = ws.column_dimensions["A"].width * 1.25
        for (c,) in ws.iter_rows(min_col=1, max_col=1):
            if not isinstance(c.value, str) or c.value.startswith("=") or c.row in merged:
                continue
            if c.alignment.wrap_text:
                lines = math.ceil(len(c.value) / width)
                room = max(1, int((ws.row_dimensions[c.row].height or 15) // 14))
                if lines > room:
                    out.append((sheet, c.coordinate, c.value))
            elif len(c.value) > width and ws.cell(c.row, 2).value not in (None, ""):
                out.append((sheet, c.coordinate, c.value))
    return out


@pytest.mark.libreoffice
def test_the_nynorsk_workbook_renders_every_sheet_whole(est, tmp_path, update_golden):
    """The nynorsk workbook, one page per sheet; its longer words still fit their columns: no label of
    Budsjett or Inndata is cut (`--update-golden` refreshes docs/images/budsjett-nn.png and inndata-nn.png)."""
    path = tmp_path / "lillehammer-nn.xlsx"
    build_workbook(path, est, replace(scenarios.scenarios()["phased-full"], malform="nn"), today=TODAY)
    pdf = lo.render_pdf(path, tmp_path / "pdf")
    pages = lo.pdf_to_png(pdf, tmp_path / "png" / "page", dpi=70)
    assert len(pages) == len(SHEET_ORDER)
    names = list(sheet_names("nn").values())
    for sheet in ("Inndata", "Budsjett"):
        width, height = png_size(pages[names.index(sheet)])
        assert width > 500 and height > 500 and pages[names.index(sheet)].stat().st_size > 40_000, sheet
    assert cut_labels(path, ("Inndata", "Budsjett")) == []
    if update_golden:
        DOCS.mkdir(parents=True, exist_ok=True)
        from PIL import Image

        for sheet in ("Budsjett", "Inndata"):
            page = names.index(sheet) + 1
            hi = lo.pdf_to_png(pdf, tmp_path / "docs" / sheet, dpi=90, first=page, last=page)
            with Image.open(hi[0]) as im:
                im.save(DOCS / f"{sheet.lower()}-nn.png", optimize=True)


def test_print_setup_is_a4_and_fitted(est, tmp_path):
    import openpyxl

    path = tmp_path / "print.xlsx"
    build_workbook(path, est, scenarios.scenarios()["phased-full"], today=TODAY)
    wb = openpyxl.load_workbook(path)
    for name in SHEET_ORDER[:7]:
        ws = wb[name]
        assert ws.page_setup.paperSize == 9, name  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert ws.page_setup.fitToWidth in (None, 1), name  # 1 is the default and may be left out
        assert ws.print_area, name
        assert "Lillehammer" in ws.oddHeader.left.text, name
    assert wb["Budsjett"].page_setup.orientation == "portrait"
    assert wb["Inndata"].page_setup.orientation == "landscape"


@pytest.mark.libreoffice
def test_the_followup_sheet_renders_with_its_actuals(est, tmp_path, update_golden):
    """Oppfølging with actuals below, within and above the range (`--update-golden` refreshes
    docs/images/oppfolging.png, the picture in veiledning.md)."""
    path = tmp_path / "oppfolging.xlsx"
    build_workbook(path, est, scenarios.scenarios()["followup"], today=TODAY)
    pdf = lo.render_pdf(path, tmp_path / "pdf")
    page = SHEET_ORDER.index("Oppfølging") + 1
    png = lo.pdf_to_png(pdf, tmp_path / "png" / "page", dpi=70, first=page, last=page)[0]
    width, height = png_size(png)
    assert width > 800 and height > 900 and png.stat().st_size > 60_000  # the table, the summary and the charts
    if update_golden:
        from PIL import Image

        hi = lo.pdf_to_png(pdf, tmp_path / "docs" / "oppfolging", dpi=80, first=page, last=page)
        with Image.open(hi[0]) as im:
            im.save(DOCS / "oppfolging.png", optimize=True)
