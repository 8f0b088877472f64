"""What a finance officer and a project leader see on the printed sheets: years that cannot be read as
amounts, messages that fit their rows, charts with axis titles and no meaningless ticks, page breaks that
keep a heading with what it heads, and period totals that agree with the key figures and the memo."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import openpyxl
import pytest
import scenarios
from conftest import TODAY

from workbook_builder.workbook import build_bytes, sheet_names


def inputs(malform: str):
    """A phased rollout whose vendor module is an investment candidate (a long Kontroll message)."""
    return replace(scenarios.scenarios()["vendor-other-investment"], malform=malform)


@pytest.fixture(scope="module", params=["nb", "nn"])
def book(request, est):
    built = build_bytes(est, inputs(request.param), today=TODAY)
    return (request.param, built, openpyxl.load_workbook(io.BytesIO(built.data)),
            zipfile.ZipFile(io.BytesIO(built.data)))


def sheet(book, name: str):
    malform, _, wb, _ = book
    return wb[sheet_names(malform)[name]]


@pytest.mark.parametrize("name", ["Oppfølging", "Budsjettlinjer", "Estimater"])
def test_a_year_beside_a_unit_or_a_code_is_left_aligned_under_its_head(book, name):
    """«2027 kr», «2027 timer» (Oppfølging) or «2027 3100» (Budsjettlinjer: year, ansvar) read as an amount when
    the year is right-aligned against the next column: every year in a column headed «År» is left-aligned."""
    ws = sheet(book, name)
    heads = [(c.row, c.column) for row in ws.iter_rows() for c in row if c.value == "År"]
    assert heads, name
    checked = 0
    for head, col in heads:
        for r in range(head + 1, head + 60):
            c = ws.cell(r, col)
            if c.number_format == "0" and c.value not in (None, ""):
                assert c.alignment.horizontal == "left", (name, c.coordinate)
                checked += 1
    assert checked >= 4, name

