"""The workbook in nynorsk (issue 13): the same workbook, every text a person reads in the municipality's
målform, and nothing else different.

- the `nn-…` scenarios (tests/scenarios.py) are recalculated by LibreOffice with the others: every output,
  check and cached value equals the model's (test_workbook_parity); here a nynorsk and a bokmål workbook of
  the same inputs give the same number in every cell of every sheet;
- the nynorsk workbook's text (cells, cached formula results, validations, comments, headers, charts)
  has none of the bokmål-only word forms of tests/data/malform_words.toml, and the bokmål one none of the
  nynorsk-only forms; sheet names are the glossary's;
- `build --from` a nynorsk workbook gives a nynorsk workbook, and the reader reads a filled nynorsk workbook
  (list values typed in nynorsk) exactly as the bokmål one.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import scenarios
from compare import close
from conftest import TODAY
from filling import fill
from malform_words import QUOTED, forms_found, untranslated_sources
from test_generic_estimates import workbook_texts

from workbook_builder.cells import LIST_NAMES
from workbook_builder.cli.main import main
from workbook_builder.core.i18n import tr
from workbook_builder.core.model import Inputs, Step, choice_label
from workbook_builder.core.vocabulary import EMPTY, ERROR, NOTE, OK
from workbook_builder.sheets import inndata, kontroll
from workbook_builder.sheets.styles import FORMAT_WORDS, NUM, localized
from workbook_builder.workbook import SHEET_ORDER, build_workbook, sheet_names
from workbook_builder.xlsx.filled_reader import read_workbook

# The sheet names of docs/ordliste.md, in the workbook's order.
NYNORSK_SHEETS = ("Rettleiing", "Inndata", "Budsjett", "Budsjettlinjer", "Oppfølging", "Kontroll", "Estimat",
                  "Berekning", "Uvisse", "Scenario", "Soner", "Byggjeinfo")


@pytest.fixture(scope="module")
def books(est, tmp_path_factory) -> dict[str, Path]:
    """The phased-full and the empty case, built in both målformer."""
    root = tmp_path_factory.mktemp("malform")
    cases = scenarios.scenarios()
    out = {}
    for name in ("phased-full", "empty"):
        for malform in ("nb", "nn"):
            path = root / f"{name}-{malform}.xlsx"
            build_workbook(path, est, replace(cases[name], malform=malform), today=TODAY)
            out[f"{name}-{malform}"] = path
    return out


# ------------------------------------------------------------------------------------------- sheet names


def test_the_sheets_are_named_as_the_glossary_says(books):
    assert tuple(sheet_names("nn").values()) == NYNORSK_SHEETS
    assert tuple(sheet_names("nb").values()) == SHEET_ORDER
    assert openpyxl.load_workbook(books["phased-full-nn"]).sheetnames == list(NYNORSK_SHEETS)
    glossary = (Path(__file__).parent.parent / "docs" / "ordliste.md").read_text(encoding="utf-8")
    for nb, nn in zip(SHEET_ORDER, NYNORSK_SHEETS):
        assert re.search(rf"^\| {nb} \| {nn} \|", glossary, re.MULTILINE), f"docs/ordliste.md: {nb} → {nn}"


def test_no_formula_or_text_names_a_bokmaal_sheet(books):
    """Cross-sheet references, chart ranges, defined names and texts all use the nynorsk names."""
    renamed = [nb for nb, nn in zip(SHEET_ORDER, NYNORSK_SHEETS) if nb != nn]
    assert renamed == ["Veiledning", "Estimater", "Beregning", "Usikkerhet", "Scenarier", "Byggeinfo"]
    pattern = re.compile(r"\b(" + "|".join(renamed) + r")\b")
    texts = workbook_texts(books["phased-full-nn"])
    wb = openpyxl.load_workbook(books["phased-full-nn"])
    texts += [str(d.attr_text) for d in wb.defined_names.values()]
    assert [t for t in texts if pattern.search(QUOTED.sub(" ", t))] == []


# ------------------------------------------------------------------------------------------- the words


def test_the_nynorsk_workbook_has_no_bokmaal_word_form(books, est):
    exempt = untranslated_sources(Path(est.file))
    for name in ("phased-full-nn", "empty-nn"):
        assert forms_found(workbook_texts(books[name]), "bokmaal_only", exempt) == {}, name


def test_the_bokmaal_workbook_has_no_nynorsk_word_form(books):
    for name in ("phased-full-nb", "empty-nb"):
        assert forms_found(workbook_texts(books[name]), "nynorsk_only") == {}, name


def test_the_word_search_finds_what_it_looks_for():
    """The searches above can fail: a bokmål sentence is caught in a nynorsk text, a quotation is not."""
    found = forms_found(["Feil må rettes før tallene brukes. Merknader sier hva som mangler.",
                         "Notatet «Kjernejournal innføres i pleie- og omsorgstjenesten» (juni 2020)",
                         "Kjelde: noe fra NHN"], "bokmaal_only", ["Kjelde: noe fra NHN"])
    assert set(found) == {"hva", "mangler"}
    assert set(forms_found(["Arka er låste utan passord, og ikkje noko meir."], "nynorsk_only")) == {
        "utan", "ikkje", "noko", "meir"}
    assert set(forms_found(["Ikkje-utfylt"], "nynorsk_only")) == {"ikkje"}
    assert forms_found(["Kommunen får vel ikkjeberre"], "nynorsk_only") == {}  # whole words only


def test_the_status_words_are_the_workbooks(books):
    """Kontroll and Budsjett colour each status by its word, in the målform's spelling."""
    wb = openpyxl.load_workbook(books["empty-nn"])
    rules = [r.formula[0] for ws in (wb["Kontroll"], wb["Budsjett"]) for cf in ws.conditional_formatting
             for r in cf.rules if r.formula]
    for status in (OK, NOTE, EMPTY, ERROR):
        assert f'"{tr(status, "nn")}"' in rules, status
    assert '"Ikkje utfylt"' in rules and '"Ikke utfylt"' not in rules


def test_number_formats_speak_the_workbooks_malform(books):
    quoted = {w.strip() for f in NUM.values() for w in re.findall(r'"([^"]*)"', f) if w.strip()}
    assert quoted <= set(FORMAT_WORDS), "a word in a number format that is not a message"
    assert localized(NUM["size"], "nn") == '"ca. "0' and localized(NUM["size"], "nb") == '"ca "0'
    formats = {c.number_format for ws in openpyxl.load_workbook(books["phased-full-nn"]).worksheets
               for row in ws.iter_rows() for c in row}
    assert '"ca. "0' in formats and '"ca "0' not in formats


def test_every_invalid_input_status_starts_with_the_word_kontroll_looks_for():
    """Kontroll's «inputs» check and Inndata's red fill find an invalid input by its status's first word."""
    statuses = [inndata.NOT_CARRIED, *inndata.STEP_STATUS.values(), *inndata.STATUS.values()]
    invalid = [s for s in statuses if s.startswith(kontroll.INVALID)]
    assert len(invalid) == len(statuses) - 2  # all but «Mangler gruppe» and «Mangler antall»
    for malform in ("nb", "nn"):
        word = tr(kontroll.INVALID, malform)
        assert all(tr(s, malform, limit=100, range="x").startswith(word) for s in invalid), malform
        assert not any(tr(s, malform).startswith(word) for s in statuses if s not in invalid), malform


# ------------------------------------------------------------------------------------------- the numbers


@pytest.mark.parametrize("name", scenarios.NYNORSK)
def test_a_nynorsk_and_a_bokmaal_workbook_have_the_same_numbers(recalculated_cases, name):
    """Every cell of every sheet, recalculated by LibreOffice: a number in one is the same number in the
    other, a text is a text in both."""
    nb, nn = recalculated_cases[name].recalculated, recalculated_cases[f"nn-{name}"].recalculated
    assert nn.errors == [] and nb.errors == []
    numbers = 0
    for sheet in SHEET_ORDER:
        a, b = nb.sheets[sheet], nn.sheets[tr(sheet, "nn")]
        assert len(a) == len(b), sheet
        for r, (row_a, row_b) in enumerate(zip(a, b)):
            for c in range(max(len(row_a), len(row_b))):
                x, y = nb.cell(sheet, r, c), nn.cell(tr(sheet, "nn"), r, c)
                if isinstance(x, (int, float)) and not isinstance(x, bool):
                    numbers += 1
                    assert isinstance(y, (int, float)) and close(x, y), (sheet, r + 1, c + 1, x, y)
                else:
                    assert type(x) is type(y), (sheet, r + 1, c + 1, x, y)
    assert numbers > 2000
    assert set(nb.names) == set(nn.names)


def test_the_nynorsk_cases_show_every_status_in_nynorsk(recalculated_cases):
    shown = {s for name in scenarios.NYNORSK for s in recalculated_cases[f"nn-{name}"].recalculated.value(
        "kj_check_status")}
    assert shown == {tr(s, "nn") for s in (OK, NOTE, EMPTY, ERROR)} == {"OK", "Merknad", "Ikkje utfylt", "Feil"}
    titles = recalculated_cases["nn-phased-full"].recalculated.sheets["Budsjett"]
    assert titles[1][0] == "Økonomiplan 2027–2030 i faste 2027-kroner, utan mva."


# ------------------------------------------------------------------------------------------- read and rebuild


def test_build_from_a_nynorsk_workbook_gives_a_nynorsk_workbook(books, tmp_path, capsys):
    new = tmp_path / "ny.xlsx"
    assert main(["build", "--from", str(books["phased-full-nn"]), "--out", str(new)]) == 0
    capsys.readouterr()
    wb = openpyxl.load_workbook(new)
    assert wb.sheetnames[:7] == ["Rettleiing", "Inndata", "Budsjett", "Budsjettlinjer", "Oppfølging", "Kontroll",
                                 "Regenerering"]
    assert wb.defined_names["kj_meta_malform"].destinations is not None
    (sheet, ref), = wb.defined_names["kj_meta_malform"].destinations
    assert wb[sheet][ref.replace("$", "")].value == "nn"
    report = [c.value for row in wb["Regenerering"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "Regenerering – kva som vart med frå den førre arbeidsboka" in report
    assert "Ført over" in report
    assert forms_found(report, "bokmaal_only") == {}


def filled_values(est, malform: str) -> dict[str, Any]:
    """What a user types: list values as the workbook's drop-downs show them in its målform."""
    def label(kind: str, ident: str) -> str:
        return choice_label(est, kind, ident, malform)

    return {
        "kj_municipality": "Voss", "kj_municipality_number": "4621", "kj_vendor": label("vendor", "gerica"),
        "kj_eid": label("eid", "pki"), "kj_first_year": 2028, "kj_ansvar": "4100", "kj_prosjekt": "KJ01",
        "kj_step_group#1": label("group", "a"), "kj_step_unit#1": "Legar", "kj_step_staff#1": 10,
        "kj_step_year#1": 2028, "kj_step_group#2": label("group", "b"), "kj_step_staff#2": 40,
        "kj_step_group#3": label("group", "c"), "kj_step_staff#3": 120, "kj_step_year#3": 2029,
        "kj_pay_role": label("role", "helsefagarbeider"), "kj_employer_tax_zone": label("zone", "1a"),
        "kj_uncertainty": label("level", "hoy"), "kj_hourly_rate": 612.5,
        "kj_admissions_short_term": 800, "kj_share_home_care": 0.4,
    }


def test_the_reader_reads_a_filled_nynorsk_workbook_as_a_bokmaal_one(est, tmp_path):
    read = {}
    for malform in ("nb", "nn"):
        blank = tmp_path / f"blank-{malform}.xlsx"
        build_workbook(blank, est, Inputs(malform=malform), today=TODAY)
        filled = fill(blank, filled_values(est, malform), tmp_path / f"filled-{malform}.xlsx")
        read[malform] = read_workbook(filled, est)
    nb, nn = read["nb"], read["nn"]
    assert nb.problems == [] and nn.problems == []
    assert nn.inputs.malform == "nn" and nb.inputs.malform == "nb"
    assert replace(nn.inputs, malform="nb") == nb.inputs
    assert nb.inputs.steps == (Step(10, "a", "Legar", 2028), Step(40, "b", "", None), Step(120, "c", "", 2029))
    assert (nn.inputs.vendor, nn.inputs.pay_role, nn.inputs.uncertainty) == ("gerica", "helsefagarbeider", "hoy")


def test_the_nynorsk_lists_are_the_drop_downs_values(books, est):
    """What the reader accepts is what the drop-downs offer: the nynorsk labels of every list."""
    wb = openpyxl.load_workbook(books["empty-nn"])
    kinds = {"eid": est.eid_options, "vendor": est.vendors, "group": est.groups, "role": est.pay.roles,
             "zone": est.employer_tax.zones, "level": est.uncertainty.levels}
    for kind, options in kinds.items():
        (sheet, ref), = wb.defined_names[LIST_NAMES[kind]].destinations
        values = [row[0].value for row in wb[sheet][ref.replace("$", "")]]
        assert values == [choice_label(est, kind, o.id, "nn") for o in options], kind
