"""The one text-input rule (workbook_builder/textinput.py): control characters and line breaks are refused
on the command line and in a CSV, removed with a note when read from a workbook; exports a spreadsheet
opens neutralise formula-leading characters (OWASP); the notice and the memo cannot gain header lines."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import TODAY

from workbook_builder.cli.main import main
from workbook_builder.core import textinput
from workbook_builder.core.model import Inputs, Step, budget
from workbook_builder.services.memo import render_memo_html
from workbook_builder.services.notice import notice_text
from workbook_builder.workbook import build_bytes, build_workbook
from workbook_builder.xlsx.filled_reader import read_workbook

HEADER = "kommune;kommunenummer;epj_leverandor;a_helsepersonell"


@pytest.mark.parametrize("name", ["A\x01B", "Gausdal\nkommune", "Øyer\r", "A\u2028B", "A\u202eB", "A\tB",
                                  "A\x00B", "A\x7fB", "A\x85B"])
def test_build_refuses_a_control_character_or_line_break_in_the_municipality(tmp_path, capsys, name):
    out = tmp_path / "x.xlsx"
    assert main(["build", "--municipality", name, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--municipality: has a" in err and "a name is one line of plain text" in err
    assert not out.exists()


def test_notice_refuses_a_signature_with_a_line_break(est, tmp_path, capsys):
    path = tmp_path / "g.xlsx"
    build_workbook(path, est, Inputs(municipality="Gausdal", vendor="Profil", steps=(Step(5, "a"),)), today=TODAY)
    assert main(["notice", str(path), "--signature", "Kari\nKopi: angriper@example.com"]) == 2
    assert "--signature: has a line break (U+000A)" in capsys.readouterr().err


@pytest.mark.parametrize(("value", "what"), [("A\x00B", "a NUL character (U+0000)"),
                                             ("A\x01B", "a control character (U+0001)"),
                                             ('"Gaus\ndal"', "a line break (U+000A)")])
def test_batch_refuses_a_control_character_in_a_name_with_its_line(est, tmp_path, capsys, value, what):
    path = tmp_path / "k.csv"
    path.write_text(f"{HEADER}\nØyer;3440;;3\n{value};3441;;5\n", encoding="utf-8")
    out = tmp_path / "ut"
    assert main(["batch", str(path), "--out-dir", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"line 3: kommune: has {what}" in err and "(row skipped)" in err
    assert sorted(p.name for p in out.iterdir()) == ["3440-oyer.xlsx"]


def test_a_control_character_in_a_workbook_name_is_removed_with_a_note(est, tmp_path):
    """A workbook that holds them (Alt+Enter, a paste; here written by our own builder through its XML
    escapes): read, carried without them, and the change is said."""
    data = build_bytes(est, Inputs(municipality="Gausdal\nkommune\x01", steps=(Step(5, "a", "Sone\t1"),)),
                       today=TODAY).data
    fw = read_workbook(data, est, "old.xlsx")
    assert fw.inputs.municipality == "Gausdal kommune"
    assert fw.inputs.steps[0].unit == "Sone 1"
    notes = {c.key: c.en for c in fw.carried}
    assert notes["kj_municipality"] == "line breaks and control characters were removed"
    assert fw.problems == []


def test_a_workbook_with_a_control_character_in_a_name_is_valid_xml(est):
    """Excel's _xHHHH_ escapes in cached formula text (the hook in sheets/base.py): openpyxl reads it."""
    data = build_bytes(est, Inputs(municipality="A\x01B", steps=(Step(5, "a"),)), today=TODAY).data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                assert b"\x01" not in z.read(name), name
    openpyxl.load_workbook(io.BytesIO(data))


def test_the_overview_csv_neutralises_formula_leading_names(tmp_path, capsys):
    names = ["=HYPERLINK(\"http://x\";\"klikk\")", "+47 Oslo", "-Nesodden", "@SUM(A1)", "\uff1dFullbredde"]
    rows = "\n".join(f"{n.replace(chr(34), chr(34) * 2).join(chr(34) * 2) if chr(34) in n else n};{3400 + k};;5"
                     for k, n in enumerate(names, start=1))
    src = tmp_path / "k.csv"
    src.write_text(f"{HEADER}\n{rows}\n", encoding="utf-8")
    assert main(["batch", str(src), "--out-dir", str(tmp_path / "ut")]) == 0
    assert main(["collect", str(tmp_path / "ut"), "--out", str(tmp_path / "oversikt.xlsx")]) == 0
    text = (tmp_path / "oversikt.csv").read_text(encoding="utf-8-sig")
    read = list(csv.reader(io.StringIO(text), delimiter=";"))
    shown = {r[1] for r in read[1:]}
    assert shown == {"'" + n for n in names}
    for line in text.splitlines()[1:]:
        assert line.split(";")[1].startswith("\"'"), line  # quoted, and the quote inside it first


def test_numbers_in_the_csv_stay_numbers(tmp_path):
    from workbook_builder.services.collect import _csv_value

    assert _csv_value(-1234.5) == "-1234,5" and _csv_value(7.0) == "7"
    assert _csv_value("-1234,5") == "\"'-1234,5\""


def test_the_notice_cannot_gain_a_header_line(est):
    inputs = Inputs(municipality="Gausdal\nKopi: angriper@example.com", municipality_number="3441", vendor="Profil",
                    steps=(Step(5, "a", "Sone 1\nEmne: falsk"),))
    text = notice_text(est, inputs, budget(est, inputs, TODAY), today=TODAY)
    head = text.splitlines()[:3]
    assert [ln.split(":")[0] for ln in head] == ["Til", "Kopi", "Emne"]
    assert sum(ln.startswith("Kopi:") for ln in text.splitlines()) == 1
    assert not any(ln.startswith("Emne: falsk") for ln in text.splitlines())


def test_the_memo_page_header_is_one_line(est):
    inputs = Inputs(municipality='Gausdal\n"; } body { display: none', steps=(Step(5, "a"),))
    html = render_memo_html(est, inputs, budget(est, inputs, TODAY), today=TODAY)
    top_left = next(ln for ln in html.splitlines() if "@top-left" in ln)
    assert "Gausdal ; } body { display: none" in top_left and top_left.count('"') == 2


def test_clean_text_and_one_line_keep_norwegian_and_sami_letters():
    for name in ("Øyer", "Guovdageaidnu – Kautokeino", "Kárášjohka", "Unjárga-Nesseby"):
        assert textinput.clean_text(name) == (name, False)
        assert textinput.check_text(name, "x") == name


def test_refused_characters_are_described_with_their_position():
    assert textinput.refused_character("ab\x01") == "a control character (U+0001) at position 3"
    assert textinput.refused_character("a\u202eb").startswith("a bidirectional control character (U+202E")
    assert textinput.refused_character("Øyer") is None


def test_csv_text_neutralises_as_owasp_says():
    assert textinput.csv_text("=1+1") == "\"'=1+1\""
    assert textinput.csv_text("\tx") == "\"'\tx\""
    assert textinput.csv_text('Si "hei"') == '"Si ""hei"""'
    assert textinput.csv_text("Øyer") == '"Øyer"'


def test_xml_safe_writes_excels_escapes_and_keeps_a_literal_escape(est):
    assert textinput.xml_safe("A\x01B") == "A_x0001_B"
    assert textinput.xml_safe("_x0041_") == "_x005F_x0041_"
    from workbook_builder.xlsx.filled_reader import unescape

    for text in ("A\x01B", "_x0041_", "plain", "a\x1fb_x00ZZ_"):
        assert unescape(textinput.xml_safe(text)) == text


def test_a_batch_csv_name_with_a_quote_is_still_read(tmp_path):
    """Quotes themselves are text, not control characters."""
    src = Path(tmp_path / "k.csv")
    src.write_text(f'{HEADER}\n"Kommune ""Nord""";3441;;5\n', encoding="utf-8")
    from workbook_builder.core.estimates import load_estimates
    from workbook_builder.services.batch import read_rows

    rows, bad = read_rows(src, load_estimates())
    assert bad == [] and rows[0].inputs.municipality == 'Kommune "Nord"'
