"""The regional overview as a coordinator prints and reads it (found by rendering it, LibreOffice → PDF → PNG):
every key figure with its unit, counted sentences in the singular or the plural (never «arbeidsbok(er)»), long
notes wrapped within the page, years apart from the amounts beside them, and the wide tables printed across
several pages with the municipality on each, not shrunk to one unreadable page."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from conftest import TODAY

from workbook_builder.core.model import Inputs, Step
from workbook_builder.services.collect import Entry, Failure, collect, make_overview
from workbook_builder.workbook import build_workbook


@pytest.fixture(scope="module")
def entries(est, tmp_path_factory) -> list[Entry]:
    root = tmp_path_factory.mktemp("overview-presentation")
    paths = []
    for number, name, staff in (("3440", "Øyer", 40), ("3405", "Lillehammer", 120)):
        paths.append(root / f"{number}.xlsx")
        build_workbook(paths[-1], est, Inputs(municipality=name, municipality_number=number, vendor="profil",
                                              steps=(Step(staff, "a", "", 2027), Step(staff * 3, "c", "", 2028))),
                       today=TODAY)
    found = collect(paths, est, workers=1, today=TODAY)
    assert all(isinstance(e, Entry) for e in found)
    return [e for e in found if isinstance(e, Entry)]


def overview(est, entries, failures=(), malform="nb") -> openpyxl.Workbook:
    ov = make_overview(Path("oversikt.xlsx"), entries, list(failures), est, today=TODAY, malform=malform)
    return openpyxl.load_workbook(io.BytesIO(ov.xlsx_bytes))


def key_figures(ws) -> dict[str, openpyxl.cell.Cell]:
    return {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(6, 18) if ws.cell(r, 1).value}


@pytest.mark.parametrize("malform, persons, hours, municipalities",
                         [("nb", "personer", "timer", "kommuner"), ("nn", "personar", "timar", "kommunar")])
def test_every_key_figure_of_the_region_carries_its_unit(est, entries, malform, persons, hours, municipalities):
    ws = overview(est, entries, malform=malform).worksheets[0]
    formats = {label: cell.number_format for label, cell in key_figures(ws).items()}
    units = [f.split('"')[1].strip() for f in formats.values() if f.count('"') == 2]
    assert len(units) >= 9  # all but Kontroll (a text) and the P85 factor (a factor, said in its label)
    assert {persons, hours, municipalities, "kr"} <= set(units)
    assert not [label for label, f in formats.items() if f in ("#,##0", "General")
                and label not in ("Kontroll",)]


def test_the_p85_factor_is_said_in_words_a_finance_officer_reads(est, entries):
    labels = key_figures(overview(est, entries).worksheets[0])
    factor = labels["P85 ligger så mange standardavvik over P50 (fra estimatene)"]
    assert factor.value == pytest.approx(1.0364, abs=1e-4) and factor.number_format == "0.0000"


@pytest.mark.parametrize("n, nb", [(1, "1 arbeidsbok kunne ikke leses"), (2, "2 arbeidsbøker kunne ikke leses")])
def test_a_counted_sentence_is_singular_or_plural_never_both(est, entries, n, nb):
    failures = [Failure(Path(f"ødelagt-{k}.xlsx"), f"ødelagt-{k}.xlsx: is damaged", 0.0) for k in range(n)]
    wb = overview(est, entries, failures)
    texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith(nb) for t in texts)
    assert not [t for t in texts if "(er)" in t or "(r)" in t or "(ar)" in t]
    nn = overview(est, entries, failures, "nn")
    assert any(isinstance(c.value, str) and c.value.startswith(nb.replace("kunne ikke leses", "kunne ikkje lesast"))
               for ws in nn.worksheets for row in ws.iter_rows() for c in row)


def test_the_notes_above_a_table_wrap_within_the_page_instead_of_running_past_it(est, entries):
    wb = overview(est, entries)
    region, follow_up = wb["Regionen"], wb["Oppfølging"]
    assert "A3:D3" in {str(r) for r in region.merged_cells.ranges}
    assert region["A3"].alignment.wrap_text and region.row_dimensions[3].height >= 27
    assert {"A3:D3", "A4:D4"} <= {str(r) for r in follow_up.merged_cells.ranges}  # the note, and who has no actuals
    assert follow_up["A4"].value.startswith("Ingen faktiske tall ennå fra 2 kommuner")
    assert follow_up["A3"].alignment.wrap_text


def test_a_label_that_wraps_gets_a_row_tall_enough_and_figures_level_with_its_first_line(est, entries):
    ws = overview(est, entries).worksheets[0]
    for label, cell in key_figures(ws).items():
        if len(label) > 50:
            assert ws.row_dimensions[cell.row].height >= 27, label
        assert cell.alignment.vertical == "top" and ws.cell(cell.row, 1).alignment.wrap_text


def test_years_stand_apart_from_the_amounts_beside_them(est, entries):
    """A right-aligned year next to a count read as one figure («1 200 2027»): years are centred."""
    wb = overview(est, entries)
    ws = wb["Oversikt"]
    heads = [c.value for c in ws[5]]
    year = ws.cell(6, heads.index("Første budsjettår (prisnivå)") + 1)
    assert year.value == 2027 and year.alignment.horizontal == "center"
    assert wb["Per år"]["C5"].value == 2027 and wb["Per år"]["C5"].alignment.horizontal == "center"


@pytest.mark.parametrize("sheet, wide", [("Oversikt", 3), ("Oppfølging", 2)])
def test_a_wide_table_prints_across_pages_with_the_municipality_on_each(est, entries, sheet, wide):
    ws = overview(est, entries)[sheet]
    assert ws.page_setup.fitToWidth == wide and ws.page_setup.fitToHeight == 0
    assert ws.print_title_cols == "$A:$B" and ws.page_setup.pageOrder == "overThenDown"
    assert ws.print_title_rows


def test_the_head_row_of_per_aar_is_tall_enough_for_its_wrapped_heads(est, entries):
    ws = overview(est, entries)["Per år"]
    assert ws["D4"].value == "Nytt helsepersonell" and ws.row_dimensions[4].height >= 30
