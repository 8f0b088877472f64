"""Bounded reading: a name's range is bounded by the register's shapes, malformed sheet XML is a clear
error, a workbook whose input sheet is gone is refused (not an empty budget), a pipe is never waited
for, and what calamine is given was checked first (a far cell or a huge size hint never reaches it).
The fast reader (calamine) and the careful one (standard library) give the same workbook."""

from __future__ import annotations

import io
import os
import re
import subprocess
import zipfile
from dataclasses import asdict
from pathlib import Path

import forked
import openpyxl
import pytest
from conftest import TODAY
from filling import fill

from workbook_builder.core.model import Inputs, Step
from workbook_builder.workbook import build_bytes
from workbook_builder.xlsx.filled_reader import MAX_SHEET_CELLS, UnreadableWorkbook, WorkbookFile, _read, read_workbook

ROOT = Path(__file__).parent.parent
COMMANDS = [["check", "{f}"], ["memo", "{f}", "--out", "{d}/m.html"], ["notice", "{f}"],
            ["build", "--from", "{f}", "--out", "{d}/n.xlsx"], ["collect", "{f}", "--out", "{d}/o.xlsx"]]


@pytest.fixture(scope="module")
def good(est) -> bytes:
    return build_bytes(est, Inputs(municipality="Gausdal", vendor="Profil", steps=(Step(40, "a", "Sone 1"),)),
                       today=TODAY).data


def rezip(data: bytes, edit: dict[str, object]) -> bytes:
    """A copy of a workbook with parts changed: a callable gets the old bytes, bytes replace them."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info)
            change = edit.get(info.filename)
            dst.writestr(info.filename, change(part) if callable(change) else change if change is not None else part)
    return out.getvalue()


def sheet_part(data: bytes, sheet: str) -> str:
    with WorkbookFile(data) as wb:
        return wb.sheets[sheet]


def run_cli(tmp_path: Path, argv: list[str], timeout: float = 60) -> subprocess.CompletedProcess:
    """The command in its own process, bounded by a timeout (a hang or a crash fails the test, never the suite)."""
    [r] = forked.run_commands([argv], timeout, cwd=str(ROOT))
    assert r["code"] != "traceback", r["err"]
    return subprocess.CompletedProcess(argv, r["code"], r["out"], r["err"])


def refused_everywhere(tmp_path: Path, data: bytes, *expected: str) -> None:
    """Every command that reads a workbook refuses it: exit 2, one line, no traceback, nothing written."""
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(data)
    for cmd in COMMANDS:
        argv = [a.format(f=bad, d=tmp_path) for a in cmd]
        r = run_cli(tmp_path, argv)
        assert r.returncode == 2 if cmd[0] != "collect" else r.returncode == 1, (argv, r.stderr)
        assert "Traceback" not in r.stderr, r.stderr
        if cmd[0] != "collect":
            assert r.stderr.count("\n") == 1, r.stderr
            for text in expected:
                assert text in r.stderr, (argv, r.stderr)
        else:
            for text in expected:
                assert text in r.stderr, r.stderr
        assert sorted(p.name for p in tmp_path.iterdir()) == (["bad.xlsx", "o-oppfolging.csv", "o.csv", "o.xlsx"]
                                                               if cmd[0] == "collect" else ["bad.xlsx"])
        for p in tmp_path.iterdir():
            if p.name.startswith(("o.", "o-")):
                p.unlink()


def widen(data: bytes, name: str, ref: str) -> bytes:
    return rezip(data, {"xl/workbook.xml": lambda x: re.sub(
        rf'(<definedName name="{name}">)[^<]*(</definedName>)'.encode(), rf"\g<1>{ref}\g<2>".encode(), x)})


def test_a_name_widened_to_a_whole_sheet_is_refused_at_once_by_every_command(good, tmp_path):
    data = widen(good, "kj_step_staff", "Inndata!$A$1:$XFD$1048576")
    refused_everywhere(tmp_path, data, "the name kj_step_staff covers Inndata!$A$1:$XFD$1048576 (17179869184 cells)",
                       "in a kj-budget workbook it is 12 cells in one column")


@pytest.mark.parametrize(("name", "ref", "shape"), [("kj_municipality", "Inndata!$B$5:$C$5", "one cell"),
                                                    ("kj_master_check", "Kontroll!$A$1:$Z$1000", "at most 1000")])
def test_a_widened_scalar_or_output_name_is_refused(good, est, name, ref, shape):
    with pytest.raises(UnreadableWorkbook, match=re.escape(shape)):
        read_workbook(widen(good, name, ref), est)


def test_a_step_column_longer_than_the_template_is_still_read_up_to_its_bound(good, est):
    from xlsxwriter.utility import xl_col_to_name

    with WorkbookFile(good) as wb:
        ref = wb.names["kj_step_staff"]
    col, top = xl_col_to_name(ref.first[1]), ref.first[0] + 1

    def longer(rows: int) -> str:
        return f"Inndata!${col}${top}:${col}${top + rows - 1}"

    ok = read_workbook(widen(good, "kj_step_staff", longer(30)), est)
    assert ok.inputs.steps[0].staff == 40
    with pytest.raises(UnreadableWorkbook, match="read up to 100"):
        read_workbook(widen(good, "kj_step_staff", longer(150)), est)


@pytest.mark.parametrize(("old", "new", "says"), [
    (rb'<row r="5"', b'<row r="x"', "has a row numbered 'x'"),
    (rb'<c r="B5" s="', b'<c r="B5" s="x', "has a cell style 'x"),
    (rb'<c r="B5"', b'<c r="b5"', "has a cell reference 'b5'"),
    (rb'<c r="B5"', b'<c r="B99999999"', "has a cell reference 'B99999999'"),
    (rb'</sheetData>', b'<row r="1048577"><c r="A1048577"><v>1</v></c></row></sheetData>', "has a row numbered"),
])
def test_malformed_cell_xml_is_a_clear_error_not_a_traceback(good, tmp_path, old, new, says):
    part = sheet_part(good, "Inndata")
    data = rezip(good, {part: lambda x: x.replace(old, new, 1)})
    refused_everywhere(tmp_path, data, "is damaged:", says)


def test_a_far_cell_is_read_by_the_careful_parser_never_by_calamine(good, est, tmp_path):
    """calamine reserves memory for the area up to the farthest cell (here 17 billion cells: it would abort
    the process); that sheet goes to the careful parser and the workbook reads as before."""
    part = sheet_part(good, "Inndata")
    data = rezip(good, {part: lambda x: x.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v>'
                                                                   b"</c></row></sheetData>")})
    path = tmp_path / "far.xlsx"
    path.write_bytes(data)
    r = run_cli(tmp_path, ["check", str(path), "--json"])
    assert r.returncode in (0, 1) and '"Gausdal"' in r.stdout, r.stderr


def test_a_huge_shared_string_count_never_reaches_calamine(good, tmp_path):
    data = rezip(good, {"xl/sharedStrings.xml": lambda x: re.sub(rb'uniqueCount="\d+"', b'uniqueCount="4000000000"',
                                                                   x)})
    path = tmp_path / "sst.xlsx"
    path.write_bytes(data)
    r = run_cli(tmp_path, ["check", str(path), "--json"])
    assert r.returncode in (0, 1) and '"Gausdal"' in r.stdout, r.stderr


def test_a_sheet_with_too_many_cells_is_refused(good, est):
    part = sheet_part(good, "Inndata")
    many = b"".join(b'<c r="Z%d"><v>1</v></c>' % (k % 999 + 1) for k in range(MAX_SHEET_CELLS + 1))
    data = rezip(good, {part: lambda x: x.replace(b"</sheetData>", b"<row r=\"999\">" + many + b"</row></sheetData>")})
    with pytest.raises(UnreadableWorkbook, match=f"limit {MAX_SHEET_CELLS}"):
        read_workbook(data, est)


def test_a_deleted_input_sheet_is_a_clear_error_not_an_empty_budget(good, tmp_path):
    buf = io.BytesIO()
    wb = openpyxl.load_workbook(io.BytesIO(good))
    del wb["Inndata"]
    wb.save(buf)
    refused_everywhere(tmp_path, buf.getvalue(), "'Inndata', which the workbook does not have",
                       "the input sheet was renamed or deleted, so its inputs cannot be read")


def test_an_input_sheet_whose_names_point_nowhere_is_a_clear_error(good, tmp_path):
    data = rezip(good, {"xl/workbook.xml": lambda x: re.sub(
        rb"(<definedName name=\"kj_[a-z_]+\">)'?Inndata'?![^<]*", rb"\1#REF!", x)})
    refused_everywhere(tmp_path, data, "points nowhere (#REF!): its input sheet (Inndata) was deleted")


def test_an_input_sheet_renamed_away_is_a_clear_error(good, tmp_path):
    data = rezip(good, {"xl/workbook.xml": lambda x: x.replace(b'<sheet name="Inndata"', b'<sheet name="Input"')})
    refused_everywhere(tmp_path, data, "the name kj_municipality points to the sheet 'Inndata', which the workbook "
                                       "does not have")


def test_a_sheet_renamed_in_excel_keeps_its_names_and_reads(good, est, tmp_path):
    """Excel renames the sheet and its names together: nothing to refuse."""
    path = tmp_path / "renamed.xlsx"
    path.write_bytes(good)
    wb = openpyxl.load_workbook(path)
    wb["Inndata"].title = "Input"
    for _name, dn in list(wb.defined_names.items()):
        dn.attr_text = dn.attr_text.replace("'Inndata'!", "'Input'!").replace("Inndata!", "Input!")
    wb.save(path)
    assert read_workbook(path, est).inputs.municipality == "Gausdal"


def test_a_named_pipe_is_refused_not_waited_for(tmp_path):
    fifo = tmp_path / "ror.xlsx"
    os.mkfifo(fifo)
    r = run_cli(tmp_path, ["check", str(fifo)], timeout=30)
    assert r.returncode == 2 and "is not a regular file (a named pipe or a device)" in r.stderr


def fields(fw) -> dict:
    d = asdict(fw)
    d.pop("path")
    return d


@pytest.mark.parametrize("full", [False, True])
def test_the_fast_and_the_careful_reader_give_the_same_workbook(good, est, tmp_path, full):
    typed = tmp_path / "typed.xlsx"
    typed.write_bytes(good)
    fill(typed, {"kj_hourly_rate": "1.234", "kj_step_staff#2": "tolv", "kj_step_group#2": "b",
                 "kj_step_unit#3": "=1+1", "kj_vendor_module_kr": 90_000, "kj_municipality": "Øyer\nkommune"}, typed)
    for data in (good, typed.read_bytes()):
        with WorkbookFile(data, "x.xlsx") as fast, WorkbookFile(data, "x.xlsx", fast=False) as careful:
            a, b = _read(fast, est, True, full), _read(careful, est, True, full)
        assert fields(a) == fields(b)


def test_the_fast_reader_is_used_for_our_workbooks(good):
    with WorkbookFile(good) as wb:
        wb.cells("kj_municipality")
        assert type(wb._views["Inndata"]).__name__ == "_FastSheet"


def _first_actual(data: bytes) -> tuple[str, bytes]:
    """(the Oppfølging sheet's part, the reference of the first actual cell, e.g. b"I12")."""
    from workbook_builder.xlsx.filled_reader import _ref_bytes

    with WorkbookFile(data) as wb:
        ref = wb.names["kj_actual_training"]
        return wb.sheets[ref.sheet], _ref_bytes(*ref.first)


def _actuals_read(data: bytes, est) -> tuple[tuple, bool]:
    """(the actuals read, whether the Oppfølging sheet's values were read at all)."""
    with WorkbookFile(data, "x.xlsx") as wb:
        fw = _read(wb, est, True, False)
        return fw.inputs.actuals, any(s in wb._views for s in ("Oppfølging", "Oppfylging"))


def test_blank_actuals_are_known_blank_without_reading_their_sheet(good, est):
    """Before the first report every actual is blank: the cells are written as empty elements <c r="I12" …/>,
    which one scan of the sheet's XML shows, so its values (a third of a workbook's reading) are not read."""
    actuals, read = _actuals_read(good, est)
    assert actuals == () and not read


@pytest.mark.parametrize("content, expected", [(b"<v>1234</v>", 1234.0), (b"", None), (b"<v></v>", None),
                                               (b"<f>1000+234</f><v>1234</v>", 1234.0)])
def test_an_actual_cell_with_any_content_is_read_not_assumed_blank(good, est, content, expected):
    part, ref = _first_actual(good)

    def edit(xml: bytes) -> bytes:
        m = re.search(rb'<c r="' + ref + rb'"([^>]*?)/>', xml)
        assert m, "the template writes a blank actual as an empty element"
        return xml[:m.start()] + b'<c r="' + ref + b'"' + m.group(1) + b">" + content + b"</c>" + xml[m.end():]

    actuals, read = _actuals_read(rezip(good, {part: edit}), est)
    assert read  # the sheet's values were read, whatever the cell turned out to hold
    assert [a.value for a in actuals] == ([expected] if expected is not None else [])
