"""The documents and the command line in the municipality's målform (issue 13):

- the memo, the vendor notice and the budget lines CSV in nynorsk have none of the bokmål-only word forms of
  tests/data/malform_words.toml, and in bokmål none of the nynorsk-only forms (the word search of
  tests/malform_words.py, the same as the workbook's in test_workbook_nynorsk.py); the memo's page language
  follows the målform, and every figure is the same in both;
- `--malform nb|nn` on build, memo, notice and lines (memo, notice and lines default to the målform recorded in the
  workbook they read); a bad value is one English line and exit 2;
- the batch CSV's column `malform` (blank: bokmål; a bad value refuses the row, naming its line);
- `build --from` keeps a nynorsk workbook nynorsk, and `--malform nb` switches it.
"""

from __future__ import annotations

import html as html_module
import re
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from conftest import TODAY
from malform_words import OTHER, forms_found, untranslated_sources
from test_memo_accessibility import CASES
from test_reports_memo import figures

from workbook_builder.cli.main import main
from workbook_builder.core.i18n import MALFORMS, tr
from workbook_builder.core.model import budget
from workbook_builder.services.batch import read_rows
from workbook_builder.services.lines import lines_csv
from workbook_builder.services.memo import render_memo_html
from workbook_builder.services.notice import notice_text
from workbook_builder.workbook import build_workbook
from workbook_builder.xlsx.filled_reader import read_workbook

FULL = CASES["full"]


def page_text(page: str) -> list[str]:
    """What a reader of the memo reads: the text of the page (its title and body, the chart's titles and
    labels) and of the printed page's margins (the CSS `content` of the @page boxes), one line per line."""
    margins = re.findall(r'content: ("[^;]*);', page)
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return [*margins, *html_module.unescape(re.sub(r"<[^>]+>", " ", page)).splitlines()]


def memo(est, inputs, malform: str) -> str:
    inputs = replace(inputs, malform=malform)
    return render_memo_html(est, inputs, budget(est, inputs, TODAY), workbook="kommune.xlsx", today=TODAY,
                            metadata={"built": "28.11.2026"})


def notices(est, malform: str) -> list[str]:
    """The notice in its four forms, with and without a municipality number."""
    out = []
    for inputs in (FULL, replace(FULL, municipality_number="", vendor_module_kr=None)):
        inputs = replace(inputs, malform=malform)
        b = budget(est, inputs, TODAY)
        out += [notice_text(est, inputs, b, today=TODAY, decided=decided, with_budget=with_budget)
                for decided in (False, True) for with_budget in (False, True)]
    return out


# ------------------------------------------------------------------------------------------- the words


@pytest.mark.parametrize("malform", list(MALFORMS))
@pytest.mark.parametrize("case", list(CASES))
def test_the_memo_has_no_word_form_of_the_other_malform(est, case, malform):
    exempt = untranslated_sources(Path(est.file)) if malform == "nn" else []
    page = memo(est, CASES[case], malform)
    assert f'<html lang="{malform}">' in page
    assert forms_found(page_text(page), OTHER[malform], exempt) == {}


@pytest.mark.parametrize("malform", list(MALFORMS))
def test_the_notice_has_no_word_form_of_the_other_malform(est, malform):
    texts = notices(est, malform)
    assert len(set(texts)) == 8
    assert all(forms_found(t.splitlines(), OTHER[malform]) == {} for t in texts)


@pytest.mark.parametrize("malform", list(MALFORMS))
def test_the_budget_lines_have_no_word_form_of_the_other_malform(est, malform):
    inputs = replace(FULL, malform=malform)
    text = lines_csv(est, budget(est, inputs, TODAY), "4100", "KJ01", include_zero=True)
    assert forms_found(text.splitlines(), OTHER[malform]) == {}
    header = text.removeprefix("\ufeff").splitlines()[0]
    assert header == {"nb": "År;Ansvar;Funksjon;Funksjonsnavn;Art;Artsnavn;Prosjekt;Beløp (kr);Beløp (1 000 kr);Tekst",
                      "nn": "År;Ansvar;Funksjon;Funksjonsnamn;Art;Artsnamn;Prosjekt;Beløp (kr);Beløp (1 000 kr);Tekst",
                      }[malform]


def test_the_searches_find_a_word_of_the_other_malform_in_a_document(est):
    """The tests above can fail: a bokmål memo, notice and CSV are caught by the nynorsk test, and the other way."""
    assert {"ikke", "fra", "hva"} <= set(forms_found(page_text(memo(est, FULL, "nb")), OTHER["nn"]))
    margins = page_text(memo(est, FULL, "nn"))[:4]
    assert len(margins) == 4 and margins[2].startswith('"Laga med kj-budget')
    assert margins[3].startswith('"Side " counter(page)')
    assert {"ikkje", "frå", "kva"} <= set(forms_found(page_text(memo(est, FULL, "nn")), OTHER["nb"]))
    assert forms_found(notices(est, "nb")[0].splitlines(), OTHER["nn"])
    assert forms_found(notices(est, "nn")[0].splitlines(), OTHER["nb"])


def test_the_memo_in_nynorsk_has_the_same_figures_as_in_bokmaal(est):
    """Only the words change: every figure the memo marks (data-kj) is the same text in both."""
    nb, nn = figures(memo(est, FULL, "nb")), figures(memo(est, FULL, "nn"))
    words = {"hours_returned_years", "master_check"}  # «8,9 år» in both; the status word is the målform's
    assert len(nb) > 40 and nb.keys() == nn.keys()
    assert {k: v for k, v in nb.items() if k not in words} == {k: v for k, v in nn.items() if k not in words}
    assert nn["master_check"] == tr(nb["master_check"], "nn")


def test_a_bokmaal_part_of_a_nynorsk_memo_says_its_language(est):
    """WCAG 2.1 3.1.2 (language of parts): in a nynorsk memo a phrase quoted from the note and each source the
    estimates file has only in bokmål carry lang="nb"; a bokmål memo marks nothing but the page."""
    nn, nb = memo(est, FULL, "nn"), memo(est, FULL, "nb")
    assert '«<span lang="nb">omtrentlige og overordnet</span>»' in nn
    untranslated = set(untranslated_sources(Path(est.file)))
    cells = re.findall(r"<td( lang=\"nb\")?>([^<]*)</td>", nn)
    marked = {html_module.unescape(text) for lang, text in cells if lang}
    assert marked and marked <= untranslated
    assert {html_module.unescape(text) for lang, text in cells if not lang} & untranslated == set()
    assert nb.count('lang="') == 1


# ------------------------------------------------------------------------------------------- the command line


@pytest.fixture(scope="module")
def nynorsk_workbook(est, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("malform") / "voss.xlsx"
    build_workbook(path, est, replace(FULL, municipality="Voss", municipality_number="4621", malform="nn"),
                   today=TODAY)
    return path


def test_build_takes_malform_and_records_it(tmp_path, capsys, est):
    for value, malform in (("nn", "nn"), ("Nynorsk", "nn"), ("BOKMÅL", "nb")):
        out = tmp_path / f"{value}.xlsx"
        assert main(["build", "--malform", value, "--out", str(out)]) == 0
        assert read_workbook(out, est).inputs.malform == malform
        assert openpyxl.load_workbook(out, read_only=True).sheetnames[0] == tr("Veiledning", malform)
    printed = capsys.readouterr().out
    assert "Master check: Ikkje utfylt (Ikkje utfylt:" in printed
    assert "Master check: Ikke utfylt (Ikke utfylt:" in printed
    assert main(["build", "--out", str(tmp_path / "default.xlsx")]) == 0
    assert read_workbook(tmp_path / "default.xlsx", est).inputs.malform == "nb"


@pytest.mark.parametrize("command", ["build", "memo", "notice", "lines"])
def test_a_bad_malform_is_one_english_line_and_exit_2(command, nynorsk_workbook, tmp_path, capsys):
    args = [command, "--malform", "en"] + ([] if command == "build" else [str(nynorsk_workbook)])
    assert main([*args, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err == (f"kj-budget {command}: error: argument --malform: must be nb (bokmål) or nn (nynorsk), got 'en' "
                   f"(see kj-budget {command} --help)\n")
    assert not (tmp_path / "out").exists()


def test_memo_is_in_the_workbooks_malform_unless_told(nynorsk_workbook, tmp_path, capsys):
    assert main(["memo", str(nynorsk_workbook), "--out", str(tmp_path / "nn.html")]) == 0
    assert main(["memo", str(nynorsk_workbook), "--malform", "nb", "--out", str(tmp_path / "nb.html")]) == 0
    assert "master check Merknad." in capsys.readouterr().out
    nn, nb = (tmp_path / "nn.html").read_text(encoding="utf-8"), (tmp_path / "nb.html").read_text(encoding="utf-8")
    assert '<html lang="nn">' in nn and "<h2>1. Samandrag</h2>" in nn
    assert '<html lang="nb">' in nb and "<h2>1. Sammendrag</h2>" in nb


def test_notice_is_in_the_workbooks_malform_unless_told(nynorsk_workbook, capsys):
    assert main(["notice", str(nynorsk_workbook)]) == 0
    nn = capsys.readouterr().out
    assert main(["notice", str(nynorsk_workbook), "--malform", "bokmål"]) == 0
    nb = capsys.readouterr().out
    assert "Med venleg helsing" in nn and "førespurnad om modul" in nn and "Omfanget vi planlegg:" in nn
    assert "Med vennlig hilsen" in nb and "forespørsel om modul" in nb and "Omfanget vi planlegger:" in nb


def test_lines_are_in_the_workbooks_malform_unless_told(nynorsk_workbook, tmp_path, capsys):
    assert main(["lines", str(nynorsk_workbook)]) == 0
    nn = capsys.readouterr().out
    assert main(["lines", str(nynorsk_workbook), "--malform", "nb"]) == 0
    nb = capsys.readouterr().out
    assert nn.startswith("År;Ansvar;Funksjon;Funksjonsnamn;") and "Løn til vikarar" in nn
    assert nb.startswith("År;Ansvar;Funksjon;Funksjonsnavn;") and "Lønn til vikarer" in nb
    assert [line.split(";")[7] for line in nn.splitlines()][1:] == [line.split(";")[7] for line in nb.splitlines()][1:]
    # a CSV kj-budget wrote in either målform is its own, and is replaced without --force
    out = tmp_path / "linjer.csv"
    for malform in ("nn", "nb", "nn"):
        assert main(["lines", str(nynorsk_workbook), "--malform", malform, "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8-sig").startswith("År;Ansvar;Funksjon;Funksjonsnamn;")


def test_build_from_keeps_the_malform_and_switches_it_when_told(nynorsk_workbook, tmp_path, capsys, est):
    kept, switched = tmp_path / "kept.xlsx", tmp_path / "switched.xlsx"
    assert main(["build", "--from", str(nynorsk_workbook), "--out", str(kept)]) == 0
    assert main(["build", "--from", str(nynorsk_workbook), "--malform", "nb", "--out", str(switched)]) == 0
    capsys.readouterr()
    old, a, b = (read_workbook(p, est) for p in (nynorsk_workbook, kept, switched))
    assert (a.inputs.malform, b.inputs.malform) == ("nn", "nb")
    assert replace(a.inputs, malform="nb") == b.inputs == replace(old.inputs, malform="nb")  # every value carried
    assert openpyxl.load_workbook(kept, read_only=True).sheetnames[0] == "Rettleiing"
    assert openpyxl.load_workbook(switched, read_only=True).sheetnames[0] == "Veiledning"


# ------------------------------------------------------------------------------------------- batch


HEADER = "kommune;kommunenummer;a_helsepersonell;malform"


def test_the_batch_column_malform_chooses_each_workbooks_malform(est, tmp_path):
    csv = tmp_path / "kommuner.csv"
    csv.write_text("\n".join([HEADER, "Voss;4621;5;nn", "Gausdal;3441;3;", "Stryn;4651;4;Nynorsk",
                              "Halden;3101;2;bokmål", "Ringebu;3439;2;en", "Øyer;3440;2;nynorsk2"]) + "\n",
                   encoding="utf-8")
    rows, bad = read_rows(csv, est, TODAY)
    assert {r.inputs.municipality: r.inputs.malform for r in rows} == {
        "Voss": "nn", "Gausdal": "nb", "Stryn": "nn", "Halden": "nb"}
    assert [str(b) for b in bad] == [
        "line 6: malform: must be nb (bokmål) or nn (nynorsk), got 'en'",
        "line 7: malform: must be nb (bokmål) or nn (nynorsk), got 'nynorsk2'"]


def test_batch_builds_each_workbook_in_its_rows_malform(est, tmp_path, capsys):
    csv = tmp_path / "kommuner.csv"
    csv.write_text("\n".join([HEADER, "Voss;4621;5;nn", "Gausdal;3441;3;"]) + "\n", encoding="utf-8")
    assert main(["batch", str(csv), "--out-dir", str(tmp_path / "ut"), "--workers", "1"]) == 0
    capsys.readouterr()
    voss, gausdal = tmp_path / "ut" / "4621-voss.xlsx", tmp_path / "ut" / "3441-gausdal.xlsx"
    assert read_workbook(voss, est).inputs.malform == "nn" and read_workbook(gausdal, est).inputs.malform == "nb"
    assert openpyxl.load_workbook(voss, read_only=True).sheetnames[0] == "Rettleiing"
