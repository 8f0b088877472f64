"""What collect reads of each workbook: every saved headline output but the ranges' workings on Usikkerhet
(which `check` compares), so it never reads that sheet; the reader's quick scan for formula cells finds
exactly the cells the plain definition does; its XML text helpers equal the standard library's (whose module
would import urllib, http and email)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from conftest import TODAY
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook_builder.cells import OUTPUTS
from workbook_builder.core.model import Inputs, Step
from workbook_builder.services.collect import COMPARED_OUTPUTS, ON_USIKKERHET, Entry, read_one
from workbook_builder.services.source import read_filled
from workbook_builder.workbook import build_workbook
from workbook_builder.xlsx import filled_reader as reading
from workbook_builder.xlsx.filled_reader import UnreadableWorkbook, WorkbookFile


@pytest.fixture(scope="module")
def workbook(est, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("collect") / "3440-oyer.xlsx"
    build_workbook(path, est, Inputs(municipality="Øyer", municipality_number="3440", vendor="profil",
                                     steps=(Step(40, "a", "", 2027), Step(160, "c", "Sone 1", 2028))), today=TODAY)
    return path


def test_collect_compares_every_saved_output_but_the_ones_on_usikkerhet(workbook):
    with WorkbookFile(workbook) as wb:
        on_usikkerhet = {n for n in OUTPUTS if wb.names[n].sheet == "Usikkerhet"}
    assert on_usikkerhet == set(ON_USIKKERHET)
    assert set(COMPARED_OUTPUTS) == set(OUTPUTS) - on_usikkerhet


def test_collect_never_reads_usikkerhet_while_check_still_does(est, workbook, tmp_path):
    with WorkbookFile(workbook) as wb:
        part = wb.sheets["Usikkerhet"]
    broken = tmp_path / workbook.name
    buf = io.BytesIO()
    with zipfile.ZipFile(workbook) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:  # a malformed row number: the reader refuses the sheet when it reads it
                data = data.replace(b'<row r="', b'<row r="x', 1)
            dst.writestr(info, data)
    broken.write_bytes(buf.getvalue())
    with pytest.raises(UnreadableWorkbook, match="has a row numbered 'x"):
        read_filled(broken, est)  # all outputs, as check, memo and notice read them
    entry = read_one(broken, est, TODAY)
    assert isinstance(entry, Entry) and entry.mismatch == ""
    assert entry.budget.ranges.cash_total.p85 > entry.budget.ranges.cash_total.p50 > 0  # the model's, as before


# The plain definition of a cell with a formula: its tag up to the first ">" does not end in "/", and <f follows.
PLAIN = re.compile(rb'<c r="([A-Z]{1,3}[1-9][0-9]{0,6})"[^>]*?(?<!/)>\s*<f\b')
attrs = st.lists(st.sampled_from([b' s="3"', b' t="str"', b' t="e"', b" /", b"/", b' a="x/y"', b' a="//"', b" ",
                                  b' t="s"']), max_size=4).map(b"".join)
cells = st.tuples(st.sampled_from([b"A1", b"E12", b"ZZ999", b"b5", b"AAA1"]), attrs,
                  st.sampled_from([b">", b"/>", b"//>"]),
                  st.sampled_from([b"<f>SUM(A1)</f><v>1</v></c>", b" <f/>", b"\n<f t=\"shared\"/>", b"<v>2</v></c>",
                                   b"<formula1>", b"", b"<c r=\"B2\"><f>1</f></c>"]))


@settings(max_examples=500, deadline=None)
@given(st.lists(cells, min_size=1, max_size=8))
def test_the_reader_finds_the_formula_cells_the_plain_definition_finds(parts):
    row = b"".join(b'<c r="' + ref + b'"' + a + end + rest for ref, a, end, rest in parts)
    data = b"<sheetData><row>" + row + b"</row>"
    assert reading._FORMULA_REFS.findall(data) == PLAIN.findall(data)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["&", "<", ">", '"', "'", "a", "ø", ";", "#", "&amp;", "&lt;", "&gt;", "&quot;",
                                 "&apos;", "&#65;", "&amp;lt;"]), max_size=12).map("".join))
def test_the_readers_xml_text_helpers_equal_the_standard_librarys(text):
    from xml.sax.saxutils import escape, unescape

    assert reading._xml_unescape(text) == unescape(text, {"&quot;": '"', "&apos;": "'"})
    assert reading._xml_attribute(text) == escape(text, {'"': "&quot;"})
