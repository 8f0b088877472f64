"""Every size, line item and group comes from the estimates file (issue 12). tests/data/generic.toml is
the packaged file with four reference sizes (20/60/150/500), two extra line items (hours: a regional
superuser gathering; purchase: an e-learning licence) and a fourth rollout group d. It flows through
the workbook (recalculated in LibreOffice), `cost --json`, the Excel functions, batch and the regional
overview, and the built workbook's text names no size, group or item that is not in the file.

Regenerate the file after the packaged one changes: `.venv/bin/python tests/make_generic_estimates.py`
(test_the_file_is_the_packaged_one_plus_the_changes fails until then).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import lo
import openpyxl
import pytest
from compare import close, same
from make_generic_estimates import SOURCE, TARGET, generic_text

from udfs import kj, officejs
from workbook_builder.cells import OUTPUTS, output_values
from workbook_builder.cli.main import main
from workbook_builder.core.estimates import load_estimates
from workbook_builder.core.model import Inputs, Step, budget, interpolate, one_off
from workbook_builder.core.numbers import excel_round, nb_number
from workbook_builder.services.collect import Entry, collect, write_overview
from workbook_builder.workbook import build_workbook
from workbook_builder.xlsx import lite

TODAY = dt.date(2026, 11, 29)
NEW_ITEMS = ("superuser_days", "elearning_licence")
CSV = """kommune;kommunenummer;eid;forste_budsjettar;a_helsepersonell;a_startar;b_helsepersonell;b_startar;\
c_helsepersonell;c_startar;d_helsepersonell;d_startar;modulpris
Voss;4621;PKI-kort;2027;10;2027;40;2027;120;2028;35;2029;50000
Ulvik;4620;BankID;2027;;;;;;;15;2027;
Bergen;4601;PKI-kort;2027;60;2027;300;2027;900;2028;80;2028;250000
"""


@pytest.fixture(scope="module")
def gen():
    return load_estimates(TARGET)


@pytest.fixture(scope="module")
def region(gen, tmp_path_factory):
    """Batch → collect with the generic file, then LibreOffice recalculates every workbook and the
    overview in one call."""
    root = tmp_path_factory.mktemp("generic")
    (root / "kommuner.csv").write_text(CSV, encoding="utf-8")
    assert main(["batch", str(root / "kommuner.csv"), "--out-dir", str(root / "ut"), "--estimates", str(TARGET),
                 "--workers", "1"]) == 0
    single = build_workbook(root / "single.xlsx", gen, Inputs(eid="pki", first_year=2027, steps=(
        Step(35, "d", "Legevakt", 2027), Step(12, "a", "", 2028))), today=TODAY)
    results = collect(sorted((root / "ut").glob("*.xlsx")), gen, workers=1, today=TODAY)
    entries = [r for r in results if isinstance(r, Entry)]
    failures = [r for r in results if not isinstance(r, Entry)]
    assert failures == [] and len(entries) == 3
    write_overview(root / "oversikt.xlsx", entries, failures, gen, today=TODAY)
    paths = [*sorted((root / "ut").glob("*.xlsx")), root / "single.xlsx", root / "oversikt.xlsx"]
    recalculated = dict(zip(paths, lo.recalc(paths, root / "recalc")))
    return {"root": root, "entries": entries, "single": single, "paths": paths,
            "recalc": {p: lo.read_book(r) for p, r in recalculated.items()}}


def test_the_file_is_the_packaged_one_plus_the_changes(gen):
    assert TARGET.read_text(encoding="utf-8") == generic_text(SOURCE.read_text(encoding="utf-8"))
    assert gen.sizes.values == (20, 60, 150, 500)
    assert [g.id for g in gen.groups] == ["a", "b", "c", "d"]
    assert all(gen.has_item(i) for i in NEW_ITEMS)


def test_a_new_item_is_interpolated_over_four_sizes(gen):
    """By hand: 35 people lie in the first segment (20–60); 310 in the third (150–500); 800 extends it."""
    sizes = gen.sizes.values
    assert interpolate(sizes, gen.item("superuser_days").values, 35) == 12 + (18 - 12) * 15 / 40
    assert interpolate(sizes, gen.item("elearning_licence").values, 310) == 15000 + 21000 * 160 / 350
    assert interpolate(sizes, gen.item("superuser_days").values, 800) == 30 + 34 * 650 / 350
    o = one_off(gen, 35, "pki", price_year=2027)
    assert o.item("superuser_days").hours == excel_round(14.25)
    assert o.item("elearning_licence").kr == excel_round(5875 * o.price_factor)
    assert o.item("elearning_licence").hours == 0
    assert o.total_hours == sum(i.hours for i in o.items)


def test_cost_json_carries_the_new_items(gen, capsys):
    assert main(["cost", "--staff", "35", "--eid", "pki", "--estimates", str(TARGET), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    o = one_off(gen, 35, "pki", price_year=data["price_year"])
    items = {i["id"]: i for i in data["items"]}
    assert list(items) == [i.id for i in gen.items]
    for item_id in NEW_ITEMS:
        assert items[item_id]["kr"] == o.item(item_id).kr and items[item_id]["hours"] == o.item(item_id).hours
    assert data["total_kr"] == o.total_kr and data["estimates_id"] == "test-generic"


@pytest.fixture
def generic_functions(monkeypatch):
    """The classic add-in's functions reading the generic file (as Lite's main.py embeds one)."""
    monkeypatch.setattr(kj, "EMBEDDED_ESTIMATES", TARGET.read_text(encoding="utf-8"))
    kj._kj_estimates.cache_clear()
    yield kj
    kj._kj_estimates.cache_clear()


def test_the_excel_functions_know_the_new_items_by_id_and_label(gen, generic_functions):
    o = one_off(gen, 35, "pki", price_year=TODAY.year + 1)
    assert kj.kj_cost(35, "pki", None, "Regional samling for superbrukere", TODAY.year + 1) == \
        o.item("superuser_days").kr
    assert kj.kj_cost(35, "pki", None, "elearning_licence", TODAY.year + 1) == o.item("elearning_licence").kr
    assert kj.kj_hours(35, "superuser_days") == o.item("superuser_days").hours
    labels = [row[0] for row in kj.kj_breakdown(35, "pki", None, TODAY.year + 1)]
    assert "Regional samling for superbrukere" in labels and "Lisens for e-læringskurs i kjernejournal" in labels


def test_xlwings_lite_main_py_embeds_the_file_and_knows_the_new_item(gen, tmp_path):
    from test_udfs_lite import _load_main

    module = _load_main(lite.lite_main_py(TARGET.read_text(encoding="utf-8")), tmp_path)
    expected = one_off(gen, 800, "pki", price_year=2027).item("superuser_days").kr
    assert asyncio.run(officejs.acall(module, "kj_cost", 800, "pki", None, "superuser_days", 2027)) == [[expected]]


def test_the_workbooks_recalculated_equal_the_model(region, gen):
    for path in region["paths"][:-1]:
        book = region["recalc"][path]
        assert book.errors == [], path.name
        inputs = next((e.inputs for e in region["entries"] if e.path.name == path.name), None)
        b = region["single"].budget if inputs is None else budget(gen, inputs, TODAY)
        for name, value in output_values(gen, b).items():
            assert same(book.value(name), value), f"{path.name}: {name} = {book.value(name)!r}, model {value!r}"
        assert set(output_values(gen, b)) == set(OUTPUTS)


def test_batch_reads_the_fourth_group_and_the_overview_sums_it(region):
    by_name = {e.inputs.municipality: e for e in region["entries"]}
    assert [(s.group, s.staff, s.year) for s in by_name["Voss"].inputs.steps] == [
        ("a", 10, 2027), ("b", 40, 2027), ("c", 120, 2028), ("d", 35, 2029)]
    assert [(s.group, s.staff) for s in by_name["Ulvik"].inputs.steps] == [("d", 15)]
    book = region["recalc"][region["paths"][-1]]
    head = next(k for k, row in enumerate(book.sheets["Oversikt"]) if row and row[0] == "Kommunenr")
    heads = book.sheets["Oversikt"][head]
    assert [h for h in heads if str(h).startswith("Helsepersonell ")] == [
        "Helsepersonell a", "Helsepersonell b", "Helsepersonell c", "Helsepersonell d", "Helsepersonell totalt"]
    rows = [dict(zip(heads, r)) for r in book.sheets["Oversikt"][head + 1:] if r and r[1]]
    total = next(r for r in rows if r["Kommune"] == "Sum regionen")
    assert total["Helsepersonell d"] == 35 + 15 + 80
    assert total["Helsepersonell totalt"] == sum(e.budget.total_staff for e in region["entries"]) == 205 + 15 + 1340
    assert close(total["Nye midler totalt"], sum(e.budget.cash_total_kr for e in region["entries"]))


def test_batch_refuses_an_unknown_group_by_name(gen, tmp_path, capsys):
    csv = tmp_path / "k.csv"
    csv.write_text("kommune;kommunenummer;e_helsepersonell\nVoss;4621;10\n", encoding="utf-8")
    assert main(["batch", str(csv), "--out-dir", str(tmp_path / "ut"), "--estimates", str(TARGET)]) == 2
    err = capsys.readouterr().err
    assert "unknown rollout group(s) e" in err and "the groups a, b, c, d" in err and "Traceback" not in err
    csv.write_text("kommune;kommunenummer;d_helsepersonell\nVoss;4621;10\n", encoding="utf-8")
    assert main(["batch", str(csv), "--out-dir", str(tmp_path / "ut")]) == 2  # the packaged file has a–c
    assert "unknown rollout group(s) d" in capsys.readouterr().err
    assert not (tmp_path / "ut").exists()


def workbook_texts(path: Path) -> list[str]:
    """Every text a person can read in the workbook: cells (formulas' cached results too), comments,
    data-validation messages, headers and footers, chart titles and labels."""
    out: list[str] = []
    for data_only in (False, True):
        wb = openpyxl.load_workbook(path, data_only=data_only)
        for ws in wb.worksheets:
            out += [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
            out += [c.comment.text for row in ws.iter_rows() for c in row if c.comment]
            for dv in ws.data_validations.dataValidation:
                out += [t for t in (dv.prompt, dv.error, dv.promptTitle, dv.errorTitle) if t]
            out += [h.text for h in (ws.oddHeader.left, ws.oddHeader.center, ws.oddHeader.right,
                                     ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right) if h.text]
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/charts/"):
                out += re.findall(r"<a:t>([^<]*)</a:t>", z.read(name).decode("utf-8"))
    return out


SIZE_CONTEXT = r"(?<![\d,.])({n})(?=\s*(?:–|/|,|og)\s*\d)|(?<=\d)(?:\s*(?:–|/|,|og)\s*)({n})(?![\d,])"
GROUP_LIST = re.compile(r"\b[a-z](?:(?:, |/)[a-z])*(?:,? (?:eller|og) |/)[a-z]\b")


def test_the_workbook_names_no_size_group_or_item_outside_the_file(region, gen):
    default = load_estimates()
    texts = workbook_texts(region["root"] / "single.xlsx")
    own_sources = gen.text  # a text quoted from the file itself (a source, a label) is in the file
    foreign_sizes = "|".join(str(int(s)) for s in default.sizes.values if s not in gen.sizes.values)
    pattern = re.compile(SIZE_CONTEXT.format(n=foreign_sizes))
    leaks = [t for t in texts if pattern.search(t) and t not in own_sources]
    assert leaks == []
    # the file's sizes are named where the default's were: the range and the list
    joined = "\n".join(texts)
    assert "20–500 helsepersonell" in joined and "20, 60, 150 og 500 helsepersonell" in joined
    # every list of groups names all four
    ids = {g.id for g in gen.groups}
    lists = [m.group(0) for t in texts for m in GROUP_LIST.finditer(t)
             if set(re.findall(r"\b[a-z]\b", m.group(0))) <= ids | {"og"}]
    assert lists and all("d" in m for m in lists if len(re.findall(r"\b[a-d]\b", m)) >= 3), lists
    # every item and group label of the file is shown, and none that is not in it
    for label in [i.label for i in gen.items] + [g.label for g in gen.groups]:
        assert label in joined, label


def test_the_size_pattern_catches_the_packaged_sizes():
    """The search above can fail: the packaged file's size texts are what it looks for."""
    pattern = re.compile(SIZE_CONTEXT.format(n="30|100|400"))
    for text in ("Utenfor notatets estimatgrunnlag (30–400 helsepersonell)", "ca 30, 100 og 400 helsepersonell",
                 "Antall kortlesere 8 / 20 / 40 ved ca 30, 100 og 400"):
        assert pattern.search(text), text
    assert not pattern.search("Skriv et tall fra 0 til 30 (dager per år).")
    assert not GROUP_LIST.search("Et innføringstrinn mangler gruppe eller antall helsepersonell.")
    assert GROUP_LIST.search("gruppe (a, b eller c)").group(0) == "a, b eller c"


def test_the_memo_names_the_files_sizes_and_items(region, gen):
    out = region["root"] / "memo.html"
    assert main(["memo", str(region["root"] / "single.xlsx"), "--out", str(out), "--estimates", str(TARGET)]) == 0
    html = out.read_text(encoding="utf-8")
    default = load_estimates()
    assert f"ca {gen.sizes_text} helsepersonell" in html
    for foreign in (default.sizes_text, default.size_range_text, " / ".join(f"{s:g}" for s in default.sizes.values)):
        assert foreign not in html, foreign
    assert "Regional samling for superbrukere" in html and "Lisens for e-læringskurs i kjernejournal" in html


@pytest.mark.parametrize("columns", ["60", "200"])
def test_the_estimates_table_shows_every_size_and_figure_whole(gen, capsys, monkeypatch, columns):
    """A narrow terminal never cuts a figure or drops a size column (a long line wraps instead)."""
    monkeypatch.setenv("COLUMNS", columns)
    assert main(["estimates", "--estimates", str(TARGET)]) == 0
    out = capsys.readouterr().out
    head = next(line for line in out.splitlines() if line.strip().startswith("item"))
    assert head.split()[-4:] == ["20", "60", "150", "500"]
    rows = {cells[0].rstrip("*"): cells[-4:] for line in out.splitlines()
            if len(cells := re.split(r"\s{2,}", line.strip())) >= 7}
    for item in gen.items:
        figures = item.values or item.published
        if figures:
            assert rows[item.id] == [nb_number(v) for v in figures], item.id
