"""What a finance officer and a project leader see on the printed sheets: years that cannot be read as
amounts, messages that fit their rows, charts with axis titles and no meaningless ticks, page breaks that
keep a heading with what it heads, and period totals that agree with the key figures and the memo."""

from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import replace

import openpyxl
import pytest
import scenarios
from conftest import TODAY

from workbook_builder.core.i18n import tr
from workbook_builder.core.model import budget, check_message
from workbook_builder.core.vocabulary import CHECKS
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


def test_every_check_row_is_tall_enough_for_its_failing_message(book, est):
    """The message of «Drift eller investering (KRS 4)» is longer than the message column: its row is two lines
    tall, also while the check is OK (the message is a formula; the row does not grow when it changes)."""
    malform = book[0]
    ws = sheet(book, "Kontroll")
    b = budget(est, inputs(malform), TODAY)
    width = ws.column_dimensions["C"].width
    rows = {c.value: c.row for (c,) in ws.iter_rows(min_col=1, max_col=1) if isinstance(c.value, str)}
    long_ones = 0
    for check in b.checks:
        row = rows[tr(CHECKS[check.id][1], malform)]
        text = check_message(check.id, est, b.params, b.total_staff)
        lines = math.ceil(len(text) / (width * 1.15))
        height = ws.row_dimensions[row].height or 15
        assert height >= 14 * lines, (check.id, text, height)
        long_ones += lines > 1
    assert long_ones >= 1


def charts(book, name: str) -> list[str]:
    """The chart parts drawn on a sheet, as XML text."""
    _, _, wb, z = book
    index = wb.sheetnames.index(sheet_names(book[0])[name]) + 1
    rels = z.read(f"xl/worksheets/_rels/sheet{index}.xml.rels").decode()
    drawing = re.search(r'Target="../drawings/(drawing\d+\.xml)"', rels).group(1)
    drawing_rels = z.read(f"xl/drawings/_rels/{drawing}.rels").decode()
    return [z.read(f"xl/charts/{c}").decode() for c in re.findall(r'Target="../charts/(chart\d+\.xml)"', drawing_rels)]


@pytest.mark.parametrize("name", ["Budsjett", "Oppfølging"])
def test_every_chart_names_its_axes_with_the_unit(book, name):
    """A printed chart says what its axes are: the value axis its unit (kr or timer), the category axis the
    budget years."""
    found = charts(book, name)
    assert len(found) == 2, name
    words = {tr(w, book[0]) for w in ("kr", "timer")}
    for xml in found:
        val_ax = re.search(r"<c:valAx>.*?</c:valAx>", xml, re.S).group(0)
        cat_ax = re.search(r"<c:catAx>.*?</c:catAx>", xml, re.S).group(0)
        assert re.findall(r"<a:t>([^<]*)</a:t>", val_ax)[0] in words, name
        assert re.findall(r"<a:t>([^<]*)</a:t>", cat_ax) == [tr("Budsjettår", book[0])], name


def test_an_empty_followup_chart_does_not_label_its_axis_one_krone(book):
    """Before any actual is entered the Oppfølging charts are empty: their value axis uses the same format as
    Budsjett's, which shows 0 and nothing for the ticks under 1 000 kr (10 timer), not «0 kr, 1 kr, 1 kr»."""
    for xml in charts(book, "Oppfølging"):
        fmt = re.search(r'<c:valAx>.*?<c:numFmt formatCode="([^"]*)"', xml, re.S).group(1)
        assert fmt.startswith(("[&gt;=1000]", "[>=1000]", "[&gt;=10]", "[>=10]")), fmt


def test_the_budget_charts_start_a_page_and_their_figures_stand_under_their_years(book):
    """The band «Diagram» was printed alone at the foot of Budsjett's first page, and the figures of the money
    chart printed under it without their years: a page break comes before the band, and the figures have a
    head row with the budget years."""
    ws = sheet(book, "Budsjett")
    band = next(c.row for (c,) in ws.iter_rows(min_col=1, max_col=1) if c.value == tr("Diagram", book[0]))
    assert [b.id for b in ws.row_breaks.brk] == [band - 1]  # a break after the row above the band
    heads = [r for r in range(band + 1, band + 6) if ws.cell(r, 1).value == tr("Post", book[0])]
    assert len(heads) == 1
    years = [ws.cell(heads[0], c).value for c in range(3, 7)]
    assert all(isinstance(y, str) and y.startswith("=") for y in years), years  # the years of the tables
    assert ws.cell(heads[0] + 1, 3).value.startswith("="), "the figures follow the head row"


def cached(book, name: str, ref: str):
    """A cell's cached value (what a preview or a reader that does not recalculate shows)."""
    from python_calamine import CalamineWorkbook

    _, built, _, _ = book
    rows = CalamineWorkbook.from_filelike(io.BytesIO(built.data)).get_sheet_by_name(
        sheet_names(book[0])[name]).to_python()
    col, row = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()
    return rows[int(row) - 1][ord(col) - ord("A")]


def test_the_four_year_p85_on_budsjett_is_the_period_p85_of_the_key_figures_and_the_memo(book, est):
    """«Sum 4 år» of the P85 rows was the sum of the years' P85 (higher), while Nøkkeltall, Usikkerhet and the
    memo give the P85 of the period: the column now shows that one, and the reserve is P85 − P50 of the period."""
    ws = sheet(book, "Budsjett")
    b = budget(est, inputs(book[0]), TODAY)
    labels = {c.value: c.row for (c,) in ws.iter_rows(min_col=1, max_col=1) if isinstance(c.value, str)}
    rows = {key: labels[tr(text, book[0])] for key, text in (
        ("cash_p85", "  – P85, kostnadsramme"), ("reserve", "  – Usikkerhetsavsetning (P85 − P50)"),
        ("internal_p85", "  – P85"))}
    assert ws.cell(rows["cash_p85"], 7).value == "=kj_cash_total_kr_p85"
    assert ws.cell(rows["internal_p85"], 7).value == "=kj_internal_total_kr_p85"
    assert cached(book, "Budsjett", f"G{rows['cash_p85']}") == pytest.approx(b.ranges.cash_total.p85)
    assert cached(book, "Budsjett", f"G{rows['reserve']}") == pytest.approx(b.ranges.cash_total.reserve)
    assert cached(book, "Budsjett", f"G{rows['internal_p85']}") == pytest.approx(b.ranges.internal_total.p85)
    assert b.ranges.cash_total.p85 < sum(x.p85 for x in b.ranges.cash_years)  # why the column needed it


@pytest.fixture(scope="module", params=["nb", "nn"])
def followed(request, est):
    """A filled workbook with actuals on Oppfølging (their statuses in column K), as openpyxl reads its formats
    and (data_only) its cached values."""
    built = build_bytes(est, replace(scenarios.scenarios()["followup"], malform=request.param), today=TODAY)
    return (request.param, openpyxl.load_workbook(io.BytesIO(built.data)),
            openpyxl.load_workbook(io.BytesIO(built.data), data_only=True))


def test_a_text_after_a_right_aligned_figure_keeps_a_gap(followed):
    """Printed, a right-aligned figure ends at its column's right edge, and a left-aligned text in the next
    column starts right there: «ca 400Kilde», «5Kjernejournal: …» (Budsjettlinjer), «NeiKr per kort», «145 000
    krkr». Every text that follows a figure in the same row is indented (or aligned away from it)."""
    _, wb, values = followed
    touching = []
    for ws in wb.worksheets:
        vs = values[ws.title]
        merged = {c for rng in ws.merged_cells.ranges for c in rng.cells}
        for row in ws.iter_rows():
            for c in row[:-1]:
                v = vs[c.coordinate].value
                if v is None or isinstance(v, str) or (c.row, c.column) in merged:
                    continue
                if c.alignment.horizontal not in (None, "general", "right"):
                    continue
                n = ws.cell(c.row, c.column + 1)
                text = vs[n.coordinate].value
                # an indent shows only on text aligned left (LibreOffice and Excel ignore it under «general»)
                if isinstance(text, str) and text.strip() and n.alignment.horizontal in (None, "general", "left") \
                        and not (n.alignment.indent and n.alignment.horizontal == "left"):
                    touching.append((ws.title, c.coordinate, v, text[:30]))
    assert touching == [], touching[:10]


def test_an_amount_on_inndata_leaves_its_unit_to_the_enhet_column(followed):
    """«145 000 kr» stood beside an Enhet column saying «kr»: on Inndata the unit column says it (FAST), so the
    amounts in Verdi, Standard and Brukt show the figure alone; a share keeps its % (the number's own form)."""
    malform, wb, _ = followed
    ws = wb[sheet_names(malform)["Inndata"]]
    kr = tr("kr", malform)
    amounts = 0
    for row in ws.iter_rows(min_row=4):
        unit = row[2].value
        if not isinstance(unit, str) or not unit.startswith(kr):
            continue
        for c in (row[1], row[3], row[4]):
            assert kr not in c.number_format, (c.coordinate, unit, c.number_format)
            amounts += c.number_format == "#,##0"
    assert amounts >= 10


def test_the_avdeling_column_shows_a_zone_name_whole(followed):
    """«Hjemmesykepleien sone nord» was cut at «…sone nor»: the column of departments and zones holds it (a
    column-width unit is a digit's width; a name of 30 characters needs about 28 of them)."""
    malform, wb, _ = followed
    ws = wb[sheet_names(malform)["Inndata"]]
    assert ws.column_dimensions["C"].width >= 28


def test_a_one_line_note_does_not_wrap_over_the_next_row(followed):
    """Beregning's «i året for første trinn» wrapped in a row one line tall and ran over the row below: a note
    in a row of one line does not wrap when it is wider than its column."""
    malform, wb, _ = followed
    ws = wb[sheet_names(malform)["Beregning"]]
    note = tr("i året for første trinn", malform)
    cells = [c for row in ws.iter_rows() for c in row if c.value == note]
    assert len(cells) == 1
    c = cells[0]
    assert not c.alignment.wrap_text or len(note) <= ws.column_dimensions[c.column_letter].width
    assert c.alignment.indent >= 1 and c.alignment.horizontal == "left"  # after the figure in column C


def test_budsjett_shows_hours_in_one_format(followed):
    """The key figure «Frigjort tid per år …» showed «89» and section 3 «88,7» for the same figure: every hour
    figure on Budsjett (a row whose unit is timer, or timer per år) is in whole hours, as the key figures, Oppfølging
    and the memo give them."""
    malform, wb, _ = followed
    ws = wb[sheet_names(malform)["Budsjett"]]
    units = {tr("timer", malform), tr("timer per år", malform)}
    formats = {c.number_format for row in ws.iter_rows(min_row=5) if row[1].value in units
               for c in row[2:7] if isinstance(c.value, str) and c.value.startswith("=")}
    assert formats == {"#,##0"}, formats


def test_the_freed_hours_have_one_name_in_table_and_chart(book):
    """The chart's legend said «Tid frigjort (timer)» where the table says «Timer frigjort» (nynorsk «Timar
    frigjorde»): one name, «Frigjorte timer» (nynorsk «Frigjorde timar», docs/ordliste.md)."""
    malform = book[0]
    name = {"nb": "Frigjorte timer", "nn": "Frigjorde timar"}[malform]
    ws = sheet(book, "Budsjett")
    assert name in [c.value for (c,) in ws.iter_rows(min_col=1, max_col=1)]
    legends = [re.findall(r"<c:tx>.*?</c:tx>", xml, re.S) for xml in charts(book, "Budsjett")]
    assert any(f"<c:v>{name}</c:v>" in t or f"<a:t>{name}</a:t>" in t for ts in legends for t in ts), legends


def test_the_municipality_help_says_when_the_page_header_takes_the_name(book):
    """A page header cannot refer to a cell: it is set when the workbook is built or regenerated. The help text
    of «Kommune» said «Vises i topptekst» as if the header followed the cell."""
    malform = book[0]
    ws = sheet(book, "Inndata")
    label = tr("Kommune", malform)
    row = next(c.row for (c,) in ws.iter_rows(min_col=1, max_col=1) if c.value == label)
    help_text = ws.cell(row, 9).value
    words = {"nb": ("topptekst", "bygges", "regenereres"), "nn": ("topptekst", "bygd", "regenerert")}[malform]
    assert all(w in help_text for w in words), help_text


def test_no_block_of_usikkerhet_is_split_across_pages(book):
    """«Behov for nye midler 2030» printed its P50 and P85 on the next page: manual page breaks fall only before a
    block's band, and each page's rows fit the page by the sheet's own estimate (A4 portrait, fitted to its
    width)."""
    from workbook_builder.sheets.usikkerhet import PAGE_HEIGHT_PT, PAGE_WIDTH_PT

    ws = sheet(book, "Usikkerhet")
    bands = [c.row for (c,) in ws.iter_rows(min_col=1, max_col=1)
             if c.fill is not None and c.fill.fgColor is not None and c.fill.fgColor.rgb in ("FF1F4E79", "001F4E79")]
    breaks = [b.id + 1 for b in ws.row_breaks.brk]  # the first row of each new page
    assert breaks, "a sheet of about 250 rows on A4 needs page breaks"
    assert set(breaks) <= set(bands), (breaks, bands)
    widths = [ws.column_dimensions[col].width for col in "ABCDEF"]
    scale = min(1.0, PAGE_WIDTH_PT / (sum(7 * w + 5 for w in widths) * 0.75))
    last = ws.max_row
    for first, stop in zip([1, *breaks], [*breaks, last + 1]):
        height = sum(ws.row_dimensions[r].height or 15 for r in range(first, stop))
        assert height * scale <= PAGE_HEIGHT_PT, (first, stop, height * scale)


@pytest.mark.parametrize("malform", ["nb", "nn"])
def test_a_blank_workbooks_chart_titles_are_titles_and_the_hint_stands_beside_them(est, malform):
    """LibreOffice keeps a chart title linked to a cell as the text it had when the file was saved (measured:
    a LibreOffice save turns <c:strRef> into static text). A blank workbook's titles said «– ingen tall ennå: legg
    inn innføringstrinn på Inndata», and so did the charts of a workbook filled in LibreOffice. The titles are the
    titles now; the hint is a cell beside them that LibreOffice recalculates."""
    from workbook_builder.core.model import Inputs

    built = build_bytes(est, Inputs(malform=malform), today=TODAY)
    z = zipfile.ZipFile(io.BytesIO(built.data))
    blank = (malform, built, openpyxl.load_workbook(io.BytesIO(built.data)), z)
    titles = [re.search(r"<c:title><c:tx><c:strRef>.*?<c:v>(.*?)</c:v>", c).group(1) for c in charts(blank, "Budsjett")]
    assert titles == [tr("Behov for nye midler per år (faste {first}-kroner)", malform, first=2027),
                      tr("Interne timer brukt og tid frigjort per år", malform)]
    hint = tr("Ingen tall ennå: legg inn innføringstrinn på Inndata", malform)
    ws = sheet(blank, "Budsjett")
    formulas = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and hint in c.value]
    assert formulas == [f'=IF(kj_total_staff=0,"{hint}","")']
